"""Studying a course: its outline, lessons of each kind, the video's media and
position, quizzes, assignments, the mentor's grading queue, certificates.

A course and its lessons open for teachers admitted to the programme; its
mentors and the bureau of its region may look (preview) but not study.
Anyone else gets a 404, as if the course did not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ..forms import AssignmentForm, GradeForm, QuizForm
from ..media import ranged_file_response
from ..models import AssignmentSubmission, Certificate, Course, Lesson
from ..selectors import (
    can_study,
    can_view_course,
    certificate_for_viewer,
    course_outline,
    grading_queue,
)
from ..services import (
    assignment_grade,
    assignment_submit,
    can_grade,
    course_state,
    lesson_mark_done,
    lesson_open,
    lesson_position_save,
    quiz_submit,
)
from .enrolment import _refusal

MARKED_DONE = _("Lesson completed.")
QUIZ_PASSED = _("You scored %(score)s%% and passed.")
QUIZ_FAILED = _("You scored %(score)s%%; %(pass)s%% passes. Try again.")
SUBMITTED = _("Your assignment is handed in. Your mentor will grade it.")
GRADED = _("Graded: %(teacher)s, %(lesson)s.")


def _course_or_404(user, pk: int) -> Course:
    course = get_object_or_404(Course.objects.select_related("programme"), pk=pk)
    if not can_view_course(user, course):
        raise Http404
    return course


def _lesson_or_404(user, pk: int) -> tuple[Lesson, Course, bool]:
    lesson = get_object_or_404(
        Lesson.objects.select_related("module__course__programme"), pk=pk
    )
    course = lesson.module.course
    if not can_view_course(user, course):
        raise Http404
    return lesson, course, can_study(user, course)


@login_required
def course_page(request, pk: int):
    course = _course_or_404(request.user, pk)
    studying = can_study(request.user, course)
    modules, progress = course_outline(course=course, teacher=request.user)
    for module in modules:
        for lesson in module.lessons.all():
            lesson.my_progress = progress.get(lesson.pk)
    state = course_state(teacher=request.user, course=course) if studying else None
    return render(
        request,
        "courses/course.html",
        {"course": course, "modules": modules, "state": state, "studying": studying},
    )


@login_required
def lesson_page(request, pk: int):
    lesson, course, studying = _lesson_or_404(request.user, pk)
    progress = lesson_open(lesson=lesson, teacher=request.user) if studying else None
    context = {
        "lesson": lesson,
        "course": course,
        "studying": studying,
        "progress": progress,
    }
    if lesson.kind == Lesson.Kind.QUIZ:
        context["form"] = QuizForm(lesson=lesson)
    if lesson.kind == Lesson.Kind.ASSIGNMENT:
        context["submission"] = (
            AssignmentSubmission.objects.filter(teacher=request.user, lesson=lesson)
            .select_related("graded_by")
            .first()
        )
        context["form"] = AssignmentForm()
    return render(request, "courses/lesson.html", context)


@login_required
def lesson_media(request, pk: int):
    """The lesson's video or document, with range requests."""
    lesson, _course, _studying = _lesson_or_404(request.user, pk)
    if not lesson.media:
        raise Http404
    filename = ""
    if lesson.kind == Lesson.Kind.DOCUMENT:
        suffix = lesson.media.name.rsplit(".", 1)[-1]
        filename = f"{lesson.title}.{suffix}"
    return ranged_file_response(request, lesson.media, filename=filename)


@login_required
@require_POST
def lesson_position(request, pk: int):
    """The player reports where it is (every few seconds and on pause)."""
    lesson, _course, studying = _lesson_or_404(request.user, pk)
    if not studying:
        raise Http404
    try:
        position = int(float(request.POST.get("position", "0")))
        duration = int(float(request.POST.get("duration") or 0)) or None
    except ValueError:
        return JsonResponse({"error": "bad position"}, status=400)
    progress = lesson_position_save(
        lesson=lesson, teacher=request.user, position=position, duration=duration
    )
    return JsonResponse(
        {"position": progress.position_seconds, "completed": progress.is_completed}
    )


