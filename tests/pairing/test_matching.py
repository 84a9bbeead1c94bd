"""Hand-checked cases for the matching engine (no database needed)."""

import json
import random
from decimal import Decimal

import pytest

from pairing.matching import (
    SCALE,
    Helper,
    MatchOptions,
    Need,
    Partner,
    Reason,
    RuleKind,
    build_problem,
    helpers_from_rows,
    match,
    max_coverage,
    partners_from_rows,
    solve,
    solve_greedy,
)
from pairing.matching.problem import (
    BAD_CAPACITY,
    BAD_WEIGHT,
    DUPLICATE_ID,
    DUPLICATE_NEED,
)
from tests.perf.bench_matching import generate

FUPING = "/130000/130600/130624/"  # 阜平县, 保定
FUPING_TOWN = "/130000/130600/130624/130624100/"
TANG = "/130000/130600/130627/"  # 唐县, 保定
CHAOYANG = "/110000/110100/110105/"  # 北京朝阳区
NINGCHENG = "/150000/150400/150429/"  # 宁城县

MATH = ("math", "primary")
MUSIC = ("music", "primary")
ART = ("art", "primary")


def need(key, priority=1.0):
    return Need(key[0], key[1], priority)


def school(ident, *needs, region=FUPING, **kwargs):
    return Partner(id=ident, region_path=region, needs=tuple(needs), **kwargs)


def helper(ident, strengths, capacity=1, region=FUPING, **kwargs):
    return Helper(
        id=ident, region_path=region, strengths=strengths, capacity=capacity, **kwargs
    )


def pairs(result):
    return {(p.helper_id, p.partner_id) for p in result.proposals}


def test_single_pair_carries_its_score_breakdown():
    result = match(
        [school("s1", need(MATH, 3), need(MUSIC, 1), need(ART, 2))],
        [helper("h1", {MATH: 0.9, MUSIC: 0.5})],
    )

    (proposal,) = result.proposals
    assert (proposal.helper_id, proposal.partner_id) == ("h1", "s1")
    assert proposal.score == pytest.approx(3.2)  # 3 x 0.9 + 1 x 0.5
    assert proposal.score_units == 3200
    bd = proposal.breakdown
    assert [(n.subject, n.priority, n.strength, n.units) for n in bd.needs] == [
        ("math", 3.0, 0.9, 2700),
        ("music", 1.0, 0.5, 500),
        ("art", 2.0, 0.0, 0),
    ]
    assert [n.subject for n in bd.matched] == ["math", "music"]
    assert bd.need_units == 3200 and bd.penalty_units == 0
    assert bd.region_rule.kind == RuleKind.SAME_REGION
    assert bd.region_rule.helper_code == "130624"
    assert not bd.repeat
    assert result.uncovered == ()
    assert result.summary.covered == result.summary.max_coverage == 1
    assert result.summary.objective == pytest.approx(3.2)
    # The explanation can be stored as JSON as it is.
    stored = json.loads(json.dumps(proposal.as_dict()))
    assert stored["score"] == 3.2
    assert stored["breakdown"]["region_rule"]["kind"] == "same_region"


def test_coverage_first_beats_a_higher_quality_plan_covering_fewer_schools():
    # h1 is excellent for s1 but is the only helper s2 can use; h2 can only
    # help s1, and poorly. Best quality alone would pair h1-s1 (5.0) and leave
    # s2 out; covering both schools (1.0 + 1.0) must win.
    partners = [school("s1", need(MATH, 5)), school("s2", need(MUSIC, 1))]
    helpers = [helper("h1", {MATH: 1.0, MUSIC: 1.0}), helper("h2", {MATH: 0.2})]

    result = match(partners, helpers)

    assert pairs(result) == {("h2", "s1"), ("h1", "s2")}
    assert result.summary.covered == 2
    assert result.summary.objective_units == 1000 + 1000
    # The greedy baseline takes the best pair first and covers one school less.
    greedy = solve_greedy(build_problem(partners, helpers))
    assert pairs(greedy) == {("h1", "s1")}
    assert greedy.summary.max_coverage == 2
    (left,) = greedy.uncovered
    assert left.partner_id == "s2" and left.reason == Reason.LOST_TO_OTHERS


