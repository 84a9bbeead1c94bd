"""Pairings as their pages show them, and who is on each side."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.selectors import scope_queryset, user_scope

from ..models import (
    Activity,
    ActivityParticipant,
    Notification,
    Pairing,
    Target,
)
from ..rhythm import (
    ActivityFact,
    Progress,
    Rhythm,
    TargetFact,
    missed_semesters,
    rhythm,
    semester_of,
    target_progress,
)
from .common import PAIRING_EDITORS, PAIRING_READERS, PAIRING_SCHOOLS

# --- Pairings -------------------------------------------------------------------


def pairings_visible(*, user) -> QuerySet:
    return scope_queryset(
        Pairing.objects.all(),
        user=user,
        schools=PAIRING_SCHOOLS,
        users=PAIRING_READERS,
    )


def pairings_editable(*, user) -> QuerySet:
    return scope_queryset(
        Pairing.objects.all(),
        user=user,
        schools=PAIRING_SCHOOLS,
        users=PAIRING_EDITORS,
    )


def pairing_can_edit(*, user, pairing: Pairing) -> bool:
    if user_scope(user).everything:
        return True
    return pairings_editable(user=user).filter(pk=pairing.pk).exists()


def with_sides(qs: QuerySet) -> QuerySet:
    """Both sides of each pairing in a constant number of queries."""
    return qs.select_related(
        "helper_school",
        "helper_studio",
        "helper_studio__host_school",
        "helper_teacher",
        "helper_teacher__school",
    ).prefetch_related(
        "partner_schools",
        Prefetch(
            "partner_teachers",
            queryset=get_user_model().objects.select_related("school"),
        ),
    )


def _activities_for_progress() -> Prefetch:
    return Prefetch(
        "activities",
        queryset=Activity.objects.annotate(
            partner_count=Count(
                "participants",
                filter=Q(participants__side=ActivityParticipant.Side.PARTNER),
            )
        ).prefetch_related("targets"),
    )


@dataclass
class TargetRow:
    target: Target
    progress: Progress


@dataclass
class PairingCard:
    """A pairing with what its pages show: rhythm, targets, progress."""

    pairing: Pairing
    rhythm: Rhythm
    last_activity: date | None
    activity_count: int
    targets: list[TargetRow]
    can_edit: bool = False

    @property
    def targets_done(self) -> int:
        return sum(1 for t in self.targets if t.progress.state == "done")

    @property
    def targets_behind(self) -> list[TargetRow]:
        return [t for t in self.targets if t.progress.state in ("behind", "overdue")]


def _facts(activities) -> list[ActivityFact]:
    return [
        ActivityFact(
            id=a.pk,
            type=a.type,
            date=a.date,
            hours=a.hours,
            partner_participants=getattr(a, "partner_count", 0),
            target_ids=frozenset(t.pk for t in a.targets.all()),
        )
        for a in activities
    ]


def card_for(pairing: Pairing, *, today: date, can_edit: bool = False) -> PairingCard:
    """Needs ``targets`` and ``activities`` prefetched as :func:`pairing_cards`."""
    activities = list(pairing.activities.all())
    facts = _facts(activities)
    last = max((a.date for a in activities), default=None)
    rows = [
        TargetRow(
            target=t,
            progress=target_progress(
                TargetFact(
                    id=t.pk,
                    activity_type=t.activity_type,
                    unit=t.unit,
                    quantity=t.quantity,
                    due_date=t.due_date,
                    reported=t.reported,
                ),
                facts,
                start=pairing.start_date,
                today=today,
            ),
        )
        for t in pairing.targets.all()
    ]
    return PairingCard(
        pairing=pairing,
        rhythm=rhythm(
            active=pairing.status == Pairing.Status.ACTIVE,
            last_activity=last,
            today=today,
        ),
        last_activity=last,
        activity_count=len(activities),
        targets=rows,
        can_edit=can_edit,
    )


def pairing_cards(*, user, pairings: QuerySet, today: date | None = None) -> list:
    """Cards for a page of pairings: a fixed number of queries, any page size."""
    today = today or timezone.localdate()
    editable = set(
        pairings_editable(user=user)
        .filter(pk__in=[p.pk for p in pairings])
        .values_list("pk", flat=True)
    )
    return [
        card_for(p, today=today, can_edit=p.pk in editable or user.is_platform_admin)
        for p in pairings
    ]


def pairing_list_for_user(*, user) -> QuerySet:
    """The user's pairings for "my pairings": live first, then history."""
    status_order = {
        Pairing.Status.ACTIVE: 0,
        Pairing.Status.APPROVED: 1,
        Pairing.Status.PROPOSED: 2,
        Pairing.Status.ENDED: 3,
    }
    order = Case(
        *(When(status=s, then=Value(n)) for s, n in status_order.items()),
        output_field=IntegerField(),
    )
    return (
        with_sides(pairings_visible(user=user))
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.select_related("responsible")),
            _activities_for_progress(),
        )
        .annotate(status_rank=order)
        .order_by("status_rank", "-start_date", "-pk")
    )


