"""Pairings: creation, status, notifications, targets, the agreement."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import Region, School, Studio

from ..models import (
    CYCLE_YEARS,
    ActivityType,
    HelperProfile,
    Notification,
    Pairing,
    PairingEvent,
    SignedAgreement,
    Target,
    cycle_end,
)
from ..pdf import agreement_pdf
from ..selectors import (
    helper_load,
    helper_side_people,
    pairing_can_edit,
    partner_side_people,
    school_admins_of,
)
from ..uploads import SCAN, check_upload
from .common import (
    ALREADY_PAIRED,
    BAD_TRANSITION,
    END_REASON_REQUIRED,
    HELPER_FULL,
    KIND_MISMATCH,
    NO_PARTNER,
    RESPONSIBLE_NOT_ON_SIDES,
    STATUS_WORDS,
    _require,
)

# --- Pairings ------------------------------------------------------------------


def _helper_region(pairing: Pairing) -> Region | None:
    if pairing.helper_school_id:
        return pairing.helper_school.region
    if pairing.helper_studio_id:
        return pairing.helper_studio.host_school.region
    school = pairing.helper_teacher.school
    return school.region if school else None


def _county(path: str) -> str:
    return "/".join(path.strip("/").split("/")[:3])


def _crosses(helper_region: Region | None, partner_regions: Iterable[Region]) -> bool:
    if helper_region is None:
        return False
    home = _county(helper_region.path)
    return any(_county(r.path) != home for r in partner_regions)


def _helper_filter(pairing_or_profile) -> dict:
    """Pairing lookups naming the same helper as a pairing or a profile."""
    obj = pairing_or_profile
    if isinstance(obj, HelperProfile):
        if obj.school_id:
            return {"helper_school_id": obj.school_id}
        if obj.studio_id:
            return {"helper_studio_id": obj.studio_id}
        return {"helper_teacher_id": obj.mentor_id}
    if obj.helper_school_id:
        return {"helper_school_id": obj.helper_school_id}
    if obj.helper_studio_id:
        return {"helper_studio_id": obj.helper_studio_id}
    return {"helper_teacher_id": obj.helper_teacher_id}


def _helper_profile_of(pairing: Pairing) -> HelperProfile | None:
    if pairing.helper_school_id:
        lookup = {"school_id": pairing.helper_school_id}
    elif pairing.helper_studio_id:
        lookup = {"studio_id": pairing.helper_studio_id}
    else:
        lookup = {"mentor_id": pairing.helper_teacher_id}
    return HelperProfile.objects.filter(**lookup).first()


def _check_not_paired(pairing: Pairing, schools, teachers, *, exclude=None) -> None:
    live = Pairing.objects.filter(status__in=Pairing.LIVE, **_helper_filter(pairing))
    if exclude is not None:
        live = live.exclude(pk=exclude.pk)
    for school in schools:
        if live.filter(partner_schools=school).exists():
            raise ValidationError(
                ALREADY_PAIRED,
                params={"helper": pairing.helper_name, "partner": school.name},
            )
    for teacher in teachers:
        if live.filter(partner_teachers=teacher).exists():
            raise ValidationError(
                ALREADY_PAIRED,
                params={"helper": pairing.helper_name, "partner": teacher.display_name},
            )


def _check_capacity(pairing: Pairing, adding: int) -> None:
    profile = _helper_profile_of(pairing)
    if profile is None:
        return  # helpers without a profile declared no limit
    if helper_load(profile) + adding > profile.capacity:
        raise ValidationError(
            HELPER_FULL,
            params={"helper": pairing.helper_name, "capacity": profile.capacity},
        )


def _event(pairing: Pairing, status_from: str, user=None, note: str = "") -> None:
    PairingEvent.objects.create(
        pairing=pairing,
        status_from=status_from,
        status_to=pairing.status,
        by=user if user is not None and user.is_authenticated else None,
        note=note[:200],
    )


@transaction.atomic
def pairing_create(
    *,
    kind: str,
    start_date: date,
    helper_school: School | None = None,
    helper_studio: Studio | None = None,
    helper_teacher=None,
    partner_schools: Sequence[School] = (),
    partner_teachers: Sequence = (),
    mentors: Sequence = (),
    years: int = CYCLE_YEARS,
    user=None,
    notes: str = "",
) -> Pairing:
    """A proposed pairing: one helper, its partners, a cycle of ``years``.

    The kind must fit the sides (school–school: a school helps schools;
    studio–school: a studio helps schools; teacher–teacher: a mentor helps
    teachers); no pair may already be in a live pairing.
    """
    schools, teachers = list(partner_schools), list(partner_teachers)
    if not schools and not teachers:
        raise ValidationError(NO_PARTNER)
    fits = {
        Pairing.Kind.SCHOOL_SCHOOL: helper_school is not None and not teachers,
        Pairing.Kind.STUDIO_SCHOOL: helper_studio is not None and not teachers,
        Pairing.Kind.TEACHER_TEACHER: helper_teacher is not None and not schools,
    }
    if not fits.get(kind, False):
        raise ValidationError(KIND_MISMATCH)
    pairing = Pairing(
        kind=kind,
        mode=Pairing.Mode.ONE_ONE if len(schools) + len(teachers) == 1 else "1+N",
        helper_school=helper_school,
        helper_studio=helper_studio,
        helper_teacher=helper_teacher,
        start_date=start_date,
        end_date=cycle_end(start_date, years),
        status=Pairing.Status.PROPOSED,
        created_by=user if user is not None and user.is_authenticated else None,
        notes=notes,
    )
    regions = [s.region for s in schools]
    regions += [t.school.region for t in teachers if t.school]
    pairing.cross_region = _crosses(_helper_region(pairing), regions)
    pairing.full_clean()
    # Serialise concurrent pairings of the same partners (PostgreSQL).
    list(School.objects.select_for_update().filter(pk__in=[s.pk for s in schools]))
    _check_not_paired(pairing, schools, teachers)
    pairing.save()
    pairing.partner_schools.set(schools)
    pairing.partner_teachers.set(teachers)
    pairing.mentors.set(mentors)
    _event(pairing, "", user)
    return pairing


def _transition(pairing: Pairing, allowed: Sequence[str], action: str) -> str:
    if pairing.status not in allowed:
        raise ValidationError(
            BAD_TRANSITION,
            params={
                "status": pairing.get_status_display(),
                "action": STATUS_WORDS[action],
            },
        )
    return pairing.status


@transaction.atomic
def pairing_approve(*, pairing: Pairing, user, today: date | None = None) -> Pairing:
    """proposed -> approved (the bureau's decision); active at once when its
    cycle has begun. The helper must have room for its partners."""
    today = today or timezone.localdate()
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    before = _transition(pairing, [Pairing.Status.PROPOSED], "approved")
    partners = pairing.partner_schools.count() + pairing.partner_teachers.count()
    _check_capacity(pairing, partners)
    pairing.status = Pairing.Status.APPROVED
    pairing.approved_by = user if user is not None and user.is_authenticated else None
    pairing.approved_at = timezone.now()
    pairing.save(update_fields=["status", "approved_by", "approved_at"])
    _event(pairing, before, user)
    if pairing.start_date <= today:
        return pairing_activate(pairing=pairing, user=user)
    notify(pairing=pairing, verb=Notification.Verb.PAIRING_APPROVED)
    return pairing


@transaction.atomic
def pairing_activate(*, pairing: Pairing, user=None) -> Pairing:
    """approved -> active, when the cycle starts."""
    before = _transition(pairing, [Pairing.Status.APPROVED], "activated")
    pairing.status = Pairing.Status.ACTIVE
    pairing.save(update_fields=["status"])
    _event(pairing, before, user)
    notify(pairing=pairing, verb=Notification.Verb.PAIRING_STARTED)
    return pairing


@transaction.atomic
def pairing_end(
    *, pairing: Pairing, user=None, on: date | None = None, reason: str = ""
) -> Pairing:
    """Any live pairing -> ended, kept as history. Ending before the cycle is
    over (a pairing holds three years without interruption) needs a reason."""
    on = on or timezone.localdate()
    before = _transition(pairing, Pairing.LIVE, "ended")
    if on < pairing.end_date and not reason.strip():
        raise ValidationError(END_REASON_REQUIRED)
    pairing.status = Pairing.Status.ENDED
    pairing.ended_on = max(on, pairing.start_date)
    pairing.end_reason = reason.strip()[:200]
    pairing.full_clean()
    pairing.save(update_fields=["status", "ended_on", "end_reason"])
    _event(pairing, before, user, note=pairing.end_reason)
    notify(pairing=pairing, verb=Notification.Verb.PAIRING_ENDED)
    return pairing


CYCLE_COMPLETED = _("Cycle completed")


def pairings_advance(*, today: date | None = None) -> dict[str, int]:
    """The daily step: approved pairings whose cycle began become active,
    active ones whose cycle is over end."""
    today = today or timezone.localdate()
    started = ended = 0
    for pairing in Pairing.objects.filter(
        status=Pairing.Status.APPROVED, start_date__lte=today
    ):
        pairing_activate(pairing=pairing)
        started += 1
    for pairing in Pairing.objects.filter(
        status=Pairing.Status.ACTIVE, end_date__lt=today
    ):
        pairing_end(pairing=pairing, on=pairing.end_date, reason=str(CYCLE_COMPLETED))
        ended += 1
    return {"started": started, "ended": ended}


# --- Notifications --------------------------------------------------------------


def side_users(pairing: Pairing) -> set:
    """Who hears about a pairing: its helping teacher or studio leader, its
    mentors and partner teachers, and both sides' school admins."""
    users = set(pairing.mentors.all()) | set(pairing.partner_teachers.all())
    if pairing.helper_teacher_id:
        users.add(pairing.helper_teacher)
    if pairing.helper_studio_id:
        users.add(pairing.helper_studio.leader)
    schools = [s.pk for s in pairing.partner_schools.all()]
    if pairing.helper_school_id:
        schools.append(pairing.helper_school_id)
    users |= set(school_admins_of(schools))
    return {u for u in users if u.is_active}


def notify(*, pairing: Pairing, verb: str) -> int:
    """Tell both sides; once per user, pairing and event (a partner joining a
    1+N pairing tells the newcomers, not those already told)."""
    told = set(
        Notification.objects.filter(pairing=pairing, verb=verb).values_list(
            "user_id", flat=True
        )
    )
    users = {u for u in side_users(pairing) if u.pk not in told}
    Notification.objects.bulk_create(
        Notification(user=u, pairing=pairing, verb=verb) for u in users
    )
    return len(users)


def notifications_mark_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Targets and the agreement -------------------------------------------------


@dataclass(frozen=True)
class TargetSpec:
    indicator: str
    quantity: int
    due_date: date
    unit: str = Target.Unit.TIMES
    activity_type: str = ""
    responsible: object | None = None
    reported: int | None = None
    id: int | None = None


@transaction.atomic
def targets_replace(
    *, pairing: Pairing, user, targets: Iterable[TargetSpec]
) -> list[Target]:
    """Make the target task book exactly ``targets`` (rows with an id are
    updated, rows left out are removed). Responsible people must belong to
    one side or the other; due dates must fall inside the cycle."""
    if user is not None:
        _require(pairing_can_edit(user=user, pairing=pairing))
    allowed = set(helper_side_people(pairing).values_list("pk", flat=True)) | set(
        partner_side_people(pairing).values_list("pk", flat=True)
    )
    existing = {t.pk: t for t in pairing.targets.all()}
    kept, saved = set(), []
    for order, spec in enumerate(targets):
        target = existing.get(spec.id) if spec.id else None
        if target is None:
            target = Target(pairing=pairing)
        if spec.responsible is not None and spec.responsible.pk not in allowed:
            raise ValidationError(
                RESPONSIBLE_NOT_ON_SIDES, params={"name": spec.responsible.display_name}
            )
        target.indicator = spec.indicator
        target.quantity = spec.quantity
        target.due_date = spec.due_date
        target.unit = spec.unit
        target.activity_type = spec.activity_type
        target.responsible = spec.responsible
        target.reported = spec.reported if spec.unit == Target.Unit.ITEMS else None
        target.sort_order = order
        target.full_clean()
        target.save()
        kept.add(target.pk)
        saved.append(target)
    for pk, target in existing.items():
        if pk not in kept:
            target.delete()
    return saved


def default_targets(
    pairing: Pairing, matched: Iterable[tuple[str, str]], partner_name: str
) -> list[TargetSpec]:
    """A starting target task book from the needs the helper covers: for each,
    two lessons a year delivered on site or as demonstration lessons, and
    the once-a-semester joint research; the sides adjust it before signing."""
    years = max(1, round((pairing.end_date - pairing.start_date).days / 365))
    lead = pairing.helper_teacher or (
        pairing.helper_studio.leader if pairing.helper_studio_id else None
    )
    kind = (
        ActivityType.SEND_TEACHING
        if pairing.kind != Pairing.Kind.TEACHER_TEACHER
        else ActivityType.DEMO_LESSON
    )
    specs = [
        TargetSpec(
            indicator=str(
                _("%(need)s: lessons delivered for %(partner)s")
                % {"need": label, "partner": partner_name}
            ),
            quantity=2 * years,
            due_date=pairing.end_date,
            activity_type=kind,
            responsible=lead,
        )
        for label in matched
    ]
    specs.append(
        TargetSpec(
            indicator=str(
                _("Joint teaching research with %(partner)s")
                % {"partner": partner_name}
            ),
            quantity=2 * years,
            due_date=pairing.end_date,
            activity_type=ActivityType.JOINT_RESEARCH,
            responsible=lead,
        )
    )
    return specs


@transaction.atomic
def pairing_agreement_generate(*, pairing: Pairing) -> Pairing:
    """Render the agreement PDF from the pairing and its targets and keep it."""
    content = agreement_pdf(pairing)
    old = pairing.agreement_pdf.name if pairing.agreement_pdf else ""
    pairing.agreement_pdf.save(
        f"agreement-{pairing.pk}.pdf", ContentFile(content), save=False
    )
    pairing.agreement_generated_at = timezone.now()
    pairing.save(update_fields=["agreement_pdf", "agreement_generated_at"])
    if old and old != pairing.agreement_pdf.name:
        storage = pairing.agreement_pdf.storage
        transaction.on_commit(lambda: storage.delete(old))
    return pairing


@transaction.atomic
def signed_agreement_add(*, pairing: Pairing, upload, user) -> SignedAgreement:
    """Keep a signed scan (PDF, JPEG or PNG, at most 20 MB)."""
    _require(pairing_can_edit(user=user, pairing=pairing))
    check_upload(upload, SCAN)
    scan = SignedAgreement(
        pairing=pairing,
        original_name=upload.name[:255],
        size=upload.size,
        uploaded_by=user,
    )
    scan.file.save(upload.name, upload, save=False)
    scan.save()
    return scan
