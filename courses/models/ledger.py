"""The credit-hour ledger (培训台账): one line per credited piece of training.

A line is written only through :func:`courses.services.ledger_add` (the one
door other apps use). The key ``(teacher, source, ref)`` is unique, so
crediting the same course, live lesson or activity twice leaves one line.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .programmes import Level


def _evidence_upload_to(instance, filename: str) -> str:
    # Random names: evidence may hold personal data; URLs must not be guessable.
    suffix = Path(filename).suffix.lower()[:8]
    return f"ledger/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class LedgerImport(models.Model):
    """One spreadsheet of outside hours, imported all or nothing."""

    filename = models.CharField(_("file name"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported = models.PositiveIntegerField(_("lines imported"), default=0)
    skipped = models.PositiveIntegerField(_("already in the ledger"), default=0)

    class Meta:
        verbose_name = _("import of outside hours")
        verbose_name_plural = _("imports of outside hours")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d})"


class LedgerEntry(models.Model):
    class Source(models.TextChoices):
        COURSE = "course", _("Course completed")
        PROGRAMME = "programme", _("Programme completed")
        LIVE_LESSON = "live_lesson", _("Live lesson attended")
        PAIRING = "pairing", _("Pairing activity")
        OUTSIDE = "outside", _("Outside record")

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="ledger_entries",
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    title = models.CharField(_("training"), max_length=200)
    hours = models.DecimalField(
        _("credit hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )
    date = models.DateField(_("date"))
    # What was credited, as the source names it ("courses.course:12", a
    # national-platform record number): the key that makes crediting idempotent.
    ref = models.CharField(_("source reference"), max_length=120)
    evidence_type = models.ForeignKey(
        ContentType,
        verbose_name=_("evidence type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence_id = models.PositiveBigIntegerField(
        _("evidence id"), null=True, blank=True
    )
    evidence_object = GenericForeignKey("evidence_type", "evidence_id")
    evidence_text = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to=_evidence_upload_to, blank=True, max_length=200
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    batch = models.ForeignKey(
        LedgerImport,
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger line")
        verbose_name_plural = _("training ledger")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "source", "ref"], name="ledger_credit_once"
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0), name="ledger_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(level__in=Level.values), name="ledger_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    source__in=[
                        "course",
                        "programme",
                        "live_lesson",
                        "pairing",
                        "outside",
                    ]
                ),
                name="ledger_source_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["teacher", "date"]),
            models.Index(fields=["date", "teacher"]),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title} {self.hours}"
