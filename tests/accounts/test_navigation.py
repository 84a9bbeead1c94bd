"""Each role sees its own navigation; the profile page shows the user's own data."""

import re

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.roles import Role

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


def nav_keys(client) -> list[str]:
    html = client.get(PROFILE).content.decode()
    header = html.split("</header>")[0]
    return re.findall(r'data-nav="([^"]+)"', header)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.RURAL_TEACHER, ["my_learning", "profile"]),
        (Role.MENTOR, ["my_learning", "my_studio", "my_pairings", "profile"]),
        (
            Role.SCHOOL_ADMIN,
            ["my_learning", "my_school", "school_training", "my_pairings", "profile"],
        ),
        (Role.REVIEWER, ["profile", "admin"]),
        (Role.PLATFORM_ADMIN, ["profile", "admin"]),
    ],
)
def test_navigation_per_role(client, school, county, role, expected):
    user = UserFactory(school=school, region=county, roles=[role])
    client.force_login(user)
    assert nav_keys(client) == expected


def test_navigation_urls_and_chinese_labels(client, school):
    admin = UserFactory(school=school, roles=[Role.SCHOOL_ADMIN])
    client.force_login(admin)
    html = client.get(PROFILE).content.decode()
    assert (
        f'<a href="{reverse("schools:my_school")}" data-nav="my_school">本校教师</a>'
        in html
    )
    assert "个人资料" in html


def test_reviewer_sees_admin_entry_in_chinese(client, reviewer):
    client.force_login(reviewer)
    html = client.get(PROFILE).content.decode()
    assert (
        f'<a href="{reverse("wagtailadmin_home")}" data-nav="admin">管理后台</a>'
        in html
    )


def test_school_admin_without_school_gets_no_school_entry(client):
    client.force_login(UserFactory(roles=[Role.SCHOOL_ADMIN]))
    assert nav_keys(client) == ["profile"]


def test_several_roles_add_up(client, school, county):
    user = UserFactory(
        school=school, region=county, roles=[Role.MENTOR, Role.SCHOOL_ADMIN]
    )
    client.force_login(user)
    assert nav_keys(client) == [
        "my_learning",
        "my_school",
        "school_training",
        "my_studio",
        "my_pairings",
        "profile",
    ]


def test_anonymous_sees_only_login(client):
    html = client.get(reverse("account_login")).content.decode()
    header = html.split("</header>")[0]
    assert re.findall(r'data-nav="([^"]+)"', header) == ["login"]


def test_inactive_user_gets_no_role_entries(school):
    from accounts.navigation import items_for

    user = UserFactory(school=school, roles=[Role.SCHOOL_ADMIN], is_active=False)
    # An inactive user is never logged in, but the registry must not leak
    # role entries even if asked.
    assert [i["key"] for i in items_for(user)] == ["profile"]


# --- Profile ----------------------------------------------------------------------


def test_profile_requires_login(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={PROFILE}"


def test_profile_shows_own_data_and_role_labels(client, school):
    user = UserFactory(
        real_name="张伟",
        phone="13811112222",
        phone_verified=True,
        email="zhang.wei@example.cn",
        school=school,
        roles=[Role.MENTOR, Role.SCHOOL_ADMIN],
    )
    client.force_login(user)
    html = client.get(PROFILE).content.decode()
    assert "张伟" in html
    assert "13811112222" in html  # one's own phone, unmasked
    assert "zhang.wei@example.cn" in html
    roles = re.search(r'<dd data-field="roles">(.*?)</dd>', html).group(1)
    assert set(roles.split("、")) == {
        str(Role.MENTOR.label),
        str(Role.SCHOOL_ADMIN.label),
    }
    assert "school_admin" not in roles and "mentor" not in roles
    assert school.name in html
    assert school.region.name in html
    for name in [
        "account_change_password",
        "account_change_phone",
        "account_email",
    ]:
        assert reverse(name) in html


def test_profile_shows_weixin_link_only_when_configured(client, school, settings):
    client.force_login(UserFactory(school=school))
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert (
        reverse("socialaccount_connections") not in client.get(PROFILE).content.decode()
    )
    settings.SOCIALACCOUNT_PROVIDERS = {
        "weixin": {"APPS": [{"client_id": "wx123", "secret": "s"}]}
    }
    html = client.get(PROFILE).content.decode()
    assert reverse("socialaccount_connections") in html
    connections = client.get(reverse("socialaccount_connections")).content.decode()
    assert "绑定微信" in connections


def test_imported_teacher_is_offered_to_set_not_change_password(client, school):
    user = UserFactory(school=school)
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    html = client.get(PROFILE).content.decode()
    assert "设置密码" in html
    response = client.get(reverse("account_change_password"))
    assert response["Location"] == reverse("account_set_password")