def test_among_plans_covering_everyone_the_best_total_score_wins():
    partners = [school("s1", need(MATH, 2)), school("s2", need(MUSIC, 2))]
    helpers = [
        helper("h1", {MATH: 0.9, MUSIC: 0.8}),
        helper("h2", {MATH: 0.5, MUSIC: 0.1}),
    ]
    # h1-s1 + h2-s2 = 1.8 + 0.2; h2-s1 + h1-s2 = 1.0 + 1.6 is better.
    result = match(partners, helpers)

    assert pairs(result) == {("h2", "s1"), ("h1", "s2")}
    assert result.summary.objective_units == 2600


def test_capacity_limits_one_plus_n_and_the_rest_are_reported_lost():
    partners = [
        school("s1", need(MATH, 1)),
        school("s2", need(MATH, 3)),
        school("s3", need(MATH, 2)),
    ]
    result = match(partners, [helper("h1", {MATH: 1.0}, capacity=2)])

    assert pairs(result) == {("h1", "s2"), ("h1", "s3")}
    (left,) = result.uncovered
    assert left.partner_id == "s1"
    assert left.reason == Reason.LOST_TO_OTHERS
    assert left.candidates == ("h1",)
    assert left.funnel.capacity == 1
    (usage,) = result.helpers
    assert (usage.capacity, usage.proposed, usage.spare) == (2, 2, 0)


def test_region_rules_same_county_only_unless_a_cross_region_pair_is_configured():
    partners = [school("fuping", need(MATH), region=FUPING_TOWN)]
    helpers = [
        helper("tang", {MATH: 1.0}, region=TANG),  # same city, other county
        helper("chaoyang", {MATH: 0.6}, region=CHAOYANG),
    ]

    alone = match(partners, helpers)
    assert alone.proposals == ()
    assert alone.uncovered[0].reason == Reason.NO_REGION_CANDIDATE

    # Chaoyang district helps the whole of Baoding city.
    paired = match(partners, helpers, cross_region_pairs=[("110105", "130600")])
    (proposal,) = paired.proposals
    assert proposal.helper_id == "chaoyang"
    rule = proposal.breakdown.region_rule
    assert (rule.kind, rule.helper_code, rule.partner_code) == (
        RuleKind.CROSS_REGION,
        "110105",
        "130600",
    )

    # The pair is directed: a Baoding helper may not help Chaoyang by it.
    reverse = match(
        [school("cy", need(MATH), region=CHAOYANG)],
        [helper("fp", {MATH: 1.0}, region=FUPING)],
        cross_region_pairs=[("110105", "130600")],
    )
    assert reverse.proposals == ()


def test_local_level_can_widen_the_same_region_rule_to_the_city():
    partners = [school("fuping", need(MATH))]
    helpers = [helper("tang", {MATH: 1.0}, region=TANG)]

    result = match(partners, helpers, options=MatchOptions(local_level=2))

    (proposal,) = result.proposals
    assert proposal.breakdown.region_rule.helper_code == "130600"


def test_active_pairings_stay_intact_and_use_up_capacity():
    partners = [
        school("s0", need(MATH, 5)),  # actively paired with h1
        school("s1", need(MATH, 1)),
        school("s2", need(MATH, 2)),
    ]
    helpers = [
        helper("h1", {MATH: 1.0}, capacity=2),
        helper("h2", {MATH: 1.0}, region=TANG),  # other county: not a candidate
    ]

    result = match(partners, helpers, active_pairs=[("h1", "s0")])

    assert result.kept == (("h1", "s0"),)
    assert pairs(result) == {("h1", "s2")}  # one slot was left
    assert "s0" not in {p.partner_id for p in result.proposals}
    assert "s0" not in {u.partner_id for u in result.uncovered}
    assert [u.partner_id for u in result.uncovered] == ["s1"]
    summary = result.summary
    assert (summary.partners, summary.already_paired, summary.to_match) == (3, 1, 2)
    assert (summary.capacity_total, summary.capacity_free) == (3, 2)
    h1 = next(u for u in result.helpers if u.helper_id == "h1")
    assert (h1.active, h1.proposed, h1.spare) == (1, 1, 0)


def test_helper_full_with_active_pairings_gives_no_capacity_reason():
    result = match(
        [school("s1", need(MATH))],
        [helper("h1", {MATH: 1.0}, capacity=1)],
        active_pairs=[("h1", "elsewhere")],
    )

    (left,) = result.uncovered
    assert left.reason == Reason.NO_CAPACITY
    assert result.kept == (("h1", "elsewhere"),)