def pairing_detail(*, user, pk: int) -> Pairing | None:
    """One pairing the user may see, with everything its page shows."""
    participants = ActivityParticipant.objects.select_related("user", "user__school")
    activities = (
        Activity.objects.annotate(
            partner_count=Count(
                "participants",
                filter=Q(participants__side=ActivityParticipant.Side.PARTNER),
            )
        )
        .select_related("created_by")
        .prefetch_related(
            "targets",
            "evidence",
            Prefetch("participants", queryset=participants),
        )
    )
    return (
        with_sides(pairings_visible(user=user))
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.select_related("responsible")),
            Prefetch("activities", queryset=activities),
            "mentors",
            "signed_scans",
            "events__by",
        )
        .filter(pk=pk)
        .first()
    )


def pairing_missed_semesters(pairing: Pairing, *, today: date) -> list:
    """Needs ``activities`` prefetched."""
    if pairing.status not in (Pairing.Status.ACTIVE, Pairing.Status.ENDED):
        return []
    until = min(today, pairing.ended_on or today)
    return missed_semesters(
        start=pairing.start_date,
        today=until,
        activity_dates=[a.date for a in pairing.activities.all()],
    )


# --- Who is on each side --------------------------------------------------------


def helper_side_people(pairing: Pairing) -> QuerySet:
    """Teachers of the helping side: they may be listed as its participants.

    A studio's members count, except those who teach at a partner school
    (studios gather rural teachers too: there they are on the helped side).
    """
    User = get_user_model()
    q = Q(pk__in=pairing.mentors.values("pk"))
    if pairing.helper_school_id:
        q |= Q(school_id=pairing.helper_school_id)
    if pairing.helper_studio_id:
        studio = pairing.helper_studio
        members = studio.members.exclude(
            school__in=pairing.partner_schools.values("pk")
        ).exclude(pk__in=pairing.partner_teachers.values("pk"))
        q |= Q(pk=studio.leader_id) | Q(pk__in=members.values("pk"))
    if pairing.helper_teacher_id:
        q |= Q(pk=pairing.helper_teacher_id)
    return (
        User.objects.filter(q, is_active=True)
        .select_related("school")
        .order_by("school__code", "real_name", "pk")
    )


def partner_side_people(pairing: Pairing) -> QuerySet:
    """Teachers of the helped side: partner teachers and partner schools' staff."""
    User = get_user_model()
    q = Q(pk__in=pairing.partner_teachers.values("pk")) | Q(
        school__in=pairing.partner_schools.values("pk")
    )
    return (
        User.objects.filter(q, is_active=True)
        .select_related("school")
        .order_by("school__code", "real_name", "pk")
    )


def school_admins_of(school_ids) -> QuerySet:
    return get_user_model().objects.filter(
        school_id__in=school_ids, is_active=True, groups__name=Role.SCHOOL_ADMIN.value
    )


# --- Notifications --------------------------------------------------------------


def notifications_for(*, user, limit: int = 10) -> list[Notification]:
    return list(
        Notification.objects.filter(user=user)
        .select_related(
            "pairing",
            "pairing__helper_school",
            "pairing__helper_studio",
            "pairing__helper_teacher",
        )
        .prefetch_related("pairing__partner_schools", "pairing__partner_teachers")
        .order_by("read_at", "-created_at")[:limit]
    )


# --- Next steps -----------------------------------------------------------------

STEP_INTERACT = _("Log an interaction this semester: %(days)s days left.")
STEP_BEHIND = _("“%(target)s” is behind: %(value)s of %(quantity)s %(unit)s.")
STEP_OVERDUE = _("“%(target)s” is overdue: %(value)s of %(quantity)s %(unit)s.")
STEP_NO_PERSON = _("Name the person responsible for “%(target)s”.")
STEP_SIGN = _("Print the agreement, have both sides sign it, and upload the scan.")
STEP_STARTS = _("The pairing starts on %(date)s.")


def next_steps(card: PairingCard, *, today: date) -> list[str]:
    """What the pairing's people should do next, most pressing first.

    Needs ``signed_scans`` prefetched on the card's pairing.
    """
    pairing = card.pairing
    steps: list[str] = []
    if pairing.status == Pairing.Status.APPROVED:
        steps.append(STEP_STARTS % {"date": f"{pairing.start_date:%Y-%m-%d}"})
    if card.rhythm in (Rhythm.AT_RISK, Rhythm.URGENT):
        steps.append(STEP_INTERACT % {"days": semester_of(today).days_left(today)})
    for row in card.targets:
        t, p = row.target, row.progress
        params = {
            "target": t.indicator,
            "value": f"{p.value.normalize():f}",
            "quantity": t.quantity,
            "unit": t.get_unit_display(),
        }
        if p.state == "overdue":
            steps.append(STEP_OVERDUE % params)
        elif p.state == "behind":
            steps.append(STEP_BEHIND % params)
    if pairing.is_live:
        steps += [
            STEP_NO_PERSON % {"target": row.target.indicator}
            for row in card.targets
            if row.target.responsible_id is None
        ]
        if not pairing.signed_scans.all():
            steps.append(str(STEP_SIGN))
    return [str(step) for step in steps]
