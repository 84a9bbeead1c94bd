"""Studying: lesson progress, quizzes, assignments, course and programme
completion. ``lesson_complete`` is the door pairing uses when a teacher
attended a live lesson (同步课堂) that belongs to a course.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.selectors import user_scope

from ..completion import Question, Rules, completion_state, grade
from ..models import (
    AssignmentSubmission,
    Course,
    CourseCompletion,
    Enrolment,
    EnrolmentEvent,
    LedgerEntry,
    Lesson,
    LessonProgress,
    Programme,
    QuizAttempt,
)
from .enrolment import NOT_BUREAU, can_manage_programme
from .ledger import ledger_add
from .notifications import notification_send

NOT_ENROLLED = _("Only teachers admitted to the programme can study its courses.")
NOT_SELF_COMPLETED = _(
    "This lesson completes by itself: by watching the video, passing the quiz, "
    "a mentor's grade or attending the live lesson."
)
NOT_A_QUIZ = _("This lesson is not a quiz.")
NOT_AN_ASSIGNMENT = _("This lesson is not an assignment.")
NOT_LIVE = _("This lesson is not a live lesson.")
ASSIGNMENT_EMPTY = _("Write an answer or attach a file.")
ASSIGNMENT_PASSED = _("This assignment has passed already.")
NOT_MENTOR = _("Only the course's mentors may grade its assignments.")
NOT_WAITING = _("This submission is not awaiting grading.")
NOT_ADMITTED = _("Only admitted teachers can complete a programme.")
VIDEO_WATCHED_SHARE = 0.9  # watched this far, a video lesson is complete

Status = LessonProgress.Status


def studying_enrolment(*, teacher, programme_id: int) -> Enrolment | None:
    return Enrolment.objects.filter(
        teacher=teacher, programme_id=programme_id, status__in=Enrolment.STUDYING
    ).first()


def _check_enrolled(teacher, lesson: Lesson) -> None:
    programme_id = (
        Course.objects.filter(modules__lessons=lesson)
        .values_list("programme_id", flat=True)
        .first()
    )
    if studying_enrolment(teacher=teacher, programme_id=programme_id) is None:
        raise PermissionDenied(NOT_ENROLLED)


def _progress(teacher, lesson: Lesson, *, lock: bool = False) -> LessonProgress:
    progress, _created = LessonProgress.objects.get_or_create(
        teacher=teacher, lesson=lesson
    )
    if lock:
        progress = LessonProgress.objects.select_for_update().get(pk=progress.pk)
    return progress


def lesson_open(*, lesson: Lesson, teacher) -> LessonProgress:
    """Record that ``teacher`` opened ``lesson`` (its progress row)."""
    _check_enrolled(teacher, lesson)
    return _progress(teacher, lesson)


@transaction.atomic
def lesson_position_save(
    *, lesson: Lesson, teacher, position: int, duration: int | None = None
) -> LessonProgress:
    """Remember where the video stopped; near its end the lesson completes."""
    _check_enrolled(teacher, lesson)
    progress = _progress(teacher, lesson, lock=True)
    position = max(0, int(position))
    if duration and not lesson.duration_seconds:
        # Learnt from the first player that loads the video.
        Lesson.objects.filter(pk=lesson.pk).update(duration_seconds=int(duration))
        lesson.duration_seconds = int(duration)
    progress.position_seconds = position
    progress.save(update_fields=["position_seconds", "updated_at"])
    length = lesson.duration_seconds
    if (
        lesson.kind == Lesson.Kind.VIDEO
        and length
        and position >= length * VIDEO_WATCHED_SHARE
        and not progress.is_completed
    ):
        return lesson_complete(lesson=lesson, teacher=teacher)
    return progress


def lesson_mark_done(*, lesson: Lesson, teacher) -> LessonProgress:
    """A reading or document lesson, marked done by the teacher."""
    if lesson.kind not in Lesson.SELF_COMPLETED:
        raise ValidationError(NOT_SELF_COMPLETED, code="not_self_completed")
    return lesson_complete(lesson=lesson, teacher=teacher)


@transaction.atomic
def lesson_complete(
    *, lesson: Lesson, teacher, score: int | None = None, at: datetime | None = None
) -> LessonProgress:
    """Complete ``lesson`` for ``teacher`` (once); the course may complete too.

    Pairing calls this when a teacher attended a live lesson of a course.
    """
    _check_enrolled(teacher, lesson)
    progress = _progress(teacher, lesson, lock=True)
    if progress.is_completed:
        return progress
    progress.status = Status.COMPLETED
    progress.completed_at = at or timezone.now()
    if score is not None:
        progress.best_score = max(progress.best_score or 0, score)
    progress.save()
    course = Course.objects.select_related("programme").get(modules__lessons=lesson)
    course_progress_check(teacher=teacher, course=course)
    return progress


def lesson_live_attach(
    *, lesson: Lesson, ref: str, starts_at: datetime, url: str = ""
) -> Lesson:
    """Pairing attaches the 同步课堂 session that a live lesson is."""
    if lesson.kind != Lesson.Kind.LIVE:
        raise ValidationError(NOT_LIVE, code="not_live")
    lesson.live_ref = ref[:120]
    lesson.live_starts_at = starts_at
    lesson.live_url = url[:300]
    lesson.save(update_fields=["live_ref", "live_starts_at", "live_url"])
    return lesson


@transaction.atomic
def quiz_submit(
    *, lesson: Lesson, teacher, answers: Mapping[int, Iterable[int]]
) -> QuizAttempt:
    """Grade a quiz at once; passing it completes the lesson."""
    if lesson.kind != Lesson.Kind.QUIZ:
        raise ValidationError(NOT_A_QUIZ, code="not_quiz")
    _check_enrolled(teacher, lesson)
    questions = [
        Question(q.pk, q.points, q.correct_options) for q in lesson.questions.all()
    ]
    chosen = {int(k): sorted({int(i) for i in v}) for k, v in answers.items()}
    score = grade(questions, chosen)
    attempt = QuizAttempt.objects.create(
        teacher=teacher,
        lesson=lesson,
        answers={str(k): v for k, v in chosen.items()},
        score=score,
    )
    progress = _progress(teacher, lesson, lock=True)
    progress.attempts += 1
    progress.best_score = max(progress.best_score or 0, score)
    progress.save()
    if score >= lesson.pass_score and not progress.is_completed:
        lesson_complete(lesson=lesson, teacher=teacher, score=score)
    else:
        # A better score may lift the course's quiz average over its minimum.
        course = Course.objects.select_related("programme").get(modules__lessons=lesson)
        course_progress_check(teacher=teacher, course=course)
    return attempt


@transaction.atomic
def assignment_submit(
    *, lesson: Lesson, teacher, text: str = "", file=None
) -> AssignmentSubmission:
    """Hand in (or hand in again) an assignment for a mentor to grade."""
    if lesson.kind != Lesson.Kind.ASSIGNMENT:
        raise ValidationError(NOT_AN_ASSIGNMENT, code="not_assignment")
    _check_enrolled(teacher, lesson)
    if not text.strip() and not file:
        raise ValidationError(ASSIGNMENT_EMPTY, code="empty")
    submission = AssignmentSubmission.objects.filter(
        teacher=teacher, lesson=lesson
    ).first() or AssignmentSubmission(teacher=teacher, lesson=lesson)
    if submission.status == AssignmentSubmission.Status.PASSED and submission.pk:
        raise ValidationError(ASSIGNMENT_PASSED, code="passed")
    submission.text = text.strip()
    if file:
        submission.file.save(file.name, file, save=False)
    submission.status = AssignmentSubmission.Status.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.graded_at = None
    submission.save()
    _progress(teacher, lesson)
    return submission


def can_grade(user, course: Course) -> bool:
    return user_scope(user).everything or course.mentors.filter(pk=user.pk).exists()


@transaction.atomic
def assignment_grade(
    *, submission: AssignmentSubmission, user, passed: bool, feedback: str = ""
) -> AssignmentSubmission:
    """A mentor passes an assignment (completing the lesson) or returns it."""
    submission = (
        AssignmentSubmission.objects.select_for_update()
        .select_related("lesson", "teacher")
        .get(pk=submission.pk)
    )
    course = Course.objects.get(modules__lessons=submission.lesson_id)
    if not can_grade(user, course):
        raise PermissionDenied(NOT_MENTOR)
    if submission.status != AssignmentSubmission.Status.SUBMITTED:
        raise ValidationError(NOT_WAITING, code="not_waiting")
    S = AssignmentSubmission.Status
    submission.status = S.PASSED if passed else S.RETURNED
    submission.feedback = feedback.strip()
    submission.graded_by = user
    submission.graded_at = timezone.now()
    submission.save()
    with translation.override(settings.LANGUAGE_CODE):
        title = (
            gettext("Assignment passed: %(title)s")
            if passed
            else gettext("Assignment returned for revision: %(title)s")
        )
        notification_send(
            user=submission.teacher,
            kind="assignment_graded",
            title=title % {"title": submission.lesson.title},
            body=submission.feedback,
            url=reverse("courses:lesson", args=[submission.lesson_id]),
            email=False,
        )
    if passed:
        lesson_complete(lesson=submission.lesson, teacher=submission.teacher)
    return submission


# --- Completion ------------------------------------------------------------------


def course_rules(course: Course) -> Rules:
    """A course's completion rules from its lessons (one query)."""
    lessons = list(
        Lesson.objects.filter(module__course=course).values_list(
            "pk", "kind", "required"
        )
    )
    return Rules(
        required=frozenset(pk for pk, _kind, required in lessons if required),
        quizzes=frozenset(pk for pk, kind, _r in lessons if kind == Lesson.Kind.QUIZ),
        live=frozenset(pk for pk, kind, _r in lessons if kind == Lesson.Kind.LIVE),
        min_quiz_score=course.min_quiz_score,
        min_live_attendance=course.min_live_attendance,
    )


