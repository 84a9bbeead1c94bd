from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairingConfig(AppConfig):
    """Pairings, matching, activities, live lessons, reports, evaluations."""

    name = "pairing"
    verbose_name = _("Pairing")
    default_auto_field = "django.db.models.BigAutoField"
