"""Training programmes (培训项目): the business record the catalog presents.

A programme's facts — level, year, audience, hours, dates, enrolment window,
seats, per-school quotas and the approval chain — live here, not on the
catalog's pages, so that enrolment rules never depend on a page revision.
Courses, enrolments and waitlists hang off :class:`Programme`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.search import index

from schools.models import ReferenceItem, Region, School

LEVEL_REGION_MISMATCH = _(
    "A %(level)s programme belongs to a %(region_level)s-level bureau."
)
SCHOOL_REQUIRED = _("A school-based programme names the school that runs it.")
SCHOOL_OUTSIDE_REGION = _("The school must lie in the programme's region.")
ENDS_BEFORE_STARTS = _("The programme cannot end before it starts.")
WINDOW_REVERSED = _("Enrolment must open before it closes.")
QUOTAS_EXCEED_SEATS = _(
    "The per-school quotas add up to %(total)s, more than the %(seats)s seats."
)


class Level(models.TextChoices):
    """The five-level training system (五级教师培训体系)."""

    NATIONAL = "national", _("National (国培)")
    PROVINCIAL = "provincial", _("Provincial (省培)")
    MUNICIPAL = "municipal", _("Municipal (市培)")
    COUNTY = "county", _("County (县培)")
    SCHOOL = "school", _("School-based (校培)")

    @classmethod
    def owner_region_level(cls, level: str) -> int:
        """The level of bureau that runs (and edits) programmes of ``level``."""
        return {
            cls.NATIONAL: Region.Level.PROVINCE,
            cls.PROVINCIAL: Region.Level.PROVINCE,
            cls.MUNICIPAL: Region.Level.CITY,
            cls.COUNTY: Region.Level.COUNTY,
            cls.SCHOOL: Region.Level.COUNTY,
        }[level]


# Chinese words people search programmes by, beyond their titles. Fixed
# strings, not translations: they match the Chinese text being indexed.
LEVEL_KEYWORDS = {
    "national": "国培 国培计划 国家级",
    "provincial": "省培 省级",
    "municipal": "市培 市级",
    "county": "县培 县级",
    "school": "校培 校本研修",
}
MODE_KEYWORDS = {
    "online": "线上 网络研修",
    "on_site": "线下 集中面授",
    "blended": "混合式",
}
RURAL_CATEGORIES = frozenset({"township", "village", "teaching_point"})


class Mode(models.TextChoices):
    ONLINE = "online", _("Online")
    ON_SITE = "on_site", _("On site")
    BLENDED = "blended", _("Blended")


class ApprovalChain(models.TextChoices):
    """Who approves an application, in order, before the teacher is admitted."""

    NONE = "none", _("No approval: admitted at once")
    SCHOOL = "school", _("School admin")
    BUREAU = "bureau", _("Bureau")
    SCHOOL_BUREAU = "school_bureau", _("School admin, then bureau")

    @classmethod
    def steps(cls, chain: str) -> tuple[str, ...]:
        """The approval steps of ``chain`` in order ("school", "bureau")."""
        return {
            cls.NONE: (),
            cls.SCHOOL: ("school",),
            cls.BUREAU: ("bureau",),
            cls.SCHOOL_BUREAU: ("school", "bureau"),
        }[chain]


class SchoolCategory(ReferenceItem):
    """School categories a programme is for; codes are ``School.Category``'s."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("school category")
        verbose_name_plural = _("school categories")


class TargetRole(ReferenceItem):
    """Whom a programme trains: teachers, backbone teachers, principals, mentors."""

    TEACHER = "teacher"
    BACKBONE = "backbone"
    PRINCIPAL = "principal"
    MENTOR = "mentor"

    class Meta(ReferenceItem.Meta):
        verbose_name = _("target role")
        verbose_name_plural = _("target roles")


