"""django-allauth adapters: phone login and SMS codes through accounts.sms."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.utils.translation import gettext as _

from .models import User
from .sms import send_sms


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return settings.ACCOUNT_SIGNUP_OPEN

    # Phone support (allauth asks the project where the phone lives).
    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user) -> tuple[str, bool] | None:
        if user.phone:
            return user.phone, user.phone_verified
        return None

    def set_phone_verified(self, user, phone: str) -> None:
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone: str):
        return User.objects.filter(phone=phone, is_active=True).first()

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs):
        send_sms(
            phone, _("[Lianxin] Your verification code is %(code)s.") % {"code": code}
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # WeChat links to an existing, imported account; it never creates one.
        return False
