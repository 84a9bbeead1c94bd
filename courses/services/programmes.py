"""Writes of programmes and their per-school quotas."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.selectors import scope_filter
from schools.models import Region, School, Stage, Subject

from ..models import (
    QUOTAS_EXCEED_SEATS,
    Programme,
    ProgrammeQuota,
    SchoolCategory,
    TargetRole,
)
from ..signals import programme_changed

PROGRAMME_OUT_OF_SCOPE = _("You may only manage programmes of your own region.")
QUOTA_SCHOOL_OUTSIDE = _("%(school)s lies outside the programme's region.")

AUDIENCE_FIELDS = ("stages", "subjects", "school_categories", "roles")


def _check_scope(user, region: Region) -> None:
    if user is None:
        return  # system work: demo data, migrations, commands
    allowed = Region.objects.filter(pk=region.pk).filter(
        scope_filter(user, regions=["pk"])
    )
    if not allowed.exists():
        raise PermissionDenied(PROGRAMME_OUT_OF_SCOPE)


def quotas_validate(
    *, region: Region, seats: int, quotas: Iterable[tuple[School, int]]
) -> None:
    """Quotas go to schools inside the programme's region and fit its seats."""
    quotas = list(quotas)
    errors = [
        QUOTA_SCHOOL_OUTSIDE % {"school": school.name}
        for school, _n in quotas
        if not school.region.path.startswith(region.path)
    ]
    total = sum(n for _school, n in quotas)
    if seats and total > seats:
        errors.append(QUOTAS_EXCEED_SEATS % {"total": total, "seats": seats})
    if errors:
        raise ValidationError(errors)


def _set_audience(programme: Programme, audience: Mapping[str, Iterable]) -> None:
    for name in AUDIENCE_FIELDS:
        if name in audience:
            getattr(programme, name).set(list(audience[name]))


@transaction.atomic
def programme_create(
    *,
    user,
    title: str,
    level: str,
    year: int,
    organiser: str,
    region: Region,
    credit_hours: Decimal | int,
    starts_on: date,
    ends_on: date,
    enrol_opens_at: datetime,
    enrol_closes_at: datetime,
    seats: int,
    mode: str,
    school: School | None = None,
    summary: str = "",
    location: str = "",
    rural_backbone_share: int = 0,
    stages: Iterable[Stage] = (),
    subjects: Iterable[Subject] = (),
    school_categories: Iterable[SchoolCategory] = (),
    roles: Iterable[TargetRole] = (),
    quotas: Mapping[School, int] | None = None,
) -> Programme:
    """Create a programme in ``user``'s region (None: system work)."""
    _check_scope(user, region)
    programme = Programme(
        title=title,
        level=level,
        year=year,
        organiser=organiser,
        region=region,
        school=school,
        summary=summary,
        credit_hours=credit_hours,
        starts_on=starts_on,
        ends_on=ends_on,
        enrol_opens_at=enrol_opens_at,
        enrol_closes_at=enrol_closes_at,
        seats=seats,
        mode=mode,
        location=location,
        rural_backbone_share=rural_backbone_share,
        created_by=user,
    )
    programme.full_clean()
    programme.save()
    _set_audience(
        programme,
        {
            "stages": stages,
            "subjects": subjects,
            "school_categories": school_categories,
            "roles": roles,
        },
    )
    if quotas:
        programme_quotas_set(programme=programme, quotas=quotas, user=user)
    programme_reindex(programme=programme)
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, user, **changes) -> Programme:
    """Change a programme's facts and audience; scope is checked before and after."""
    _check_scope(user, programme.region)
    audience = {k: changes.pop(k) for k in AUDIENCE_FIELDS if k in changes}
    quotas = changes.pop("quotas", None)
    for name, value in changes.items():
        setattr(programme, name, value)
    _check_scope(user, programme.region)
    programme.full_clean()
    programme.save()
    _set_audience(programme, audience)
    if quotas is not None:
        programme_quotas_set(programme=programme, quotas=quotas, user=user)
    programme_reindex(programme=programme)
    from .enrolment import programme_waitlist_promote  # noqa: PLC0415

    programme_waitlist_promote(programme=programme)
    return programme


@transaction.atomic
def programme_quotas_set(
    *, programme: Programme, quotas: Mapping[School, int], user=None
) -> None:
    """Replace the per-school quotas (名额) of ``programme``."""
    _check_scope(user, programme.region)
    quotas_validate(
        region=programme.region, seats=programme.seats, quotas=quotas.items()
    )
    programme.quotas.exclude(school__in=list(quotas)).delete()
    existing = {q.school_id: q for q in programme.quotas.all()}
    for school, seats in quotas.items():
        row = existing.get(school.pk) or ProgrammeQuota(
            programme=programme, school=school
        )
        row.seats = seats
        row.full_clean()
        row.save()


def programme_reindex(*, programme: Programme) -> None:
    """Refresh search entries once the audience lists are saved.

    The index entry written by save() predates the many-to-many lists, and
    the catalog's pages index the programme's facts too: both are refreshed
    after the transaction commits.
    """
    from wagtail.search import index  # noqa: PLC0415

    def refresh():
        index.insert_or_update_object(programme)
        programme_changed.send(sender=Programme, programme=programme)

    transaction.on_commit(refresh)
