"""Reads of the credit-hour ledger: a teacher's lines, totals and standing."""

from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from ..credit import Requirement, Standing, standing
from ..models import LedgerEntry


def ledger_for_teacher(*, teacher) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(teacher=teacher).order_by("-date", "-pk")


def hours_by_year(*, teacher) -> dict[int, Decimal]:
    """``teacher``'s credited hours per calendar year (one query)."""
    rows = (
        LedgerEntry.objects.filter(teacher=teacher)
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(hours=Sum("hours"))
        .values_list("year", "hours")
    )
    return dict(rows)


def teacher_standing(
    *, teacher, year: int | None = None, requirement: Requirement | None = None
) -> Standing:
    """Hours this year and this cycle against the configured requirement."""
    return standing(
        hours_by_year(teacher=teacher),
        year or timezone.localdate().year,
        requirement or Requirement.from_settings(),
    )