class Programme(index.Indexed, ClusterableModel):
    """A training programme (培训项目) of one level, year and owning bureau."""

    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    organiser = models.CharField(_("organiser"), max_length=100)
    # The bureau that owns the programme: its scope decides who may see and
    # edit the record in the admin, and it bounds who may enrol.
    region = models.ForeignKey(
        Region,
        verbose_name=_("owning region"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        help_text=_("For school-based training: the school that runs it."),
    )
    summary = models.TextField(_("summary"), max_length=500, blank=True)

    # Target audience. An empty list means "any".
    stages = models.ManyToManyField(
        "schools.Stage", verbose_name=_("school stages"), blank=True
    )
    subjects = models.ManyToManyField(
        "schools.Subject", verbose_name=_("subjects"), blank=True
    )
    school_categories = models.ManyToManyField(
        SchoolCategory, verbose_name=_("school categories"), blank=True
    )
    roles = models.ManyToManyField(
        TargetRole, verbose_name=_("target roles"), blank=True
    )
    rural_backbone_share = models.PositiveSmallIntegerField(
        _("share reserved for rural backbone teachers (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Share of the seats kept for backbone teachers of rural schools; "
            "0 for no priority."
        ),
    )

    credit_hours = models.DecimalField(
        _("credit hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    enrol_opens_at = models.DateTimeField(_("enrolment opens"))
    enrol_closes_at = models.DateTimeField(_("enrolment closes"))
    seats = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    location = models.CharField(_("location"), max_length=200, blank=True)
    approval_chain = models.CharField(
        _("approval"),
        max_length=16,
        choices=ApprovalChain.choices,
        default=ApprovalChain.SCHOOL_BUREAU,
        help_text=_(
            "Who approves applications before a teacher is admitted. A seat is "
            "held while an application awaits approval."
        ),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("organiser"),
        index.SearchField("summary"),
        index.SearchField("location"),
        index.SearchField("search_keywords"),
        index.RelatedFields("subjects", [index.SearchField("name_zh")]),
        index.RelatedFields("stages", [index.SearchField("name_zh")]),
        index.FilterField("level"),
        index.FilterField("year"),
        index.FilterField("region"),
    ]

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        ordering = ["-year", "-starts_on", "pk"]
        indexes = [
            models.Index(fields=["level", "year"]),
            models.Index(fields=["enrol_opens_at", "enrol_closes_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(enrol_closes_at__gt=models.F("enrol_opens_at")),
                name="programme_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(rural_backbone_share__lte=100),
                name="programme_share_percent",
            ),
            models.CheckConstraint(
                condition=Q(level__in=Level.values), name="programme_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(approval_chain__in=ApprovalChain.values),
                name="programme_approval_chain_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.year}）"

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = ENDS_BEFORE_STARTS
        if (
            self.enrol_opens_at
            and self.enrol_closes_at
            and self.enrol_closes_at <= self.enrol_opens_at
        ):
            errors["enrol_closes_at"] = WINDOW_REVERSED
        region = self.region if self.region_id else None
        if region is not None and self.level in Level.values:
            wanted = Level.owner_region_level(self.level)
            if region.level != wanted:
                errors["region"] = LEVEL_REGION_MISMATCH % {
                    "level": Level(self.level).label,
                    "region_level": Region.Level(wanted).label,
                }
        if self.level == Level.SCHOOL and not self.school_id:
            errors["school"] = SCHOOL_REQUIRED
        if (
            self.school_id
            and region is not None
            and not self.school.region.path.startswith(region.path)
        ):
            errors["school"] = SCHOOL_OUTSIDE_REGION
        if errors:
            raise ValidationError(errors)

    def search_keywords(self) -> str:
        """Level, mode and "rural" words, so that 国培, 线上 or 乡村 find it."""
        words = [LEVEL_KEYWORDS.get(self.level, ""), MODE_KEYWORDS.get(self.mode, "")]
        if self.pk is not None and (
            self.rural_backbone_share
            or any(c.code in RURAL_CATEGORIES for c in self.school_categories.all())
        ):
            words.append("乡村 农村")
        return " ".join(w for w in words if w)

    @property
    def reserved_seats(self) -> int:
        """Seats kept for rural backbone teachers (rounded down)."""
        return self.seats * self.rural_backbone_share // 100

    @property
    def approval_steps(self) -> tuple[str, ...]:
        return ApprovalChain.steps(self.approval_chain)


class ProgrammeQuota(models.Model):
    """Seats of a programme allotted to one school (名额)."""

    programme = ParentalKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="quotas",
    )
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="programme_quotas",
    )
    seats = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("school quota")
        verbose_name_plural = _("school quotas")
        ordering = ["school__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "school"], name="programme_quota_unique_school"
            ),
            models.CheckConstraint(
                condition=Q(seats__gte=1), name="programme_quota_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.seats}"
