"""Training coverage (轮训全覆盖): who meets the annual hours, per school and
township, and who is behind. Pure: plain rows in, a report out.

:mod:`courses.selectors.coverage` loads the rows in three queries whatever
the number of teachers and ledger lines, and this module adds them up.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .credit import Requirement, percent

ZERO = Decimal("0")


@dataclass(frozen=True)
class SchoolInfo:
    id: int
    name: str
    code: str
    township_id: int  # the school's region: a township, or the county itself
    township: str


@dataclass(frozen=True)
class TeacherInfo:
    id: int
    name: str
    phone: str
    school_id: int


@dataclass
class TeacherStanding:
    teacher: TeacherInfo
    school: SchoolInfo
    year_hours: Decimal
    cycle_hours: Decimal
    year_met: bool
    cycle_on_track: bool
    requirement_year: Decimal = ZERO

    @property
    def year_missing(self) -> Decimal:
        return ZERO if self.year_met else self.requirement_year - self.year_hours


@dataclass
class Group:
    """A school or a township: its teachers and how many meet the year."""

    id: int
    name: str
    teachers: int = 0
    met: int = 0
    hours: Decimal = ZERO
    township: str = ""
    code: str = ""

    @property
    def behind(self) -> int:
        return self.teachers - self.met

    @property
    def share(self) -> int:
        """Percent of teachers meeting the annual hours (100 if none)."""
        if not self.teachers:
            return 100
        return self.met * 100 // self.teachers

    @property
    def average_hours(self) -> Decimal:
        if not self.teachers:
            return ZERO
        return (self.hours / self.teachers).quantize(Decimal("0.1"))


@dataclass
class Report:
    year: int
    cycle: tuple[int, int]
    requirement: Requirement
    total: Group
    schools: list[Group] = field(default_factory=list)
    townships: list[Group] = field(default_factory=list)
    teachers: list[TeacherStanding] = field(default_factory=list)

    @property
    def behind(self) -> list[TeacherStanding]:
        return [t for t in self.teachers if not t.year_met]


def coverage_report(
    *,
    year: int,
    requirement: Requirement,
    schools: Iterable[SchoolInfo],
    teachers: Iterable[TeacherInfo],
    hours: Mapping[int, tuple[Decimal, Decimal]],
) -> Report:
    """``hours``: teacher id -> (hours in ``year``, hours in its cycle)."""
    first, last = requirement.cycle_of(year)
    schools = {s.id: s for s in schools}
    by_school = {
        s.id: Group(s.id, s.name, township=s.township, code=s.code)
        for s in schools.values()
    }
    by_township: dict[int, Group] = {}
    for s in schools.values():
        by_township.setdefault(s.township_id, Group(s.township_id, s.township))
    total = Group(0, "")
    rows = []
    years_in = year - first + 1
    expected = min(
        requirement.per_cycle * years_in / requirement.cycle_years,
        requirement.per_cycle,
    )
    for teacher in teachers:
        school = schools.get(teacher.school_id)
        if school is None:
            continue
        year_hours, cycle_hours = hours.get(teacher.id, (ZERO, ZERO))
        met = year_hours >= requirement.per_year
        rows.append(
            TeacherStanding(
                teacher=teacher,
                school=school,
                year_hours=year_hours,
                cycle_hours=cycle_hours,
                year_met=met,
                cycle_on_track=cycle_hours >= expected,
                requirement_year=requirement.per_year,
            )
        )
        for group in (by_school[school.id], by_township[school.township_id], total):
            group.teachers += 1
            group.met += met
            group.hours += year_hours
    rows.sort(
        key=lambda r: (r.school.township, r.school.code, r.year_hours, r.teacher.name)
    )
    return Report(
        year=year,
        cycle=(first, last),
        requirement=requirement,
        total=total,
        schools=sorted(by_school.values(), key=lambda g: (g.share, g.township, g.code)),
        townships=sorted(by_township.values(), key=lambda g: (g.share, g.name)),
        teachers=rows,
    )


__all__ = [
    "Group",
    "Report",
    "SchoolInfo",
    "TeacherInfo",
    "TeacherStanding",
    "coverage_report",
    "percent",
]