def test_recently_ended_pairs_are_avoided_unless_allowed():
    partners = [school("s1", need(MATH))]
    helpers = [helper("old", {MATH: 1.0}), helper("new", {MATH: 0.4})]
    recent = [("old", "s1")]

    default = match(partners, helpers, recent_pairs=recent)
    assert pairs(default) == {("new", "s1")}

    again = match(
        partners,
        helpers,
        recent_pairs=recent,
        options=MatchOptions(allow_repeat=True),
    )
    (proposal,) = again.proposals
    assert proposal.helper_id == "old" and proposal.breakdown.repeat

    only_old = match(partners, helpers[:1], recent_pairs=recent)
    assert only_old.uncovered[0].reason == Reason.ONLY_RECENT


def test_distance_limit_and_penalty_apply_only_where_travel_matters():
    partners = [
        school("far", need(MATH, 2), travel=True),
        school("online", need(MATH, 2), travel=False),
    ]
    helpers = [helper("h1", {MATH: 1.0}, capacity=2, max_travel_km=100)]
    distances = {("h1", "far"): 120.0, ("h1", "online"): 120.0}

    result = match(partners, helpers, distances_km=distances)
    assert pairs(result) == {("h1", "online")}
    assert result.proposals[0].breakdown.penalty_units == 0
    assert result.uncovered[0].reason == Reason.OUT_OF_DISTANCE

    near = match(partners[:1], helpers, distances_km={("h1", "far"): 80.0})
    (proposal,) = near.proposals
    bd = proposal.breakdown
    assert (bd.distance_km, bd.penalty_units) == (80.0, 800)  # 0.01 point per km
    assert proposal.score_units == 2000 - 800


def test_distance_from_coordinates_prefers_the_nearer_helper():
    # 阜平县城 and two helpers: one in the county, one in Beijing (~190 km).
    partners = [school("s1", need(MATH), travel=True, lat=38.849, lon=114.195)]
    helpers = [
        helper("beijing", {MATH: 1.0}, region=CHAOYANG, lat=39.921, lon=116.443),
        helper("local", {MATH: 0.9}, lat=38.80, lon=114.25),
    ]

    result = match(partners, helpers, cross_region_pairs=[("110105", "130624")])

    (proposal,) = result.proposals
    assert proposal.helper_id == "local"
    problem = build_problem(
        partners, helpers, cross_region_pairs=[("110105", "130624")]
    )
    km = {
        problem.helpers[h].id: d
        for h, d in zip(problem.edge_head, problem.edge_km, strict=True)
    }
    assert km["beijing"] == pytest.approx(226, abs=10)
    assert km["local"] == pytest.approx(7, abs=2)


def test_uncovered_reasons_for_missing_needs_and_strengths():
    result = match(
        [school("quiet"), school("art", need(ART, 2))],
        [helper("h1", {MATH: 1.0})],
    )

    reasons = {u.partner_id: u.reason for u in result.uncovered}
    assert reasons == {"quiet": Reason.NO_NEEDS, "art": Reason.NO_STRENGTH}


def test_same_data_in_any_order_gives_the_same_plan():
    partners = [school(f"s{i}", need(MATH), need(MUSIC, i % 3 + 1)) for i in range(8)]
    # Equal strengths everywhere: many optimal plans, the tie must not depend
    # on the order of the input lists.
    helpers = [helper(f"h{i}", {MATH: 0.5, MUSIC: 0.5}, capacity=2) for i in range(3)]
    first = match(partners, helpers)
    rng = random.Random(7)
    for _ in range(5):
        shuffled_p, shuffled_h = partners[:], helpers[:]
        rng.shuffle(shuffled_p)
        rng.shuffle(shuffled_h)
        assert match(shuffled_p, shuffled_h) == first
    assert first.summary.covered == 6


def test_mentor_teachers_pair_with_rural_teachers_through_the_same_engine():
    # 师徒结对: rural teachers declare what they teach and need help with;
    # mentors (名师) take 1-3 apprentices in their county.
    teachers = [
        Partner("teacher:li", NINGCHENG, (Need("english", "junior", 3),)),
        Partner("teacher:wang", NINGCHENG, (Need("math", "junior", 2),)),
        Partner(
            "teacher:zhao",
            NINGCHENG,
            (Need("english", "junior", 1), Need("math", "junior", 1)),
        ),
    ]
    mentors = [
        Helper("mentor:chen", NINGCHENG, {("english", "junior"): 1.0}, capacity=1),
        Helper(
            "mentor:liu",
            NINGCHENG,
            {("math", "junior"): 0.8, ("english", "junior"): 0.5},
            capacity=2,
        ),
    ]

    result = match(teachers, mentors)

    assert pairs(result) == {
        ("mentor:chen", "teacher:li"),
        ("mentor:liu", "teacher:wang"),
        ("mentor:liu", "teacher:zhao"),
    }
    assert result.summary.objective_units == 3000 + 1600 + 1300