@login_required
@require_POST
def lesson_done(request, pk: int):
    lesson, _course, studying = _lesson_or_404(request.user, pk)
    if not studying:
        raise Http404
    try:
        lesson_mark_done(lesson=lesson, teacher=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, MARKED_DONE)
    return redirect("courses:lesson", pk=lesson.pk)


@login_required
@require_POST
def lesson_quiz(request, pk: int):
    lesson, course, studying = _lesson_or_404(request.user, pk)
    if not studying or lesson.kind != Lesson.Kind.QUIZ:
        raise Http404
    form = QuizForm(request.POST, lesson=lesson)
    if not form.is_valid():
        return render(
            request,
            "courses/lesson.html",
            {"lesson": lesson, "course": course, "studying": True, "form": form},
            status=400,
        )
    attempt = quiz_submit(lesson=lesson, teacher=request.user, answers=form.answers())
    params = {"score": attempt.score, "pass": lesson.pass_score}
    if attempt.score >= lesson.pass_score:
        messages.success(request, QUIZ_PASSED % params)
    else:
        messages.warning(request, QUIZ_FAILED % params)
    return redirect("courses:lesson", pk=lesson.pk)


@login_required
@require_POST
def lesson_assignment(request, pk: int):
    lesson, _course, studying = _lesson_or_404(request.user, pk)
    if not studying or lesson.kind != Lesson.Kind.ASSIGNMENT:
        raise Http404
    form = AssignmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            assignment_submit(
                lesson=lesson,
                teacher=request.user,
                text=form.cleaned_data["text"],
                file=form.cleaned_data.get("file"),
            )
        except (ValidationError, PermissionDenied) as exc:
            _refusal(request, exc)
        else:
            messages.success(request, SUBMITTED)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("courses:lesson", pk=lesson.pk)


@login_required
def grading(request):
    """批改作业: a mentor's submissions awaiting a grade."""
    queue = grading_queue(user=request.user)
    page = Paginator(queue, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/grading.html",
        {"page": page, "submissions": page.object_list, "form": GradeForm()},
    )


@login_required
@require_POST
def grade(request, pk: int):
    submission = get_object_or_404(grading_queue(user=request.user), pk=pk)
    form = GradeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("courses:grading")
    try:
        assignment_grade(
            submission=submission,
            user=request.user,
            passed=form.cleaned_data["decision"] == "pass",
            feedback=form.cleaned_data["feedback"],
        )
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    else:
        names = {
            "teacher": submission.teacher.display_name,
            "lesson": submission.lesson.title,
        }
        messages.success(request, GRADED % names)
    return redirect("courses:grading")


@login_required
def submission_file(request, pk: int):
    """An assignment's attachment: for its teacher and the course's mentors."""
    submission = get_object_or_404(
        AssignmentSubmission.objects.select_related("lesson__module__course"), pk=pk
    )
    course = submission.lesson.module.course
    allowed = submission.teacher_id == request.user.pk or can_grade(
        request.user, course
    )
    if not allowed or not submission.file:
        raise Http404
    return ranged_file_response(request, submission.file, filename=submission.file.name)


# --- Certificates ----------------------------------------------------------------


def certificate_verify(request, number: str):
    """The public page a certificate's QR code opens (no login)."""
    certificate = (
        Certificate.objects.filter(number=number.upper())
        .select_related("programme")
        .first()
    )
    return render(
        request,
        "courses/certificate_verify.html",
        {"certificate": certificate, "number": number},
        status=200 if certificate else 404,
    )


@login_required
def certificate_pdf(request, number: str):
    certificate = certificate_for_viewer(user=request.user, number=number)
    if certificate is None:
        raise Http404
    if not certificate.pdf:
        from ..services import certificate_render  # noqa: PLC0415

        certificate_render(certificate=certificate)
    return ranged_file_response(
        request, certificate.pdf, filename=f"培训结业证书-{certificate.number}.pdf"
    )
