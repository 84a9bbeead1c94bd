"""The activity log and its evidence."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from courses.models import LedgerEntry as CreditLine
from courses.models import Level
from courses.services import ledger_add, ledger_remove

from ..models import (
    Activity,
    ActivityParticipant,
    Evidence,
    Pairing,
    Target,
)
from ..selectors import (
    HOLDING,
    helper_side_people,
    pairing_can_edit,
    partner_side_people,
)
from ..uploads import DOCUMENT, PHOTO, check_uploads
from .common import (
    ACTIVITY_DATE_OUTSIDE,
    ACTIVITY_NOT_LIVE,
    NO_PARTICIPANT,
    NOT_ON_HELPER_SIDE,
    NOT_ON_PARTNER_SIDE,
    TARGET_OF_OTHER_PAIRING,
    _require,
)

# --- Activities ------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerEntry:
    """Credit hours one rural teacher earns from one activity."""

    teacher_id: int
    hours: Decimal
    on: date
    title: str
    source: str  # stable key, so crediting twice can be refused


def activity_ledger_entries(*, activity: Activity) -> list[LedgerEntry]:
    """What the activity credits: its hours to each helped-side participant."""
    return [
        LedgerEntry(
            teacher_id=p.user_id,
            hours=p.hours,
            on=activity.date,
            title=activity.title,
            source=f"pairing.activity:{activity.pk}",
        )
        for p in activity.participants.filter(side=ActivityParticipant.Side.PARTNER)
    ]


@transaction.atomic
def activity_record(
    *,
    pairing: Pairing,
    user,
    type: str,
    title: str,
    date: date,
    hours: Decimal,
    helper_participants: Iterable = (),
    partner_participants: Iterable = (),
    targets: Iterable[Target] = (),
    location: str = "",
    summary: str = "",
    other_participants: int = 0,
    files: Sequence = (),
    source: str = Activity.Source.MANUAL,
    today: date | None = None,
) -> Activity:
    """Log an activity of an approved or active pairing.

    Participants must belong to their side, targets to the pairing, the date
    to the cycle (and not the future); files must be photos or documents of
    accepted types and sizes. Each helped-side participant is recorded with
    the activity's hours: what the credit-hour ledger will credit.
    """
    today = today or timezone.localdate()
    if user is not None:
        _require(pairing_can_edit(user=user, pairing=pairing))
    if pairing.status not in HOLDING:
        raise ValidationError(ACTIVITY_NOT_LIVE)
    if not (pairing.start_date <= date <= min(pairing.end_date, today)):
        raise ValidationError({"date": ACTIVITY_DATE_OUTSIDE})
    helpers, partners = list(helper_participants), list(partner_participants)
    if not helpers and not partners:
        raise ValidationError(NO_PARTICIPANT)
    _check_side(helpers, helper_side_people(pairing), NOT_ON_HELPER_SIDE)
    _check_side(partners, partner_side_people(pairing), NOT_ON_PARTNER_SIDE)
    targets = list(targets)
    if any(t.pairing_id != pairing.pk for t in targets):
        raise ValidationError(TARGET_OF_OTHER_PAIRING)
    checked = check_uploads(list(files), PHOTO, DOCUMENT)

    activity = Activity(
        pairing=pairing,
        type=type,
        title=title,
        date=date,
        hours=hours,
        location=location,
        summary=summary,
        other_participants=other_participants,
        source=source,
        created_by=user,
    )
    activity.full_clean()
    activity.save()
    activity.targets.set(targets)
    Side = ActivityParticipant.Side
    sides = [(u, Side.HELPER) for u in helpers]
    sides += [(u, Side.PARTNER) for u in partners if u not in helpers]
    ActivityParticipant.objects.bulk_create(
        ActivityParticipant(activity=activity, user=u, side=side, hours=hours)
        for u, side in sides
    )
    for upload, kind in checked:
        _evidence_save(activity, upload, kind.code, user)
    activity_credit(activity=activity)
    return activity


# Pairing work is county-organised training (县培) in the teacher's ledger.
ACTIVITY_LEDGER_LEVEL = Level.COUNTY


def activity_credit(*, activity: Activity) -> int:
    """Credit each helped-side participant's hours to their ledger, once.

    The ledger belongs to courses (one owner, one door): ``ledger_add`` is
    idempotent per (teacher, source, ref), so crediting again adds nothing.
    """
    entries = [e for e in activity_ledger_entries(activity=activity) if e.hours > 0]
    teachers = User.objects.in_bulk([e.teacher_id for e in entries])
    for entry in entries:
        ledger_add(
            teacher=teachers[entry.teacher_id],
            source=CreditLine.Source.PAIRING,
            level=ACTIVITY_LEDGER_LEVEL,
            hours=entry.hours,
            date=entry.on,
            ref=entry.source,
            title=entry.title,
            evidence=activity,
        )
    return len(entries)


def _check_side(people, allowed_qs, message) -> None:
    allowed = set(allowed_qs.values_list("pk", flat=True))
    for person in people:
        if person.pk not in allowed:
            raise ValidationError(message, params={"name": person.display_name})


def _evidence_save(activity: Activity, upload, kind: str, user) -> Evidence:
    evidence = Evidence(
        activity=activity,
        kind=kind,
        original_name=upload.name[:255],
        size=upload.size,
        uploaded_by=user,
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_add(*, activity: Activity, user, files: Sequence) -> list[Evidence]:
    _require(pairing_can_edit(user=user, pairing=activity.pairing))
    checked = check_uploads(list(files), PHOTO, DOCUMENT)
    return [_evidence_save(activity, f, kind.code, user) for f, kind in checked]


@transaction.atomic
def activity_delete(*, activity: Activity, user) -> None:
    """Remove a wrongly logged activity and its files."""
    _require(pairing_can_edit(user=user, pairing=activity.pairing))
    names = [e.file.name for e in activity.evidence.all()]
    storage = Evidence._meta.get_field("file").storage
    for entry in activity_ledger_entries(activity=activity):
        ledger_remove(
            teacher=entry.teacher_id,
            source=CreditLine.Source.PAIRING,
            ref=entry.source,
        )
    activity.delete()
    transaction.on_commit(lambda: [storage.delete(n) for n in names])
