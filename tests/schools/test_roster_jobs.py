"""Import jobs: cleaning old ones, progress while writing, region creation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from schools.models import ImportJob, Region
from schools.services import (
    _job_reporter,
    import_job_progress,
    import_jobs_clean,
    region_create,
)
from schools.tasks import import_jobs_clean_task

pytestmark = pytest.mark.django_db


def make_job(reviewer, days_old: int, status=ImportJob.Status.DONE) -> ImportJob:
    job = ImportJob(filename="名册.xlsx", created_by=reviewer, status=status)
    job.file.save("名册.xlsx", ContentFile(b"x"), save=False)
    job.save()
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_old)
    )
    return job


def test_jobs_older_than_30_days_are_deleted_with_their_files(reviewer):
    old = make_job(reviewer, 31)
    stuck = make_job(reviewer, 40, ImportJob.Status.APPLYING)
    recent = make_job(reviewer, 29)
    storage = old.file.storage
    old_name, recent_name = old.file.name, recent.file.name
    assert storage.exists(old_name)

    assert import_jobs_clean_task.apply().get() == 2
    assert list(ImportJob.objects.all()) == [recent]
    assert not storage.exists(old_name) and storage.exists(recent_name)
    assert not ImportJob.objects.filter(pk=stuck.pk).exists()
    assert import_jobs_clean() == 0


def test_progress_made_inside_the_writing_transaction_is_seen(reviewer):
    job = make_job(reviewer, 0, ImportJob.Status.APPLYING)
    report = _job_reporter(job)
    report(30, "reading")
    job.refresh_from_db()
    assert (job.progress, job.message) == (30, "reading")
    from django.db import transaction

    with transaction.atomic():
        _job_reporter(job, cache_only=True)(75, "writing")
        # Another request reads the job from the database: still 30 there,
        # the cache has the newer figure.
        fresh = ImportJob.objects.get(pk=job.pk)
        assert import_job_progress(fresh) == (75, "writing")


def test_region_create_builds_the_path(county):
    town = region_create(code="150429102", name="大城子镇", level=4, parent=county)
    assert town.path == "/150000/150400/150429/150429102/"
    assert Region.objects.get(code="150429102").parent == county


def test_region_create_refuses_a_township_code_on_a_county(county):
    with pytest.raises(ValidationError):
        region_create(code="150430", name="某镇", level=4, parent=county)
