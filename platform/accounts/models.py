"""The platform's user: a teacher, mentor, school admin or bureau reviewer."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from schools.models import ReferenceItem

from .privacy import mask_phone
from .roles import Role
from .validators import phone_validator


class Honour(ReferenceItem):
    """特级教师, 学科带头人, 骨干教师, 教学能手 ... (a teacher may hold several)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("honour")
        verbose_name_plural = _("honours")


class User(AbstractUser):
    class Title(models.TextChoices):
        # 职称 of primary and secondary teachers since the 2015 reform.
        SENIOR_PROFESSOR = "zgj", _("Senior teacher, professor level")
        SENIOR = "gj", _("Senior teacher")
        FIRST = "yj", _("First-grade teacher")
        SECOND = "ej", _("Second-grade teacher")
        THIRD = "sj", _("Third-grade teacher")
        NONE = "wd", _("Not yet graded")

    real_name = models.CharField(_("real name"), max_length=50, blank=True)
    phone = models.CharField(
        _("mobile phone"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[phone_validator],
    )
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    id_number_digest = models.CharField(
        _("ID number digest"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    id_number_masked = models.CharField(
        _("ID number (masked)"), max_length=18, blank=True, editable=False
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    # Bureau users (reviewers, editors) act within a region and everything below.
    region = models.ForeignKey(
        "schools.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bureau_users",
    )
    subjects = models.ManyToManyField(
        "schools.Subject",
        verbose_name=_("subjects"),
        blank=True,
        related_name="teachers",
    )
    stages = models.ManyToManyField(
        "schools.Stage",
        verbose_name=_("stages taught"),
        blank=True,
        related_name="teachers",
    )
    title = models.CharField(
        _("professional title"), max_length=8, choices=Title.choices, blank=True
    )
    honours = models.ManyToManyField(
        Honour, verbose_name=_("honours"), blank=True, related_name="holders"
    )
    years_of_teaching = models.PositiveSmallIntegerField(
        _("years of teaching"), null=True, blank=True
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_ci",
            ),
        ]
        indexes = [models.Index(fields=["school", "is_active"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = self.real_name or self.get_full_name()
        if name:
            return name
        # Imported accounts use the phone as username: never show it in full
        # where a name is expected (lists, admin history, exports).
        if self.phone and self.username == self.phone:
            return mask_phone(self.username)
        return self.username

    def get_short_name(self) -> str:
        return self.display_name

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The user's role codes, read once per request (groups are prefetched)."""
        if not self.is_authenticated or not self.is_active:
            return frozenset()
        return frozenset(g.name for g in self.groups.all())

    def has_role(self, role: Role) -> bool:
        return role.value in self.role_names

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser or self.has_role(Role.PLATFORM_ADMIN)


class TeacherProxyManager(UserManager):
    # A UserManager, because AbstractUser.clean() normalizes the email through
    # the class's manager; left out of migrations, it only narrows the rows.
    use_in_migrations = False

    def get_queryset(self):
        return super().get_queryset().filter(school__isnull=False)


class Teacher(User):
    """School staff as the bureau's roster sees them (own admin permissions)."""

    objects = TeacherProxyManager()

    class Meta:
        proxy = True
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")


class PersonalDataAccessLog(models.Model):
    """Who exported or viewed unmasked personal data, and how much (PIPL)."""

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=50)
    subject = models.CharField(_("what"), max_length=200)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.subject}"


# Registered with Django from here; see accounts.audit for why it exists.
from .audit import ScopedLogEntry  # noqa: E402, F401
