from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .navigation import NavItem, register
        from .roles import Role

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
