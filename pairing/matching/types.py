"""Plain data in and out of the matching engine.

Inputs are small frozen dataclasses that a selector builds from ``.values()``
rows (see ``partners_from_rows`` / ``helpers_from_rows``); outputs carry every
number the solver used, in integer *units*, so a proposal's explanation adds up
exactly to its score.
"""

from __future__ import annotations

import enum
import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

# Scores are optimised as integers: one point (priority 1 x strength 1) is
# SCALE units, so every need contribution and every distance penalty is rounded
# (half to even) to 0.001 point before the solver sees it. The solver is exact
# on these integers; against unrounded floats a whole assignment can differ by
# at most 0.0005 point per need and per penalty it contains.
SCALE = 1000

NeedKey = tuple[str, str]  # (subject, stage)


@dataclass(frozen=True, slots=True)
class Need:
    """One declared need of a partner: a subject at a school stage."""

    subject: str
    stage: str
    priority: float = 1.0


@dataclass(frozen=True, slots=True)
class Partner:
    """The side that is helped: a rural school, or a rural teacher (师徒结对).

    ``region_path`` is ``Region.path`` ("/510000/510600/510623/...") or a tuple
    of the same codes. ``travel`` says that help must come on site (送教下乡):
    only then do the helper's distance limit and the distance penalty apply.
    Missing coordinates mean "distance unknown": no limit, no penalty.
    """

    id: Hashable
    region_path: str | tuple[str, ...]
    needs: tuple[Need, ...] = ()
    travel: bool = False
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Helper:
    """The helping side: urban school, studio or mentor teacher.

    ``strengths`` maps (subject, stage) to a non-negative strength (0-1 or a
    small integer); ``capacity`` is N of 1+N, counting active pairings.
    ``max_travel_km`` limits pairings with partners that need on-site help;
    None means no limit.
    """

    id: Hashable
    region_path: str | tuple[str, ...]
    strengths: Mapping[NeedKey, float] = field(default_factory=dict)
    capacity: int = 1
    max_travel_km: float | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class MatchOptions:
    """Per-run knobs.

    ``penalty_per_km``: points subtracted per km where the partner needs travel
    (default 0.01: 100 km cost as much as one priority-1 need at strength 1).
    ``local_level``: depth of the region path that counts as "same region"
    (3 = county, as Region.Level.COUNTY).
    ``allow_repeat``: allow re-pairing recently ended pairs.
    """

    allow_repeat: bool = False
    penalty_per_km: float = 0.01
    local_level: int = 3


class Reason(enum.StrEnum):
    """Why an unpaired partner got no proposal (stable codes, for storage)."""

    NO_NEEDS = "no_needs"
    NO_REGION_CANDIDATE = "no_region_candidate"
    NO_STRENGTH = "no_strength"
    OUT_OF_DISTANCE = "out_of_distance"
    ONLY_RECENT = "only_recently_ended"
    NO_CAPACITY = "no_capacity"
    LOST_TO_OTHERS = "lost_to_others"


class RuleKind(enum.StrEnum):
    SAME_REGION = "same_region"
    CROSS_REGION = "cross_region"


@dataclass(frozen=True, slots=True)
class RegionRule:
    """The region rule that allowed a pair: the shared local region code, or
    the configured (helper region, partner region) cross-region pair."""

    kind: RuleKind
    helper_code: str
    partner_code: str


@dataclass(frozen=True, slots=True)
class NeedMatch:
    """One of the partner's needs against the helper's strength on it."""

    subject: str
    stage: str
    priority: float
    strength: float
    units: int  # round(priority * strength * SCALE)

    @property
    def points(self) -> float:
        return self.units / SCALE


@dataclass(frozen=True, slots=True)
class ScoreBreakdown:
    """Why a pair scores what it scores: score_units = need_units - penalty_units."""

    needs: tuple[NeedMatch, ...]  # every need of the partner, strength 0 if none
    need_units: int
    travel: bool
    distance_km: float | None
    penalty_units: int
    region_rule: RegionRule
    repeat: bool  # re-pairs a recently ended pair (allowed by the options)

    @property
    def matched(self) -> tuple[NeedMatch, ...]:
        return tuple(n for n in self.needs if n.units > 0)


