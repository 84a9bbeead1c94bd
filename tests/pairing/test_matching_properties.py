"""Property tests: on random small instances the engine equals brute force.

The brute force below re-implements the rules from the specification
independently (region, strength, travel limit, recently ended, capacity left
after active pairings) and enumerates every feasible plan, keeping the best
(coverage, total score) lexicographically.
"""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairing.matching import (
    SCALE,
    Helper,
    MatchOptions,
    Need,
    Partner,
    Reason,
    RuleKind,
    match,
)

PARTNER_REGIONS = [
    "/130000/130600/130624/",
    "/130000/130600/130624/130624100/",
    "/130000/130600/130627/",
]
# Weighted towards the partners' county, so that helpers compete.
HELPER_REGIONS = [
    PARTNER_REGIONS[0],
    PARTNER_REGIONS[0],
    PARTNER_REGIONS[2],
    "/110000/110100/110105/",
]
CROSS = [("110105", "130600"), ("110105", "130627"), ("130627", "130624")]
KEYS = [("math", "primary"), ("math", "junior"), ("music", "primary")]
STRENGTHS = [0.0, 0.25, 0.5, 0.8, 1.0, 3.0]
PRIORITIES = [0.5, 1.0, 2.0, 3.0]


@st.composite
def instances(draw):
    n_p = draw(st.integers(1, 6))
    n_h = draw(st.integers(1, 4))
    partners = []
    for i in range(n_p):
        # Mostly one to three needs; now and then a partner that declared none.
        min_needs = draw(st.sampled_from([0, 1, 1, 1]))
        keys = draw(
            st.lists(st.sampled_from(KEYS), min_size=min_needs, max_size=3, unique=True)
        )
        needs = tuple(Need(s, g, draw(st.sampled_from(PRIORITIES))) for s, g in keys)
        partners.append(
            Partner(
                id=f"p{i}",
                region_path=draw(st.sampled_from(PARTNER_REGIONS)),
                needs=needs,
                travel=draw(st.booleans()),
            )
        )
    helpers = [
        Helper(
            id=f"h{j}",
            region_path=draw(st.sampled_from(HELPER_REGIONS)),
            strengths={
                key: draw(st.sampled_from(STRENGTHS))
                for key in draw(
                    st.lists(st.sampled_from(KEYS), min_size=1, unique=True)
                )
            },
            capacity=draw(st.integers(1, 3)),
            max_travel_km=draw(st.sampled_from([None, 50.0, 100.0, 150.0])),
        )
        for j in range(n_h)
    ]
    all_pairs = [(h.id, p.id) for h in helpers for p in partners]
    distances = {
        pair: float(draw(st.integers(0, 200)))
        for pair in draw(st.lists(st.sampled_from(all_pairs), unique=True))
    }
    active = draw(st.lists(st.sampled_from(all_pairs), max_size=3, unique=True))
    # One helper per actively paired partner, as pairings are made.
    active = list({p: (h, p) for h, p in active}.values())
    recent = draw(st.lists(st.sampled_from(all_pairs), max_size=4, unique=True))
    cross = draw(st.lists(st.sampled_from(CROSS), unique=True))
    options = MatchOptions(
        allow_repeat=draw(st.booleans()),
        penalty_per_km=draw(st.sampled_from([0.0, 0.01, 0.05])),
    )
    return partners, helpers, distances, active, recent, cross, options


def codes(path):
    return [c for c in path.split("/") if c]


def region_ok(helper, partner, cross):
    h, p = codes(helper.region_path), codes(partner.region_path)
    return h[:3] == p[:3] or any(hc in h and pc in p for hc, pc in cross)


def pair_score(helper, partner, km, options):
    need_units = sum(
        round(n.priority * helper.strengths.get((n.subject, n.stage), 0.0) * SCALE)
        for n in partner.needs
    )
    penalty = (
        round(options.penalty_per_km * km * SCALE)
        if partner.travel and km is not None
        else 0
    )
    return need_units, need_units - penalty


def oracle(partners, helpers, distances, active, recent, cross, options):
    """Feasible candidates per partner, with scores, and the best plan value."""
    paired = {p for _, p in active}
    left = {
        h.id: max(0, h.capacity - sum(1 for a, _ in active if a == h.id))
        for h in helpers
    }
    candidates = {}
    funnels = {}
    for p in partners:
        if p.id in paired:
            continue
        stages = [[], [], [], [], []]
        for h in helpers:
            if not region_ok(h, p, cross):
                continue
            stages[0].append(h.id)
            km = distances.get((h.id, p.id))
            need_units, score = pair_score(h, p, km, options)
            if need_units <= 0:
                continue
            stages[1].append(h.id)
            if (
                p.travel
                and km is not None
                and h.max_travel_km is not None
                and km > h.max_travel_km
            ):
                continue
            stages[2].append(h.id)
            if (h.id, p.id) in set(recent) and not options.allow_repeat:
                continue
            stages[3].append(h.id)
            if left[h.id] == 0:
                continue
            stages[4].append((h.id, score))
        candidates[p.id] = stages[4]
        funnels[p.id] = tuple(len(s) for s in stages)

    order = list(candidates)
    best = (0, 0)

    def search(i, covered, total, room):
        nonlocal best
        if i == len(order):
            best = max(best, (covered, total))
            return
        search(i + 1, covered, total, room)
        for helper_id, score in candidates[order[i]]:
            if room[helper_id] > 0:
                room[helper_id] -= 1
                search(i + 1, covered + 1, total + score, room)
                room[helper_id] += 1

    search(0, 0, 0, dict(left))
    return candidates, funnels, left, best


