"""Who may apply, and what a card offers (pure rules, no database)."""

from datetime import UTC, datetime, timedelta

import pytest

from courses.eligibility import (
    Action,
    Audience,
    Profile,
    Reason,
    Status,
    ineligibility,
    viewer_action,
    window_status,
)

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
COUNTY = "/510000/510600/510623/"
TEACHER = Profile(
    school_id=7,
    school_region_path=COUNTY + "510623100/",
    school_category="village",
    school_is_rural=True,
    stages=frozenset({"primary"}),
    subjects=frozenset({"english"}),
    roles=frozenset({"teacher"}),
)


def test_window_status_boundaries():
    opens, closes = NOW, NOW + timedelta(days=1)
    assert window_status(opens, closes, NOW - timedelta(seconds=1)) == Status.UPCOMING
    assert window_status(opens, closes, NOW) == Status.OPEN
    assert window_status(opens, closes, closes) == Status.CLOSED


@pytest.mark.parametrize(
    ("audience", "reason"),
    [
        (Audience(region_path=COUNTY), None),
        (Audience(region_path="/510000/"), None),  # a province's programme
        (Audience(region_path="/510000/510600/510681/"), Reason.REGION),
        (
            Audience(region_path=COUNTY, school_categories=frozenset({"urban"})),
            Reason.CATEGORY,
        ),
        (Audience(region_path=COUNTY, stages=frozenset({"junior"})), Reason.STAGE),
        (Audience(region_path=COUNTY, subjects=frozenset({"math"})), Reason.SUBJECT),
        (Audience(region_path=COUNTY, roles=frozenset({"principal"})), Reason.ROLE),
        (Audience(region_path=COUNTY, has_quotas=True), Reason.NO_QUOTA),
        (
            Audience(
                region_path=COUNTY, has_quotas=True, quota_school_ids=frozenset({7})
            ),
            None,
        ),
        (
            Audience(
                region_path=COUNTY,
                stages=frozenset({"primary", "junior"}),
                subjects=frozenset({"english", "music"}),
                school_categories=frozenset({"village", "teaching_point"}),
                roles=frozenset({"teacher", "backbone"}),
            ),
            None,
        ),
    ],
)
def test_audience_rules(audience, reason):
    assert ineligibility(audience, TEACHER) == reason


def test_people_without_a_school_are_not_eligible():
    assert ineligibility(Audience(region_path="/"), Profile()) == Reason.NOT_STAFF


@pytest.mark.parametrize(
    ("status", "seats", "profile", "applied", "expected"),
    [
        (Status.OPEN, 5, TEACHER, False, Action.APPLY),
        (Status.OPEN, 0, TEACHER, False, Action.FULL),
        (Status.OPEN, 5, None, False, Action.LOGIN),
        (Status.OPEN, 5, Profile(), False, Action.NOT_ELIGIBLE),
        (Status.UPCOMING, 5, TEACHER, False, Action.NOT_OPEN),
        (Status.CLOSED, 5, TEACHER, False, Action.CLOSED),
        (Status.CLOSED, 0, TEACHER, True, Action.APPLIED),
        (Status.OPEN, 0, TEACHER, True, Action.APPLIED),
    ],
)
def test_viewer_action(status, seats, profile, applied, expected):
    action, _reason = viewer_action(
        status=status,
        seats_left=seats,
        profile=profile,
        audience=Audience(region_path=COUNTY),
        applied=applied,
    )
    assert action == expected


def test_not_eligible_wins_over_full():
    action, reason = viewer_action(
        status=Status.OPEN,
        seats_left=0,
        profile=TEACHER,
        audience=Audience(region_path=COUNTY, subjects=frozenset({"math"})),
    )
    assert (action, reason) == (Action.NOT_ELIGIBLE, Reason.SUBJECT)
