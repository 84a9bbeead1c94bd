"""The credit-hour ledger's one door: :func:`ledger_add`, and the import.

Every credited piece of training — a completed course or programme, an
attended live lesson, a pairing activity, an outside record — becomes one
line through :func:`ledger_add`. Pairing calls it for activities and live
lessons; courses calls it when a course is completed.
"""

from datetime import date as Date
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import ledger_import
from ..models import LedgerEntry, LedgerImport, Level

LEDGER_HOURS_INVALID = _("Credit hours must be above 0 and at most 500.")
LEDGER_DATE_FUTURE = _("Hours cannot be credited for a date in the future.")
LEDGER_LEVEL_INVALID = _("Unknown training level.")
LEDGER_SOURCE_INVALID = _("Unknown source of credit hours.")
LEDGER_REF_REQUIRED = _("A ledger line needs a reference to what it credits.")
MAX_LINE_HOURS = Decimal("500")
UPDATABLE = ("level", "title", "hours", "date")


def ledger_ref(obj) -> str:
    """The reference string of a model instance: "app_label.model:pk"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def _validate(source: str, level: str, hours: Decimal, day: Date, ref: str) -> None:
    errors = {}
    if source not in LedgerEntry.Source.values:
        errors["source"] = LEDGER_SOURCE_INVALID
    if level not in Level.values:
        errors["level"] = LEDGER_LEVEL_INVALID
    if not (Decimal(0) < hours <= MAX_LINE_HOURS):
        errors["hours"] = LEDGER_HOURS_INVALID
    if day > timezone.localdate():
        errors["date"] = LEDGER_DATE_FUTURE
    if not ref:
        errors["ref"] = LEDGER_REF_REQUIRED
    if errors:
        raise ValidationError(errors)


def ledger_add(
    *,
    teacher,
    source: str,
    level: str,
    hours: Decimal | int | str,
    date: Date,
    ref: str | models.Model,
    evidence: str | File | models.Model = "",
    verified_by=None,
    title: str = "",
    update: bool = False,
) -> LedgerEntry:
    """Credit ``hours`` to ``teacher`` once per ``(source, ref)``.

    ``ref`` names what is credited: a string, or a model instance (its
    "app_label.model:pk", which also becomes the evidence). ``evidence`` is
    text, a file or a model instance. Calling again with the same teacher,
    source and ref returns the existing line unchanged, or with ``update``
    its level, title, hours and date set to the new values.
    """
    obj = ref if isinstance(ref, models.Model) else None
    ref_key = ledger_ref(ref) if obj is not None else str(ref).strip()[:120]
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    except InvalidOperation as exc:
        raise ValidationError({"hours": LEDGER_HOURS_INVALID}) from exc
    _validate(source, level, hours, date, ref_key)
    if isinstance(evidence, models.Model):
        obj = evidence
    title = (title or (str(obj) if obj is not None else ref_key))[:200]
    existing = LedgerEntry.objects.filter(
        teacher=teacher, source=source, ref=ref_key
    ).first()
    if existing is not None:
        return _maybe_update(existing, update, level, title, hours, date)
    entry = LedgerEntry(
        teacher=teacher,
        source=source,
        level=level,
        title=title,
        hours=hours,
        date=date,
        ref=ref_key,
        verified_by=verified_by,
        verified_at=timezone.now() if verified_by is not None else None,
    )
    if obj is not None:
        entry.evidence_type = ContentType.objects.get_for_model(obj)
        entry.evidence_id = obj.pk
    if isinstance(evidence, str):
        entry.evidence_text = evidence
    elif isinstance(evidence, File):
        entry.evidence_file.save(evidence.name or "evidence", evidence, save=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # Credited by a concurrent call a moment ago: that line stands.
        existing = LedgerEntry.objects.get(teacher=teacher, source=source, ref=ref_key)
        return _maybe_update(existing, update, level, title, hours, date)
    return entry


def _maybe_update(entry, update, level, title, hours, day) -> LedgerEntry:
    if not update:
        return entry
    new = {"level": level, "title": title, "hours": hours, "date": day}
    changed = [k for k in UPDATABLE if getattr(entry, k) != new[k]]
    if changed:
        for name in changed:
            setattr(entry, name, new[name])
        entry.save(update_fields=changed)
    return entry


def ledger_remove(*, teacher, source: str, ref: str | models.Model) -> int:
    """Take a credit back (an activity deleted); 0 if there was none."""
    ref_key = ledger_ref(ref) if isinstance(ref, models.Model) else str(ref)
    deleted, _rows = LedgerEntry.objects.filter(
        teacher=teacher, source=source, ref=ref_key
    ).delete()
    return deleted


def ledger_import_outside(
    *, user, upload, filename: str
) -> tuple[LedgerImport | None, ledger_import.Checked]:
    """Import a spreadsheet of outside hours, all or nothing.

    Returns the import (None when nothing was written) and what the check
    found: errors, the rows written and the records skipped as already there.
    Lines are verified by the importing user.
    """
    checked = ledger_import.check(upload, filename, user=user)
    if checked.errors:
        return None, checked
    now = timezone.now()
    try:
        with transaction.atomic():
            batch = LedgerImport.objects.create(
                filename=filename[:255],
                created_by=user,
                imported=len(checked.rows),
                skipped=checked.skipped,
            )
            LedgerEntry.objects.bulk_create(
                [
                    LedgerEntry(
                        teacher_id=row.teacher_id,
                        source=LedgerEntry.Source.OUTSIDE,
                        level=row.level,
                        title=row.title,
                        hours=row.hours,
                        date=row.date,
                        ref=row.ref,
                        evidence_text=row.evidence,
                        verified_by=user,
                        verified_at=now,
                        batch=batch,
                    )
                    for row in checked.rows
                ],
                batch_size=1000,
            )
    except IntegrityError:
        checked.errors.append(
            ledger_import.RowError(0, "", str(ledger_import.DATABASE_CHANGED))
        )
        return None, checked
    return batch, checked
