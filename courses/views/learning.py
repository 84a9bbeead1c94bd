"""我的学习: a teacher's programmes, courses, hours and certificates."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..selectors import enrolments_of_teacher, unread_count, waitlist_position


@login_required
def my_learning(request):
    enrolments = list(enrolments_of_teacher(teacher=request.user))
    for enrolment in enrolments:
        enrolment.position = waitlist_position(enrolment)
    return render(
        request,
        "courses/my_learning.html",
        {"enrolments": enrolments, "unread": unread_count(user=request.user)},
    )
