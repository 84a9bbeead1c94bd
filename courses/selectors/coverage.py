"""Coverage of the annual hours by school and township, scoped by region.

Three queries whatever the size of the county: the schools in scope, their
active teachers, and every teacher's hours this year and this cycle summed
by the database (the ledger's (date, teacher) index serves the range).
"""

from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from accounts.privacy import mask_phone
from accounts.selectors import scope_queryset
from schools.models import Region, School

from ..coverage import Report, SchoolInfo, TeacherInfo, coverage_report
from ..credit import Requirement
from ..models import LedgerEntry

ZERO = Decimal("0")


def coverage_schools(*, user, region: Region | None = None, school=None) -> QuerySet:
    """Schools in ``user``'s scope, within ``region`` or just ``school``."""
    qs = scope_queryset(School.objects.all(), user=user, schools=["pk"])
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    if school is not None:
        qs = qs.filter(pk=school.pk)
    return qs


def coverage_teachers(schools: QuerySet) -> QuerySet:
    from accounts.models import User  # noqa: PLC0415

    return User.objects.filter(is_active=True, school__in=schools.values("pk"))


def coverage_for(
    *,
    user,
    year: int,
    region: Region | None = None,
    school=None,
    requirement: Requirement | None = None,
) -> Report:
    """The coverage report of ``year`` for what ``user`` may see."""
    requirement = requirement or Requirement.from_settings()
    first, last = requirement.cycle_of(year)
    schools_qs = coverage_schools(user=user, region=region, school=school)
    schools = [
        SchoolInfo(
            id=pk,
            name=name,
            code=code,
            township_id=region_id,
            township=region_name,
        )
        for pk, name, code, region_id, region_name in schools_qs.values_list(
            "pk", "name", "code", "region_id", "region__name"
        )
    ]
    teachers_qs = coverage_teachers(schools_qs)
    teachers = [
        TeacherInfo(
            id=pk,
            name=real_name or (mask_phone(phone) if phone == username else username),
            phone=phone or "",
            school_id=school_id,
        )
        for pk, real_name, username, phone, school_id in teachers_qs.values_list(
            "pk", "real_name", "username", "phone", "school_id"
        )
    ]
    rows = (
        LedgerEntry.objects.filter(
            teacher__in=teachers_qs.values("pk"),
            date__gte=date(min(first, year), 1, 1),
            date__lte=date(max(last, year), 12, 31),
        )
        .values("teacher_id")
        .annotate(
            year_hours=Sum("hours", filter=Q(date__year=year)),
            cycle_hours=Sum(
                "hours",
                filter=Q(date__gte=date(first, 1, 1), date__lte=date(last, 12, 31)),
            ),
        )
        .values_list("teacher_id", "year_hours", "cycle_hours")
    )
    hours = {pk: (y or ZERO, c or ZERO) for pk, y, c in rows}
    return coverage_report(
        year=year,
        requirement=requirement,
        schools=schools,
        teachers=teachers,
        hours=hours,
    )


def ledger_lines_for_export(*, user, year: int, region: Region | None = None):
    """Every ledger line of ``year`` for teachers in scope, as tuples, streamed."""
    schools = coverage_schools(user=user, region=region)
    return (
        LedgerEntry.objects.filter(
            teacher__in=coverage_teachers(schools).values("pk"),
            date__gte=date(year, 1, 1),
            date__lte=date(year, 12, 31),
        )
        .order_by(
            "teacher__school__region__name",
            "teacher__school__code",
            "teacher_id",
            "date",
        )
        .values_list(
            "teacher__school__region__name",
            "teacher__school__name",
            "teacher__real_name",
            "teacher__phone",
            "title",
            "level",
            "hours",
            "date",
            "source",
        )
        .iterator(chunk_size=5000)
    )
