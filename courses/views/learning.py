"""我的学习 and 本校培训: a teacher's programmes, courses, hours and
certificates; a school admin's approvals and the school's coverage."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.selectors import user_scope

from ..models import Enrolment
from ..selectors import (
    approvals_for_school_admin,
    certificates_of,
    coverage_for,
    enrolments_of_teacher,
    grading_queue,
    hours_by_year,
    learning_overview,
    ledger_for_teacher,
    teacher_standing,
    unread_count,
    waitlist_position,
)
from .enrolment import forbidden

SCHOOL_TRAINING_FORBIDDEN = _(
    "This page is for school admins: it shows your school's training."
)
LEDGER_PER_PAGE = 30


@login_required
def my_learning(request):
    user = request.user
    waiting = [
        e
        for e in enrolments_of_teacher(teacher=user)
        if e.status in (Enrolment.Status.PENDING, Enrolment.Status.WAITLISTED)
    ]
    for enrolment in waiting:
        enrolment.position = waitlist_position(enrolment)
    context = {
        "programmes": learning_overview(teacher=user),
        "waiting": waiting,
        "standing": teacher_standing(teacher=user),
        "recent": list(ledger_for_teacher(teacher=user)[:5]),
        "certificates": list(certificates_of(teacher=user).select_related("programme")),
        "unread": unread_count(user=user),
        "today": timezone.localdate(),
    }
    if user.has_role(Role.MENTOR):
        context["to_grade"] = grading_queue(user=user).count()
    if user.has_role(Role.SCHOOL_ADMIN) and user.school_id:
        context["to_approve"] = approvals_for_school_admin(user=user).count()
    return render(request, "courses/my_learning.html", context)


@login_required
def my_ledger(request):
    """培训台账: every credited line, with totals per year."""
    user = request.user
    totals = sorted(hours_by_year(teacher=user).items(), reverse=True)
    page = Paginator(ledger_for_teacher(teacher=user), LEDGER_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "courses/my_ledger.html",
        {
            "totals": totals,
            "page": page,
            "entries": page.object_list,
            "standing": teacher_standing(teacher=user),
        },
    )


@login_required
def school_training(request):
    """本校培训: applications to approve and who meets the annual hours."""
    scope = user_scope(request.user)
    school = request.user.school
    if scope.school_id is None or school is None:
        return forbidden(request, SCHOOL_TRAINING_FORBIDDEN)
    year = request.GET.get("year", "")
    this_year = timezone.localdate().year
    year = int(year) if year.isdigit() and 2000 < int(year) <= this_year else this_year
    report = coverage_for(user=request.user, year=year, school=school)
    return render(
        request,
        "courses/school_training.html",
        {
            "school": school,
            "report": report,
            "to_approve": approvals_for_school_admin(user=request.user).count(),
            "years": range(this_year, this_year - 6, -1),
        },
    )
