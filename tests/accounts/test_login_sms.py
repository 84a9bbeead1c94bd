"""The pluggable SMS backend behind login codes and activation."""

import pytest
from django.utils import translation

from accounts import sms
from accounts.adapters import AccountAdapter
from accounts.factories import UserFactory


class RecordingBackend(sms.BaseBackend):
    """What a bureau's provider class looks like: one method, send()."""

    sent: list = []

    def send(self, phone: str, message: str) -> None:
        self.sent.append((phone, message))


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    RecordingBackend.sent = []
    yield
    sms.outbox.clear()


def test_locmem_backend_collects_messages(settings):
    settings.SMS_BACKEND = "accounts.sms.LocmemBackend"
    sms.send_sms("13800000000", "你好")
    assert sms.outbox == [{"phone": "13800000000", "message": "你好"}]


def test_console_backend_prints_instead_of_sending(settings, capsys):
    settings.SMS_BACKEND = "accounts.sms.ConsoleBackend"
    sms.send_sms("13800000000", "验证码 123456")
    assert "[SMS to 13800000000] 验证码 123456" in capsys.readouterr().out
    assert sms.outbox == []


def test_backend_is_chosen_by_setting(settings):
    settings.SMS_BACKEND = f"{__name__}.RecordingBackend"
    sms.send_sms("13800000000", "hello")
    assert RecordingBackend.sent == [("13800000000", "hello")]


def test_base_backend_must_be_implemented():
    with pytest.raises(NotImplementedError):
        sms.BaseBackend().send("13800000000", "x")


@pytest.mark.django_db
def test_verification_code_text_is_chinese_and_says_how_long(settings):
    settings.ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 10 * 60
    user = UserFactory(phone="13800000000")
    with translation.override("zh-hans"):
        AccountAdapter().send_verification_code_sms(
            user=user, phone="13800000000", code="246810"
        )
    assert sms.outbox == [
        {
            "phone": "13800000000",
            "message": "【连心】您的验证码是 246810，10 分钟内有效。请勿告诉他人。",
        }
    ]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0086-138-1234-5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("(138) 1234 5678", "13812345678"),
        ("12345", "12345"),  # left for the validator to refuse
    ],
)
def test_phone_numbers_are_normalised(typed, stored):
    from accounts.adapters import normalise_phone

    assert normalise_phone(typed) == stored
