"""Each role's group holds the admin permissions its work needs, and no more."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from accounts.factories import UserFactory
from accounts.roles import Role

pytestmark = pytest.mark.django_db

REVIEWER = {
    "wagtailadmin.access_admin",
    "schools.view_school",
    "schools.add_school",
    "schools.change_school",
    "schools.view_studio",
    "schools.add_studio",
    "schools.change_studio",
    "schools.view_region",
    "accounts.view_teacher",
    "accounts.add_teacher",
    "accounts.change_teacher",
    "schools.add_importjob",
}


def codenames(role: Role) -> set[str]:
    group = Group.objects.get(name=role.value)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
        # Wagtail's own migrations hand "choose" permissions to every group.
        if not p.codename.startswith("choose_")
    }


def test_reviewer_permissions():
    assert codenames(Role.REVIEWER) == REVIEWER


def test_platform_admin_has_everything_on_accounts_and_schools():
    perms = codenames(Role.PLATFORM_ADMIN)
    assert "wagtailadmin.access_admin" in perms
    for label in ("accounts", "schools"):
        for model in apps.get_app_config(label).get_models():
            for action in ("add", "change", "delete", "view"):
                assert f"{label}.{action}_{model._meta.model_name}" in perms
    assert {"accounts.add_user", "accounts.change_user"} <= perms


@pytest.mark.parametrize("role", [Role.SCHOOL_ADMIN, Role.MENTOR, Role.RURAL_TEACHER])
def test_site_roles_have_no_admin_permissions(role):
    assert codenames(role) == set()
    user = UserFactory(roles=[role])
    assert not user.has_perm("wagtailadmin.access_admin")


def test_has_perm_follows_the_groups(county):
    reviewer = UserFactory(region=county, roles=[Role.REVIEWER])
    assert reviewer.has_perm("schools.change_school")
    assert not reviewer.has_perm("schools.delete_school")
    assert not reviewer.has_perm("schools.change_region")
    assert not reviewer.has_perm("accounts.change_user")


def test_migration_runs_again_without_changes():
    migration = importlib.import_module("accounts.migrations.0004_role_permissions")
    before = {role: codenames(role) for role in Role}
    migration.grant(apps, None)
    assert {role: codenames(role) for role in Role} == before


def test_migration_reverses():
    migration = importlib.import_module("accounts.migrations.0004_role_permissions")
    migration.revoke(apps, None)
    assert codenames(Role.REVIEWER) == set()
    migration.grant(apps, None)
    assert codenames(Role.REVIEWER) == REVIEWER
