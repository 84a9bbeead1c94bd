"""Solving a matching problem and explaining the result.

The optimal plan is a maximum flow of minimum cost on
source -> partner (capacity 1) -> helper (capacity 1, cost -score units)
-> sink (capacity = the helper's remaining slots). Maximum flow first means
as many unpaired partners covered as capacity allows (不漏一校); minimum cost
among maximum flows means the highest total score among those plans.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from .problem import (
    F_CAPACITY,
    F_DISTANCE,
    F_RECENT,
    F_REGION,
    F_STRENGTH,
    MatchProblem,
    build_problem,
)
from .types import (
    SCALE,
    Funnel,
    Helper,
    HelperUsage,
    MatchResult,
    MatchSummary,
    NeedMatch,
    Partner,
    Proposal,
    Reason,
    ScoreBreakdown,
    Uncovered,
)

SOLVER_FAILED = "The min-cost flow solver failed with status {status}."


class MatchingError(RuntimeError):
    pass


def _network(problem: MatchProblem) -> tuple[np.ndarray, ...]:
    """Arc arrays of the flow network (edge arcs first), source and sink."""
    n_p, n_h = len(problem.partners), len(problem.helpers)
    source, sink = n_p + n_h, n_p + n_h + 1
    partners = np.flatnonzero(problem.funnel[:, F_CAPACITY] > 0).astype(np.int32)
    helpers = np.unique(problem.edge_head).astype(np.int32)
    tails = np.concatenate(
        [problem.edge_tail, np.full(len(partners), source, np.int32), n_p + helpers]
    ).astype(np.int32)
    heads = np.concatenate(
        [n_p + problem.edge_head, partners, np.full(len(helpers), sink, np.int32)]
    ).astype(np.int32)
    capacities = np.concatenate(
        [
            np.ones(len(problem.edge_tail) + len(partners), np.int64),
            problem.remaining[helpers],
        ]
    )
    return tails, heads, capacities, source, sink, len(partners)


def _min_cost_flow(problem: MatchProblem) -> tuple[np.ndarray, int]:
    n_e = len(problem.edge_tail)
    if n_e == 0:
        return np.zeros(0, bool), 0
    tails, heads, capacities, source, sink, supply = _network(problem)
    costs = np.zeros(len(tails), np.int64)
    costs[:n_e] = -problem.edge_units
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    solver.set_nodes_supplies(
        np.array([source, sink], np.int32), np.array([supply, -supply], np.int64)
    )
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise MatchingError(SOLVER_FAILED.format(status=status.name))
    flows = solver.flows(np.arange(n_e, dtype=np.int32))
    return np.asarray(flows) > 0, int(solver.maximum_flow())


def max_coverage(problem: MatchProblem) -> int:
    """The most unpaired partners any feasible plan can cover (a max flow),
    computed with a separate max-flow solver."""
    if len(problem.edge_tail) == 0:
        return 0
    tails, heads, capacities, source, sink, _ = _network(problem)
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(tails, heads, capacities)
    status = solver.solve(source, sink)
    if status != solver.OPTIMAL:
        raise MatchingError(SOLVER_FAILED.format(status=status.name))
    return int(solver.optimal_flow())


def solve(problem: MatchProblem) -> MatchResult:
    """The optimal plan: most partners covered, then the highest total score."""
    chosen, flow = _min_cost_flow(problem)
    return _result(problem, chosen, max_cov=flow, method="min_cost_flow")


def solve_greedy(problem: MatchProblem) -> MatchResult:
    """Baseline: take candidate pairs best score first while both sides are free.

    Not optimal on either criterion; kept to measure what optimality buys.
    """
    order = np.lexsort((problem.edge_head, problem.edge_tail, -problem.edge_units))
    left = problem.remaining.copy()
    taken = np.zeros(len(problem.partners), bool)
    chosen = np.zeros(len(problem.edge_tail), bool)
    tails, heads = problem.edge_tail, problem.edge_head
    for e in order.tolist():
        p, h = tails[e], heads[e]
        if not taken[p] and left[h] > 0:
            taken[p] = True
            left[h] -= 1
            chosen[e] = True
    return _result(problem, chosen, max_cov=max_coverage(problem), method="greedy")


def match(
    partners: Iterable[Partner], helpers: Iterable[Helper], **kwargs
) -> MatchResult:
    """build_problem(...) then solve(...); keyword arguments as build_problem."""
    return solve(build_problem(partners, helpers, **kwargs))


def _breakdown(problem: MatchProblem, e: int) -> ScoreBreakdown:
    partner = problem.partners[problem.edge_tail[e]]
    helper = problem.helpers[problem.edge_head[e]]
    needs = []
    for need in partner.needs:
        strength = float(helper.strengths.get((need.subject, need.stage), 0.0))
        priority = float(need.priority)
        units = round(priority * strength * SCALE)
        needs.append(NeedMatch(need.subject, need.stage, priority, strength, units))
    km = float(problem.edge_km[e])
    return ScoreBreakdown(
        needs=tuple(needs),
        need_units=int(problem.edge_need_units[e]),
        travel=partner.travel,
        distance_km=None if np.isnan(km) else km,
        penalty_units=int(problem.edge_penalty_units[e]),
        region_rule=problem.rules[problem.edge_rule[e]],
        repeat=bool(problem.edge_repeat[e]),
    )


def _reason(problem: MatchProblem, p: int) -> Reason:
    funnel = problem.funnel[p]
    if not problem.has_needs[p]:
        return Reason.NO_NEEDS
    for column, reason in (
        (F_REGION, Reason.NO_REGION_CANDIDATE),
        (F_STRENGTH, Reason.NO_STRENGTH),
        (F_DISTANCE, Reason.OUT_OF_DISTANCE),
        (F_RECENT, Reason.ONLY_RECENT),
        (F_CAPACITY, Reason.NO_CAPACITY),
    ):
        if funnel[column] == 0:
            return reason
    return Reason.LOST_TO_OTHERS


def _result(
    problem: MatchProblem, chosen: np.ndarray, *, max_cov: int, method: str
) -> MatchResult:
    n_p = len(problem.partners)
    picked = np.flatnonzero(chosen)
    picked = picked[np.argsort(problem.edge_tail[picked], kind="stable")]
    proposals = tuple(
        Proposal(
            helper_id=problem.helpers[problem.edge_head[e]].id,
            partner_id=problem.partners[problem.edge_tail[e]].id,
            score_units=int(problem.edge_units[e]),
            breakdown=_breakdown(problem, e),
        )
        for e in picked.tolist()
    )
    covered = np.zeros(n_p, bool)
    covered[problem.edge_tail[picked]] = True
    missing = np.flatnonzero(~covered)
    reasons = {int(p): _reason(problem, int(p)) for p in missing}
    lost = [p for p, r in reasons.items() if r is Reason.LOST_TO_OTHERS]
    candidates: dict[int, list[Hashable]] = {p: [] for p in lost}
    if lost:
        for e in np.flatnonzero(np.isin(problem.edge_tail, lost)).tolist():
            candidates[int(problem.edge_tail[e])].append(
                problem.helpers[problem.edge_head[e]].id
            )
    uncovered = tuple(
        Uncovered(
            partner_id=problem.partners[p].id,
            reason=reason,
            funnel=Funnel(*(int(x) for x in problem.funnel[p])),
            candidates=tuple(candidates.get(p, ())),
        )
        for p, reason in reasons.items()
    )
    proposed = np.bincount(problem.edge_head[picked], minlength=len(problem.helpers))
    helpers = tuple(
        HelperUsage(h.id, int(problem.capacity[i]), int(problem.active[i]), int(n))
        for i, (h, n) in enumerate(zip(problem.helpers, proposed.tolist(), strict=True))
    )
    summary = MatchSummary(
        partners=problem.partner_count,
        already_paired=problem.partner_count - n_p,
        to_match=n_p,
        covered=len(proposals),
        max_coverage=max_cov,
        objective_units=int(problem.edge_units[picked].sum()),
        capacity_total=int(problem.capacity.sum()),
        capacity_free=int(problem.remaining.sum()),
        candidate_pairs=len(problem.edge_tail),
        method=method,
    )
    return MatchResult(
        proposals=proposals,
        uncovered=uncovered,
        kept=problem.kept,
        helpers=helpers,
        summary=summary,
    )
