"""Enrolment: apply, approve, reject, withdraw, and the waitlist's promotion.

Concurrency: every write that changes who holds a seat (apply, reject,
withdraw, promotion) first locks the programme's row (``SELECT ... FOR
UPDATE`` on PostgreSQL; SQLite serialises writing transactions), then counts
the seats held and decides. So simultaneous applications are decided one
after another and never exceed the seats, a school's quota or the general
seats left beside the reserved share. Locks are always taken programme
first, enrolment second.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import scope_filter, user_scope

from ..eligibility import REASON_LABELS, Status, ineligibility, window_status
from ..models import Enrolment, EnrolmentEvent, Programme
from ..seats import Candidate, Seat, promotions, seat_for
from ..selectors.programmes import occupancy_of, programme_audience, viewer_profile

APPLY_NOT_OPEN = _("Enrolment for this programme has not opened yet.")
APPLY_CLOSED = _("Enrolment for this programme has closed.")
APPLY_NOT_ELIGIBLE = _("You cannot apply to this programme: %(reason)s")
APPLY_ALREADY = _("You have already applied to this programme.")
APPLY_REJECTED_BEFORE = _(
    "Your application to this programme was not approved. Ask your school "
    "admin if you think this is a mistake."
)
NOT_PENDING = _("This application is not awaiting approval.")
NOT_SCHOOL_ADMIN = _(
    "Only the school admin of the teacher's school may decide at this step."
)
NOT_BUREAU = _("Only the bureau that runs the programme may decide at this step.")
WITHDRAW_NOT_YOURS = _("You may only withdraw your own applications.")
WITHDRAW_NOT_ACTIVE = _("This application can no longer be withdrawn.")
WITHDRAW_ENDED = _(
    "The programme has ended: the application can no longer be withdrawn."
)

Action = EnrolmentEvent.Action


def _event(enrolment: Enrolment, action: str, *, by=None, step="", note="") -> None:
    EnrolmentEvent.objects.create(
        enrolment=enrolment, action=action, by=by, step=step, note=note[:300]
    )


def _seat_state(programme: Programme, school_id: int | None, now: datetime):
    """(occupancy, quota or None, seats the school holds) under the row lock."""
    counts = Enrolment.objects.filter(
        programme=programme, status__in=Enrolment.SEAT_HOLDING
    ).aggregate(
        n=Count("pk"),
        reserved=Count("pk", filter=Q(reserved_seat=True)),
        school=Count("pk", filter=Q(school_id=school_id)),
    )
    quotas = dict(programme.quotas.values_list("school_id", "seats"))
    quota = quotas.get(school_id, 0) if quotas else None
    occupancy = occupancy_of(programme, counts["n"], counts["reserved"], now)
    return occupancy, quota, counts["school"]


def _take_seat(enrolment: Enrolment, seat: Seat, now: datetime) -> None:
    steps = enrolment.programme.approval_steps
    enrolment.reserved_seat = seat == Seat.RESERVED
    if steps:
        enrolment.status = Enrolment.Status.PENDING
        enrolment.step = steps[0]
    else:
        enrolment.status = Enrolment.Status.ADMITTED
        enrolment.step = ""
        enrolment.admitted_at = now


def _after_seat_taken(enrolment: Enrolment, *, by=None, action=Action.APPLIED) -> None:
    _event(enrolment, action, by=by)
    if enrolment.status == Enrolment.Status.ADMITTED:
        _event(enrolment, Action.ADMITTED)
    from .notifications import enrolment_notify  # noqa: PLC0415

    enrolment_notify(enrolment=enrolment)


def enrolment_apply(*, teacher, programme: Programme, now: datetime | None = None):
    """Apply ``teacher`` to ``programme``: a seat (then the approval chain) or
    the waitlist. Refuses outside the window, ineligible teachers and second
    applications.
    """
    now = now or timezone.now()
    status = window_status(programme.enrol_opens_at, programme.enrol_closes_at, now)
    if status == Status.UPCOMING:
        raise ValidationError(APPLY_NOT_OPEN, code="not_open")
    if status == Status.CLOSED:
        raise ValidationError(APPLY_CLOSED, code="closed")
    profile = viewer_profile(teacher)
    programme = Programme.objects.select_related("region").get(pk=programme.pk)
    quota_schools = list(programme.quotas.values_list("school_id", flat=True))
    audience = programme_audience(
        programme, quota_school_ids=quota_schools, has_quotas=bool(quota_schools)
    )
    reason = ineligibility(audience, profile) if profile else None
    if profile is None or reason is not None:
        label = REASON_LABELS[reason] if reason else REASON_LABELS["not_staff"]
        raise ValidationError(
            APPLY_NOT_ELIGIBLE, code="not_eligible", params={"reason": label}
        )
    try:
        with transaction.atomic():
            return _apply_locked(teacher, programme.pk, profile, now)
    except IntegrityError as exc:
        # The same teacher applying twice at the same instant (SQLite, or a
        # row inserted between our check and insert): one application stands.
        raise ValidationError(APPLY_ALREADY, code="already") from exc


def _apply_locked(teacher, programme_id: int, profile, now: datetime) -> Enrolment:
    programme = Programme.objects.select_for_update().get(pk=programme_id)
    enrolment = Enrolment.objects.filter(programme=programme, teacher=teacher).first()
    if enrolment is not None:
        if enrolment.status in Enrolment.ACTIVE:
            raise ValidationError(APPLY_ALREADY, code="already")
        if enrolment.status == Enrolment.Status.REJECTED:
            raise ValidationError(APPLY_REJECTED_BEFORE, code="rejected")
    else:
        enrolment = Enrolment(programme=programme, teacher=teacher)
    enrolment.programme = programme
    enrolment.school_id = profile.school_id
    enrolment.priority = profile.is_rural_backbone
    enrolment.applied_at = now
    enrolment.admitted_at = enrolment.completed_at = None
    enrolment.reserved_seat = False
    enrolment.step = ""
    occupancy, quota, school_holders = _seat_state(programme, profile.school_id, now)
    seat = seat_for(
        occupancy,
        priority=enrolment.priority,
        quota=quota,
        school_holders=school_holders,
    )
    if seat is None:
        enrolment.status = Enrolment.Status.WAITLISTED
    else:
        _take_seat(enrolment, seat, now)
    enrolment.save()
    if seat is None:
        _event(enrolment, Action.APPLIED, by=teacher)
        _event(enrolment, Action.WAITLISTED)
        from .notifications import enrolment_notify  # noqa: PLC0415

        enrolment_notify(enrolment=enrolment)
    else:
        _after_seat_taken(enrolment, by=teacher)
    return enrolment


def _lock(enrolment: Enrolment, *, programme_too: bool) -> Enrolment:
    if programme_too:
        Programme.objects.select_for_update().filter(pk=enrolment.programme_id).get()
    return (
        Enrolment.objects.select_for_update()
        .select_related("programme__region", "school", "teacher")
        .get(pk=enrolment.pk)
    )


def can_manage_programme(user, programme: Programme) -> bool:
    """Bureau users whose region holds the programme's owning region."""
    return (
        Programme.objects.filter(pk=programme.pk)
        .filter(scope_filter(user, regions=["region"]))
        .exists()
    )


