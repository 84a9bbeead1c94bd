from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .audit import ScopedLogEntry
from .models import PersonalDataAccessLog, Teacher
from .permissions import ReadOnlyPermissionPolicy, ScopedPermissionPolicy

# Policies first: Wagtail creates a fallback policy the first time it is asked
# about a model, after which registering one is refused.
# exact_class: Teacher must not inherit the User policy of wagtail.users.
register_permission_policy(
    Teacher, ScopedPermissionPolicy(Teacher, schools=["school"]), exact_class=True
)
register_permission_policy(
    PersonalDataAccessLog,
    ReadOnlyPermissionPolicy(PersonalDataAccessLog, users=["user"]),
)


@hooks.register("register_log_actions")
def log_teachers_in_scope(actions):
    # Edits of teachers are history only their region's reviewers may read.
    actions.register_model(Teacher, ScopedLogEntry)


@hooks.register("register_admin_viewset")
def register_access_log():
    from .viewsets import AccessLogViewSet

    return AccessLogViewSet()
