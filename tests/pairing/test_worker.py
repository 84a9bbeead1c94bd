"""A matching run through a real Celery worker, with its progress in the database."""

import time

import pytest
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.roles import Role
from pairing.factories import (
    HelperProfileFactory,
    NeedFactory,
    NeedProfileFactory,
    RuralSchoolFactory,
    StrengthFactory,
    UrbanSchoolFactory,
)
from pairing.models import MatchingRun
from pairing.services import matching_run_create
from schools.factories import RegionFactory


@pytest.mark.worker
def test_run_through_the_worker(celery_worker_process):
    province = RegionFactory(code="150000", name="内蒙古自治区", level=1)
    city = RegionFactory(code="150400", name="赤峰市", level=2, parent=province)
    county = RegionFactory(code="150429", name="宁城县", level=3, parent=city)
    helper = HelperProfileFactory(
        school=UrbanSchoolFactory(code="2150429100", region=county), capacity=5
    )
    StrengthFactory(profile=helper, subject_id="music", level=5)
    for i in range(8):
        school = RuralSchoolFactory(code=f"21504292{i:02d}", region=county)
        NeedFactory(profile=NeedProfileFactory(school=school), subject_id="music")
    reviewer = UserFactory(region=county, roles=[Role.REVIEWER])

    run = matching_run_create(
        user=reviewer, region=county, cycle_start=timezone.localdate()
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if not run.is_running:
            break
        time.sleep(0.3)
    output = "".join(celery_worker_process.output[-30:])
    assert run.status == MatchingRun.Status.DONE, output
    assert run.progress == 100
    assert run.proposals.count() == 5  # the helper's capacity
    assert run.summary["covered"] == 5 and run.summary["max_coverage"] == 5
    assert {u["reason"] for u in run.uncovered} == {"lost_to_others"}