def can_decide(user, enrolment: Enrolment) -> bool:
    """Whether ``user`` may approve or reject ``enrolment`` at its current step."""
    if enrolment.status != Enrolment.Status.PENDING:
        return False
    scope = user_scope(user)
    if enrolment.step == Enrolment.Step.SCHOOL:
        return scope.everything or (
            scope.school_id is not None and scope.school_id == enrolment.school_id
        )
    # The bureau step: reviewers whose region holds the programme's region.
    return can_manage_programme(user, enrolment.programme)


def _check_decider(user, enrolment: Enrolment) -> None:
    if enrolment.status != Enrolment.Status.PENDING:
        raise ValidationError(NOT_PENDING, code="not_pending")
    if not can_decide(user, enrolment):
        raise PermissionDenied(
            NOT_SCHOOL_ADMIN if enrolment.step == Enrolment.Step.SCHOOL else NOT_BUREAU
        )


@transaction.atomic
def enrolment_approve(*, enrolment: Enrolment, user, note: str = "") -> Enrolment:
    """Approve at the current step; the last step admits the teacher."""
    enrolment = _lock(enrolment, programme_too=False)
    _check_decider(user, enrolment)
    steps = enrolment.programme.approval_steps
    step = enrolment.step
    _event(enrolment, Action.APPROVED, by=user, step=step, note=note)
    later = steps[steps.index(step) + 1 :] if step in steps else ()
    if later:
        enrolment.step = later[0]
    else:
        enrolment.status = Enrolment.Status.ADMITTED
        enrolment.step = ""
        enrolment.admitted_at = timezone.now()
        _event(enrolment, Action.ADMITTED)
    enrolment.save()
    from .notifications import enrolment_notify  # noqa: PLC0415

    enrolment_notify(enrolment=enrolment)
    return enrolment


