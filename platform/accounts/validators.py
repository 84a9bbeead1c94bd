"""Phone and resident ID number rules (DOMAIN.md)."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric

phone_validator = RegexValidator(
    r"^1\d{10}$",
    _("A mobile phone number has 11 digits and starts with 1."),
    code="phone",
)

INVALID_ID_NUMBER = _("A resident ID number has 18 characters and a valid check digit.")


def normalise_id_number(value: str) -> str:
    """Return the ID number upper-cased and validated, or raise ValidationError.

    python-stdnum checks length, birth date and the ISO 7064 MOD 11-2 digit.
    """
    compact = ric.compact(value or "").upper()
    if len(compact) != 18 or not ric.is_valid(compact):
        raise ValidationError(INVALID_ID_NUMBER, code="id_number")
    return compact