@settings(
    # MATCHING_EXAMPLES=5000 for a longer search than the suite's default.
    max_examples=int(os.environ.get("MATCHING_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(instances(), st.randoms(use_true_random=False))
def test_engine_equals_brute_force_and_respects_every_rule(instance, rnd):
    partners, helpers, distances, active, recent, cross, options = instance
    result = match(
        partners,
        helpers,
        cross_region_pairs=cross,
        active_pairs=active,
        recent_pairs=recent,
        distances_km=distances,
        options=options,
    )
    candidates, funnels, left, best = oracle(*instance)

    # Optimal: lexicographic (coverage, total score) equals brute force.
    summary = result.summary
    assert (summary.covered, summary.objective_units) == best
    assert summary.max_coverage == best[0]

    # Every proposal is a feasible pair with the independently computed score,
    # and its breakdown adds up to it.
    by_id = {h.id: h for h in helpers}
    partner_by_id = {p.id: p for p in partners}
    seen_partners = set()
    load = dict.fromkeys(left, 0)
    for proposal in result.proposals:
        feasible = dict(candidates[proposal.partner_id])
        assert proposal.helper_id in feasible
        assert proposal.score_units == feasible[proposal.helper_id]
        bd = proposal.breakdown
        assert sum(n.units for n in bd.needs) - bd.penalty_units == proposal.score_units
        assert bd.repeat == ((proposal.helper_id, proposal.partner_id) in recent)
        helper = by_id[proposal.helper_id]
        partner = partner_by_id[proposal.partner_id]
        if bd.region_rule.kind == RuleKind.CROSS_REGION:
            rule = (bd.region_rule.helper_code, bd.region_rule.partner_code)
            assert rule in cross
            assert rule[0] in codes(helper.region_path)
            assert rule[1] in codes(partner.region_path)
        else:
            assert codes(helper.region_path)[:3] == codes(partner.region_path)[:3]
        assert proposal.partner_id not in seen_partners
        seen_partners.add(proposal.partner_id)
        load[proposal.helper_id] += 1
    assert all(load[h] <= left[h] for h in left)

    # Active pairings are kept as they are; their partners are not re-matched.
    assert set(result.kept) == set(active)
    paired = {p for _, p in active}
    assert not paired & seen_partners
    assert not paired & {u.partner_id for u in result.uncovered}

    # Every partner still to match is either proposed or explained.
    explained = {u.partner_id: u for u in result.uncovered}
    assert seen_partners.isdisjoint(explained)
    assert seen_partners | set(explained) == set(candidates)
    for partner_id, item in explained.items():
        f = item.funnel
        assert (f.region, f.strength, f.distance, f.recent, f.capacity) == (
            funnels[partner_id]
        )
        if item.reason == Reason.LOST_TO_OTHERS:
            assert set(item.candidates) == {h for h, _ in candidates[partner_id]}
            assert all(load[h] == left[h] for h in item.candidates)
        elif item.reason == Reason.NO_NEEDS:
            assert not partner_by_id[partner_id].needs
        else:
            assert candidates[partner_id] == []

    # The same data in another order gives the same plan.
    shuffled_p, shuffled_h = partners[:], helpers[:]
    rnd.shuffle(shuffled_p)
    rnd.shuffle(shuffled_h)
    again = match(
        shuffled_p,
        shuffled_h,
        cross_region_pairs=cross,
        active_pairs=active[::-1],
        recent_pairs=recent,
        distances_km=distances,
        options=options,
    )
    assert again == result


def test_brute_force_oracle_sees_the_coverage_first_trap():
    """The oracle itself prefers covering two partners over one better pair."""
    partners = [
        Partner("p0", PARTNER_REGIONS[0], (Need("math", "primary", 5.0),)),
        Partner("p1", PARTNER_REGIONS[0], (Need("music", "primary", 1.0),)),
    ]
    helpers = [
        Helper("h0", PARTNER_REGIONS[0], {KEYS[0]: 1.0, KEYS[2]: 1.0}),
        Helper("h1", PARTNER_REGIONS[0], {KEYS[0]: 0.2}),
    ]
    _, _, _, best = oracle(partners, helpers, {}, [], [], [], MatchOptions())
    assert best == (2, 2000)
