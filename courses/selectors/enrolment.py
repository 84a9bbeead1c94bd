"""Reads of enrolments: a teacher's own, the approval queues, the waitlist."""

from django.db.models import Count, Q, QuerySet

from accounts.selectors import scope_queryset, user_scope

from ..models import Enrolment, Notification, Programme

APPROVAL_RELATED = ("teacher", "school", "programme__region")


def enrolments_of_teacher(*, teacher) -> QuerySet[Enrolment]:
    """``teacher``'s applications, newest programmes first (withdrawn too)."""
    return (
        Enrolment.objects.filter(teacher=teacher)
        .select_related("programme__region", "school")
        .order_by("-programme__starts_on", "-pk")
    )


def waitlist_position(enrolment: Enrolment) -> int | None:
    """1 for the first on the waitlist; None when not waitlisted."""
    if enrolment.status != Enrolment.Status.WAITLISTED:
        return None
    ahead = Enrolment.objects.filter(
        programme_id=enrolment.programme_id,
        status=Enrolment.Status.WAITLISTED,
    ).filter(
        Q(applied_at__lt=enrolment.applied_at)
        | Q(applied_at=enrolment.applied_at, pk__lt=enrolment.pk)
    )
    return ahead.count() + 1


def approvals_for_school_admin(*, user) -> QuerySet[Enrolment]:
    """Applications awaiting ``user``'s school-admin approval (own school)."""
    scope = user_scope(user)
    qs = Enrolment.objects.filter(
        status=Enrolment.Status.PENDING, step=Enrolment.Step.SCHOOL
    ).select_related(*APPROVAL_RELATED)
    if scope.everything:
        return qs.order_by("applied_at", "pk")
    if scope.school_id is None:
        return qs.none()
    return qs.filter(school_id=scope.school_id).order_by("applied_at", "pk")


def approvals_for_bureau(*, user) -> QuerySet[Enrolment]:
    """Applications awaiting the bureau step of programmes in ``user``'s region."""
    qs = Enrolment.objects.filter(
        status=Enrolment.Status.PENDING, step=Enrolment.Step.BUREAU
    ).select_related(*APPROVAL_RELATED)
    return scope_queryset(qs, user=user, regions=["programme__region"]).order_by(
        "applied_at", "pk"
    )


def enrolments_for_bureau(*, user) -> QuerySet[Enrolment]:
    """Every enrolment of the programmes in ``user``'s region (the admin)."""
    return scope_queryset(
        Enrolment.objects.select_related(*APPROVAL_RELATED),
        user=user,
        regions=["programme__region"],
    )


def programme_enrolment_stats(*, user, year: int | None = None) -> QuerySet[Programme]:
    """Programmes in scope with their enrolment counts by status (one query)."""
    statuses = Enrolment.Status
    qs = scope_queryset(
        Programme.objects.select_related("region"), user=user, regions=["region"]
    )
    if year:
        qs = qs.filter(year=year)

    def count(*values):
        return Count("enrolments", filter=Q(enrolments__status__in=values))

    return qs.annotate(
        n_applied=Count("enrolments", filter=~Q(enrolments__status="withdrawn")),
        n_pending=count(statuses.PENDING),
        n_admitted=count(statuses.ADMITTED, statuses.COMPLETED),
        n_waitlisted=count(statuses.WAITLISTED),
        n_rejected=count(statuses.REJECTED),
        n_completed=count(statuses.COMPLETED),
    ).order_by("-year", "title", "pk")


def inbox_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
