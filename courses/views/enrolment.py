"""Enrolment pages: apply and withdraw, the school admin's approval queue,
and the inbox. Writes are POSTs (CSRF-protected) that call a service and
come back with a message in plain words.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.selectors import user_scope

from ..models import Enrolment, Programme
from ..selectors import (
    approvals_for_school_admin,
    inbox_for,
    waitlist_position,
)
from ..services import (
    enrolment_apply,
    enrolment_approve,
    enrolment_reject,
    enrolment_withdraw,
    notifications_mark_read,
)

APPLIED_ADMITTED = _("You are admitted to %(title)s.")
APPLIED_PENDING = _(
    "Your application to %(title)s is in. A seat is held for you while it "
    "awaits approval by: %(step)s."
)
APPLIED_WAITLISTED = _(
    "All seats of %(title)s are taken: you are number %(position)s on the "
    "waitlist. You will be told when a seat frees."
)
WITHDRAWN = _("You have withdrawn from %(title)s.")
APPROVED = _("Approved: %(teacher)s, %(title)s.")
REJECTED = _("Not approved: %(teacher)s, %(title)s.")
SCHOOL_APPROVALS_FORBIDDEN = _(
    "This page is for school admins: it lists your school's applications."
)
INBOX_PER_PAGE = 30


def forbidden(request, message):
    return render(request, "schools/forbidden.html", {"message": message}, status=403)


def _back(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _refusal(request, exc) -> None:
    if isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, str(exc))


def applied_message(enrolment: Enrolment) -> str:
    title = enrolment.programme.title
    if enrolment.status == Enrolment.Status.ADMITTED:
        return APPLIED_ADMITTED % {"title": title}
    if enrolment.status == Enrolment.Status.PENDING:
        step = Enrolment.Step(enrolment.step).label
        return APPLIED_PENDING % {"title": title, "step": step}
    return APPLIED_WAITLISTED % {
        "title": title,
        "position": waitlist_position(enrolment),
    }


@login_required
@require_POST
def apply(request, pk: int):
    programme = get_object_or_404(Programme, pk=pk)
    back = _back(request, reverse("courses:my_learning"))
    try:
        enrolment = enrolment_apply(teacher=request.user, programme=programme)
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
        return redirect(back)
    if enrolment.status == Enrolment.Status.WAITLISTED:
        messages.warning(request, applied_message(enrolment))
    else:
        messages.success(request, applied_message(enrolment))
    return redirect(back)


@login_required
@require_POST
def withdraw(request, pk: int):
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("programme"), pk=pk, teacher=request.user
    )
    try:
        enrolment_withdraw(enrolment=enrolment, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, WITHDRAWN % {"title": enrolment.programme.title})
    return redirect(_back(request, reverse("courses:my_learning")))


@login_required
def school_approvals(request):
    """审核报名: the applications of the admin's school awaiting their approval."""
    scope = user_scope(request.user)
    if scope.school_id is None and not scope.everything:
        return forbidden(request, SCHOOL_APPROVALS_FORBIDDEN)
    pending = approvals_for_school_admin(user=request.user)
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/school_approvals.html",
        {"page": page, "enrolments": page.object_list},
    )


@login_required
@require_POST
def school_decide(request, pk: int):
    enrolment = get_object_or_404(approvals_for_school_admin(user=request.user), pk=pk)
    decide(request, enrolment)
    return redirect(_back(request, reverse("courses:school_approvals")))


def decide(request, enrolment: Enrolment) -> None:
    """Approve or reject ``enrolment`` as the POST says (shared with the admin)."""
    note = (request.POST.get("note") or "").strip()[:300]
    approve = request.POST.get("decision") == "approve"
    service = enrolment_approve if approve else enrolment_reject
    try:
        service(enrolment=enrolment, user=request.user, note=note)
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
        return
    names = {
        "teacher": enrolment.teacher.display_name,
        "title": enrolment.programme.title,
    }
    messages.success(request, (APPROVED if approve else REJECTED) % names)


@login_required
def inbox(request):
    """站内消息: the user's messages, newest first; opening the page reads them."""
    page = Paginator(inbox_for(user=request.user), INBOX_PER_PAGE).get_page(
        request.GET.get("page")
    )
    items = list(page.object_list)
    response = render(request, "courses/inbox.html", {"page": page, "items": items})
    notifications_mark_read(
        user=request.user, ids=[n.pk for n in items if n.read_at is None]
    )
    return response