@transaction.atomic
def enrolment_reject(*, enrolment: Enrolment, user, note: str = "") -> Enrolment:
    """Refuse at the current step; the seat goes to the waitlist."""
    enrolment = _lock(enrolment, programme_too=True)
    _check_decider(user, enrolment)
    _event(enrolment, Action.REJECTED, by=user, step=enrolment.step, note=note)
    enrolment.status = Enrolment.Status.REJECTED
    enrolment.step = ""
    enrolment.reserved_seat = False
    enrolment.save()
    from .notifications import enrolment_notify  # noqa: PLC0415

    enrolment_notify(enrolment=enrolment, note=note)
    _promote_locked(enrolment.programme, timezone.now())
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, user) -> Enrolment:
    """The teacher withdraws; a seat they held goes to the waitlist."""
    enrolment = _lock(enrolment, programme_too=True)
    if enrolment.teacher_id != user.pk:
        raise PermissionDenied(WITHDRAW_NOT_YOURS)
    if enrolment.status not in (
        Enrolment.Status.PENDING,
        Enrolment.Status.ADMITTED,
        Enrolment.Status.WAITLISTED,
    ):
        raise ValidationError(WITHDRAW_NOT_ACTIVE, code="not_active")
    if timezone.localdate() > enrolment.programme.ends_on:
        raise ValidationError(WITHDRAW_ENDED, code="ended")
    held = enrolment.holds_seat
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.step = ""
    enrolment.reserved_seat = False
    enrolment.save()
    _event(enrolment, Action.WITHDRAWN, by=user)
    if held:
        _promote_locked(enrolment.programme, timezone.now())
    return enrolment


def _promote_locked(programme: Programme, now: datetime) -> list[Enrolment]:
    """Give free seats to the waitlist (the programme row is locked)."""
    if timezone.localdate() > programme.ends_on:
        return []  # the programme is over: no late admissions
    waiting = list(
        Enrolment.objects.filter(
            programme=programme, status=Enrolment.Status.WAITLISTED
        ).order_by("applied_at", "pk")
    )
    if not waiting:
        return []
    holders = Enrolment.objects.filter(
        programme=programme, status__in=Enrolment.SEAT_HOLDING
    )
    per_school = dict(
        holders.values("school_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "n")
    )
    counts = holders.aggregate(
        n=Count("pk"), reserved=Count("pk", filter=Q(reserved_seat=True))
    )
    quotas = dict(programme.quotas.values_list("school_id", "seats")) or None
    chosen = promotions(
        occupancy_of(programme, counts["n"], counts["reserved"], now),
        waitlist=[Candidate(e.pk, e.school_id, e.priority) for e in waiting],
        quotas=quotas,
        school_holders=per_school,
    )
    by_id = {e.pk: e for e in waiting}
    promoted = []
    for pk, seat in chosen:
        enrolment = by_id[pk]
        enrolment.programme = programme
        _take_seat(enrolment, seat, now)
        enrolment.save()
        _after_seat_taken(enrolment, action=Action.PROMOTED)
        promoted.append(enrolment)
    return promoted


@transaction.atomic
def programme_waitlist_promote(*, programme: Programme) -> list[Enrolment]:
    """Fill free seats from the waitlist (after seats or quotas grew, or once
    enrolment closed and the reserved share lapsed)."""
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    return _promote_locked(locked, timezone.now())


def waitlists_promote() -> int:
    """Promote on every programme that has a waitlist and has not ended."""
    ids = (
        Enrolment.objects.filter(
            status=Enrolment.Status.WAITLISTED,
            programme__ends_on__gte=timezone.localdate(),
        )
        .values_list("programme_id", flat=True)
        .distinct()
    )
    promoted = 0
    for programme in Programme.objects.filter(pk__in=list(ids)):
        promoted += len(programme_waitlist_promote(programme=programme))
    return promoted
