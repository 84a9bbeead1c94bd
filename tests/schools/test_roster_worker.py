"""A roster import carried out by a real Celery worker process."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from config.celery import app
from schools.models import ImportJob
from schools.services import import_job_confirm, import_job_create
from tests.schools.roster_files import (
    regions,
    school_row,
    schools,
    teacher_row,
    teachers,
    township_row,
    write_xlsx,
)

pytestmark = pytest.mark.worker

SETTLED = {
    ImportJob.Status.READY,
    ImportJob.Status.INVALID,
    ImportJob.Status.DONE,
    ImportJob.Status.FAILED,
}


def wait_for(job: ImportJob, worker, timeout: float = 60) -> ImportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in SETTLED:
            return job
        assert worker.poll() is None, "".join(worker.output[-40:])
        time.sleep(0.2)
    pytest.fail(
        f"job still {job.status} after {timeout} s:\n" + "".join(worker.output[-40:])
    )


def test_worker_checks_and_applies_a_roster(
    celery_worker_process, reviewer, settings, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    settings.ROSTER_IMPORT_SYNC_MAX_ROWS = 0  # every file goes to the worker
    rows = [teacher_row(f"教师{i}", f"138476{i:05d}") for i in range(50)]
    path = write_xlsx(
        tmp_path / "roster.xlsx",
        {
            "地区": regions(township_row()),
            "学校": schools(school_row()),
            "教师": teachers(*rows),
        },
    )
    upload = SimpleUploadedFile("名册.xlsx", path.read_bytes())

    job = import_job_create(upload=upload, user=reviewer)
    assert job.status == ImportJob.Status.UPLOADED  # left to the worker
    job = wait_for(job, celery_worker_process)
    assert job.status == ImportJob.Status.READY, job.errors
    assert job.counts["teachers"]["created"] == 50
    assert not User.objects.filter(phone__startswith="138476").exists()

    import_job_confirm(job=job, user=reviewer)
    job = wait_for(job, celery_worker_process)
    assert job.status == ImportJob.Status.DONE and job.progress == 100
    assert User.objects.filter(phone__startswith="138476").count() == 50
