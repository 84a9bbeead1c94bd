"""Celery tasks of the roster import: thin, idempotent, acknowledged late.

Each takes a job id, loads the job and calls a service. The services decide
what has been done already (a checked job is not checked again, an applied
job is never applied twice), so a task delivered twice is harmless.
"""

from celery import shared_task

from . import services
from .models import ImportJob

# A 100,000-teacher roster takes about a minute; leave plenty of room.
_LIMITS = {"soft_time_limit": 50 * 60, "time_limit": 55 * 60}


@shared_task(acks_late=True, **_LIMITS)
def roster_validate_task(job_id: int) -> str:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    return services.import_job_validate(job=job).status


@shared_task(acks_late=True, **_LIMITS)
def roster_apply_task(job_id: int) -> str:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    return services.import_job_apply(job=job).status


# Named in settings.CELERY_BEAT_SCHEDULE.
@shared_task(name="schools.tasks.import_jobs_clean")
def import_jobs_clean_task(days: int = 30) -> int:
    return services.import_jobs_clean(days=days)
