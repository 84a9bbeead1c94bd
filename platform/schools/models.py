"""Regions, schools, studios, the reference lists they use, roster imports."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .validators import division_code_validator, school_code_validator


class ReferenceItem(models.Model):
    """A row of a small fixed list (subjects, stages, honours) with both names.

    Roster spreadsheets name these in Chinese, so ``name_zh`` is what imports
    match on; ``__str__`` follows the active language.
    """

    code = models.SlugField(_("code"), max_length=32, primary_key=True)
    name_zh = models.CharField(_("Chinese name"), max_length=32, unique=True)
    name_en = models.CharField(_("English name"), max_length=64)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        lang = get_language() or ""
        return self.name_en if lang.startswith("en") else self.name_zh


class Subject(ReferenceItem):
    # 国培 stresses shortage subjects: PE, music, art, English, science,
    # comprehensive practice (DOMAIN.md).
    is_shortage = models.BooleanField(_("shortage subject"), default=False)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")


class Stage(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("school stage")
        verbose_name_plural = _("school stages")


class Region(models.Model):
    """An administrative division: province > city > county > township.

    ``path`` holds the codes from the province down ("/510000/510600/510623/"),
    so everything inside a region is one indexed prefix query.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        CITY = 2, _("City")
        COUNTY = 3, _("County")
        TOWNSHIP = 4, _("Township")

    code = models.CharField(
        _("division code"),
        max_length=12,
        unique=True,
        validators=[division_code_validator],
    )
    name = models.CharField(_("name"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4),
                name="region_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is None and self.level != self.Level.PROVINCE:
            raise ValidationError({"parent": _("Only a province has no parent.")})
        if self.parent is not None and self.parent.level >= self.level:
            raise ValidationError(
                {"parent": _("The parent must be a higher-level region.")}
            )
        if self.level == self.Level.TOWNSHIP and len(self.code) == 6:
            raise ValidationError({"code": _("A township code has 9 or 12 digits.")})
        if self.level != self.Level.TOWNSHIP and len(self.code) != 6:
            raise ValidationError(
                {"code": _("Province, city and county codes have 6 digits.")}
            )

    def build_path(self) -> str:
        prefix = self.parent.path if self.parent is not None else "/"
        return f"{prefix}{self.code}/"

    def contains(self, other: "Region") -> bool:
        return other.path.startswith(self.path)


class School(models.Model):
    class Category(models.TextChoices):
        URBAN = "urban", _("Urban school")
        TOWNSHIP = "township", _("Township school")
        VILLAGE = "village", _("Village school")
        TEACHING_POINT = "teaching_point", _("Teaching point")

    class UrbanRural(models.TextChoices):
        # 城乡分类代码 of the national statistics bureau.
        MAIN_URBAN = "111", _("111 Main urban area")
        URBAN_FRINGE = "112", _("112 Urban-rural fringe")
        TOWN_CENTRE = "121", _("121 Town centre")
        TOWN_FRINGE = "122", _("122 Town-village fringe")
        SPECIAL_AREA = "123", _("123 Special area")
        TOWNSHIP_CENTRE = "210", _("210 Township centre")
        VILLAGE = "220", _("220 Village")

    code = models.CharField(
        _("school identifier code"),
        max_length=10,
        unique=True,
        validators=[school_code_validator],
    )
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="schools",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    urban_rural_code = models.CharField(
        _("urban-rural code"), max_length=3, choices=UrbanRural.choices
    )
    stages = models.ManyToManyField(Stage, verbose_name=_("stages"), blank=True)
    is_weak = models.BooleanField(_("weak school"), default=False)
    student_count = models.PositiveIntegerField(_("students"), default=0)
    teacher_count = models.PositiveIntegerField(_("teachers"), default=0)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["code"]
        indexes = [models.Index(fields=["region", "category"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_rural(self) -> bool:
        """Rural by the statistics bureau's code (2xx), as pairing and 国培 use."""
        return self.urban_rural_code.startswith("2")


class Studio(models.Model):
    """A famous-teacher or famous-principal studio (名师工作室 / 名校长工作室)."""

    class Kind(models.TextChoices):
        TEACHER = "teacher", _("Famous-teacher studio")
        PRINCIPAL = "principal", _("Famous-principal studio")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.TEACHER
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="led_studios",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        blank=True,
        related_name="studios",
    )
    subjects = models.ManyToManyField(Subject, verbose_name=_("subjects"), blank=True)
    host_school = models.ForeignKey(
        School,
        verbose_name=_("host school"),
        on_delete=models.PROTECT,
        related_name="studios",
    )
    description = models.TextField(_("description"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("studio")
        verbose_name_plural = _("studios")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _import_upload_to(instance: "ImportJob", filename: str) -> str:
    # A random name: rosters hold personal data, so their URLs must not be
    # guessable; the original name is kept in ImportJob.filename.
    suffix = Path(filename).suffix.lower()[:8]
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ImportJob(models.Model):
    """An uploaded roster on its way from the file to the database.

    uploaded -> validating -> invalid | ready -> applying -> done | failed.
    The file is read again when applied, so what is written is checked against
    the database as it is then.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATING = "validating", _("Checking")
        INVALID = "invalid", _("Has errors")
        READY = "ready", _("Ready to import")
        APPLYING = "applying", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    ERRORS_KEPT = 1000

    file = models.FileField(_("file"), upload_to=_import_upload_to, max_length=200)
    filename = models.CharField(_("file name"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    # What the job is doing now: a step name (see services.IMPORT_STEPS).
    message = models.CharField(_("step"), max_length=200, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    # The first ERRORS_KEPT errors as RowError.as_dict(); error_count has all.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("number of errors"), default=0)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="importjob_progress_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.VALIDATING, self.Status.APPLYING)
