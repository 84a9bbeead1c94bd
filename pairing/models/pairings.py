"""Pairings, their history, targets, agreements, activities, notifications."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from schools.models import School, Studio

from .common import (
    DATES_INCONSISTENT,
    DUE_OUTSIDE_CYCLE,
    ENDED_BEFORE_START,
    NO_HELPER,
    ActivityType,
    upload_agreement,
    upload_evidence,
    upload_signed,
)

# --- Pairings -----------------------------------------------------------------


class Pairing(ClusterableModel):
    """A helper and one or more partners, for a cycle of three years.

    proposed -> approved -> active -> ended; ended pairings stay as history.
    """

    class Kind(models.TextChoices):
        SCHOOL_SCHOOL = "school_school", _("School with school")
        STUDIO_SCHOOL = "studio_school", _("Studio with school")
        TEACHER_TEACHER = "teacher_teacher", _("Teacher with teacher")

    class Mode(models.TextChoices):
        ONE_ONE = "1+1", _("1+1 (one helps one)")
        ONE_N = "1+N", _("1+N (one helps several)")

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("pairing status", "Proposed")
        APPROVED = "approved", pgettext_lazy("pairing status", "Approved")
        ACTIVE = "active", pgettext_lazy("pairing status", "Active")
        ENDED = "ended", pgettext_lazy("pairing status", "Ended")

    LIVE = (Status.PROPOSED, Status.APPROVED, Status.ACTIVE)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    cross_region = models.BooleanField(_("cross-region"), default=False)
    mode = models.CharField(_("pairing mode"), max_length=4, choices=Mode.choices)
    helper_school = models.ForeignKey(
        School,
        verbose_name=_("helping school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="helper_pairings",
    )
    helper_studio = models.ForeignKey(
        Studio,
        verbose_name=_("helping studio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="helper_pairings",
    )
    helper_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("helping teacher"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="helper_pairings",
    )
    partner_schools = models.ManyToManyField(
        School,
        verbose_name=_("partner schools"),
        blank=True,
        related_name="partner_pairings",
    )
    partner_teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("partner teachers"),
        blank=True,
        related_name="partner_pairings",
    )
    # The helping side's teachers who do the work (and may log activities).
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentors"),
        blank=True,
        related_name="mentored_pairings",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    agreement_pdf = models.FileField(
        _("agreement (PDF)"), upload_to=upload_agreement, max_length=200, blank=True
    )
    agreement_generated_at = models.DateTimeField(
        _("agreement generated"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["status", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        helper_school__isnull=False,
                        helper_studio__isnull=True,
                        helper_teacher__isnull=True,
                    )
                    | Q(
                        helper_school__isnull=True,
                        helper_studio__isnull=False,
                        helper_teacher__isnull=True,
                    )
                    | Q(
                        helper_school__isnull=True,
                        helper_studio__isnull=True,
                        helper_teacher__isnull=False,
                    )
                ),
                name="pairing_exactly_one_helper",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="pairing_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(ended_on__gte=models.F("start_date")),
                name="pairing_ended_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | Q(ended_on__isnull=False),
                name="pairing_ended_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.helper_name} — {self.partner_names}"

    def clean(self) -> None:
        helpers = (self.helper_school_id, self.helper_studio_id, self.helper_teacher_id)
        if sum(x is not None for x in helpers) != 1:
            raise ValidationError(NO_HELPER)
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": DATES_INCONSISTENT})
        if self.ended_on and self.start_date and self.ended_on < self.start_date:
            raise ValidationError({"ended_on": ENDED_BEFORE_START})

    @property
    def helper(self):
        return self.helper_school or self.helper_studio or self.helper_teacher

    @property
    def helper_name(self) -> str:
        helper = self.helper
        if helper is None:
            return ""
        return getattr(helper, "display_name", None) or str(helper)

    @property
    def partners(self) -> list:
        """Partner schools and teachers (prefetch both for lists)."""
        return [*self.partner_schools.all(), *self.partner_teachers.all()]

    @property
    def partner_names(self) -> str:
        return "、".join(
            getattr(p, "display_name", None) or str(p) for p in self.partners
        )

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def cycle_label(self) -> str:
        return f"{self.start_date:%Y.%m}–{self.end_date:%Y.%m}"


class PairingEvent(models.Model):
    """One step in a pairing's history: created, approved, activated, ended ..."""

    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("pairing"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    status_from = models.CharField(
        _("from"), max_length=10, choices=Pairing.Status.choices, blank=True
    )
    status_to = models.CharField(_("to"), max_length=10, choices=Pairing.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pairing event")
        verbose_name_plural = _("pairing events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.pairing_id}: {self.status_from} → {self.status_to}"


class Target(models.Model):
    """A row of the target task book (目标任务书): 定向、定时、定人、定量."""

    class Unit(models.TextChoices):
        TIMES = "times", _("times")
        HOURS = "hours", _("hours")
        PERSON_TIMES = "person_times", _("person-times")
        ITEMS = "items", _("items")

    pairing = ParentalKey(
        Pairing,
        verbose_name=_("pairing"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    indicator = models.CharField(_("indicator"), max_length=200)
    activity_type = models.CharField(
        _("counted from activities of type"),
        max_length=20,
        choices=ActivityType.choices,
        blank=True,
        help_text=_(
            "Progress is counted from logged activities of this type and those "
            "that name this target; leave empty to report progress by hand."
        ),
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1)]
    )
    unit = models.CharField(
        _("unit"), max_length=12, choices=Unit.choices, default=Unit.TIMES
    )
    due_date = models.DateField(_("due date"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pairing_targets",
    )
    reported = models.PositiveIntegerField(
        _("progress reported by hand"), null=True, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["sort_order", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="target_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.quantity} {self.get_unit_display()}"

    def clean(self) -> None:
        pairing = self.pairing if self.pairing_id else None
        if pairing is None or self.due_date is None:
            return
        if not pairing.start_date <= self.due_date <= pairing.end_date:
            raise ValidationError({"due_date": DUE_OUTSIDE_CYCLE})


class SignedAgreement(models.Model):
    """A signed scan of the agreement (帮扶协议书) and target task book."""

    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("pairing"),
        on_delete=models.CASCADE,
        related_name="signed_scans",
    )
    file = models.FileField(_("file"), upload_to=upload_signed, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("signed agreement")
        verbose_name_plural = _("signed agreements")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name


# --- Activities ---------------------------------------------------------------


class Activity(models.Model):
    """Something the pair did together, with its evidence."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Logged by hand")
        LIVE_LESSON = "live_lesson", _("From a live lesson")

    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("pairing"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    type = models.CharField(_("type"), max_length=20, choices=ActivityType.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(200)],
        help_text=_("Credit hours for each participating rural teacher."),
    )
    location = models.CharField(_("place"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    other_participants = models.PositiveIntegerField(
        _("other participants"),
        default=0,
        help_text=_("Students or guests taking part, as a number."),
    )
    targets = models.ManyToManyField(
        Target,
        verbose_name=_("targets served"),
        blank=True,
        related_name="activities",
    )
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.MANUAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["pairing", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0), name="activity_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


class ActivityParticipant(models.Model):
    """A teacher who took part; partner-side hours are what the ledger credits."""

    class Side(models.TextChoices):
        HELPER = "helper", _("Helping side")
        PARTNER = "partner", _("Helped side")

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="pairing_participations",
    )
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "user"], name="participant_once_per_activity"
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0), name="participant_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_side_display()})"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=upload_evidence, max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


# --- Notifications ------------------------------------------------------------


class Notification(models.Model):
    """A short in-site message to one user about a pairing."""

    class Verb(models.TextChoices):
        PAIRING_APPROVED = "pairing_approved", _("A pairing has been approved")
        PAIRING_STARTED = "pairing_started", _("A new pairing has started")
        PAIRING_ENDED = "pairing_ended", _("A pairing has ended")
        AGREEMENT_READY = "agreement_ready", _("The agreement is ready to sign")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="pairing_notifications",
    )
    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("pairing"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    verb = models.CharField(_("what happened"), max_length=20, choices=Verb.choices)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.get_verb_display()}: {self.pairing}"
