"""Validators for the national codes bureaus' spreadsheets carry (DOMAIN.md)."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

division_code_validator = RegexValidator(
    r"^(\d{6}|\d{9}|\d{12})$",
    _("An administrative division code has 6 digits (9 or 12 for townships)."),
    code="division_code",
)
school_code_validator = RegexValidator(
    r"^\d{10}$",
    _("A school identifier code has exactly 10 digits."),
    code="school_code",
)
