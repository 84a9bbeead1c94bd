from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Programmes, courses, enrolment, progress, the credit-hour ledger."""

    name = "courses"
    verbose_name = _("Training")
    default_auto_field = "django.db.models.BigAutoField"
