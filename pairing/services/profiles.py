"""Need and helper profiles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from schools.models import School, Stage, Studio, Subject

from ..models import (
    HelperProfile,
    Need,
    NeedProfile,
    Strength,
)
from .common import NOT_RURAL

# --- Profiles ------------------------------------------------------------------


@dataclass(frozen=True)
class NeedSpec:
    subject: Subject | str
    stage: Stage | str
    priority: int = 3
    kind: str = Need.Kind.WEAK


@dataclass(frozen=True)
class StrengthSpec:
    subject: Subject | str
    stage: Stage | str
    level: int = 3


def _pk(value) -> str:
    return getattr(value, "pk", value)


@transaction.atomic
def need_profile_save(
    *,
    school: School,
    user,
    needs: Iterable[NeedSpec],
    connectivity: str | None = None,
    live_classrooms: int | None = None,
    needs_on_site: bool | None = None,
    development_needs: str | None = None,
) -> NeedProfile:
    """Create or update a rural school's need profile; ``needs`` replaces its
    needs (one per subject and stage)."""
    if not school.is_rural:
        raise ValidationError(NOT_RURAL)
    profile, _created = NeedProfile.objects.get_or_create(school=school)
    changes = {
        "connectivity": connectivity,
        "live_classrooms": live_classrooms,
        "needs_on_site": needs_on_site,
        "development_needs": development_needs,
    }
    for field, value in changes.items():
        if value is not None:
            setattr(profile, field, value)
    profile.updated_by = user if user is not None and user.is_authenticated else None
    profile.full_clean()
    profile.save()
    _replace_rows(
        profile.needs.all(),
        [
            {
                "subject_id": _pk(n.subject),
                "stage_id": _pk(n.stage),
                "priority": n.priority,
                "kind": n.kind,
            }
            for n in needs
        ],
        lambda values: Need(profile=profile, **values),
    )
    return profile


@transaction.atomic
def helper_profile_save(
    *,
    user,
    strengths: Iterable[StrengthSpec],
    school: School | None = None,
    studio: Studio | None = None,
    mentor=None,
    capacity: int | None = None,
    travels: bool | None = None,
    max_travel_km: int | None = None,
    accepting: bool | None = None,
    description: str | None = None,
    clear_travel_limit: bool = False,
) -> HelperProfile:
    """Create or update the helper profile of a school, studio or mentor;
    ``strengths`` replaces its strengths (one per subject and stage)."""
    owner = {"school": school, "studio": studio, "mentor": mentor}
    owner = {k: v for k, v in owner.items() if v is not None}
    profile = HelperProfile.objects.filter(**owner).first() or HelperProfile(**owner)
    changes = {
        "capacity": capacity,
        "travels": travels,
        "max_travel_km": max_travel_km,
        "accepting": accepting,
        "description": description,
    }
    for field, value in changes.items():
        if value is not None:
            setattr(profile, field, value)
    if clear_travel_limit:
        profile.max_travel_km = None
    profile.updated_by = user if user is not None and user.is_authenticated else None
    profile.full_clean()
    profile.save()
    _replace_rows(
        profile.strengths.all(),
        [
            {"subject_id": _pk(s.subject), "stage_id": _pk(s.stage), "level": s.level}
            for s in strengths
        ],
        lambda values: Strength(profile=profile, **values),
    )
    return profile


def _replace_rows(existing, wanted: list[dict], make) -> None:
    """Make the (subject, stage) rows of a profile exactly ``wanted``."""
    current = {(row.subject_id, row.stage_id): row for row in existing}
    keep = set()
    for values in wanted:
        key = (values["subject_id"], values["stage_id"])
        if key in keep:
            continue  # the same subject and stage twice: the first wins
        keep.add(key)
        row = current.get(key)
        if row is None:
            row = make(values)
        else:
            for field, value in values.items():
                setattr(row, field, value)
        row.full_clean(exclude=["profile"])
        row.save()
    for key, row in current.items():
        if key not in keep:
            row.delete()
