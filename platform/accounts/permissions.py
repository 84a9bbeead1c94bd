"""Permission policies for the bureau's admin screens.

Django's model permissions (given to each role's group by migration) say
*what* a user may do; the region scope in :mod:`accounts.selectors` says *to
which rows*. Wagtail asks a model's policy both questions, so the policies
here combine them: a county reviewer may change schools, but only those of
their county.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.functional import cached_property
from wagtail.permission_policies import ModelPermissionPolicy

from .roles import Role
from .selectors import scope_queryset, user_scope


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions from the user's groups, limited to the user's scope.

    ``regions``, ``schools`` and ``users`` are the lookups that
    :func:`accounts.selectors.scope_queryset` follows from this model.
    """

    def __init__(self, model, *, regions=(), schools=(), users=(), auth_model=None):
        super().__init__(model, auth_model=auth_model)
        self.lookups = {
            "regions": tuple(regions),
            "schools": tuple(schools),
            "users": tuple(users),
        }

    @cached_property
    def _content_type(self):
        # A proxy model (accounts.Teacher) has permissions of its own, hung on
        # its own content type rather than the concrete model's.
        return ContentType.objects.get_for_model(
            self.auth_model, for_concrete_model=False
        )

    def scope(self, queryset: QuerySet, user) -> QuerySet:
        """``queryset`` limited to the rows ``user`` may see."""
        return scope_queryset(queryset, user=user, **self.lookups)

    def in_scope(self, user, instance) -> bool:
        if instance.pk is None:
            return True  # not saved yet: the form's choices keep it in scope
        if user_scope(user).everything:
            return True
        rows = self.model._default_manager.filter(pk=instance.pk)
        return self.scope(rows, user).exists()

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        return self.user_has_permission(user, action) and self.in_scope(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return self.user_has_any_permission(user, actions) and self.in_scope(
            user, instance
        )

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        manager = self.model._default_manager
        if not self.user_has_any_permission(user, actions):
            return manager.none()
        return self.scope(manager.all(), user)

    def users_with_any_permission_for_instance(self, actions, instance) -> QuerySet:
        # Rarely asked (notifications); correct rather than fast.
        candidates = self.users_with_any_permission(actions)
        allowed = [
            u.pk
            for u in candidates
            if self.user_has_any_permission_for_instance(u, actions, instance)
        ]
        return get_user_model().objects.filter(pk__in=allowed)


class ReadOnlyPermissionPolicy(ScopedPermissionPolicy):
    """Rows that nobody changes through the admin (audit logs): view only."""

    def user_has_permission(self, user, action) -> bool:
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions) -> bool:
        return "view" in actions and self.user_has_permission(user, "view")

    def users_with_any_permission(self, actions) -> QuerySet:
        if "view" not in actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(["view"])


def can_see_full_phone(viewer, teacher) -> bool:
    """PIPL: phones are masked unless the viewer's role needs them.

    Platform admins and the admin of the teacher's own school see them in
    full; bureau reviewers see them masked.
    """
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return False
    if viewer.pk == teacher.pk or viewer.is_platform_admin:
        return True
    return (
        viewer.has_role(Role.SCHOOL_ADMIN)
        and viewer.school_id is not None
        and viewer.school_id == teacher.school_id
    )


def can_see_id_number(viewer) -> bool:
    """Only platform admins see even the masked resident ID number."""
    return bool(
        viewer is not None
        and viewer.is_authenticated
        and viewer.is_active
        and viewer.is_platform_admin
    )
