from wagtail import hooks
from wagtail.permissions import register_permission_policy

from accounts.audit import ScopedLogEntry
from accounts.permissions import ScopedPermissionPolicy

from . import import_hooks  # noqa: F401  (roster import screens, helper A)
from .models import Region, School, Studio

# Policies first: Wagtail creates a fallback policy the first time it is asked
# about a model, after which registering one is refused.
register_permission_policy(Region, ScopedPermissionPolicy(Region, regions=["pk"]))
register_permission_policy(School, ScopedPermissionPolicy(School, regions=["region"]))
# A studio belongs to its host school's bureau.
register_permission_policy(
    Studio, ScopedPermissionPolicy(Studio, schools=["host_school"])
)


@hooks.register("register_log_actions")
def log_in_scope(actions):
    # Admin history of these rows is read only inside the reader's scope.
    for model in (Region, School, Studio):
        actions.register_model(model, ScopedLogEntry)


@hooks.register("register_admin_viewset")
def register_schools_admin():
    from .viewsets import SchoolsAdminGroup

    return SchoolsAdminGroup()
