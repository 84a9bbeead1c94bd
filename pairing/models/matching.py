"""Matching runs and the proposals they store."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schools.models import Region, School

from .common import CYCLE_YEARS
from .pairings import Pairing
from .profiles import HelperProfile

# --- Matching runs ------------------------------------------------------------


class MatchingRun(models.Model):
    """One run of the matching engine for a region and cycle."""

    class Kind(models.TextChoices):
        SCHOOLS = "schools", _("Schools and studios with rural schools")
        TEACHERS = "teachers", _("Mentor teachers with rural teachers")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="matching_runs",
    )
    kind = models.CharField(
        _("what to match"), max_length=10, choices=Kind.choices, default=Kind.SCHOOLS
    )
    cycle_start = models.DateField(_("cycle starts"))
    cycle_years = models.PositiveSmallIntegerField(
        _("cycle (years)"),
        default=CYCLE_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )
    allow_repeat = models.BooleanField(
        _("allow pairs that ended recently"), default=False
    )
    penalty_per_km = models.FloatField(
        _("distance penalty per km"),
        default=0.01,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Points subtracted per km where help must come on site; 0.01 means "
            "100 km cost as much as one need of priority 1 at strength 1."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    step = models.CharField(_("step"), max_length=20, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # [{partner_id, name, reason, funnel: {...}, candidates: [helper profile ids]}]
    uncovered = models.JSONField(_("uncovered"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="matchingrun_progress_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.cycle_start:%Y} {self.get_kind_display()}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def covered_label(self) -> str:
        if not self.summary:
            return "—"
        return f"{self.summary.get('covered', 0)} / {self.summary.get('to_match', 0)}"


class MatchProposal(models.Model):
    """A (helper, partner) pair the engine proposed, with its explanation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    run = models.ForeignKey(
        MatchingRun,
        verbose_name=_("matching run"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    helper = models.ForeignKey(
        HelperProfile,
        verbose_name=_("helper"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    partner_school = models.ForeignKey(
        School,
        verbose_name=_("partner school"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    partner_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("partner teacher"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    score = models.FloatField(_("score"))
    breakdown = models.JSONField(_("explanation"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Set when a reviewer changed the helper: the engine's own choice.
    proposed_helper = models.ForeignKey(
        HelperProfile,
        verbose_name=_("helper proposed by the engine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Proposals of one run with the same helper join one 1+N pairing.
    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("pairing"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )

    class Meta:
        verbose_name = _("match proposal")
        verbose_name_plural = _("match proposals")
        ordering = ["run", "-score", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partner_school__isnull=False, partner_teacher__isnull=True)
                | Q(partner_school__isnull=True, partner_teacher__isnull=False),
                name="proposal_exactly_one_partner",
            ),
            models.UniqueConstraint(
                fields=["run", "partner_school"],
                condition=Q(partner_school__isnull=False),
                name="proposal_school_once_per_run",
            ),
            models.UniqueConstraint(
                fields=["run", "partner_teacher"],
                condition=Q(partner_teacher__isnull=False),
                name="proposal_teacher_once_per_run",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.helper} → {self.partner}"

    @property
    def partner(self):
        return self.partner_school or self.partner_teacher

    @property
    def adjusted(self) -> bool:
        return self.proposed_helper_id is not None
