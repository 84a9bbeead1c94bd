"""Each role's group holds the admin permissions its work needs, and no more."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from accounts.audit import ScopedLogEntry
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


# Other apps' migrations add their own permissions to these groups, so the
# tests below look at this app's and the schools app's only.
def ours(perms: set[str]) -> set[str]:
    return {p for p in perms if p.split(".")[0] in OUR_APPS}


OUR_APPS = {"accounts", "schools", "wagtailadmin", "auth"}


def test_reviewer_permissions():
    assert ours(codenames(Role.REVIEWER)) == REVIEWER


def test_platform_admin_has_everything_on_accounts_and_schools():
    perms = codenames(Role.PLATFORM_ADMIN)
    assert "wagtailadmin.access_admin" in perms
    for label in ("accounts", "schools"):
        for model in apps.get_app_config(label).get_models():
            if model is ScopedLogEntry:
                continue  # written by Wagtail's admin, never edited
            for action in ("add", "change", "delete", "view"):
                assert f"{label}.{action}_{model._meta.model_name}" in perms
    assert {"accounts.add_user", "accounts.change_user"} <= perms


@pytest.mark.parametrize("role", [Role.SCHOOL_ADMIN, Role.MENTOR, Role.RURAL_TEACHER])
def test_site_roles_have_no_admin_permissions(role):
    assert ours(codenames(role)) == set()
    user = UserFactory(roles=[role])
    assert not user.has_perm("wagtailadmin.access_admin")


def test_has_perm_follows_the_groups(county):
    reviewer = UserFactory(region=county, roles=[Role.REVIEWER])
    assert reviewer.has_perm("schools.change_school")
    assert not reviewer.has_perm("schools.delete_school")
    assert not reviewer.has_perm("schools.change_region")
    assert not reviewer.has_perm("accounts.change_user")


def _migration_and_its_apps():
    """The data migration and the models as they stood when it ran."""
    name = "0004_role_permissions"
    migration = importlib.import_module(f"accounts.migrations.{name}")
    loader = MigrationLoader(connection)
    state = loader.project_state(("accounts", name), at_end=True)
    return migration, state.apps


def test_migration_runs_again_without_changes():
    migration, state_apps = _migration_and_its_apps()
    before = {role: codenames(role) for role in Role}
    migration.grant(state_apps, None)
    assert {role: codenames(role) for role in Role} == before


def test_migration_reverses():
    migration, state_apps = _migration_and_its_apps()
    migration.revoke(state_apps, None)
    assert ours(codenames(Role.REVIEWER)) <= {"schools.add_importjob"}  # 0005's
    admin_perms = codenames(Role.PLATFORM_ADMIN)
    assert "wagtailadmin.access_admin" not in admin_perms
    assert "schools.change_school" not in admin_perms
    migration.grant(state_apps, None)
    assert ours(codenames(Role.REVIEWER)) == REVIEWER
