from wagtail import hooks
from wagtail.permissions import register_permission_policy

from accounts.permissions import ScopedPermissionPolicy

from .models import Programme

# Policies first: Wagtail creates a fallback policy the first time it is asked
# about a model, after which registering one is refused. A programme belongs
# to its owning region's bureau (and the bureaus above it).
register_permission_policy(
    Programme, ScopedPermissionPolicy(Programme, regions=["region"])
)


@hooks.register("register_admin_viewset")
def register_programme_admin():
    from .viewsets import ProgrammeViewSet

    return ProgrammeViewSet()


@hooks.register("register_admin_viewset")
def register_programme_chooser():
    from .viewsets import ProgrammeChooserViewSet

    return ProgrammeChooserViewSet()
