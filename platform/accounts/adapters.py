"""django-allauth adapters: phone login and SMS codes through accounts.sms.

Phones are stored as the 11 national digits (13812345678); what people type
(+86 138-1234-5678, 0086..., spaces) is normalised before any lookup.
"""

import re

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import gettext_lazy as _

from .models import User
from .sms import send_sms

SMS_CODE_MESSAGE = _(
    "[Lianxin] Your verification code is %(code)s. It is valid for %(minutes)s "
    "minutes. Do not share it with anyone."
)
PHONE_PASSWORD_MISMATCH = _("The mobile phone number or password is incorrect.")
EMAIL_PASSWORD_MISMATCH = _("The email address or password is incorrect.")
LOGIN_PASSWORD_MISMATCH = _(
    "Please enter an 11-digit mobile phone number or an email address, and the "
    "matching password."
)
INCORRECT_CODE = _("The verification code is incorrect.")
TOO_MANY_ATTEMPTS = _("Too many failed attempts. Please try again in a few minutes.")
TOO_MANY_REQUESTS = _("Too many requests. Please wait a few minutes and try again.")

_PHONE_NOISE = re.compile(r"[\s\-()]")


def normalise_phone(value: str) -> str:
    """'+86 138-1234-5678' -> '13812345678'; other input comes back stripped."""
    value = _PHONE_NOISE.sub("", value or "")
    for prefix in ("+86", "0086"):
        if value.startswith(prefix):
            return value[len(prefix) :]
    if len(value) == 13 and value.startswith("861"):
        return value[2:]
    return value


def user_display(user) -> str:
    """How allauth names a user in messages: their real name, not the phone."""
    return user.display_name


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "phone_password_mismatch": PHONE_PASSWORD_MISMATCH,
        "email_password_mismatch": EMAIL_PASSWORD_MISMATCH,
        # No username login: anything neither email nor phone lands here.
        "username_password_mismatch": LOGIN_PASSWORD_MISMATCH,
        "invalid_login": LOGIN_PASSWORD_MISMATCH,
        "incorrect_code": INCORRECT_CODE,
        "too_many_login_attempts": TOO_MANY_ATTEMPTS,
        "rate_limited": TOO_MANY_REQUESTS,
    }

    def is_open_for_signup(self, request) -> bool:
        return settings.ACCOUNT_SIGNUP_OPEN

    # --- Phone support (allauth asks the project where the phone lives) ---

    def phone_form_field(self, **kwargs):
        from .forms import PhoneField

        return PhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return normalise_phone(phone)

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = normalise_phone(phone)
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user) -> tuple[str, bool] | None:
        if user.phone:
            return user.phone, user.phone_verified
        return None

    def set_phone_verified(self, user, phone: str) -> None:
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone: str):
        # Inactive users are found too: allauth needs the truth for its
        # uniqueness checks, and refuses inactive users when they log in.
        phone = normalise_phone(phone)
        if not phone:
            return None
        return User.objects.filter(phone=phone).first()

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs):
        minutes = app_settings.PHONE_VERIFICATION_TIMEOUT // 60
        send_sms(phone, str(SMS_CODE_MESSAGE) % {"code": code, "minutes": minutes})

    # --- Rate limits ---

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth 65.21 keys failed logins by email or username only, so every
        # phone login would share one counter: five typos anywhere would lock
        # out all phone users. Key by whichever login was given.
        site = get_current_site(request)
        login = (
            credentials.get("email")
            or credentials.get("phone")
            or credentials.get("username")
            or ""
        )
        if credentials.get("phone") and not credentials.get("email"):
            login = normalise_phone(login)
        return f"{site.domain}:{login.lower()}"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # WeChat links to an existing, imported account; it never creates one.
        return False
