"""Login on the public site: phone or email plus password, codes, admin, limits."""

import re

import pytest
from allauth.socialaccount.models import SocialApp
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts import sms
from accounts.factories import UserFactory
from accounts.models import User
from accounts.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LOGIN_URL = "/accounts/login/"

# A small limit so the test reaches it quickly; everything else unlimited.
FAILED_LOGIN_LIMIT = {"login_failed": "100/m/ip,3/5m/key"}


@pytest.fixture(autouse=True)
def _clean_slate():
    # Rate-limit counters live in the cache; SMS in the locmem outbox.
    cache.clear()
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def teacher(school):
    return UserFactory(
        username="13912345678",
        phone="13912345678",
        phone_verified=True,
        email="li.hua@example.cn",
        real_name="李华",
        school=school,
        roles=[Role.RURAL_TEACHER],
    )


def login(client, login_value, password=PASSWORD, **extra):
    return client.post(LOGIN_URL, {"login": login_value, "password": password, **extra})


def logged_in_user(client):
    response = client.get(reverse("accounts:profile"))
    return response.wsgi_request.user if response.status_code == 200 else None


def sms_code(phone: str) -> str:
    message = [m for m in sms.outbox if m["phone"] == phone][-1]["message"]
    return re.search(r"\b(\d{6})\b", message).group(1)


# --- The page -------------------------------------------------------------------