def course_state(*, teacher, course: Course):
    rules = course_rules(course)
    rows = LessonProgress.objects.filter(teacher=teacher, lesson__module__course=course)
    completed = [r.lesson_id for r in rows if r.is_completed]
    scores = {r.lesson_id: r.best_score for r in rows if r.best_score is not None}
    return completion_state(rules, completed=completed, best_scores=scores)


def course_progress_check(*, teacher, course: Course) -> CourseCompletion | None:
    """Complete the course when its rules hold: one ledger line, one message."""
    existing = CourseCompletion.objects.filter(teacher=teacher, course=course).first()
    if existing is not None:
        return existing
    if not course_state(teacher=teacher, course=course).done:
        return None
    now = timezone.now()
    completion = CourseCompletion.objects.create(
        teacher=teacher, course=course, completed_at=now, hours=course.credit_hours
    )
    programme = course.programme
    ledger_add(
        teacher=teacher,
        source=LedgerEntry.Source.COURSE,
        level=programme.level,
        hours=course.credit_hours,
        date=timezone.localdate(now),
        ref=course,
        title=f"{programme.title} · {course.title}",
    )
    with translation.override(settings.LANGUAGE_CODE):
        notification_send(
            user=teacher,
            kind="course_completed",
            title=gettext("Course completed: %(title)s") % {"title": course.title},
            body=gettext("%(hours)s credit hours are in your training ledger.")
            % {"hours": course.credit_hours.normalize()},
            url=reverse("courses:my_learning"),
            email=False,
        )
    programme_completion_check(teacher=teacher, programme=programme)
    return completion


