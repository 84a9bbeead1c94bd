"""Matching runs and the bureau's decisions on proposals."""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.selectors import user_scope
from schools.models import Region, School

from .. import matching as engine
from ..explain import Names, reason_label
from ..models import (
    CYCLE_YEARS,
    HelperProfile,
    MatchingRun,
    MatchProposal,
    Notification,
    Pairing,
    Target,
)
from ..selectors import (
    HOLDING,
    cross_links_for,
    helper_rows,
    matching_input,
    rural_teachers,
    school_partner_rows,
    strength_rows,
    teacher_partner_rows,
)
from .common import (
    ADJUST_NOT_ALLOWED,
    ADJUST_NOT_FEASIBLE,
    PROPOSAL_DECIDED,
    RUN_BUSY,
    RUN_OUT_OF_SCOPE,
)
from .pairings import (
    TargetSpec,
    _check_capacity,
    _check_not_paired,
    _crosses,
    _helper_filter,
    _helper_region,
    default_targets,
    notify,
    pairing_agreement_generate,
    pairing_approve,
    pairing_create,
    targets_replace,
)

logger = logging.getLogger(__name__)


# --- Matching runs ---------------------------------------------------------------


def _in_scope(user, region: Region) -> bool:
    scope = user_scope(user)
    if scope.everything:
        return True
    return scope.region_path is not None and region.path.startswith(scope.region_path)


@transaction.atomic
def matching_run_create(
    *,
    user,
    region: Region,
    cycle_start: date,
    kind: str = MatchingRun.Kind.SCHOOLS,
    cycle_years: int = CYCLE_YEARS,
    allow_repeat: bool = False,
    penalty_per_km: float = 0.01,
    run_now: bool = True,
) -> MatchingRun:
    """Start a matching for a region and cycle; the engine runs in a task."""
    if user is not None and not _in_scope(user, region):
        raise PermissionDenied(RUN_OUT_OF_SCOPE)
    busy = MatchingRun.objects.filter(
        region=region,
        kind=kind,
        status__in=[MatchingRun.Status.QUEUED, MatchingRun.Status.RUNNING],
    )
    if busy.exists():
        raise ValidationError(RUN_BUSY)
    run = MatchingRun(
        region=region,
        kind=kind,
        cycle_start=cycle_start,
        cycle_years=cycle_years,
        allow_repeat=allow_repeat,
        penalty_per_km=penalty_per_km,
        created_by=user,
        step="queued",
    )
    run.full_clean()
    run.save()
    if run_now:
        from ..tasks import matching_run_execute_task

        transaction.on_commit(lambda: matching_run_execute_task.delay(run.pk))
    return run


def _progress(run: MatchingRun, percent: int, step: str) -> None:
    run.progress, run.step = percent, step
    MatchingRun.objects.filter(pk=run.pk).update(progress=percent, step=step)


def matching_run_execute(*, run_id: int) -> MatchingRun:
    """Build the engine's input from the profiles, solve, store the proposals
    with their explanations and the uncovered partners with their reasons.
    Running it again replaces the proposals no one has decided on."""
    run = MatchingRun.objects.select_related("region").get(pk=run_id)
    if run.status == MatchingRun.Status.DONE:
        return run
    MatchingRun.objects.filter(pk=run.pk).update(status=MatchingRun.Status.RUNNING)
    run.status = MatchingRun.Status.RUNNING
    try:
        _progress(run, 10, "loading")
        data = matching_input(run)
        partners = engine.partners_from_rows(data.partner_rows, data.need_rows)
        helpers = engine.helpers_from_rows(data.helper_rows, data.strength_rows)
        _progress(run, 40, "solving")
        result = engine.match(
            partners,
            helpers,
            cross_region_pairs=data.cross_region_pairs,
            active_pairs=data.active_pairs,
            recent_pairs=data.recent_pairs,
            options=engine.MatchOptions(
                allow_repeat=run.allow_repeat, penalty_per_km=run.penalty_per_km
            ),
        )
        _progress(run, 80, "saving")
        _store_result(run, result)
    except Exception as exc:
        logger.exception("matching run %s failed", run.pk)
        run.status = MatchingRun.Status.FAILED
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        run.step = "failed"
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "step", "finished_at"])
        return run
    return run


