"""The pairing matching engine: plain data in, plain data out, no ORM.

Pairs helpers (urban schools, studios, mentor teachers) with partners (rural
schools, rural teachers) from the partners' declared needs (需什么送什么):

1. cover as many unpaired partners as the helpers' free capacity allows
   (不漏一校 comes first);
2. among those plans, maximise the total score, where a pair scores
   sum(need priority x helper strength on that need) minus a distance penalty
   when the partner needs on-site help (送教下乡).

Constraints: capacities (1+N, counting active pairings), region rules (same
county, or a configured cross-region pair), the helper's travel limit, active
pairings kept intact (their partners are not re-matched), recently ended pairs
avoided unless ``MatchOptions(allow_repeat=True)``. The plan is optimal: a
maximum flow of minimum cost (OR-Tools), on integer score units (see SCALE).
Ties are broken deterministically: partners and helpers are put in id order
first, so the same data in any order gives the same plan.

Usage::

    partners = partners_from_rows(partner_rows, need_rows)
    helpers = helpers_from_rows(helper_rows, strength_rows)
    result = match(
        partners,
        helpers,
        cross_region_pairs=[("110105", "130600")],
        active_pairs=[(helper_id, partner_id), ...],
        recent_pairs=[(helper_id, partner_id), ...],
        options=MatchOptions(allow_repeat=False),
    )
    result.proposals  # Proposal(helper_id, partner_id, score, breakdown)
    result.uncovered  # Uncovered(partner_id, reason, funnel, candidates)
    result.summary  # covered, max_coverage, objective, ...
"""

from .problem import MatchProblem, build_problem, haversine_km
from .solver import MatchingError, match, max_coverage, solve, solve_greedy
from .types import (
    SCALE,
    Funnel,
    Helper,
    HelperUsage,
    MatchOptions,
    MatchResult,
    MatchSummary,
    Need,
    NeedMatch,
    Partner,
    Proposal,
    Reason,
    RegionRule,
    RuleKind,
    ScoreBreakdown,
    Uncovered,
    helpers_from_rows,
    partners_from_rows,
)

__all__ = [
    "SCALE",
    "Funnel",
    "Helper",
    "HelperUsage",
    "MatchOptions",
    "MatchProblem",
    "MatchResult",
    "MatchSummary",
    "MatchingError",
    "Need",
    "NeedMatch",
    "Partner",
    "Proposal",
    "Reason",
    "RegionRule",
    "RuleKind",
    "ScoreBreakdown",
    "Uncovered",
    "build_problem",
    "haversine_km",
    "helpers_from_rows",
    "match",
    "max_coverage",
    "partners_from_rows",
    "solve",
    "solve_greedy",
]
