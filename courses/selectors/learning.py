"""Reads behind studying: who may open a course, outlines with progress,
a teacher's courses with their progress (a fixed number of queries), the
mentor's grading queue, certificates.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from accounts.selectors import scope_filter, user_scope

from ..completion import Rules, State, completion_state
from ..models import (
    AssignmentSubmission,
    Certificate,
    Course,
    CourseCompletion,
    Enrolment,
    Lesson,
    LessonProgress,
    Module,
)


def can_study(user, course: Course) -> bool:
    """Admitted (or completed) teachers of the course's programme."""
    if not user.is_authenticated:
        return False
    return Enrolment.objects.filter(
        teacher=user, programme_id=course.programme_id, status__in=Enrolment.STUDYING
    ).exists()


def can_view_course(user, course: Course) -> bool:
    """Learners, the course's mentors, and bureaus whose region holds it."""
    if not user.is_authenticated:
        return False
    if can_study(user, course) or user_scope(user).everything:
        return True
    if course.mentors.filter(pk=user.pk).exists():
        return True
    return (
        Course.objects.filter(pk=course.pk)
        .filter(scope_filter(user, regions=["programme__region"]))
        .exists()
    )


def course_outline(*, course: Course, teacher) -> tuple[list[Module], dict]:
    """The course's modules with their lessons, and ``teacher``'s progress
    per lesson id (three queries)."""
    modules = list(
        course.modules.order_by("order", "pk").prefetch_related(
            Prefetch("lessons", queryset=Lesson.objects.order_by("order", "pk"))
        )
    )
    progress = {}
    if teacher.is_authenticated:
        progress = {
            p.lesson_id: p
            for p in LessonProgress.objects.filter(
                teacher=teacher, lesson__module__course=course
            )
        }
    return modules, progress


@dataclass
class CourseRow:
    course: Course
    state: State
    completed_on: date | None = None

    @property
    def deadline(self) -> date | None:
        return self.course.deadline


@dataclass
class ProgrammeRow:
    enrolment: Enrolment
    courses: list[CourseRow]
    certificate: Certificate | None = None

    @property
    def percent(self) -> int:
        if not self.courses:
            return 100 if self.enrolment.status == Enrolment.Status.COMPLETED else 0
        return sum(c.state.percent for c in self.courses) // len(self.courses)


def learning_overview(*, teacher) -> list[ProgrammeRow]:
    """``teacher``'s admitted and completed programmes with every course's
    progress, in six queries however many programmes and lessons."""
    enrolments = list(
        Enrolment.objects.filter(teacher=teacher, status__in=Enrolment.STUDYING)
        .select_related("programme")
        .order_by("status", "-programme__starts_on", "-pk")
    )
    programme_ids = [e.programme_id for e in enrolments]
    courses = list(
        Course.objects.filter(programme_id__in=programme_ids).order_by("order", "pk")
    )
    course_ids = [c.pk for c in courses]
    lessons = defaultdict(list)
    for pk, course_id, kind, required in Lesson.objects.filter(
        module__course_id__in=course_ids
    ).values_list("pk", "module__course_id", "kind", "required"):
        lessons[course_id].append((pk, kind, required))
    completed, scores = set(), {}
    for lesson_id, status, score in LessonProgress.objects.filter(
        teacher=teacher, lesson__module__course_id__in=course_ids
    ).values_list("lesson_id", "status", "best_score"):
        if status == LessonProgress.Status.COMPLETED:
            completed.add(lesson_id)
        if score is not None:
            scores[lesson_id] = score
    done_on = {
        course_id: at.date()
        for course_id, at in CourseCompletion.objects.filter(
            teacher=teacher, course_id__in=course_ids
        ).values_list("course_id", "completed_at")
    }
    certificates = {
        c.enrolment_id: c
        for c in Certificate.objects.filter(enrolment__in=[e.pk for e in enrolments])
    }
    by_programme = defaultdict(list)
    for course in courses:
        rows = lessons[course.pk]
        rules = Rules(
            required=frozenset(pk for pk, _k, req in rows if req),
            quizzes=frozenset(pk for pk, k, _r in rows if k == Lesson.Kind.QUIZ),
            live=frozenset(pk for pk, k, _r in rows if k == Lesson.Kind.LIVE),
            min_quiz_score=course.min_quiz_score,
            min_live_attendance=course.min_live_attendance,
        )
        state = completion_state(rules, completed=completed, best_scores=scores)
        by_programme[course.programme_id].append(
            CourseRow(course, state, done_on.get(course.pk))
        )
    return [
        ProgrammeRow(e, by_programme[e.programme_id], certificates.get(e.pk))
        for e in enrolments
    ]


def grading_queue(*, user) -> QuerySet[AssignmentSubmission]:
    """Submissions awaiting the grade of ``user`` (a mentor of the course)."""
    qs = AssignmentSubmission.objects.filter(
        status=AssignmentSubmission.Status.SUBMITTED
    ).select_related("teacher__school", "lesson__module__course")
    if not user_scope(user).everything:
        qs = qs.filter(lesson__module__course__mentors=user)
    return qs.order_by("submitted_at", "pk")


def certificates_of(*, teacher) -> QuerySet[Certificate]:
    return Certificate.objects.filter(teacher=teacher, revoked_at__isnull=True)


def certificate_for_viewer(*, user, number: str) -> Certificate | None:
    """The certificate ``number`` if ``user`` may download it: its teacher,
    their school admin, a bureau whose region holds the school."""
    qs = Certificate.objects.filter(number=number)
    if not user.is_authenticated:
        return None
    return qs.filter(
        Q(teacher=user) | scope_filter(user, schools=["enrolment__school"])
    ).first()
