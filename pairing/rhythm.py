"""Semesters, the once-a-semester rule and target progress: plain data only.

Chinese schools run an autumn semester (September to January) and a spring
semester (February/March to July). Here a semester is a half year without
gaps: spring 1 February – 31 July, autumn 1 August – 31 January, so every
day belongs to exactly one semester and summer work counts for the autumn.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

# With this many days or fewer left in a semester without an interaction, a
# pairing is flagged as urgent rather than at risk.
URGENT_DAYS = 30
# A target is behind when it has less than this share of what time elapsed
# would have it at (e.g. 2 of 6 at the cycle's half-way point is behind).
BEHIND_SHARE = 0.8


@dataclass(frozen=True, slots=True)
class Semester:
    start: date
    end: date
    spring: bool

    @property
    def school_year(self) -> str:
        """The school year it belongs to, e.g. "2025–2026"."""
        first = self.start.year if not self.spring else self.start.year - 1
        return f"{first}–{first + 1}"

    def days_left(self, today: date) -> int:
        return max(0, (self.end - today).days)


def semester_of(day: date) -> Semester:
    if 2 <= day.month <= 7:
        return Semester(date(day.year, 2, 1), date(day.year, 7, 31), spring=True)
    year = day.year if day.month >= 8 else day.year - 1
    return Semester(date(year, 8, 1), date(year + 1, 1, 31), spring=False)


class Rhythm(enum.StrEnum):
    """Where a pairing stands against "at least one interaction per semester"."""

    NOT_ACTIVE = "not_active"  # not (or no longer) active: no rule to meet
    OK = "ok"  # an interaction this semester
    AT_RISK = "at_risk"  # none yet this semester
    URGENT = "urgent"  # none yet and the semester ends within URGENT_DAYS


def rhythm(*, active: bool, last_activity: date | None, today: date) -> Rhythm:
    if not active:
        return Rhythm.NOT_ACTIVE
    semester = semester_of(today)
    if last_activity is not None and semester.start <= last_activity <= today:
        return Rhythm.OK
    if semester.days_left(today) <= URGENT_DAYS:
        return Rhythm.URGENT
    return Rhythm.AT_RISK


def missed_semesters(
    *, start: date, today: date, activity_dates: Iterable[date]
) -> list[Semester]:
    """Past semesters of the pairing (from ``start``) without any activity."""
    done = {semester_of(d).start for d in activity_dates}
    missed = []
    semester = semester_of(start)
    current = semester_of(today)
    while semester.start < current.start:
        if semester.start not in done:
            missed.append(semester)
        semester = semester_of(semester.end + timedelta(days=1))
    return missed


# --- Targets ------------------------------------------------------------------


class TargetState(enum.StrEnum):
    DONE = "done"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class ActivityFact:
    """What target progress needs to know about one logged activity."""

    id: int
    type: str
    date: date
    hours: Decimal
    partner_participants: int
    target_ids: frozenset[int]


@dataclass(frozen=True, slots=True)
class TargetFact:
    id: int
    activity_type: str  # "" when progress is reported by hand
    unit: str  # times | hours | person_times | items
    quantity: int
    due_date: date
    reported: int | None


@dataclass(frozen=True, slots=True)
class Progress:
    value: Decimal
    quantity: int
    state: TargetState
    counted: tuple[int, ...]  # ids of the activities counted

    @property
    def percent(self) -> int:
        return min(100, int(self.value * 100 / self.quantity)) if self.quantity else 0


def target_progress(
    target: TargetFact,
    activities: Iterable[ActivityFact],
    *,
    start: date,
    today: date,
) -> Progress:
    """Progress of one target from the pairing's activities.

    Counted: activities up to the due date that name the target, or whose
    type is the target's activity type. By unit: times = how many, hours =
    their hours, person-times = rural teachers taking part; items are
    reported by hand. State: done, overdue (past due and not done), behind
    (below BEHIND_SHARE of the pro-rata amount for the time elapsed since
    ``start``) or on track.
    """
    counted = [
        a
        for a in activities
        if a.date <= target.due_date
        and (
            target.id in a.target_ids
            or (target.activity_type and a.type == target.activity_type)
        )
    ]
    if target.unit == "items":
        value = Decimal(target.reported or 0)
    elif target.unit == "hours":
        value = sum((a.hours for a in counted), Decimal(0))
    elif target.unit == "person_times":
        value = Decimal(sum(a.partner_participants for a in counted))
    else:
        value = Decimal(len(counted))
    if value >= target.quantity:
        state = TargetState.DONE
    elif today > target.due_date:
        state = TargetState.OVERDUE
    else:
        span = max(1, (target.due_date - start).days)
        elapsed = min(max(0, (today - start).days), span)
        expected = target.quantity * elapsed / span
        behind = float(value) < BEHIND_SHARE * expected
        state = TargetState.BEHIND if behind else TargetState.ON_TRACK
    return Progress(
        value=value,
        quantity=target.quantity,
        state=state,
        counted=tuple(a.id for a in counted),
    )
