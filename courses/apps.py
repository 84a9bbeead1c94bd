from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _teaches(user) -> bool:
    """Staff of a school in a teaching role (not bureau or platform staff)."""
    from accounts.roles import Role  # noqa: PLC0415

    roles = (Role.RURAL_TEACHER, Role.MENTOR, Role.SCHOOL_ADMIN)
    return bool(user.school_id) and any(user.has_role(r) for r in roles)


def _runs_a_school(user) -> bool:
    from accounts.roles import Role  # noqa: PLC0415

    return bool(user.school_id) and user.has_role(Role.SCHOOL_ADMIN)


class CoursesConfig(AppConfig):
    """Programmes, courses, enrolment, progress, the credit-hour ledger."""

    name = "courses"
    verbose_name = _("Training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.navigation import NavItem, register
        from accounts.roles import Role

        register(
            NavItem(
                "my_learning",
                _("My learning"),
                "courses:my_learning",
                roles=frozenset({Role.RURAL_TEACHER, Role.MENTOR, Role.SCHOOL_ADMIN}),
                order=20,
                visible=_teaches,
            )
        )
        register(
            NavItem(
                "school_training",
                _("School training"),
                "courses:school_training",
                roles=frozenset({Role.SCHOOL_ADMIN}),
                order=42,
                visible=_runs_a_school,
            )
        )
