"""Reads of programmes: admin scope, seats, and the state each card shows.

:func:`programme_cards` answers, for a whole page of programmes and one viewer,
the seats left, the enrolment status and what the viewer can do, in a fixed
number of queries however many programmes the page shows.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    When,
    prefetch_related_objects,
)
from django.utils import timezone

from accounts.roles import Role
from accounts.selectors import scope_queryset

from ..eligibility import (
    ACTION_LABELS,
    REASON_LABELS,
    Action,
    Audience,
    Profile,
    Reason,
    Status,
    viewer_action,
    window_status,
)
from ..models import Enrolment, Programme, ProgrammeQuota, TargetRole
from ..seats import Occupancy, seats_left_for

# Honours (accounts.Honour codes) that make a teacher a backbone teacher.
BACKBONE_HONOURS = frozenset(
    {"backbone", "subject_leader", "special_grade", "teaching_expert", "famous_teacher"}
)
AUDIENCE_PREFETCH = ("stages", "subjects", "school_categories", "roles")
# The owning region is read for every card: loaded once for the page.
CARD_PREFETCH = ("region", *AUDIENCE_PREFETCH)


def programmes_for_user(*, user) -> QuerySet[Programme]:
    """Programmes whose owning region lies in ``user``'s scope (the admin)."""
    return scope_queryset(
        Programme.objects.select_related("region", "school"),
        user=user,
        regions=["region"],
    )


@dataclass(frozen=True)
class ProgrammeCard:
    """What one catalog card shows beside the programme's facts."""

    status: Status
    seats_left: int
    action: Action
    reason: Reason | None = None
    quota: int | None = None  # the viewer's school's quota, if any
    enrolment_status: str = ""  # the viewer's application, if any

    @property
    def action_label(self) -> str:
        if self.enrolment_status:
            return Enrolment.Status(self.enrolment_status).label
        return ACTION_LABELS[self.action]

    @property
    def reason_label(self) -> str:
        return REASON_LABELS[self.reason] if self.reason else ""


def seat_counts(
    programme_ids: Iterable[int], *, school_id: int | None = None
) -> dict[int, tuple[int, int, int]]:
    """Per programme: seats held, of which reserved, of which by ``school_id``.

    One query for any number of programmes. Seats are held by applications
    awaiting approval, admitted teachers and those who completed.
    """
    rows = (
        Enrolment.objects.filter(
            programme_id__in=list(programme_ids), status__in=Enrolment.SEAT_HOLDING
        )
        .values("programme_id")
        .annotate(
            n=Count("pk"),
            reserved=Count("pk", filter=Q(reserved_seat=True)),
            school=Count("pk", filter=Q(school_id=school_id)),
        )
    )
    return {r["programme_id"]: (r["n"], r["reserved"], r["school"]) for r in rows}


def seats_taken(programme_ids: Iterable[int]) -> dict[int, int]:
    """Seats already taken per programme, in one query (0 where none)."""
    ids = list(programme_ids)
    counts = seat_counts(ids)
    return {pk: counts.get(pk, (0, 0, 0))[0] for pk in ids}


def enrolment_statuses(*, user, programme_ids: Iterable[int]) -> dict[int, str]:
    """``user``'s current application per programme (withdrawn ones left out)."""
    if user is None or not user.is_authenticated:
        return {}
    rows = Enrolment.objects.filter(
        teacher=user, programme_id__in=list(programme_ids)
    ).exclude(status=Enrolment.Status.WITHDRAWN)
    return dict(rows.values_list("programme_id", "status"))


def applied_programme_ids(*, user, programme_ids: Iterable[int]) -> frozenset[int]:
    """Programmes ``user`` has applied to and not withdrawn from."""
    return frozenset(enrolment_statuses(user=user, programme_ids=programme_ids))


def occupancy_of(programme: Programme, holders: int, reserved: int, now) -> Occupancy:
    """The seats of ``programme``; the reserved share lapses once enrolment closes."""
    held_back = programme.reserved_seats if now < programme.enrol_closes_at else 0
    return Occupancy(
        seats=programme.seats,
        reserved=held_back,
        holders=holders,
        reserved_holders=reserved,
    )


