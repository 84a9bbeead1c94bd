from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .navigation import NavItem, register
        from .roles import Role

        # Pages of the schools app (built there) appear once their URLs exist:
        # navigation.items_for skips names that do not reverse.
        register(
            NavItem(
                "my_school",
                _("Teachers of my school"),
                "schools:my_school",
                roles=frozenset({Role.SCHOOL_ADMIN}),
                order=40,
                # Not for platform admins, who see every role's entries:
                # "my school" needs the role and a school.
                visible=lambda u: u.has_role(Role.SCHOOL_ADMIN) and bool(u.school_id),
            )
        )
        register(
            NavItem(
                "my_studio",
                _("My studio"),
                "schools:my_studio",
                roles=frozenset({Role.MENTOR}),
                order=45,
                visible=lambda u: u.has_role(Role.MENTOR),
            )
        )
        register(NavItem("profile", _("My profile"), "accounts:profile", order=90))
        register(
            NavItem(
                "admin",
                _("Bureau admin"),
                "wagtailadmin_home",
                roles=frozenset({Role.REVIEWER, Role.PLATFORM_ADMIN}),
                order=95,
            )
        )
