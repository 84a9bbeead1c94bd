"""Certificates (培训结业证书): issued when an enrolment completes.

What the certificate says is copied onto the row when it is issued, so a
later change of the programme or the teacher's name does not change a
certificate already printed. The public verification page looks a
certificate up by its number (printed and in the QR code).
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enrolment import Enrolment
from .programmes import Level, Programme


def _pdf_upload_to(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:8] or ".pdf"
    return f"certificates/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Certificate(models.Model):
    number = models.CharField(_("certificate number"), max_length=24, unique=True)
    # Erasing a person (PIPL) erases their certificates with their enrolments.
    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="certificate",
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    teacher_name = models.CharField(_("name on the certificate"), max_length=50)
    school_name = models.CharField(_("school"), max_length=100, blank=True)
    programme_title = models.CharField(_("programme"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    organiser = models.CharField(_("organiser"), max_length=100)
    hours = models.DecimalField(_("credit hours"), max_digits=6, decimal_places=1)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    issued_on = models.DateField(_("issued on"))
    pdf = models.FileField(
        _("PDF"), upload_to=_pdf_upload_to, blank=True, max_length=200
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
