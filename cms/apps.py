from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.navigation import NavItem, register

        from . import signals  # noqa: F401  (connects the receivers)
        from .navigation import training_index_url

        # 培训项目 for everyone, anonymous visitors included; hidden until a
        # training index page is published.
        register(
            NavItem(
                "catalog",
                _("Training programmes"),
                url=training_index_url,
                public=True,
                order=10,
            )
        )
