"""Courses, modules and lessons; progress, quizzes, assignments, completions.

A programme holds courses; a course holds modules of lessons of six kinds.
A teacher admitted to the programme studies its courses: each lesson has a
progress row, and a course is completed when its rules hold (required
lessons done, a minimum quiz average, a minimum number of live lessons
attended). Completing a course writes one ledger line.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField

from .programmes import Programme

QUIZ_NEEDS_QUESTIONS = _("Write at least two options, one per line.")
QUIZ_NEEDS_CORRECT = _("Mark at least one option as correct with a leading *.")
MEDIA_WRONG_KIND = _("Upload a video (.mp4, .webm) for a video lesson.")
DOCUMENT_WRONG_KIND = _("Upload a document (.pdf, .docx, .pptx, .xlsx) here.")
MEDIA_ONLY_FOR = _("Only video and document lessons have a file.")

VIDEO_EXTENSIONS = (".mp4", ".webm", ".m4v")
DOCUMENT_EXTENSIONS = (".pdf", ".docx", ".pptx", ".xlsx", ".doc", ".ppt")


def _media_upload_to(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:8]
    return f"lessons/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def _submission_upload_to(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:8]
    return f"assignments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Course(ClusterableModel):
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="courses",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    credit_hours = models.DecimalField(
        _("credit hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0.1)],
        help_text=_("Credited to the ledger when a teacher completes the course."),
    )
    deadline = models.DateField(
        _("finish by"),
        null=True,
        blank=True,
        help_text=_("Teachers are reminded three days before."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    min_quiz_score = models.PositiveSmallIntegerField(
        _("minimum quiz average (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("The average of the best score of every quiz; empty: none."),
    )
    min_live_attendance = models.PositiveSmallIntegerField(
        _("live lessons to attend"),
        default=0,
        help_text=_("How many of the course's live lessons a teacher must attend."),
    )
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentors"),
        blank=True,
        related_name="mentored_courses",
        help_text=_("They grade the assignments."),
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["programme", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_hours__gt=0), name="course_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(min_quiz_score__isnull=True) | Q(min_quiz_score__lte=100),
                name="course_quiz_score_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    course = ParentalKey(
        Course,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="modules",
    )
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.course.title} · {self.title}"


class Lesson(ClusterableModel):
    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        DOCUMENT = "document", _("Document")
        TEXT = "text", _("Reading")
        LIVE = "live", _("Live lesson (同步课堂)")
        QUIZ = "quiz", _("Quiz")
        ASSIGNMENT = "assignment", _("Assignment")

    # Teachers mark these done themselves; the others complete by watching,
    # passing, a mentor's grade or attending.
    SELF_COMPLETED = (Kind.TEXT, Kind.DOCUMENT)

    module = models.ForeignKey(
        Module,
        verbose_name=_("module"),
        on_delete=models.CASCADE,
        related_name="lessons",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("Required lessons must be completed to complete the course."),
    )
    body = RichTextField(_("text"), blank=True)
    media = models.FileField(
        _("file"),
        upload_to=_media_upload_to,
        blank=True,
        max_length=200,
        help_text=_("The video of a video lesson, or the document of a document."),
    )
    duration_seconds = models.PositiveIntegerField(
        _("length (seconds)"), null=True, blank=True
    )
    pass_score = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, validators=[MaxValueValidator(100)]
    )
    # A live lesson (同步课堂) is attached by pairing, which schedules it.
    live_ref = models.CharField(_("live session"), max_length=120, blank=True)
    live_starts_at = models.DateTimeField(
        _("live lesson starts"), null=True, blank=True
    )
    live_url = models.CharField(_("join link"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["module__order", "module_id", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_score__lte=100), name="lesson_pass_score_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        name = self.media.name.lower() if self.media else ""
        if not name:
            return
        if self.kind == self.Kind.VIDEO and not name.endswith(VIDEO_EXTENSIONS):
            raise ValidationError({"media": MEDIA_WRONG_KIND})
        if self.kind == self.Kind.DOCUMENT and not name.endswith(DOCUMENT_EXTENSIONS):
            raise ValidationError({"media": DOCUMENT_WRONG_KIND})
        if self.kind not in (self.Kind.VIDEO, self.Kind.DOCUMENT):
            raise ValidationError({"media": MEDIA_ONLY_FOR})


class QuizQuestion(models.Model):
    """A question with options written one per line, correct ones with a *."""

    lesson = ParentalKey(
        Lesson,
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    text = models.TextField(_("question"))
    options = models.TextField(
        _("options"),
        help_text=_("One option per line; start each correct option with *."),
    )
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    def option_list(self) -> list[tuple[int, str, bool]]:
        """(index, text, correct) of each non-empty line."""
        out = []
        for line in self.options.splitlines():
            line = line.strip()
            if not line:
                continue
            correct = line.startswith(("*", "＊"))
            out.append((len(out), line.lstrip("*＊ ").strip(), correct))
        return out

    @property
    def correct_options(self) -> frozenset[int]:
        return frozenset(i for i, _text, ok in self.option_list() if ok)

    @property
    def is_multiple(self) -> bool:
        return len(self.correct_options) > 1

    def clean(self) -> None:
        options = self.option_list()
        if len(options) < 2:
            raise ValidationError({"options": QUIZ_NEEDS_QUESTIONS})
        if not any(ok for _i, _t, ok in options):
            raise ValidationError({"options": QUIZ_NEEDS_CORRECT})


class LessonProgress(models.Model):
    class Status(models.TextChoices):
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Completed")

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    lesson = models.ForeignKey(
        Lesson,
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="progress",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.STARTED
    )
    position_seconds = models.PositiveIntegerField(_("position (seconds)"), default=0)
    best_score = models.PositiveSmallIntegerField(_("best score (%)"), null=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "lesson"], name="lesson_progress_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} · {self.lesson}: {self.get_status_display()}"

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class QuizAttempt(models.Model):
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    lesson = models.ForeignKey(
        Lesson,
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    answers = models.JSONField(_("answers"), default=dict)
    score = models.PositiveSmallIntegerField(_("score (%)"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.teacher} · {self.lesson}: {self.score}%"


class AssignmentSubmission(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting grading")
        PASSED = "passed", _("Passed")
        RETURNED = "returned", _("Returned for revision")

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    lesson = models.ForeignKey(
        Lesson,
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    text = models.TextField(_("answer"), blank=True)
    file = models.FileField(
        _("file"), upload_to=_submission_upload_to, blank=True, max_length=200
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    feedback = models.TextField(_("feedback"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("graded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"))
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment submission")
        verbose_name_plural = _("assignment submissions")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "lesson"], name="submission_once_per_lesson"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} · {self.lesson}"


class CourseCompletion(models.Model):
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="course_completions",
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="completions",
    )
    completed_at = models.DateTimeField(_("completed"))
    hours = models.DecimalField(_("credit hours"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "course"], name="course_completed_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} · {self.course}"
