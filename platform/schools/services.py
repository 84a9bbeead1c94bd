"""Writes for regions, schools and the roster import.

The roster import in four doors, each usable alone:

- :func:`roster_read` parses a file (format: :mod:`schools.roster`);
- :func:`roster_validate` checks it against the database and the importing
  user's scope and returns a plan with every error and the counts;
- :func:`roster_apply` writes a valid plan in one transaction;
- :func:`roster_import_file` does all three (the command and the demo seeder).

Import jobs (:class:`~schools.models.ImportJob`) carry an uploaded file through
the same steps for the admin screens, inline for small files and through
Celery tasks for large ones.
"""

import datetime
import logging
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.selectors import Scope, user_scope

from .models import ImportJob, Region, School, Studio, Subject
from .roster import errors as E
from .roster.errors import RowError, err
from .roster.parse import Roster, parse
from .roster.reader import count_rows, open_roster
from .roster.store import load_context, load_vocabulary, write_plan
from .roster.validate import Plan, validate

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]  # (percent, step)

ROSTER_INVALID = _("The roster has errors; nothing was imported.")
ROSTER_CONFLICT = E.DATABASE_CHANGED
JOB_NOT_READY = _("This import is not ready to be confirmed.")

# Steps of an import job, shown beside its progress bar.
IMPORT_STEPS = {
    "queued": _("Waiting for a worker…"),
    "reading": _("Reading the file…"),
    "checking": _("Checking the rows…"),
    "writing": _("Writing to the database…"),
    "done": _("Finished."),
    "failed": _("Something went wrong; nothing was imported."),
    "conflict": ROSTER_CONFLICT,
}


# --- Regions ----------------------------------------------------------------


def region_create(
    *, code: str, name: str, level: int, parent: Region | None = None
) -> Region:
    """Create a region below ``parent``; its path is the parent's plus its code."""
    region = Region(code=code, name=name, level=level, parent=parent)
    region.path = region.build_path()
    region.full_clean()
    region.save()
    return region


# --- The roster import ------------------------------------------------------


class RosterInvalid(ValidationError):
    def __init__(self, errors: list[RowError]):
        super().__init__(ROSTER_INVALID, code="roster_invalid")
        self.row_errors = errors


@dataclass
class RosterResult:
    """What an import did, or would do (dry run), or why it could not."""

    counts: dict
    errors: list[RowError] = field(default_factory=list)
    row_count: int = 0
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _scope_of(user) -> tuple[Scope, str]:
    if user is None:  # the command line and the demo seeder
        return Scope(everything=True), ""
    scope = user_scope(user)
    name = user.region.name if scope.region_path and user.region_id else ""
    return scope, name


def roster_read(
    *,
    source: str | Path | IO[bytes],
    filename: str = "",
    progress: Callable[[int], None] | None = None,
) -> Roster:
    """Parse a roster file (.xlsx or .csv); every row is checked on its own.

    ``progress(rows_read)`` is called every few thousand rows.
    """
    filename = filename or str(getattr(source, "name", source))
    vocabulary = load_vocabulary()
    try:
        with open_roster(source, filename) as roster_file:
            return parse(roster_file, vocabulary, filename=filename, progress=progress)
    except (zipfile.BadZipFile, ParseError, KeyError, ValueError, OSError) as exc:
        logger.info("roster %s unreadable: %r", filename, exc)
        reason = type(exc).__name__
        return Roster(
            filename=filename, errors=[err("", 0, "", E.FILE_UNREADABLE, reason=reason)]
        )


def roster_validate(*, roster: Roster, user=None) -> Plan:
    """Check a parsed roster against the database and ``user``'s region.

    ``user=None`` means full scope (command line). The plan lists every error
    and, per kind, how many rows would be created, updated or left unchanged.
    """
    scope, scope_name = _scope_of(user)
    context = load_context(roster, scope, scope_name=scope_name)
    plan = validate(roster, context)
    if not plan.errors and roster.row_count == 0:
        plan.errors.append(err("", 0, "", E.FILE_EMPTY))
    return plan


def roster_apply(*, plan: Plan, user=None, progress: Progress | None = None) -> dict:
    """Write a valid plan in one transaction; returns the counts per kind.

    Raises :class:`RosterInvalid` for a plan with errors, and
    :class:`IntegrityError` if the database changed since the plan was made
    (nothing is written then).
    """
    if not plan.ok:
        raise RosterInvalid(plan.errors)

    def step(percent: int, _message: str = "") -> None:
        if progress is not None:
            progress(percent, "writing")

    with transaction.atomic():
        return write_plan(plan, progress=step)


