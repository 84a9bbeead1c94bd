"""Admin menu entries appear only to users holding their permission."""

import pytest
from django.test import RequestFactory
from wagtail import hooks

from accounts.factories import UserFactory
from accounts.roles import Role
from accounts.scoped_admin import PermissionMenuItem

pytestmark = pytest.mark.django_db

GATED = {
    "register_admin_menu_item": {"roster-import"},
    "register_training_menu_item": {
        "training-approvals",
        "training-enrolment",
        "training-ledger-import",
        "training-coverage",
    },
    "register_pairing_menu_item": {"pairing-coverage"},
}


def gated_items():
    items = {}
    for hook, names in GATED.items():
        for fn in hooks.get_hooks(hook):
            item = fn()
            if getattr(item, "name", None) in names:
                items[item.name] = item
    return items


def shown(user, item) -> bool:
    request = RequestFactory().get("/admin/")
    request.user = user
    return item.is_shown(request)


def test_every_gated_entry_uses_the_shared_item():
    items = gated_items()
    assert set(items) == set().union(*GATED.values())
    assert all(isinstance(i, PermissionMenuItem) for i in items.values())


def test_reviewer_sees_them_and_a_teacher_does_not(county):
    reviewer = UserFactory(region=county, roles=[Role.REVIEWER])
    teacher = UserFactory(roles=[Role.RURAL_TEACHER])
    items = gated_items()
    assert shown(reviewer, items["roster-import"])
    assert shown(reviewer, items["pairing-coverage"])
    assert not any(shown(teacher, item) for item in items.values())
