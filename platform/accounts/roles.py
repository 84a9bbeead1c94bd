"""The platform's roles. Each is a Django group created by migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RURAL_TEACHER = "rural_teacher", _("Rural teacher")
    MENTOR = "mentor", _("Mentor teacher")
    SCHOOL_ADMIN = "school_admin", _("School admin")
    REVIEWER = "bureau_reviewer", _("Bureau reviewer")
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")
