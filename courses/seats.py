"""Who gets a seat: seats, per-school quotas and the reserved share. Pure.

A programme's seats are held by applications awaiting approval, admitted
teachers and those who completed (``SEAT_HOLDING`` in the enrolment model).
A share of the seats may be reserved for backbone teachers of rural schools
(国培 priority): while enrolment is open, other teachers may take only the
general seats, and a priority teacher takes a reserved seat first, then a
general one. Once enrolment closes the reservation lapses and freed seats go
to whoever is first on the waitlist. Where a programme has per-school quotas
(名额), a school's teachers never hold more seats than its quota.

Plain numbers in, plain answers out, so that the service (under a row lock),
the waitlist promotion and the catalog cards all apply the same rule.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Seat(StrEnum):
    RESERVED = "reserved"
    GENERAL = "general"


@dataclass(frozen=True)
class Occupancy:
    """The seats of one programme: capacity and who holds them now."""

    seats: int
    reserved: int = 0  # reserved seats held back now (0 once enrolment closes)
    holders: int = 0  # seat-holding enrolments
    reserved_holders: int = 0  # of which on a reserved seat

    @property
    def general_holders(self) -> int:
        return self.holders - self.reserved_holders


def seat_for(
    occupancy: Occupancy,
    *,
    priority: bool,
    quota: int | None = None,
    school_holders: int = 0,
) -> Seat | None:
    """The seat an applicant would get now, or None (the waitlist)."""
    if quota is not None and school_holders >= quota:
        return None
    if occupancy.holders >= occupancy.seats:
        return None
    if priority and occupancy.reserved_holders < occupancy.reserved:
        return Seat.RESERVED
    if occupancy.general_holders < occupancy.seats - occupancy.reserved:
        return Seat.GENERAL
    return None


def seats_left_for(
    occupancy: Occupancy,
    *,
    priority: bool,
    quota: int | None = None,
    school_holders: int = 0,
) -> int:
    """How many seats an applicant like this one could still get."""
    total = max(occupancy.seats - occupancy.holders, 0)
    general = max(occupancy.seats - occupancy.reserved - occupancy.general_holders, 0)
    reserved = max(occupancy.reserved - occupancy.reserved_holders, 0)
    left = min(total, general + (reserved if priority else 0))
    if quota is not None:
        left = min(left, max(quota - school_holders, 0))
    return left


@dataclass(frozen=True)
class Candidate:
    """A waitlisted application, in waitlist order."""

    id: int
    school_id: int | None
    priority: bool


def promotions(
    occupancy: Occupancy,
    *,
    waitlist: Iterable[Candidate],
    quotas: Mapping[int, int] | None = None,
    school_holders: Mapping[int, int] | None = None,
) -> list[tuple[int, Seat]]:
    """Waitlisted applications that get a seat now, first come first served.

    ``quotas`` (school id -> seats) is None for a programme without quotas.
    Each candidate who fits takes a seat; one whose school's quota is full
    keeps their place while later candidates of other schools move up.
    """
    school_holders = dict(school_holders or {})
    holders, reserved_holders = occupancy.holders, occupancy.reserved_holders
    out: list[tuple[int, Seat]] = []
    for candidate in waitlist:
        if holders >= occupancy.seats:
            break
        now = Occupancy(occupancy.seats, occupancy.reserved, holders, reserved_holders)
        quota = None
        if quotas is not None:
            quota = quotas.get(candidate.school_id, 0)
        seat = seat_for(
            now,
            priority=candidate.priority,
            quota=quota,
            school_holders=school_holders.get(candidate.school_id, 0),
        )
        if seat is None:
            continue
        out.append((candidate.id, seat))
        holders += 1
        reserved_holders += seat == Seat.RESERVED
        school_holders[candidate.school_id] = (
            school_holders.get(candidate.school_id, 0) + 1
        )
    return out
