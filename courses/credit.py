"""Credit-cycle arithmetic: hours per year and per five-year cycle. Pure.

Teachers must complete ``per_cycle`` hours (360) in each cycle of
``cycle_years`` years (5) starting at ``cycle_start`` (2021: 2021-2025,
2026-2030, ...), and ``per_year`` hours (72) each year. Plain data in, plain
data out; :func:`Requirement.from_settings` reads the configured numbers.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0")


@dataclass(frozen=True)
class Requirement:
    per_year: Decimal = Decimal("72")
    per_cycle: Decimal = Decimal("360")
    cycle_start: int = 2021
    cycle_years: int = 5

    @classmethod
    def from_settings(cls) -> "Requirement":
        from django.conf import settings  # noqa: PLC0415

        return cls(
            per_year=Decimal(settings.CREDIT_HOURS_PER_YEAR),
            per_cycle=Decimal(settings.CREDIT_HOURS_PER_CYCLE),
            cycle_start=settings.CREDIT_CYCLE_START_YEAR,
            cycle_years=settings.CREDIT_CYCLE_YEARS,
        )

    def cycle_of(self, year: int) -> tuple[int, int]:
        """The first and last year of the cycle holding ``year``."""
        first = self.cycle_start + (year - self.cycle_start) // self.cycle_years * (
            self.cycle_years
        )
        return first, first + self.cycle_years - 1


def percent(part: Decimal, whole: Decimal) -> int:
    """``part`` of ``whole`` in whole percent, capped at 100 (for bars)."""
    if whole <= 0:
        return 100
    return min(100, int(part * 100 / whole))


@dataclass(frozen=True)
class Standing:
    """A teacher's hours in one year and its cycle against the requirement."""

    year: int
    year_hours: Decimal
    cycle_first: int
    cycle_last: int
    cycle_hours: Decimal
    requirement: Requirement

    @property
    def year_met(self) -> bool:
        return self.year_hours >= self.requirement.per_year

    @property
    def cycle_met(self) -> bool:
        return self.cycle_hours >= self.requirement.per_cycle

    @property
    def year_missing(self) -> Decimal:
        return max(self.requirement.per_year - self.year_hours, ZERO)

    @property
    def cycle_missing(self) -> Decimal:
        return max(self.requirement.per_cycle - self.cycle_hours, ZERO)

    @property
    def year_percent(self) -> int:
        return percent(self.year_hours, self.requirement.per_year)

    @property
    def cycle_percent(self) -> int:
        return percent(self.cycle_hours, self.requirement.per_cycle)

    @property
    def cycle_expected(self) -> Decimal:
        """Hours a teacher on track would have by the end of ``year``."""
        years = self.year - self.cycle_first + 1
        share = self.requirement.per_cycle * years / self.requirement.cycle_years
        return min(share, self.requirement.per_cycle)

    @property
    def cycle_on_track(self) -> bool:
        return self.cycle_hours >= self.cycle_expected


def standing(
    hours_by_year: Mapping[int, Decimal], year: int, requirement: Requirement
) -> Standing:
    """Where a teacher stands in ``year``, from their hours per year."""
    first, last = requirement.cycle_of(year)
    cycle = sum(
        (Decimal(h) for y, h in hours_by_year.items() if first <= y <= last), ZERO
    )
    return Standing(
        year=year,
        year_hours=Decimal(hours_by_year.get(year, ZERO)),
        cycle_first=first,
        cycle_last=last,
        cycle_hours=cycle,
        requirement=requirement,
    )