@transaction.atomic
def _store_result(run: MatchingRun, result: engine.MatchResult) -> None:
    schools = run.kind == MatchingRun.Kind.SCHOOLS
    run.proposals.filter(status=MatchProposal.Status.PENDING).delete()
    MatchProposal.objects.bulk_create(
        [
            MatchProposal(
                run=run,
                helper_id=p.helper_id,
                partner_school_id=p.partner_id if schools else None,
                partner_teacher_id=None if schools else p.partner_id,
                score=p.score,
                breakdown=p.as_dict()["breakdown"],
            )
            for p in result.proposals
        ],
        batch_size=1000,
    )
    ids = [u.partner_id for u in result.uncovered]
    if schools:
        names = dict(School.objects.filter(pk__in=ids).values_list("pk", "name"))
    else:
        names = {
            u.pk: u.display_name for u in get_user_model().objects.filter(pk__in=ids)
        }
    run.uncovered = [
        {
            "partner_id": u.partner_id,
            "name": names.get(u.partner_id, ""),
            "reason": str(u.reason),
            "funnel": asdict(u.funnel),
            "candidates": list(u.candidates),
        }
        for u in result.uncovered
    ]
    summary = asdict(result.summary)
    summary["objective"] = result.summary.objective
    summary["uncovered"] = result.summary.uncovered
    run.summary = summary
    run.status = MatchingRun.Status.DONE
    run.progress = 100
    run.step = "done"
    run.finished_at = timezone.now()
    run.save()


def _decide(proposal: MatchProposal) -> MatchProposal:
    locked = MatchProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != MatchProposal.Status.PENDING:
        raise ValidationError(PROPOSAL_DECIDED)
    return locked


@transaction.atomic
def proposal_accept(
    *, proposal: MatchProposal, user, today: date | None = None
) -> Pairing:
    """Accept a proposal: it becomes a pairing (approved, and active once its
    cycle has begun), with default targets and its agreement PDF; both sides
    are notified. Proposals of one run with the same helper join one 1+N
    pairing."""
    proposal = _decide(proposal)
    run, profile = proposal.run, proposal.helper
    if user is not None and not _in_scope(user, run.region):
        raise PermissionDenied(RUN_OUT_OF_SCOPE)
    partner_school, partner_teacher = proposal.partner_school, proposal.partner_teacher
    joined = (
        Pairing.objects.filter(
            proposals__run=run, status__in=HOLDING, **_helper_filter(profile)
        )
        .distinct()
        .first()
    )
    if joined is None:
        kind = {
            "school": Pairing.Kind.SCHOOL_SCHOOL,
            "studio": Pairing.Kind.STUDIO_SCHOOL,
            "teacher": Pairing.Kind.TEACHER_TEACHER,
        }[profile.helper_kind]
        mentors = [profile.mentor] if profile.mentor_id else []
        if profile.studio_id:
            mentors = [profile.studio.leader]
        pairing = pairing_create(
            kind=kind,
            start_date=run.cycle_start,
            years=run.cycle_years,
            helper_school=profile.school,
            helper_studio=profile.studio,
            helper_teacher=profile.mentor,
            partner_schools=[partner_school] if partner_school else [],
            partner_teachers=[partner_teacher] if partner_teacher else [],
            mentors=mentors,
            user=user,
        )
        new_targets = []
    else:
        pairing = joined
        _check_not_paired(
            pairing,
            [partner_school] if partner_school else [],
            [partner_teacher] if partner_teacher else [],
        )
        _check_capacity(pairing, 1)
        if partner_school:
            pairing.partner_schools.add(partner_school)
            region = partner_school.region
        else:
            pairing.partner_teachers.add(partner_teacher)
            region = partner_teacher.school.region if partner_teacher.school else None
        pairing.mode = Pairing.Mode.ONE_N
        pairing.cross_region = pairing.cross_region or _crosses(
            _helper_region(pairing), [region] if region else []
        )
        pairing.save(update_fields=["mode", "cross_region"])
        new_targets = [_spec(t) for t in pairing.targets.all()]
    names = Names()
    matched = [
        names.need(n["subject"], n["stage"])
        for n in proposal.breakdown.get("needs", [])
        if n.get("units", 0) > 0
    ]
    partner_name = (
        partner_school.name if partner_school else partner_teacher.display_name
    )
    targets_replace(
        pairing=pairing,
        user=None,
        targets=new_targets + default_targets(pairing, matched, partner_name),
    )
    proposal.status = MatchProposal.Status.ACCEPTED
    proposal.pairing = pairing
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "pairing", "decided_by", "decided_at"])
    if pairing.status == Pairing.Status.PROPOSED:
        pairing = pairing_approve(pairing=pairing, user=user, today=today)
    else:
        notify(pairing=pairing, verb=Notification.Verb.PAIRING_STARTED)
    pairing_agreement_generate(pairing=pairing)
    return pairing


