"""Forms for login, login by code and account activation (allauth underneath)."""

from allauth.account import forms as allauth_forms
from allauth.account.internal.userkit import filter_users_by_email
from allauth.core import context, ratelimit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .adapters import INCORRECT_CODE, TOO_MANY_REQUESTS, normalise_phone
from .models import User
from .validators import phone_validator

PHONE_TAKEN = _(
    "This mobile phone number belongs to another account. If it is yours, "
    "please contact your school."
)
LOGIN_NOT_PHONE_OR_EMAIL = _(
    "Enter an 11-digit mobile phone number or an email address."
)


class PhoneField(forms.CharField):
    """An 11-digit mainland mobile number; +86, spaces and dashes are dropped."""

    default_validators = [phone_validator]

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Mobile phone"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "type": "tel",
                    "autocomplete": "tel-national",
                    "inputmode": "numeric",
                    "placeholder": _("11-digit mobile number"),
                }
            ),
        )
        kwargs.pop("validators", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_phone(super().to_python(value))


def split_login(value: str) -> tuple[str, str]:
    """('email', address) or ('phone', 11 digits) for what a user typed."""
    value = (value or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        pass
    else:
        return "email", value.lower()
    phone = normalise_phone(value)
    try:
        phone_validator(phone)
    except ValidationError:
        raise ValidationError(LOGIN_NOT_PHONE_OR_EMAIL, code="invalid_login") from None
    return "phone", phone


def active_user_for(kind: str, value: str) -> User | None:
    """The active user owning this phone or email, or None (never says which)."""
    if kind == "phone":
        return User.objects.filter(phone=value, is_active=True).first()
    users = filter_users_by_email(
        value, is_active=True, prefer_verified=True, for_login=True
    )
    return users[0] if users else None


def _login_widget():
    return forms.TextInput(
        attrs={
            "autocomplete": "username",
            "placeholder": _("Mobile phone or email"),
            "autocapitalize": "none",
            "spellcheck": "false",
        }
    )


class LoginForm(allauth_forms.LoginForm):
    """allauth's login form, labelled for phone or email."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Mobile phone or email")
        login.widget = _login_widget()
        login.error_messages["required"] = _(
            "Please enter your mobile phone number or email."
        )
        password = self.fields["password"]
        # The page links to password reset and activation itself.
        password.help_text = ""
        password.widget.attrs["placeholder"] = ""
        password.error_messages["required"] = _("Please enter your password.")


class RequestLoginCodeForm(forms.Form):
    """One field, phone or email, for allauth's login by code.

    Replaces allauth's two-field form; keeps its contract (cleaned ``email`` or
    ``phone`` and ``_user``). Inactive users are treated as unknown, so no code
    is sent to them, and the response is the same for unknown logins.
    """

    login = forms.CharField(label=_("Mobile phone or email"), widget=_login_widget())

    _user: User | None = None

    def clean_login(self) -> str:
        kind, value = split_login(self.cleaned_data["login"])
        if not ratelimit.consume(
            context.request, action="request_login_code", key=value
        ):
            raise ValidationError(TOO_MANY_REQUESTS, code="rate_limited")
        self._user = active_user_for(kind, value)
        self.cleaned_data[kind] = value
        return value


class RequestActivationCodeForm(forms.Form):
    login = forms.CharField(
        label=_("Mobile phone or email"),
        help_text=_("The mobile phone number or email your school gave the bureau."),
        widget=_login_widget(),
    )

    def clean_login(self) -> str:
        self.kind, value = split_login(self.cleaned_data["login"])
        return value


class ConfirmCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "placeholder": _("6-digit code"),
            }
        ),
    )

    def __init__(self, *args, check=None, **kwargs) -> None:
        self._check = check
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if self._check is None or not self._check(code):
            raise ValidationError(INCORRECT_CODE, code="incorrect_code")
        return code


class _NumericCodeMixin:
    """Codes are digits: phones should show the number pad."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"inputmode": "numeric", "placeholder": _("6-digit code")}
        )


class ConfirmLoginCodeForm(_NumericCodeMixin, allauth_forms.ConfirmLoginCodeForm):
    pass


class ConfirmPasswordResetCodeForm(
    _NumericCodeMixin, allauth_forms.ConfirmPasswordResetCodeForm
):
    pass


class VerifyPhoneForm(_NumericCodeMixin, allauth_forms.VerifyPhoneForm):
    pass


class ChangePhoneForm(allauth_forms.ChangePhoneForm):
    """allauth's phone change, refusing a number another account holds.

    allauth 65.21 notes the clash but still texts a code to that number, and
    verifying it would then break the unique constraint. Only logged-in users
    reach this form (and it is rate limited), so saying so reveals little.
    """

    def clean_phone(self) -> str:
        phone = super().clean_phone()
        if self.account_already_exists:
            raise ValidationError(PHONE_TAKEN, code="phone_taken")
        return phone


class SetPasswordForm(allauth_forms.ResetPasswordKeyForm):
    """New password twice, checked by Django's validators against ``user``."""


# Django 5.2 changed this message's msgid and its zh_Hans catalog has no
# translation yet; naming it here puts it in our catalog, which Django's
# MinimumLengthValidator then uses.
_MIN_LENGTH_MESSAGE = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
