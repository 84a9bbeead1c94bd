"""The engine's input from the profiles; matching runs and proposals."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.roles import Role
from accounts.selectors import scope_queryset
from schools.models import Region

from ..models import (
    CrossRegionLink,
    HelperProfile,
    MatchingRun,
    MatchProposal,
    Need,
    Pairing,
    Strength,
)
from .common import HELPER_REGIONS, HOLDING, rural_schools
from .profiles import helper_profiles_editable

# --- Matching input -------------------------------------------------------------


@dataclass
class MatchingInput:
    partner_rows: list[dict]
    need_rows: list[dict]
    helper_rows: list[dict]
    strength_rows: list[dict]
    cross_region_pairs: list[tuple[str, str]]
    active_pairs: list[tuple]
    recent_pairs: list[tuple]


def _in_region(prefix: str, path: str) -> Q:
    return Q(**{f"{prefix}__path__startswith": path})


def cross_links_for(region: Region) -> QuerySet:
    """Links whose helped region contains or lies inside ``region``."""
    codes = region.path.strip("/").split("/")
    ancestors = ["/" + "/".join(codes[:n]) + "/" for n in range(1, len(codes) + 1)]
    return CrossRegionLink.objects.filter(
        Q(partner_region__path__startswith=region.path)
        | Q(partner_region__path__in=ancestors)
    ).select_related("helper_region", "partner_region")


def _helper_region_q(paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        for lookup in HELPER_REGIONS:
            q |= Q(**{f"{lookup}__path__startswith": path})
    return q


def helper_rows(profiles: QuerySet) -> list[dict]:
    """Engine rows of helper profiles (id = profile id)."""
    rows = list(
        profiles.annotate(
            region_path=Coalesce(
                "school__region__path",
                "studio__host_school__region__path",
                "mentor__school__region__path",
            ),
            lat=Coalesce(
                "school__latitude",
                "studio__host_school__latitude",
                "mentor__school__latitude",
            ),
            lon=Coalesce(
                "school__longitude",
                "studio__host_school__longitude",
                "mentor__school__longitude",
            ),
        ).values(
            "id", "region_path", "capacity", "travels", "max_travel_km", "lat", "lon"
        )
    )
    for row in rows:
        # Not willing to travel: no partner that needs help on site.
        if not row.pop("travels"):
            row["max_travel_km"] = 0
    return rows


def strength_rows(profile_ids) -> list[dict]:
    rows = Strength.objects.filter(profile_id__in=profile_ids).values_list(
        "profile_id", "subject_id", "stage_id", "level"
    )
    return [
        {"helper_id": h, "subject": subject, "stage": stage, "strength": level}
        for h, subject, stage, level in rows
    ]


def school_partner_rows(schools: QuerySet) -> tuple[list[dict], list[dict]]:
    """Engine rows of partner schools and their needs (id = school id)."""
    partners = list(
        schools.values(
            "id",
            region_path=F("region__path"),
            travel=Coalesce(F("need_profile__needs_on_site"), Value(False)),
            lat=F("latitude"),
            lon=F("longitude"),
        )
    )
    rows = Need.objects.filter(profile__school__in=schools).values_list(
        "profile__school_id", "subject_id", "stage_id", "priority"
    )
    needs = [
        {"partner_id": p, "subject": subject, "stage": stage, "priority": priority}
        for p, subject, stage, priority in rows
    ]
    return partners, needs


def teacher_partner_rows(teachers: QuerySet) -> tuple[list[dict], list[dict]]:
    """Engine rows of rural teachers (id = user id); their needs are their own
    subjects at their stages, mentoring being online (no travel)."""
    User = get_user_model()
    partners = list(
        teachers.values(
            "id",
            region_path=F("school__region__path"),
            lat=F("school__latitude"),
            lon=F("school__longitude"),
        ).distinct()
    )
    ids = [row["id"] for row in partners]
    stages = defaultdict(list)
    for row in User.stages.through.objects.filter(user_id__in=ids).values(
        "user_id", "stage_id"
    ):
        stages[row["user_id"]].append(row["stage_id"])
    needs = [
        {"partner_id": row["user_id"], "subject": row["subject_id"], "stage": stage}
        for row in User.subjects.through.objects.filter(user_id__in=ids).values(
            "user_id", "subject_id"
        )
        for stage in stages[row["user_id"]]
    ]
    return partners, needs


def rural_teachers(schools: QuerySet) -> QuerySet:
    return get_user_model().objects.filter(
        school__in=schools, is_active=True, groups__name=Role.RURAL_TEACHER.value
    )


def matching_input(run: MatchingRun) -> MatchingInput:
    """The engine's rows for a run, read with ``.values()`` only.

    Schools run: partners are the region's rural schools (all of them, so that
    a school without a need profile shows up as uncovered: 不漏一校), helpers
    the accepting school and studio profiles in the region and in the helping
    regions of configured cross-region links. Teachers run: partners are the
    region's rural teachers, helpers the accepting mentor profiles.
    """
    region = run.region
    links = list(cross_links_for(region))
    cross = [(link.helper_region.code, link.partner_region.code) for link in links]
    helper_paths = [region.path, *(link.helper_region.path for link in links)]
    profiles = HelperProfile.objects.filter(
        _helper_region_q(helper_paths), accepting=True
    )
    schools = rural_schools().filter(region__path__startswith=region.path)
    if run.kind == MatchingRun.Kind.SCHOOLS:
        profiles = profiles.filter(mentor__isnull=True)
        partners, needs = school_partner_rows(schools)
        partner_field = "partner_schools"
    else:
        profiles = profiles.filter(mentor__isnull=False, mentor__is_active=True)
        partners, needs = teacher_partner_rows(rural_teachers(schools))
        partner_field = "partner_teachers"
    helpers = helper_rows(profiles)
    active_pairs = [
        (_helper_of(row) or f"pairing:{row['pk']}", row[partner_field])
        for row in _pairing_sides(
            Pairing.objects.filter(status__in=HOLDING), partner_field
        )
    ]
    since = run.cycle_start.replace(year=run.cycle_start.year - run.cycle_years)
    recent_pairs = [
        (_helper_of(row), row[partner_field])
        for row in _pairing_sides(
            Pairing.objects.filter(status=Pairing.Status.ENDED, ended_on__gte=since),
            partner_field,
        )
        if _helper_of(row) is not None
    ]
    return MatchingInput(
        partner_rows=partners,
        need_rows=needs,
        helper_rows=helpers,
        strength_rows=strength_rows([row["id"] for row in helpers]),
        cross_region_pairs=cross,
        active_pairs=active_pairs,
        recent_pairs=recent_pairs,
    )


def _pairing_sides(qs: QuerySet, partner_field: str):
    return qs.filter(**{f"{partner_field}__isnull": False}).values(
        "pk",
        partner_field,
        "helper_school__helper_profile",
        "helper_studio__helper_profile",
        "helper_teacher__helper_profile",
    )


def _helper_of(row) -> int | None:
    return (
        row["helper_school__helper_profile"]
        or row["helper_studio__helper_profile"]
        or row["helper_teacher__helper_profile"]
    )


# --- Matching runs and proposals --------------------------------------------------


def matching_runs_visible(*, user) -> QuerySet:
    return scope_queryset(MatchingRun.objects.all(), user=user, regions=["region"])


def proposals_of(run: MatchingRun) -> QuerySet:
    return run.proposals.select_related(
        "helper__school",
        "helper__studio",
        "helper__mentor",
        "helper__mentor__school",
        "proposed_helper__school",
        "proposed_helper__studio",
        "proposed_helper__mentor",
        "partner_school",
        "partner_teacher",
        "partner_teacher__school",
        "decided_by",
        "pairing",
    ).order_by(
        # Those still to review first.
        Case(
            When(status=MatchProposal.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "-score",
        "pk",
    )


def helper_choices_for(proposal: MatchProposal, *, user) -> QuerySet:
    """Helpers a reviewer may put in place of the engine's choice: accepting
    profiles of the same kind (mentors for teachers), visible to the user."""
    profiles = helper_profiles_editable(user=user).filter(accepting=True)
    if proposal.partner_teacher_id:
        profiles = profiles.filter(mentor__isnull=False)
    else:
        profiles = profiles.filter(mentor__isnull=True)
    return profiles.select_related("school", "studio", "mentor").exclude(
        pk=proposal.helper_id
    )


def helper_load(profile: HelperProfile) -> int:
    """Partners the helper holds in approved or active pairings."""
    pairings = Pairing.objects.filter(status__in=HOLDING)
    if profile.school_id:
        pairings = pairings.filter(helper_school_id=profile.school_id)
    elif profile.studio_id:
        pairings = pairings.filter(helper_studio_id=profile.studio_id)
    else:
        pairings = pairings.filter(helper_teacher_id=profile.mentor_id)
    counts = pairings.aggregate(
        schools=Count("partner_schools", distinct=True),
        teachers=Count("partner_teachers", distinct=True),
    )
    return counts["schools"] + counts["teachers"]