def test_login_page_is_chinese_with_labels_and_links(client):
    response = client.get(LOGIN_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "<h1>登录</h1>" in html
    # Every visible input has a label tied to it.
    assert '<label for="id_login">手机号或邮箱</label>' in html
    assert '<label for="id_password">密码</label>' in html
    assert reverse("accounts:activate") in html
    assert "激活账号" in html
    assert reverse("account_request_login_code") in html
    assert reverse("account_reset_password") in html
    # Signup is closed: no link to it.
    assert reverse("account_signup") not in html


# --- Password login -------------------------------------------------------------


def test_login_with_phone_and_password(client, teacher):
    response = login(client, "13912345678")
    assert response.status_code == 302
    assert logged_in_user(client) == teacher


def test_login_with_phone_typed_with_country_code_and_spaces(client, teacher):
    response = login(client, "+86 139 1234 5678")
    assert response.status_code == 302
    assert logged_in_user(client) == teacher


def test_login_with_email_and_password(client, teacher):
    response = login(client, "Li.Hua@example.cn")
    assert response.status_code == 302
    assert logged_in_user(client) == teacher


def test_wrong_password_is_refused_in_chinese(client, teacher):
    response = login(client, "13912345678", password="wrong-password")
    assert response.status_code == 200
    assert "手机号或密码不正确。" in response.content.decode()
    assert logged_in_user(client) is None


def test_wrong_email_password_is_refused_in_chinese(client, teacher):
    response = login(client, "li.hua@example.cn", password="wrong-password")
    assert "邮箱或密码不正确。" in response.content.decode()
    assert logged_in_user(client) is None


def test_imported_teacher_without_password_cannot_log_in_with_one(client, school):
    imported = UserFactory(username="13700000001", phone="13700000001", school=school)
    imported.set_unusable_password()
    imported.save()
    response = login(client, "13700000001", password="")
    assert response.status_code == 200
    assert logged_in_user(client) is None


def test_inactive_user_is_refused(client, teacher):
    teacher.is_active = False
    teacher.save()
    response = login(client, "13912345678")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_inactive")
    assert logged_in_user(client) is None
    page = client.get(response["Location"]).content.decode()
    assert "账号已停用" in page


def test_unverified_phone_is_verified_by_sms_at_first_login(client, teacher):
    teacher.phone_verified = False
    teacher.save()
    response = login(client, "13912345678")
    assert response["Location"] == reverse("account_verify_phone")
    assert logged_in_user(client) is None
    response = client.post(
        reverse("account_verify_phone"), {"code": sms_code("13912345678")}
    )
    assert logged_in_user(client) == teacher
    teacher.refresh_from_db()
    assert teacher.phone_verified


def test_logout(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert logged_in_user(client) is None


def test_header_shows_login_link_then_logout(client, teacher):
    html = client.get(reverse("accounts:activate")).content.decode()
    assert 'data-nav="login"' in html
    client.force_login(teacher)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'data-nav="login"' not in html
    assert f'action="{reverse("account_logout")}"' in html


# --- Login by code --------------------------------------------------------------


def test_login_by_code_sent_by_sms(client, teacher):
    response = client.post(
        reverse("account_request_login_code"), {"login": "13912345678"}
    )
    assert response["Location"] == reverse("account_confirm_login_code")
    assert len(sms.outbox) == 1
    assert "验证码" in sms.outbox[0]["message"]
    assert logged_in_user(client) is None

    response = client.post(
        reverse("account_confirm_login_code"), {"code": sms_code("13912345678")}
    )
    assert response.status_code == 302
    assert logged_in_user(client) == teacher


def test_login_by_code_sent_by_email(client, teacher):
    client.post(reverse("account_request_login_code"), {"login": "li.hua@example.cn"})
    assert len(mail.outbox) == 1
    code = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)
    client.post(reverse("account_confirm_login_code"), {"code": code})
    assert logged_in_user(client) == teacher


def test_login_by_code_wrong_code_is_refused_in_chinese(client, teacher):
    client.post(reverse("account_request_login_code"), {"login": "13912345678"})
    wrong = "000000" if sms_code("13912345678") != "000000" else "111111"
    response = client.post(reverse("account_confirm_login_code"), {"code": wrong})
    assert "验证码不正确。" in response.content.decode()
    assert logged_in_user(client) is None


def test_login_by_code_for_unknown_or_inactive_phone_sends_nothing(client, teacher):
    teacher.is_active = False
    teacher.save()
    for phone in ["13912345678", "13800000000"]:
        response = client.post(reverse("account_request_login_code"), {"login": phone})
        # Same answer as for a real account: on to the code page.
        assert response["Location"] == reverse("account_confirm_login_code")
    assert sms.outbox == []


def test_login_by_code_rejects_garbage_in_chinese(client):
    response = client.post(reverse("account_request_login_code"), {"login": "abc"})
    assert "请输入 11 位手机号或电子邮箱。" in response.content.decode()


def test_sms_code_requests_are_rate_limited(teacher, settings):
    settings.ACCOUNT_RATE_LIMITS = {"request_login_code": "100/m/ip,2/m/key"}
    url = reverse("account_request_login_code")
    # Fresh sessions each time, as separate visitors (or an attacker) would be.
    for _ in range(2):
        Client().post(url, {"login": "13912345678"})
    response = Client().post(url, {"login": "13912345678"})
    assert response.status_code == 200
    assert "请求过于频繁，请几分钟后再试。" in response.content.decode()
    assert len(sms.outbox) == 2


# --- Password reset by code -----------------------------------------------------


def test_password_reset_by_email_code(client, teacher):
    response = client.post(
        reverse("account_reset_password"), {"email": "li.hua@example.cn"}
    )
    assert response["Location"] == reverse("account_confirm_password_reset_code")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    response = client.post(
        reverse("account_confirm_password_reset_code"), {"code": code}
    )
    assert response["Location"] == reverse("account_complete_password_reset")
    response = client.post(
        reverse("account_complete_password_reset"),
        {"password1": "new-Pa55word-2024", "password2": "new-Pa55word-2024"},
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password("new-Pa55word-2024")
    client.logout()
    login(client, "13912345678", password="new-Pa55word-2024")
    assert logged_in_user(client) == teacher


def test_password_reset_page_points_phone_users_to_activation(client):
    html = client.get(reverse("account_reset_password")).content.decode()
    assert "重设密码" in html
    assert reverse("accounts:activate") in html


# --- Rate limit on failed logins -----------------------------------------------


def test_failed_logins_beyond_the_limit_are_refused_in_chinese(
    client, teacher, settings
):
    settings.ACCOUNT_RATE_LIMITS = FAILED_LOGIN_LIMIT
    for _ in range(3):
        response = login(client, "13912345678", password="wrong")
        assert "手机号或密码不正确。" in response.content.decode()
    # The 4th attempt is refused even with the right password.
    response = login(client, "13912345678")
    assert "尝试次数过多，请几分钟后再试。" in response.content.decode()
    assert logged_in_user(client) is None


def test_failed_logins_for_one_phone_do_not_lock_out_another(
    client, teacher, school, settings
):
    settings.ACCOUNT_RATE_LIMITS = FAILED_LOGIN_LIMIT
    UserFactory(username="13900000002", phone="13900000002", school=school)
    for _ in range(3):
        login(client, "13900000002", password="wrong")
    login(client, "13912345678")
    assert logged_in_user(client) == teacher


# --- Wagtail admin login ---------------------------------------------------------


def test_admin_login_goes_to_site_login(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=%2Fadmin%2Fpages%2F"
    response = client.get("/admin/")
    assert response["Location"] == f"{LOGIN_URL}?next=/admin/"


def test_reviewer_lands_back_in_admin_after_login(client, reviewer):
    # The reviewer role grants admin access (accounts migration 0004).
    reviewer.phone_verified = True
    reviewer.save()
    location = client.get("/admin/")["Location"]
    assert location.startswith(LOGIN_URL)
    response = client.post(
        location, {"login": reviewer.phone, "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_teacher_cannot_enter_admin_and_is_told_why(client, teacher):
    login(client, "13912345678")
    response = client.get("/admin/", follow=True)
    # Back to the login form with Wagtail's message, not a redirect loop.
    assert response.status_code == 200
    assert len(response.redirect_chain) == 1
    html = response.content.decode()
    assert "<h1>登录</h1>" in html
    assert "您没有权限访问管理后台" in html


# --- WeChat ---------------------------------------------------------------------


def test_weixin_button_hidden_without_configuration(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert "微信登录" not in client.get(LOGIN_URL).content.decode()


def test_weixin_button_shown_when_configured_in_settings(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "weixin": {"APPS": [{"client_id": "wx123", "secret": "s"}]}
    }
    html = client.get(LOGIN_URL).content.decode()
    assert "微信登录" in html
    assert "/accounts/weixin/login/" in html


def test_weixin_button_shown_when_configured_in_database(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    SocialApp.objects.create(
        provider="weixin", name="微信", client_id="wx1", secret="s"
    )
    assert "微信登录" in client.get(LOGIN_URL).content.decode()


def test_social_signup_is_closed(rf):
    from allauth.socialaccount.models import SocialLogin

    from accounts.adapters import SocialAccountAdapter

    request = rf.get("/")
    assert not SocialAccountAdapter(request).is_open_for_signup(
        request, SocialLogin(user=User())
    )


def test_signup_page_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert "不开放注册" in response.content.decode()
    assert User.objects.count() == 0


# --- Changing the phone (allauth's flow, our adapter) ------------------------------


def test_change_phone_by_sms_code(client, teacher):
    login(client, "13912345678")
    response = client.post(reverse("account_change_phone"), {"phone": "137 0000 1111"})
    assert response["Location"] == reverse("account_verify_phone")
    assert [m["phone"] for m in sms.outbox] == ["13700001111"]
    client.post(reverse("account_verify_phone"), {"code": sms_code("13700001111")})
    teacher.refresh_from_db()
    assert (teacher.phone, teacher.phone_verified) == ("13700001111", True)


def test_change_phone_to_a_taken_number_changes_nothing(client, teacher, school):
    UserFactory(phone="13700001111", school=school, is_active=False)
    login(client, "13912345678")
    response = client.post(reverse("account_change_phone"), {"phone": "13700001111"})
    assert response.status_code == 200
    assert "该手机号已被其他账号使用" in response.content.decode()
    # No code goes to someone else's phone.
    assert sms.outbox == []
    teacher.refresh_from_db()
    assert teacher.phone == "13912345678"


def _weixin_login(rf, openid: str):
    """What allauth has after WeChat's OAuth callback (the network part skipped)."""
    from allauth.core.context import request_context
    from allauth.socialaccount.helpers import complete_social_login
    from allauth.socialaccount.models import SocialAccount, SocialLogin
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/accounts/weixin/login/callback/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)
    account = SocialAccount(provider="weixin", uid=openid, extra_data={})
    sociallogin = SocialLogin(account=account, user=User())
    sociallogin.state = {"process": "login"}
    with request_context(request):
        return request, complete_social_login(request, sociallogin)


def test_weixin_login_for_an_unconnected_wechat_creates_no_account(rf, teacher):
    _, response = _weixin_login(rf, "o-stranger")
    html = response.content.decode()
    assert "不开放注册" in html
    assert "绑定微信" in html
    assert User.objects.count() == 1


def test_weixin_login_for_a_connected_wechat_logs_the_teacher_in(rf, teacher):
    from allauth.socialaccount.models import SocialAccount

    SocialAccount.objects.create(user=teacher, provider="weixin", uid="o-lihua")
    request, response = _weixin_login(rf, "o-lihua")
    assert response.status_code == 302
    assert request.user == teacher