def _spec(target: Target) -> TargetSpec:
    return TargetSpec(
        id=target.pk,
        indicator=target.indicator,
        quantity=target.quantity,
        due_date=target.due_date,
        unit=target.unit,
        activity_type=target.activity_type,
        responsible=target.responsible,
        reported=target.reported,
    )


@transaction.atomic
def proposal_reject(*, proposal: MatchProposal, user) -> MatchProposal:
    proposal = _decide(proposal)
    if user is not None and not _in_scope(user, proposal.run.region):
        raise PermissionDenied(RUN_OUT_OF_SCOPE)
    proposal.status = MatchProposal.Status.REJECTED
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    return proposal


@transaction.atomic
def proposal_adjust(
    *, proposal: MatchProposal, helper: HelperProfile, user
) -> MatchProposal:
    """Put another helper in the engine's place. The engine explains the new
    pair by the same rules (region, strength, travel limit); a pair it would
    not allow is refused with its reason. The proposal stays to be accepted."""
    proposal = _decide(proposal)
    run = proposal.run
    if user is not None and not _in_scope(user, run.region):
        raise PermissionDenied(RUN_OUT_OF_SCOPE)
    if (helper.mentor_id is None) != (proposal.partner_teacher_id is None):
        raise ValidationError(ADJUST_NOT_ALLOWED)
    if proposal.partner_school_id:
        partner_rows, need_rows = school_partner_rows(
            School.objects.filter(pk=proposal.partner_school_id)
        )
    else:
        partner_rows, need_rows = teacher_partner_rows(
            rural_teachers(
                School.objects.filter(pk=proposal.partner_teacher.school_id)
            ).filter(pk=proposal.partner_teacher_id)
        )
    rows = helper_rows(HelperProfile.objects.filter(pk=helper.pk))
    for row in rows:
        row["capacity"] = 1  # room is checked when the proposal is accepted
    result = engine.match(
        engine.partners_from_rows(partner_rows, need_rows),
        engine.helpers_from_rows(rows, strength_rows([helper.pk])),
        cross_region_pairs=[
            (link.helper_region.code, link.partner_region.code)
            for link in cross_links_for(run.region)
        ],
        options=engine.MatchOptions(
            allow_repeat=True, penalty_per_km=run.penalty_per_km
        ),
    )
    if not result.proposals:
        reason = result.uncovered[0].reason if result.uncovered else ""
        raise ValidationError(
            ADJUST_NOT_FEASIBLE, params={"reason": reason_label(reason)}
        )
    found = result.proposals[0]
    if proposal.proposed_helper_id is None:
        proposal.proposed_helper_id = proposal.helper_id
    proposal.helper = helper
    proposal.score = found.score
    proposal.breakdown = found.as_dict()["breakdown"]
    proposal.save(update_fields=["proposed_helper", "helper", "score", "breakdown"])
    return proposal


def run_accept_all(*, run: MatchingRun, user) -> tuple[int, list[str]]:
    """Accept every pending proposal; those that can no longer be (a helper
    filled up meanwhile) stay pending, with the reason."""
    accepted, problems = 0, []
    for proposal in run.proposals.filter(status=MatchProposal.Status.PENDING):
        try:
            proposal_accept(proposal=proposal, user=user)
        except ValidationError as exc:
            problems.append(f"{proposal}: {' '.join(exc.messages)}")
        else:
            accepted += 1
    return accepted, problems