def programme_completion_check(*, teacher, programme: Programme) -> bool:
    """Every course of the programme completed: the enrolment completes."""
    courses = set(programme.courses.values_list("pk", flat=True))
    done = set(
        CourseCompletion.objects.filter(
            teacher=teacher, course__programme=programme
        ).values_list("course_id", flat=True)
    )
    if not courses or courses - done:
        return False
    enrolment = studying_enrolment(teacher=teacher, programme_id=programme.pk)
    if enrolment is None or enrolment.status == Enrolment.Status.COMPLETED:
        return False
    _enrolment_completed(enrolment, by=None)
    return True


def _enrolment_completed(enrolment: Enrolment, *, by) -> None:
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["status", "completed_at", "updated_at"])
    EnrolmentEvent.objects.create(
        enrolment=enrolment, action=EnrolmentEvent.Action.COMPLETED, by=by
    )
    from .certificates import certificate_issue  # noqa: PLC0415

    certificate_issue(enrolment=enrolment)


@transaction.atomic
def enrolment_complete(*, enrolment: Enrolment, user) -> Enrolment:
    """The bureau records that a teacher completed an on-site programme.

    The programme's hours go to the ledger (for a programme with online
    courses they come from the courses instead, as each is completed).
    """

    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("programme", "teacher")
        .get(pk=enrolment.pk)
    )
    if not can_manage_programme(user, enrolment.programme):
        raise PermissionDenied(NOT_BUREAU)
    if enrolment.status != Enrolment.Status.ADMITTED:
        raise ValidationError(NOT_ADMITTED, code="not_admitted")
    programme = enrolment.programme
    if not programme.courses.exists():
        ledger_add(
            teacher=enrolment.teacher,
            source=LedgerEntry.Source.PROGRAMME,
            level=programme.level,
            hours=programme.credit_hours,
            date=min(timezone.localdate(), programme.ends_on),
            ref=programme,
            verified_by=user,
        )
    _enrolment_completed(enrolment, by=user)
    return enrolment
