"""The bureau's coverage: who is still without help, and in what."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    F,
    Max,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.selectors import scope_queryset
from schools.models import Region

from ..models import (
    Need,
    Pairing,
    Strength,
)
from ..rhythm import (
    semester_of,
)
from .common import HOLDING, PAIRING_SCHOOLS, rural_schools
from .pairings import pairings_visible, with_sides

# --- Coverage -------------------------------------------------------------------


def coverage_regions(*, user) -> QuerySet:
    return scope_queryset(Region.objects.all(), user=user, regions=["pk"]).filter(
        level__gte=Region.Level.CITY
    )


def _schools_in(user, region: Region | None) -> QuerySet:
    schools = scope_queryset(rural_schools(), user=user, regions=["region"])
    if region is not None:
        schools = schools.filter(region__path__startswith=region.path)
    return schools


def coverage_unpaired_schools(*, user, region: Region | None = None) -> QuerySet:
    """Rural schools in scope without an approved or active pairing."""
    held = Pairing.objects.filter(status__in=HOLDING).values("partner_schools")
    return (
        _schools_in(user, region)
        .exclude(pk__in=held)
        .select_related("region", "need_profile")
        .annotate(need_count=Count("need_profile__needs"))
        .order_by("region__path", "code")
    )


def coverage_silent_pairings(
    *, user, region: Region | None = None, today: date | None = None
) -> QuerySet:
    """Active pairings in scope with no activity yet this semester."""
    today = today or timezone.localdate()
    semester = semester_of(today)
    pairings = pairings_visible(user=user).filter(status=Pairing.Status.ACTIVE)
    if region is not None:
        inside = Q(pk__in=[])
        for lookup in PAIRING_SCHOOLS:
            inside |= Q(**{f"{lookup}__region__path__startswith": region.path})
        pairings = pairings.filter(pk__in=Pairing.objects.filter(inside).values("pk"))
    return (
        with_sides(pairings)
        .annotate(
            last_activity=Max("activities__date"),
            this_semester=Count(
                "activities", filter=Q(activities__date__gte=semester.start)
            ),
        )
        .filter(this_semester=0)
        .order_by("last_activity", "pk")
    )


@dataclass
class UncoveredNeed:
    subject: str
    stage: str
    schools: int  # declaring the need
    covered: int  # whose holding pairing's helper is strong in it
    max_priority: int

    @property
    def uncovered(self) -> int:
        return self.schools - self.covered


def coverage_uncovered_needs(
    *, user, region: Region | None = None
) -> list[UncoveredNeed]:
    """Declared needs (subject, stage) and how many schools still lack help in
    them: no holding pairing, or one whose helper declared no strength there.
    Sorted by schools uncovered."""
    schools = _schools_in(user, region)
    needs = list(
        Need.objects.filter(profile__school__in=schools).values(
            "priority",
            "subject__name_zh",
            "stage__name_zh",
            "subject_id",
            "stage_id",
            school_id=F("profile__school_id"),
        )
    )
    school_ids = {n["school_id"] for n in needs}
    helpers_of: dict[int, set[int]] = defaultdict(set)
    rows = Pairing.objects.filter(
        status__in=HOLDING, partner_schools__in=school_ids
    ).values(
        school=F("partner_schools"),
        profile=Coalesce(
            "helper_school__helper_profile",
            "helper_studio__helper_profile",
            "helper_teacher__helper_profile",
        ),
    )
    for row in rows:
        if row["profile"] is not None:
            helpers_of[row["school"]].add(row["profile"])
    profile_ids = {p for ps in helpers_of.values() for p in ps}
    strong: set[tuple[int, str, str]] = {
        (s["profile_id"], s["subject_id"], s["stage_id"])
        for s in Strength.objects.filter(profile_id__in=profile_ids).values(
            "profile_id", "subject_id", "stage_id"
        )
    }
    table: dict[tuple[str, str], UncoveredNeed] = {}
    for need in needs:
        key = (need["subject_id"], need["stage_id"])
        row = table.setdefault(
            key,
            UncoveredNeed(need["subject__name_zh"], need["stage__name_zh"], 0, 0, 0),
        )
        row.schools += 1
        row.max_priority = max(row.max_priority, need["priority"])
        if any((p, *key) in strong for p in helpers_of.get(need["school_id"], ())):
            row.covered += 1
    return sorted(
        table.values(),
        key=lambda r: (-r.uncovered, -r.max_priority, r.stage, r.subject),
    )