def viewer_profile(user) -> Profile | None:
    """``user`` as the eligibility rules see them; None for anonymous viewers.

    A few queries per request, independent of the programmes shown.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    from accounts.models import User  # noqa: PLC0415  (layer below, lazy for apps)

    viewer = (
        User.objects.select_related("school__region")
        .prefetch_related("stages", "subjects", "honours", "groups", "school__stages")
        .get(pk=user.pk)
    )
    school = viewer.school
    roles = set()
    if school is not None:
        roles.add(TargetRole.TEACHER)
    honours = {h.code for h in viewer.honours.all()}
    if honours & BACKBONE_HONOURS:
        roles.add(TargetRole.BACKBONE)
    if viewer.has_role(Role.SCHOOL_ADMIN) or "famous_principal" in honours:
        roles.add(TargetRole.PRINCIPAL)
    if viewer.has_role(Role.MENTOR):
        roles.add(TargetRole.MENTOR)
    stages = {s.code for s in viewer.stages.all()}
    if not stages and school is not None:
        # Rosters may leave a teacher's stages blank: the school's then apply.
        stages = {s.code for s in school.stages.all()}
    return Profile(
        school_id=school.pk if school else None,
        school_region_path=school.region.path if school else "",
        school_category=school.category if school else "",
        school_is_rural=school.is_rural if school else False,
        stages=frozenset(stages),
        subjects=frozenset(s.code for s in viewer.subjects.all()),
        roles=frozenset(roles),
    )


def programme_audience(programme: Programme, quota_school_ids=(), has_quotas=False):
    """The :class:`Audience` of a programme whose audience lists are loaded."""
    return Audience(
        region_path=programme.region.path,
        stages=frozenset(s.code for s in programme.stages.all()),
        subjects=frozenset(s.code for s in programme.subjects.all()),
        school_categories=frozenset(c.code for c in programme.school_categories.all()),
        roles=frozenset(r.code for r in programme.roles.all()),
        has_quotas=has_quotas,
        quota_school_ids=frozenset(quota_school_ids),
    )


def programme_cards(
    *,
    programmes: Sequence[Programme],
    user,
    now: datetime | None = None,
    profile: Profile | None | bool = False,
) -> dict[int, ProgrammeCard]:
    """Card state per programme id, for one viewer, in one batch of queries.

    Regions and audience lists are loaded here in one query each, unless the
    caller already has them (``select_related`` / ``prefetch_related``). Pass
    ``profile`` when the caller has loaded it already (False: load it here).
    """
    now = now or timezone.now()
    if profile is False:
        profile = viewer_profile(user)
    programmes = list(programmes)
    if not programmes:
        return {}
    prefetch_related_objects(programmes, *CARD_PREFETCH)
    ids = [p.pk for p in programmes]
    school_id = profile.school_id if profile is not None else None
    quota_rows = (
        ProgrammeQuota.objects.filter(programme_id__in=ids)
        .values("programme_id")
        .annotate(
            n=Count("id"),
            mine=Sum(
                Case(
                    When(school_id=school_id, then="seats"),
                    default=0,
                    output_field=IntegerField(),
                )
            ),
        )
    )
    quotas = {row["programme_id"]: (row["n"], row["mine"]) for row in quota_rows}
    counts = seat_counts(ids, school_id=school_id)
    applied = enrolment_statuses(user=user, programme_ids=ids) if profile else {}
    priority = profile.is_rural_backbone if profile is not None else False
    cards = {}
    for programme in programmes:
        n_quotas, mine = quotas.get(programme.pk, (0, 0))
        audience = programme_audience(
            programme,
            quota_school_ids=[school_id] if mine else [],
            has_quotas=n_quotas > 0,
        )
        status = window_status(programme.enrol_opens_at, programme.enrol_closes_at, now)
        holders, reserved, of_school = counts.get(programme.pk, (0, 0, 0))
        occupancy = occupancy_of(programme, holders, reserved, now)
        seats_left = max(programme.seats - holders, 0)
        viewer_left = seats_left
        if profile is not None:
            viewer_left = seats_left_for(
                occupancy,
                priority=priority,
                quota=(mine or 0) if n_quotas else None,
                school_holders=of_school,
            )
        action, reason = viewer_action(
            status=status,
            seats_left=viewer_left,
            profile=profile,
            audience=audience,
            applied=programme.pk in applied,
        )
        cards[programme.pk] = ProgrammeCard(
            status=status,
            seats_left=seats_left,
            action=action,
            reason=reason,
            quota=mine or None,
            enrolment_status=applied.get(programme.pk, ""),
        )
    return cards


def status_filter(status: str, now: datetime | None = None) -> dict:
    """ORM lookups (relative to a Programme) selecting one enrolment status."""
    now = now or timezone.now()
    if status == Status.UPCOMING:
        return {"enrol_opens_at__gt": now}
    if status == Status.OPEN:
        return {"enrol_opens_at__lte": now, "enrol_closes_at__gt": now}
    if status == Status.CLOSED:
        return {"enrol_closes_at__lte": now}
    return {}