@dataclass(frozen=True, slots=True)
class Proposal:
    helper_id: Hashable
    partner_id: Hashable
    score_units: int
    breakdown: ScoreBreakdown

    @property
    def score(self) -> float:
        return self.score_units / SCALE

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready explanation, e.g. for a proposal's JSONField."""
        data = asdict(self)
        data["score"] = self.score
        bd = data["breakdown"]
        bd["need_points"] = self.breakdown.need_units / SCALE
        bd["penalty_points"] = self.breakdown.penalty_units / SCALE
        bd["region_rule"]["kind"] = str(self.breakdown.region_rule.kind)
        if bd["distance_km"] is not None and math.isnan(bd["distance_km"]):
            bd["distance_km"] = None
        return data


@dataclass(frozen=True, slots=True)
class Funnel:
    """How many helpers survived each filter, in the order reasons are given."""

    region: int
    strength: int
    distance: int
    recent: int
    capacity: int


@dataclass(frozen=True, slots=True)
class Uncovered:
    partner_id: Hashable
    reason: Reason
    funnel: Funnel
    # For LOST_TO_OTHERS: the feasible helpers, all full in the returned plan.
    candidates: tuple[Hashable, ...] = ()


@dataclass(frozen=True, slots=True)
class HelperUsage:
    helper_id: Hashable
    capacity: int
    active: int  # slots held by active pairings
    proposed: int  # slots filled by this run's proposals

    @property
    def spare(self) -> int:
        return max(0, self.capacity - self.active - self.proposed)


@dataclass(frozen=True, slots=True)
class MatchSummary:
    partners: int  # all partners given
    already_paired: int  # kept by active pairings, not re-matched
    to_match: int
    covered: int
    max_coverage: int  # maximum number of partners any plan could cover
    objective_units: int  # sum of proposal score units
    capacity_total: int
    capacity_free: int  # left after active pairings, before this run
    candidate_pairs: int  # feasible (helper, partner) pairs the solver saw
    method: str

    @property
    def uncovered(self) -> int:
        return self.to_match - self.covered

    @property
    def objective(self) -> float:
        return self.objective_units / SCALE


@dataclass(frozen=True, slots=True)
class MatchResult:
    proposals: tuple[Proposal, ...]
    uncovered: tuple[Uncovered, ...]
    kept: tuple[tuple[Hashable, Hashable], ...]  # active (helper, partner) pairs
    helpers: tuple[HelperUsage, ...]
    summary: MatchSummary


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def partners_from_rows(
    partner_rows: Iterable[Mapping[str, Any]], need_rows: Iterable[Mapping[str, Any]]
) -> list[Partner]:
    """Partners from ``.values()`` rows.

    partner row keys: id, region_path, and optionally travel, lat, lon;
    need row keys: partner_id, subject, stage, and optionally priority.
    """
    needs: defaultdict[Hashable, list[Need]] = defaultdict(list)
    for row in need_rows:
        needs[row["partner_id"]].append(
            Need(row["subject"], row["stage"], float(row.get("priority", 1.0)))
        )
    return [
        Partner(
            id=row["id"],
            region_path=row["region_path"],
            needs=tuple(needs.get(row["id"], ())),
            travel=bool(row.get("travel", False)),
            lat=_float_or_none(row.get("lat")),
            lon=_float_or_none(row.get("lon")),
        )
        for row in partner_rows
    ]


def helpers_from_rows(
    helper_rows: Iterable[Mapping[str, Any]],
    strength_rows: Iterable[Mapping[str, Any]],
) -> list[Helper]:
    """Helpers from ``.values()`` rows.

    helper row keys: id, region_path, capacity, and optionally max_travel_km,
    lat, lon; strength row keys: helper_id, subject, stage, strength.
    """
    strengths: defaultdict[Hashable, dict[NeedKey, float]] = defaultdict(dict)
    for row in strength_rows:
        strengths[row["helper_id"]][(row["subject"], row["stage"])] = float(
            row["strength"]
        )
    return [
        Helper(
            id=row["id"],
            region_path=row["region_path"],
            strengths=strengths.get(row["id"], {}),
            capacity=int(row["capacity"]),
            max_travel_km=_float_or_none(row.get("max_travel_km")),
            lat=_float_or_none(row.get("lat")),
            lon=_float_or_none(row.get("lon")),
        )
        for row in helper_rows
    ]