def roster_import_file(
    *,
    path_or_file: str | Path | IO[bytes],
    filename: str | None = None,
    user=None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> RosterResult:
    """Read, check and (unless ``dry_run`` or anything is wrong) write a roster.

    All or nothing: with any error nothing is written and ``result.errors``
    lists every one. Re-importing the same file changes nothing.
    """
    filename = filename or str(getattr(path_or_file, "name", path_or_file))
    estimate = max(count_rows(path_or_file, filename), 1) if progress else 1

    def reading(rows: int) -> None:
        if progress is not None:
            progress(min(40, 40 * rows // estimate), "reading")

    if progress is not None:
        progress(0, "reading")
    roster = roster_read(source=path_or_file, filename=filename, progress=reading)
    if progress is not None:
        progress(40, "checking")
    plan = roster_validate(roster=roster, user=user)
    result = RosterResult(
        counts=plan.counts, errors=plan.errors, row_count=roster.row_count
    )
    if not plan.ok or dry_run:
        return result

    def writing(percent: int, step: str) -> None:
        if progress is not None:
            progress(50 + percent // 2, step)

    try:
        result.counts = roster_apply(plan=plan, user=user, progress=writing)
    except IntegrityError:
        # Someone wrote the same keys since the check; the transaction is
        # rolled back, so nothing of this roster was written.
        result.errors = [err("", 0, "", E.DATABASE_CHANGED)]
        return result
    result.applied = True
    return result


# --- Import jobs ------------------------------------------------------------


def _progress_key(job_id: int) -> str:
    return f"schools:import-job:{job_id}:progress"


def import_job_progress(job: ImportJob) -> tuple[int, str]:
    """The freshest (percent, step) of a job.

    Progress made inside the writing transaction is invisible in the database
    until it commits, so it is also kept in the cache.
    """
    percent, step = job.progress, job.message
    if job.is_running:
        cached = cache.get(_progress_key(job.pk))
        if cached and cached[0] > percent:
            percent, step = cached
    return percent, step


def _job_reporter(job: ImportJob, *, cache_only: bool = False) -> Progress:
    """Report a job's progress to the cache and (unless ``cache_only``, for
    use inside the writing transaction) to the database."""
    last = [-1]

    def report(percent: int, step: str) -> None:
        if percent == last[0]:
            return
        last[0] = percent
        cache.set(_progress_key(job.pk), (percent, step), 60 * 60)
        if not cache_only:
            ImportJob.objects.filter(pk=job.pk).update(progress=percent, message=step)

    return report


def _store_errors(job: ImportJob, errors: list[RowError]) -> None:
    job.error_count = len(errors)
    job.errors = [e.as_dict() for e in errors[: ImportJob.ERRORS_KEPT]]


def import_job_create(*, upload: UploadedFile, user) -> ImportJob:
    """Keep an uploaded roster and check it, now or through a task.

    Files of at most ``ROSTER_IMPORT_SYNC_MAX_ROWS`` rows are checked before
    this returns; larger ones by ``roster_validate_task``.
    """
    job = ImportJob(filename=Path(upload.name).name[:255], created_by=user)
    job.row_count = count_rows(upload, job.filename)
    upload.seek(0)
    job.file.save(job.filename, upload, save=False)
    job.save()
    if job.row_count <= settings.ROSTER_IMPORT_SYNC_MAX_ROWS:
        import_job_validate(job=job)
        job.refresh_from_db()
    else:
        from .tasks import roster_validate_task

        transaction.on_commit(lambda: roster_validate_task.delay(job.pk))
    return job


def _run_check(job: ImportJob, report: Progress) -> Plan | None:
    """Read and check the job's file; None if it cannot be read at all."""
    estimate = max(job.row_count, 1)

    def reading(rows: int) -> None:
        report(min(40, 40 * rows // estimate), "reading")

    report(1, "reading")
    with job.file.open("rb") as fh:
        roster = roster_read(source=fh, filename=job.filename, progress=reading)
    report(40, "checking")
    # A job whose uploader was deleted has no scope, never full scope.
    user = job.created_by if job.created_by_id is not None else AnonymousUser()
    return roster_validate(roster=roster, user=user)


def import_job_validate(*, job: ImportJob) -> ImportJob:
    """Check an uploaded job: status becomes ready or invalid. Idempotent."""
    updated = ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportJob.Status.UPLOADED, ImportJob.Status.VALIDATING]
    ).update(status=ImportJob.Status.VALIDATING, progress=0, message="reading")
    if not updated:
        return job  # already checked
    job.refresh_from_db()
    try:
        plan = _run_check(job, _job_reporter(job))
    except Exception:
        logger.exception("import job %s: checking failed", job.pk)
        return _job_failed(job, "failed")
    job.status = ImportJob.Status.READY if plan.ok else ImportJob.Status.INVALID
    job.counts = plan.counts
    job.row_count = plan.roster.row_count
    _store_errors(job, plan.errors)
    job.progress, job.message = 100, "done"
    if not plan.ok:
        _forget_file(job)
    job.save()
    return job


def _forget_file(job: ImportJob) -> None:
    """Delete a job's file once it is no longer needed (done, or refused).

    Rosters hold ID numbers and phones: keep them no longer than the import
    needs them (PIPL), not until the 30-day clean-up.
    """
    if job.file:
        job.file.delete(save=False)


def _job_failed(job: ImportJob, step: str) -> ImportJob:
    job.status = ImportJob.Status.FAILED
    job.message = step
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])
    return job


def import_job_confirm(*, job: ImportJob, user) -> ImportJob:
    """The user confirms a checked job: write it, now or through a task."""
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
        status=ImportJob.Status.APPLYING, progress=0, message="queued"
    )
    if not updated:
        raise ValidationError(JOB_NOT_READY, code="not_ready")
    job.refresh_from_db()
    if job.row_count <= settings.ROSTER_IMPORT_SYNC_MAX_ROWS:
        import_job_apply(job=job)
        job.refresh_from_db()
    else:
        from .tasks import roster_apply_task

        transaction.on_commit(lambda: roster_apply_task.delay(job.pk))
    return job


def import_job_apply(*, job: ImportJob) -> ImportJob:
    """Write a confirmed job: read and check the file again, then write it.

    Idempotent: a job that is not waiting to be applied is left alone, and the
    job is marked done in the same transaction as the writes, so applying
    twice never writes twice.
    """
    job.refresh_from_db()
    if job.status != ImportJob.Status.APPLYING:
        return job
    report = _job_reporter(job)
    try:
        plan = _run_check(job, report)
        if not plan.ok:
            job.status = ImportJob.Status.INVALID
            job.counts = plan.counts
            _store_errors(job, plan.errors)
            job.progress, job.message = 100, "done"
            job.finished_at = timezone.now()
            _forget_file(job)
            job.save()
            return job
        report(50, "writing")
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status != ImportJob.Status.APPLYING:
                return locked  # another worker got here first
            in_transaction = _job_reporter(job, cache_only=True)
            counts = write_plan(
                plan, progress=lambda p, _m: in_transaction(50 + p // 2, "writing")
            )
            locked.status = ImportJob.Status.DONE
            locked.counts = counts
            locked.progress, locked.message = 100, "done"
            locked.finished_at = timezone.now()
            locked.save()
    except IntegrityError:
        logger.warning("import job %s: database changed meanwhile", job.pk)
        return _job_failed(job, "conflict")
    except Exception:
        logger.exception("import job %s: writing failed", job.pk)
        return _job_failed(job, "failed")
    cache.delete(_progress_key(job.pk))
    _forget_file(locked)
    locked.save(update_fields=["file"])
    return locked


def import_jobs_clean(*, days: int = 30) -> int:
    """Delete import jobs, and their files, older than ``days``."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    # Running jobs are that old only if their worker died: clean them too.
    old = ImportJob.objects.filter(created_at__lt=cutoff)
    removed = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed


# --- Studios ----------------------------------------------------------------

STUDIO_LEADER_INACTIVE = _("The studio leader's account is not active.")
STUDIO_LEADER_NOT_MENTOR = _("A famous-teacher studio is led by a mentor teacher.")
STUDIO_LEADER_NOT_SCHOOL_ADMIN = _(
    "A famous-principal studio is led by a principal (a school admin)."
)


@transaction.atomic
def studio_create(
    *,
    name: str,
    leader,
    host_school: School,
    kind: str = Studio.Kind.TEACHER,
    subjects: Iterable[Subject] = (),
    members: Iterable = (),
    description: str = "",
    founded_on: datetime.date | None = None,
) -> Studio:
    """Create a 名师工作室 (led by a mentor) or 名校长工作室 (led by a school admin).

    The leader is never listed among the members.
    """
    if not leader.is_active:
        raise ValidationError({"leader": STUDIO_LEADER_INACTIVE})
    if kind == Studio.Kind.TEACHER and not leader.has_role(Role.MENTOR):
        raise ValidationError({"leader": STUDIO_LEADER_NOT_MENTOR})
    if kind == Studio.Kind.PRINCIPAL and not leader.has_role(Role.SCHOOL_ADMIN):
        raise ValidationError({"leader": STUDIO_LEADER_NOT_SCHOOL_ADMIN})
    studio = Studio(
        name=name,
        kind=kind,
        leader=leader,
        host_school=host_school,
        description=description,
        founded_on=founded_on,
    )
    studio.full_clean()
    studio.save()
    studio.subjects.set(subjects)
    studio.members.set([m for m in members if m.pk != leader.pk])
    return studio
