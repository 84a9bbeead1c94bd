"""Semesters, the once-a-semester rule and target progress (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from pairing.rhythm import (
    ActivityFact,
    Rhythm,
    TargetFact,
    TargetState,
    missed_semesters,
    rhythm,
    semester_of,
    target_progress,
)


@pytest.mark.parametrize(
    ("day", "start", "end", "spring"),
    [
        (date(2026, 2, 1), date(2026, 2, 1), date(2026, 7, 31), True),
        (date(2026, 7, 31), date(2026, 2, 1), date(2026, 7, 31), True),
        (date(2026, 8, 1), date(2026, 8, 1), date(2027, 1, 31), False),
        (date(2026, 12, 31), date(2026, 8, 1), date(2027, 1, 31), False),
        (date(2027, 1, 31), date(2026, 8, 1), date(2027, 1, 31), False),
    ],
)
def test_every_day_has_one_semester(day, start, end, spring):
    semester = semester_of(day)
    assert (semester.start, semester.end, semester.spring) == (start, end, spring)


def test_school_year():
    assert semester_of(date(2026, 10, 1)).school_year == "2026–2027"
    assert semester_of(date(2027, 3, 1)).school_year == "2026–2027"


def test_rhythm_states():
    today = date(2026, 10, 15)
    assert rhythm(active=False, last_activity=None, today=today) == Rhythm.NOT_ACTIVE
    assert rhythm(active=True, last_activity=date(2026, 9, 3), today=today) == "ok"
    # An activity of last semester does not count for this one.
    assert rhythm(active=True, last_activity=date(2026, 6, 30), today=today) == (
        Rhythm.AT_RISK
    )
    assert rhythm(active=True, last_activity=None, today=date(2027, 1, 5)) == (
        Rhythm.URGENT
    )


def test_missed_semesters():
    missed = missed_semesters(
        start=date(2025, 9, 1),
        today=date(2026, 10, 1),
        activity_dates=[date(2025, 10, 8)],
    )
    # Autumn 2025 had an activity; spring 2026 had none; autumn 2026 is current.
    assert [(s.start, s.end) for s in missed] == [(date(2026, 2, 1), date(2026, 7, 31))]


def fact(i, type_, day, hours="2", partners=1, targets=()):
    return ActivityFact(i, type_, day, Decimal(hours), partners, frozenset(targets))


ACTIVITIES = [
    fact(1, "send_teaching", date(2025, 10, 1), "3", partners=4),
    fact(2, "send_teaching", date(2026, 3, 1), "2", partners=2),
    fact(3, "demo_lesson", date(2026, 4, 1), "1", partners=5, targets=[9]),
    fact(4, "send_teaching", date(2027, 3, 1), "2", partners=3),  # after due
]
START = date(2025, 9, 1)


def target(unit="times", type_="send_teaching", quantity=4, due=date(2026, 8, 31)):
    return TargetFact(9, type_, unit, quantity, due, reported=None)


def test_progress_counts_type_and_named_activities_until_due():
    progress = target_progress(
        target(), ACTIVITIES, start=START, today=date(2026, 5, 1)
    )
    assert progress.counted == (1, 2, 3)  # 3 names the target, 4 is after due
    assert progress.value == 3
    assert progress.percent == 75


@pytest.mark.parametrize(
    ("unit", "value"), [("hours", Decimal("6")), ("person_times", Decimal("11"))]
)
def test_progress_by_unit(unit, value):
    progress = target_progress(
        target(unit=unit, quantity=100), ACTIVITIES, start=START, today=START
    )
    assert progress.value == value


def test_items_are_reported_by_hand():
    fact_ = TargetFact(9, "", "items", 3, date(2026, 8, 31), reported=2)
    progress = target_progress(fact_, ACTIVITIES, start=START, today=START)
    assert progress.value == 2


@pytest.mark.parametrize(
    ("today", "quantity", "state"),
    [
        (date(2026, 5, 1), 3, TargetState.DONE),
        (date(2026, 5, 1), 4, TargetState.ON_TRACK),  # 3 of 4 at 67 % of time
        (date(2026, 5, 1), 8, TargetState.BEHIND),  # 3 of 8 at 67 % of time
        (date(2026, 9, 1), 4, TargetState.OVERDUE),
    ],
)
def test_progress_state(today, quantity, state):
    progress = target_progress(
        target(quantity=quantity), ACTIVITIES, start=START, today=today
    )
    assert progress.state == state
