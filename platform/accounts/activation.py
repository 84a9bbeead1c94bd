"""Account activation by code: first login of imported teachers, or a new password.

The roster import creates teachers with an unusable password. A teacher proves
they own the phone (or email) on file with a one-time code, then sets a
password and is logged in; a code sent by SMS also marks the phone verified.
The same flow serves anyone who forgot their password but has their phone.

Built on allauth's code-verification process: the code is random (the
adapter's generator), expires (``ACCOUNT_PHONE_VERIFICATION_TIMEOUT``),
allows ``MAX_ATTEMPTS`` tries, and requests are rate limited
(``ACCOUNT_RATE_LIMITS["request_activation_code"]``). The session keeps only a
keyed digest of the code. Unknown and inactive logins get the same response
as real ones, and nothing is sent.
"""

import time

from allauth.account import app_settings
from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.code_verification import (
    AbstractCodeVerificationProcess,
)
from allauth.account.internal.flows.email_verification import (
    verify_email_indirectly,
)
from allauth.account.internal.flows.login import perform_login, record_authentication
from allauth.account.models import Login
from allauth.core.internal.cryptokit import normalize_user_code
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare, salted_hmac

SESSION_KEY = "accounts_activation"
MAX_ATTEMPTS = 5
_DIGEST_SALT = "accounts.activation.code"


def _digest(code: str) -> str:
    return salted_hmac(_DIGEST_SALT, normalize_user_code(code)).hexdigest()


class ActivationProcess(AbstractCodeVerificationProcess):
    def __init__(self, request: HttpRequest, state: dict, user=None) -> None:
        self.request = request
        super().__init__(
            max_attempts=MAX_ATTEMPTS,
            timeout=app_settings.PHONE_VERIFICATION_TIMEOUT,
            state=state,
            user=user,
        )

    # --- state in the session ---

    def persist(self) -> None:
        self.request.session[SESSION_KEY] = self.state

    def abort(self) -> None:
        self.request.session.pop(SESSION_KEY, None)

    @property
    def recipient(self) -> str:
        return self.state.get("phone") or self.state.get("email") or ""

    @property
    def code_confirmed(self) -> bool:
        return bool(self.state.get("code_confirmed"))

    @property
    def next_url(self) -> str | None:
        return self.state.get("next")

    # --- the code ---

    def send(self) -> None:
        user = self.user
        if user is None:
            return  # Unknown or inactive: same response, nothing sent.
        adapter = get_adapter(self.request)
        phone, email = self.state.get("phone"), self.state.get("email")
        if phone:
            code = adapter.generate_phone_verification_code(user=user, phone=phone)
            adapter.send_verification_code_sms(user=user, phone=phone, code=code)
        else:
            code = adapter.generate_login_code()
            adapter.send_mail(
                "accounts/email/activation_code",
                email,
                {
                    "request": self.request,
                    "user": user,
                    "code": code,
                    "minutes": self.timeout // 60,
                },
            )
        self.state["code_digest"] = _digest(code)

    def check_code(self, code: str) -> bool:
        expected = self.state.get("code_digest")
        return bool(expected) and constant_time_compare(_digest(code), expected)

    def confirm_code(self) -> None:
        """The code was right: the password step gets a fresh time window."""
        self.state.pop("code_digest", None)
        self.state["code_confirmed"] = True
        self.state["at"] = time.time()
        self.persist()

    # --- the end ---

    def finish(self, password: str) -> HttpResponse | None:
        """Set the password, mark the channel verified, log the user in."""
        user = self.user
        self.abort()
        if user is None or not user.is_active or not self.code_confirmed:
            return None
        adapter = get_adapter(self.request)
        adapter.set_password(user, password)
        phone, email = self.state.get("phone"), self.state.get("email")
        if phone:
            adapter.set_phone_verified(user, phone)
        if email:
            verify_email_indirectly(self.request, user, email)
        record_authentication(
            self.request, user, method="code", phone=phone, email=email
        )
        login = Login(user=user, redirect_url=self.next_url, email=email)
        return perform_login(self.request, login)

    # --- starting and resuming ---

    @classmethod
    def initiate(
        cls,
        *,
        request: HttpRequest,
        user,
        phone: str | None = None,
        email: str | None = None,
        next_url: str | None = None,
    ) -> "ActivationProcess":
        state = cls.initial_state(user=user, phone=phone, email=email)
        if next_url:
            state["next"] = next_url
        process = cls(request, state=state, user=user)
        process.send()
        process.persist()
        return process

    @classmethod
    def resume(cls, request: HttpRequest) -> "ActivationProcess | None":
        state = request.session.get(SESSION_KEY)
        if not state:
            return None
        return cls(request, state=state).abort_if_invalid()
