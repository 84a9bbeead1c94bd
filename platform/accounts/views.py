"""Profile, account activation and the admin login redirect.

Login, logout, login by code, password reset and phone/email changes are
allauth's views, restyled by the templates in this app.
"""

from allauth.account import app_settings
from allauth.account.utils import get_next_redirect_url
from allauth.core import ratelimit
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .activation import ActivationProcess
from .adapters import TOO_MANY_ATTEMPTS, TOO_MANY_REQUESTS
from .forms import (
    ConfirmCodeForm,
    RequestActivationCodeForm,
    SetPasswordForm,
    active_user_for,
)
from .models import User
from .roles import Role

CODE_SENT = _(
    "If %(login)s is on the roster, a verification code is on its way. "
    "It is valid for %(minutes)s minutes."
)
ACTIVATION_EXPIRED = _(
    "The verification code has expired or was used up. Please request a new one."
)
ACTIVATION_FAILED = _("This account cannot be activated. Please contact your school.")
ACTIVATED = _("Your password is set and you are logged in.")


def _role_labels(user) -> list[str]:
    labels = dict(Role.choices)
    return [str(labels[g.name]) for g in user.groups.all() if g.name in labels]


def weixin_configured(request) -> bool:
    """Whether a WeChat app is set up (settings or a SocialApp row)."""
    return bool(get_social_adapter().list_apps(request, provider="weixin"))


@login_required
def profile(request):
    user = (
        User.objects.select_related("school", "school__region", "region")
        .prefetch_related("subjects", "stages", "honours", "groups")
        .get(pk=request.user.pk)
    )
    return render(
        request,
        "accounts/profile.html",
        {
            "profile": user,
            "role_labels": _role_labels(user),
            "weixin_enabled": weixin_configured(request),
        },
    )


def admin_login(request):
    """Wagtail's /admin/login/ goes to the site's one login page."""
    next_url = get_next_redirect_url(request) or reverse("wagtailadmin_home")
    if request.user.has_perm("wagtailadmin.access_admin"):
        return redirect(next_url)
    query = urlencode({REDIRECT_FIELD_NAME: next_url})
    return redirect(f"{reverse('account_login')}?{query}")


# --- Activation ---------------------------------------------------------------


@never_cache
def activate(request):
    """Step 1: the teacher names their phone or email; a code goes out."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    initial = {"login": request.GET.get("login", "")}
    form = RequestActivationCodeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data["login"]
        if not ratelimit.consume(request, action="request_activation_code", key=value):
            form.add_error("login", TOO_MANY_REQUESTS)
        else:
            ActivationProcess.initiate(
                request=request,
                user=active_user_for(form.kind, value),
                next_url=get_next_redirect_url(request) or reverse("accounts:profile"),
                **{form.kind: value},
            )
            minutes = app_settings.PHONE_VERIFICATION_TIMEOUT // 60
            messages.info(request, CODE_SENT % {"login": value, "minutes": minutes})
            return redirect("accounts:activate_code")
    return render(request, "accounts/activate.html", {"form": form})


@never_cache
def activate_code(request):
    """Step 2: the code from the SMS or email."""
    process = ActivationProcess.resume(request)
    if process is None:
        messages.error(request, ACTIVATION_EXPIRED)
        return redirect("accounts:activate")
    if process.code_confirmed:
        return redirect("accounts:activate_password")
    restart_url = (
        reverse("accounts:activate") + "?" + urlencode({"login": process.recipient})
    )
    form = ConfirmCodeForm(request.POST or None, check=process.check_code)
    if request.method == "POST":
        if form.is_valid():
            process.confirm_code()
            return redirect("accounts:activate_password")
        if not process.record_invalid_attempt():
            messages.error(request, TOO_MANY_ATTEMPTS)
            return redirect(restart_url)
    return render(
        request,
        "accounts/activate_code.html",
        {
            "form": form,
            "recipient": process.recipient,
            "by_phone": bool(process.state.get("phone")),
            "restart_url": restart_url,
        },
    )


@never_cache
@sensitive_post_parameters("password1", "password2")
def activate_password(request):
    """Step 3: a new password; then the teacher is logged in."""
    process = ActivationProcess.resume(request)
    if process is None or not process.code_confirmed:
        messages.error(request, ACTIVATION_EXPIRED)
        return redirect("accounts:activate")
    user = process.user
    if user is None or not user.is_active:
        process.abort()
        messages.error(request, ACTIVATION_FAILED)
        return redirect("account_login")
    form = SetPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        response = process.finish(form.cleaned_data["password1"])
        messages.success(request, ACTIVATED)
        return response or redirect("accounts:profile")
    return render(request, "accounts/activate_password.html", {"form": form})
