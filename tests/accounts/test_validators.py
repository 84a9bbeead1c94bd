import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from accounts.privacy import id_number_digest, mask_id_number, mask_phone
from accounts.validators import normalise_id_number, phone_validator


def with_check_digit(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def test_valid_id_number_is_normalised_upper_case():
    number = with_check_digit("51062319900101123")
    assert normalise_id_number(f" {number.lower()} ") == number


def test_old_county_codes_are_accepted():
    # 中江县 was 512834 before 1983: staff born then keep that code.
    assert normalise_id_number(with_check_digit("51283419750612004"))


@pytest.mark.parametrize(
    "value",
    [
        "",
        "5106231990010112",  # too short
        "51062319900101123",  # 17 characters
        "A10623199001011234",  # letters
        with_check_digit("99062319900101123"),  # no such province
        with_check_digit("51062319901301123"),  # month 13
        with_check_digit("51062318500101123"),  # born 1850
    ],
)
def test_invalid_id_numbers_are_refused(value):
    with pytest.raises(ValidationError) as exc:
        normalise_id_number(value)
    assert exc.value.code == "id_number"


def test_wrong_check_digit_is_refused():
    number = with_check_digit("51062319900101123")
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(ValidationError):
        normalise_id_number(wrong)


@pytest.mark.parametrize("phone", ["13812345678", "19900000000"])
def test_phone_accepts_mainland_mobiles(phone):
    phone_validator(phone)


@pytest.mark.parametrize("phone", ["23812345678", "1381234567", "138123456789", ""])
def test_phone_refuses_others(phone):
    with pytest.raises(ValidationError):
        phone_validator(phone)


def test_masks_and_digest():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("51062319900101123X") == "510623********123X"
    a = id_number_digest("51062319900101123x")
    assert a == id_number_digest("51062319900101123X") and len(a) == 64
