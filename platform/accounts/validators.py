"""Phone and resident ID number rules (DOMAIN.md)."""

from datetime import date

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


# Province-level prefixes of GB/T 2260 (the first two digits of an ID number).
PROVINCE_PREFIXES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34"}
    | {"35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52"}
    | {"53", "54", "61", "62", "63", "64", "65", "71", "81", "82"}
)


def normalise_id_number(value: str) -> str:
    """Return the ID number upper-cased and validated, or raise ValidationError.

    Checks length, the province prefix, the birth date and the ISO 7064
    MOD 11-2 check digit (python-stdnum). The county part is deliberately not
    checked against today's division codes: a teacher born before their
    county was renamed or recoded keeps the code of the day (中江县 was
    512834 before 1983), and rejecting them would reject most older staff.
    """
    number = ric.compact(value or "").upper()
    try:
        if (
            len(number) != 18
            or not number[:17].isdigit()
            or number[:2] not in PROVINCE_PREFIXES
            or number[-1] != ric.calc_check_digit(number)
        ):
            raise ValidationError(INVALID_ID_NUMBER, code="id_number")
        born = ric.get_birth_date(number)
    except (ValueError, ric.InvalidComponent) as exc:
        raise ValidationError(INVALID_ID_NUMBER, code="id_number") from exc
    if born.year < 1900 or born > date.today():
        raise ValidationError(INVALID_ID_NUMBER, code="id_number")
    return number
