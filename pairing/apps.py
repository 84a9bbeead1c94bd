from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairingConfig(AppConfig):
    """Pairings, matching, activities, live lessons, reports, evaluations."""

    name = "pairing"
    verbose_name = _("Pairing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.navigation import NavItem, register
        from accounts.roles import Role

        register(
            NavItem(
                "my_pairings",
                _("My pairings"),
                "pairing:mine",
                roles=frozenset({Role.MENTOR, Role.SCHOOL_ADMIN}),
                order=50,
                # Not for platform admins, who see every role's entries: the
                # page is for the people doing the pairing work.
                visible=lambda u: (
                    u.has_role(Role.MENTOR)
                    or (u.has_role(Role.SCHOOL_ADMIN) and bool(u.school_id))
                ),
            )
        )
