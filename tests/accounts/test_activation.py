"""Activation of imported teachers: phone or email -> code -> password -> logged in."""

import re
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts import activation, sms
from accounts.factories import UserFactory
from accounts.roles import Role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Qiu-Tian-2024!"
START = reverse("accounts:activate")
CODE = reverse("accounts:activate_code")
PASSWORD = reverse("accounts:activate_password")


@pytest.fixture(autouse=True)
def _clean_slate():
    cache.clear()
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def imported(school):
    """A teacher as the roster import leaves them: no password, phone unverified."""
    user = UserFactory(
        username="13512345678",
        phone="13512345678",
        phone_verified=False,
        email="wang.fang@example.cn",
        real_name="王芳",
        school=school,
        roles=[Role.RURAL_TEACHER],
    )
    user.set_unusable_password()
    user.save()
    return user


def current_user(client):
    response = client.get(reverse("accounts:profile"))
    if response.status_code != 200:
        return AnonymousUser()
    return response.wsgi_request.user


def sms_code() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1]["message"]).group(1)


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_activation_end_to_end_by_sms(client, imported):
    page = client.get(START).content.decode()
    assert "<h1>激活账号</h1>" in page
    assert '<label for="id_login">手机号或邮箱</label>' in page

    response = client.post(START, {"login": "135 1234 5678"})
    assert response["Location"] == CODE
    assert [m["phone"] for m in sms.outbox] == ["13512345678"]
    assert "【连心】您的验证码是" in sms.outbox[0]["message"]
    # The session never holds the code itself.
    assert sms_code() not in str(dict(client.session))

    response = client.post(CODE, {"code": sms_code()})
    assert response["Location"] == PASSWORD
    assert current_user(client).is_anonymous

    response = client.post(
        PASSWORD, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert current_user(client) == imported
    imported.refresh_from_db()
    assert imported.phone_verified
    assert imported.check_password(NEW_PASSWORD)

    # And the new password works for a normal login later.
    other = Client()
    other.post(
        reverse("account_login"), {"login": "13512345678", "password": NEW_PASSWORD}
    )
    assert current_user(other) == imported


def test_activation_by_email(client, imported):
    client.post(START, {"login": "Wang.Fang@example.cn"})
    assert sms.outbox == []
    assert mail.outbox[-1].to == ["wang.fang@example.cn"]
    assert "[连心]" in mail.outbox[-1].subject
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    client.post(CODE, {"code": code})
    client.post(PASSWORD, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    imported.refresh_from_db()
    assert imported.check_password(NEW_PASSWORD)
    # The code went to the email, so the phone is still unproven: allauth asks
    # for it by SMS before the login completes.
    assert not imported.phone_verified
    assert current_user(client).is_anonymous
    response = client.get(reverse("account_verify_phone"))
    assert response.status_code == 200
    client.post(reverse("account_verify_phone"), {"code": sms_code()})
    assert current_user(client) == imported


def test_unknown_phone_gets_the_same_answer_and_nothing_is_sent(client, imported):
    known = Client().post(START, {"login": "13512345678"})
    sms.outbox.clear()
    unknown = client.post(START, {"login": "13600000000"})
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    page = client.get(CODE).content.decode()
    assert "如果 13600000000 已登记在花名册上" in page
    assert sms.outbox == [] and mail.outbox == []
    # No code can ever be right.
    for guess in ["000000", "123456"]:
        assert "验证码不正确。" in client.post(CODE, {"code": guess}).content.decode()


def test_inactive_user_cannot_activate(client, imported):
    imported.is_active = False
    imported.save()
    response = client.post(START, {"login": "13512345678"})
    assert response["Location"] == CODE
    assert sms.outbox == []
    assert client.get(PASSWORD)["Location"] == START


def test_user_deactivated_midway_cannot_finish(client, imported):
    client.post(START, {"login": "13512345678"})
    client.post(CODE, {"code": sms_code()})
    imported.is_active = False
    imported.save()
    response = client.post(
        PASSWORD, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("account_login")
    imported.refresh_from_db()
    assert not imported.has_usable_password()
    assert current_user(client).is_anonymous


def test_wrong_code_is_refused_and_attempts_are_limited(client, imported):
    client.post(START, {"login": "13512345678"})
    right = sms_code()
    for _ in range(activation.MAX_ATTEMPTS - 1):
        response = client.post(CODE, {"code": wrong(right)})
        assert "验证码不正确。" in response.content.decode()
    response = client.post(CODE, {"code": wrong(right)})
    assert response["Location"].startswith(START)
    # The right code no longer helps: the process is gone.
    response = client.post(CODE, {"code": right}, follow=True)
    assert "验证码已过期或已失效，请重新获取。" in response.content.decode()
    assert current_user(client).is_anonymous


def test_code_expires(client, imported, monkeypatch):
    client.post(START, {"login": "13512345678"})
    code = sms_code()
    later = time.time() + 11 * 60
    monkeypatch.setattr(activation.time, "time", lambda: later)
    monkeypatch.setattr(
        "allauth.account.internal.flows.code_verification.time.time", lambda: later
    )
    response = client.post(CODE, {"code": code})
    assert response["Location"] == START
    assert client.get(PASSWORD)["Location"] == START


def test_password_step_needs_a_confirmed_code(client, imported):
    assert client.get(PASSWORD)["Location"] == START
    client.post(START, {"login": "13512345678"})
    assert client.get(PASSWORD)["Location"] == START
    client.post(PASSWORD, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    imported.refresh_from_db()
    assert not imported.has_usable_password()


def test_weak_or_mismatched_password_is_refused_in_chinese(client, imported):
    client.post(START, {"login": "13512345678"})
    client.post(CODE, {"code": sms_code()})
    response = client.post(PASSWORD, {"password1": "123", "password2": "123"})
    html = response.content.decode()
    assert "密码太短，至少需要 8 个字符。" in html
    response = client.post(
        PASSWORD, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}
    )
    assert response.status_code == 200
    imported.refresh_from_db()
    assert not imported.has_usable_password()


def test_code_requests_are_rate_limited_per_phone(imported, settings):
    settings.ACCOUNT_RATE_LIMITS = {"request_activation_code": "100/m/ip,2/10m/key"}
    for _ in range(2):
        Client().post(START, {"login": "13512345678"})
    response = Client().post(START, {"login": "13512345678"})
    assert response.status_code == 200
    assert "请求过于频繁，请几分钟后再试。" in response.content.decode()
    assert len(sms.outbox) == 2
    # An unknown phone is limited the same way, so limits reveal nothing.
    for _ in range(2):
        Client().post(START, {"login": "13600000000"})
    response = Client().post(START, {"login": "13600000000"})
    assert "请求过于频繁，请几分钟后再试。" in response.content.decode()


def test_garbage_login_is_refused_in_chinese(client):
    response = client.post(START, {"login": "wang"})
    assert "请输入 11 位手机号或电子邮箱。" in response.content.decode()


def test_activated_teacher_can_reset_password_the_same_way(client, imported):
    imported.set_password("old-Password-1")
    imported.phone_verified = True
    imported.save()
    client.post(START, {"login": "13512345678"})
    client.post(CODE, {"code": sms_code()})
    client.post(PASSWORD, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    imported.refresh_from_db()
    assert imported.check_password(NEW_PASSWORD)


def test_logged_in_user_is_sent_to_profile(client, imported):
    client.force_login(imported)
    assert client.get(START)["Location"] == reverse("accounts:profile")


def test_login_page_links_to_activation_keeping_next(client):
    html = client.get(reverse("account_login") + "?next=/me/").content.decode()
    assert f'href="{START}?next=/me/"' in html
