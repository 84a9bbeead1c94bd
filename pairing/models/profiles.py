"""Need and helper profiles, and the configured cross-region links."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from schools.models import Region, School, Stage, Studio, Subject

from .common import NO_HELPER, SAME_REGION_LINK, Level, Priority

# --- Profiles -----------------------------------------------------------------


class NeedProfile(ClusterableModel):
    """What a rural school needs (需什么送什么): matching starts here."""

    class Connectivity(models.TextChoices):
        NONE = "none", _("No usable connection")
        WEAK = "weak", _("Weak: recordings only")
        BROADBAND = "broadband", _("Broadband: can join live lessons")
        CLASSROOM = "classroom", _("Classroom equipped for live lessons")

    school = models.OneToOneField(
        School,
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="need_profile",
    )
    connectivity = models.CharField(
        _("connectivity for live lessons"),
        max_length=12,
        choices=Connectivity.choices,
        default=Connectivity.BROADBAND,
    )
    live_classrooms = models.PositiveSmallIntegerField(
        _("classrooms able to join live lessons"), default=0
    )
    needs_on_site = models.BooleanField(
        _("help must come on site"),
        default=True,
        help_text=_(
            "Teaching delivered to the countryside: only helpers within their "
            "travel distance are proposed."
        ),
    )
    development_needs = models.TextField(
        _("teacher development needs"),
        blank=True,
        help_text=_("E.g. classroom teaching, lesson research, class management."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("need profile")
        verbose_name_plural = _("need profiles")
        ordering = ["school__code"]

    def __str__(self) -> str:
        return str(self.school)

    @property
    def need_list(self) -> str:
        """The needs in one line (prefetch ``needs__subject``, ``needs__stage``)."""
        return "、".join(
            f"{n.stage}{n.subject}（{n.get_priority_display()}）"
            for n in self.needs.all()
        )


class Need(models.Model):
    """A subject at a stage the school cannot staff or cannot teach well."""

    class Kind(models.TextChoices):
        NO_TEACHER = "no_teacher", _("Cannot staff")
        WEAK = "weak", _("Cannot teach well")

    profile = ParentalKey(
        NeedProfile,
        verbose_name=_("need profile"),
        on_delete=models.CASCADE,
        related_name="needs",
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.WEAK
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-priority", "stage__sort_order", "subject__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "subject", "stage"], name="need_unique_per_profile"
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=5), name="need_priority_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage}{self.subject}"


HELPER_KINDS = {
    "school": _("School"),
    "studio": _("Studio"),
    "teacher": _("Mentor teacher"),
}


class HelperProfile(ClusterableModel):
    """What a helper offers: an urban school, a studio or a mentor teacher."""

    school = models.OneToOneField(
        School,
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="helper_profile",
    )
    studio = models.OneToOneField(
        Studio,
        verbose_name=_("studio"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="helper_profile",
    )
    mentor = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor teacher"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="helper_profile",
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity (N of 1+N)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("How many partners this helper can support at the same time."),
    )
    travels = models.BooleanField(
        _("willing to travel"),
        default=True,
        help_text=_("Willing to deliver teaching on site in the countryside."),
    )
    max_travel_km = models.PositiveIntegerField(
        _("travel limit (km)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )
    accepting = models.BooleanField(
        _("accepting new partners"),
        default=True,
        help_text=_("Helpers not accepting are left out of new matching runs."),
    )
    description = models.TextField(_("what we offer"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("helper profile")
        verbose_name_plural = _("helper profiles")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(school__isnull=False, studio__isnull=True, mentor__isnull=True)
                    | Q(school__isnull=True, studio__isnull=False, mentor__isnull=True)
                    | Q(school__isnull=True, studio__isnull=True, mentor__isnull=False)
                ),
                name="helperprofile_exactly_one_helper",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="helperprofile_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(self.helper)

    @property
    def helper(self):
        return self.school or self.studio or self.mentor

    @property
    def helper_kind(self) -> str:
        if self.school_id:
            return "school"
        return "studio" if self.studio_id else "teacher"

    @property
    def kind_label(self) -> str:
        return str(HELPER_KINDS[self.helper_kind])

    def clean(self) -> None:
        if (
            sum(x is not None for x in (self.school_id, self.studio_id, self.mentor_id))
            != 1
        ):
            raise ValidationError(NO_HELPER)


class Strength(models.Model):
    profile = ParentalKey(
        HelperProfile,
        verbose_name=_("helper profile"),
        on_delete=models.CASCADE,
        related_name="strengths",
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        _("strength"), choices=Level.choices, default=Level.GOOD
    )

    class Meta:
        verbose_name = _("strength")
        verbose_name_plural = _("strengths")
        ordering = ["-level", "stage__sort_order", "subject__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "subject", "stage"],
                name="strength_unique_per_profile",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="strength_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage}{self.subject}"


class CrossRegionLink(models.Model):
    """A configured cross-region pair: helpers of one region may help the other
    (a Beijing district and a Baoding county; 成都青羊区 and 中江县)."""

    helper_region = models.ForeignKey(
        Region,
        verbose_name=_("helping region"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    partner_region = models.ForeignKey(
        Region,
        verbose_name=_("helped region"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("cross-region link")
        verbose_name_plural = _("cross-region links")
        ordering = ["helper_region__path", "partner_region__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["helper_region", "partner_region"], name="crossregion_unique"
            ),
            models.CheckConstraint(
                condition=~Q(helper_region=models.F("partner_region")),
                name="crossregion_two_regions",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.helper_region} → {self.partner_region}"

    def clean(self) -> None:
        if self.helper_region_id and self.helper_region_id == self.partner_region_id:
            raise ValidationError(SAME_REGION_LINK)