def test_profiles_from_values_rows():
    partners = partners_from_rows(
        [
            {
                "id": 7,
                "region_path": FUPING,
                "travel": True,
                "lat": Decimal("38.849000"),
                "lon": Decimal("114.195000"),
            },
            {"id": 8, "region_path": FUPING},
        ],
        [
            {"partner_id": 7, "subject": "math", "stage": "primary", "priority": 2},
            {"partner_id": 7, "subject": "art", "stage": "primary", "priority": 1},
        ],
    )
    helpers = helpers_from_rows(
        [{"id": 3, "region_path": FUPING, "capacity": 2, "max_travel_km": None}],
        [{"helper_id": 3, "subject": "math", "stage": "primary", "strength": 0.5}],
    )

    assert partners[0].needs == (Need("math", "primary", 2.0), Need("art", "primary"))
    assert (partners[0].lat, partners[0].travel) == (38.849, True)
    assert partners[1].needs == () and partners[1].lat is None
    assert helpers[0].strengths == {MATH: 0.5}
    assert helpers[0].capacity == 2
    result = match(partners, helpers)
    assert pairs(result) == {(3, 7)}
    assert result.uncovered[0].reason == Reason.NO_NEEDS


@pytest.mark.parametrize(
    ("partners", "helpers", "message"),
    [
        (
            [school("s1"), school("s1")],
            [],
            DUPLICATE_ID.format(side="partner", id="s1"),
        ),
        ([], [helper("h1", {}, capacity=-1)], BAD_CAPACITY.format(id="h1")),
        (
            [school("s1", need(MATH, -1))],
            [],
            BAD_WEIGHT.format(side="partner", id="s1"),
        ),
        (
            [school("s1", need(MATH))],
            [helper("h1", {MATH: float("nan")})],
            BAD_WEIGHT.format(side="helper", id="h1"),
        ),
        (
            [school("s1", need(MATH), need(MATH, 2))],
            [],
            DUPLICATE_NEED.format(id="s1", key=MATH),
        ),
    ],
)
def test_invalid_profiles_are_refused(partners, helpers, message):
    with pytest.raises(ValueError) as excinfo:
        build_problem(partners, helpers)
    assert str(excinfo.value) == message


def test_empty_inputs_give_an_empty_plan():
    result = match([], [])
    assert result.proposals == () and result.uncovered == ()
    assert result.summary.covered == result.summary.max_coverage == 0


def test_optimal_plan_covers_the_maximum_and_beats_greedy_on_a_generated_county():
    profiles = generate(schools=600, helpers=150, seed=3)
    problem = build_problem(
        partners_from_rows(profiles.partner_rows, profiles.need_rows),
        helpers_from_rows(profiles.helper_rows, profiles.strength_rows),
        cross_region_pairs=profiles.cross_region_pairs,
        active_pairs=profiles.active_pairs,
        recent_pairs=profiles.recent_pairs,
    )
    best, greedy = solve(problem), solve_greedy(problem)

    assert best.summary.covered == max_coverage(problem) >= greedy.summary.covered
    assert best.summary.covered > 0 and best.summary.uncovered > 0
    if best.summary.covered == greedy.summary.covered:
        assert best.summary.objective_units >= greedy.summary.objective_units
    # Every proposal's explanation adds up to its score.
    for proposal in best.proposals:
        bd = proposal.breakdown
        assert sum(n.units for n in bd.needs) == bd.need_units
        assert bd.need_units - bd.penalty_units == proposal.score_units
    used = {u.helper_id: u for u in best.helpers}
    for usage in used.values():
        assert usage.proposed <= max(usage.capacity - usage.active, 0)
    # A school lost to others had candidates, and every one of them is full.
    reasons = {item.reason for item in best.uncovered}
    assert Reason.LOST_TO_OTHERS in reasons
    for item in best.uncovered:
        if item.reason == Reason.LOST_TO_OTHERS:
            assert item.candidates
            assert all(used[h].spare == 0 for h in item.candidates)
        else:
            assert item.funnel.capacity == 0 and not item.candidates
    assert SCALE == 1000
