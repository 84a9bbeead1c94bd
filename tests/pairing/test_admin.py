"""The bureau's pairing screens: region scope, the matching workflow, coverage."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.factories import UserFactory
from accounts.roles import Role
from pairing.factories import (
    HelperProfileFactory,
    NeedFactory,
    NeedProfileFactory,
    RuralSchoolFactory,
    StrengthFactory,
    UrbanSchoolFactory,
    active_pairing,
)
from pairing.models import MatchingRun, MatchProposal, Pairing

pytestmark = pytest.mark.django_db


@pytest.fixture
def far_pairing(other_county):
    helper = UrbanSchoolFactory(
        code="6107270100", name="略阳县实验小学", region=other_county
    )
    partner = RuralSchoolFactory(
        code="6107270200", name="略阳县麻柳铺小学", region=other_county
    )
    return active_pairing(helper_school=helper, partner_schools=[partner])


@pytest.fixture
def cross_pairing(other_county, rural2):
    """A 略阳县 school helping a 宁城县 school: both bureaus see it."""
    helper = UrbanSchoolFactory(
        code="6107270101", name="略阳县第二小学", region=other_county
    )
    return active_pairing(helper_school=helper, partner_schools=[rural2])


def listed(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_reviewer_lists_own_region_and_cross_region(
    client, reviewer, pairing, far_pairing, cross_pairing, other_county
):
    index = reverse("pairing_pairings:index")
    client.force_login(reviewer)
    html = listed(client, index)
    assert "宁城县小城子镇中心小学" in html
    assert "略阳县第二小学" in html  # cross-region, partner in 宁城县
    assert "略阳县麻柳铺小学" not in html
    other = UserFactory(region=other_county, roles=[Role.REVIEWER])
    client.force_login(other)
    html = listed(client, index)
    assert "略阳县麻柳铺小学" in html
    assert "略阳县第二小学" in html  # the helping side's bureau sees it too
    assert "宁城县小城子镇中心小学" not in html


def test_out_of_scope_pairing_is_404_for_every_admin_url(client, reviewer, far_pairing):
    client.force_login(reviewer)
    for name in ("inspect", "edit", "agreement", "history"):
        url = reverse(f"pairing_pairings:{name}", args=[far_pairing.pk])
        assert client.get(url).status_code == 404, name
    response = client.post(
        reverse("pairing_pairings:status", args=[far_pairing.pk]),
        {"action": "end", "reason": "x"},
    )
    assert response.status_code == 404
    far_pairing.refresh_from_db()
    assert far_pairing.status == Pairing.Status.ACTIVE


def test_teachers_have_no_admin(client, mentor, pairing):
    client.force_login(mentor)
    response = client.get(reverse("pairing_pairings:inspect", args=[pairing.pk]))
    assert response.status_code in (302, 403)


def test_inspect_shows_targets_history_and_agreement(client, reviewer, pairing):
    client.force_login(reviewer)
    html = listed(client, reverse("pairing_pairings:inspect", args=[pairing.pk]))
    assert pairing.helper_name in html
    assert reverse("pairing_pairings:agreement", args=[pairing.pk]) in html
    response = client.get(reverse("pairing_pairings:agreement", args=[pairing.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_reviewer_ends_a_pairing_with_reason(client, reviewer, pairing):
    client.force_login(reviewer)
    url = reverse("pairing_pairings:status", args=[pairing.pk])
    client.post(url, {"action": "end", "reason": ""})
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ACTIVE  # refused: no reason
    client.post(url, {"action": "end", "reason": "学校撤并"})
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ENDED
    assert pairing.end_reason == "学校撤并"


def test_pairing_list_queries_do_not_grow(client, reviewer, city_school, township):
    client.force_login(reviewer)
    index = reverse("pairing_pairings:index")

    def add(n, start):
        for i in range(n):
            school = RuralSchoolFactory(code=f"215042{start + i:04d}", region=township)
            active_pairing(helper_school=city_school, partner_schools=[school])

    add(2, 3000)
    client.get(index)
    with CaptureQueriesContext(connection) as few:
        assert client.get(index).status_code == 200
    add(8, 3100)
    with CaptureQueriesContext(connection) as many:
        assert client.get(index).status_code == 200
    assert len(many) == len(few)


# --- The matching workflow ----------------------------------------------------------


@pytest.fixture
def needs(city_school, rural, rural2):
    NeedFactory(profile=NeedProfileFactory(school=rural), subject_id="math", priority=5)
    NeedProfileFactory(school=rural2)  # declared nothing yet
    StrengthFactory(
        profile=HelperProfileFactory(school=city_school, capacity=3),
        subject_id="math",
        level=4,
    )


def test_run_review_and_accept_in_the_admin(
    client, reviewer, county, needs, rural, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pairing_runs:add"),
            {
                "region": county.pk,
                "kind": "schools",
                "cycle_start": (timezone.localdate() - timedelta(days=1)).isoformat(),
                "cycle_years": 3,
                "penalty_per_km": "0.01",
            },
        )
    run = MatchingRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("pairing_runs:inspect", args=[run.pk])
    status = client.get(reverse("pairing_runs:progress", args=[run.pk])).json()
    assert status == {
        "status": "done",
        "running": False,
        "progress": 100,
        "step": "已完成。",
    }
    html = listed(client, response["Location"])
    assert "宁城县小城子镇中心小学" in html
    assert "小学数学：优先级 5 × 实力 4 = 20.0" in html
    assert "未填报需求" in html  # rural2, in Chinese
    proposal = MatchProposal.objects.get()
    assert listed(client, reverse("pairing_runs:adjust", args=[proposal.pk]))
    client.post(
        reverse("pairing_runs:decide", args=[proposal.pk]), {"action": "accept"}
    )
    pairing = Pairing.objects.get()
    assert pairing.status == Pairing.Status.ACTIVE
    assert list(pairing.partner_schools.all()) == [rural]


def test_other_bureau_cannot_open_or_decide_a_run(
    client, reviewer, county, other_county, needs, django_capture_on_commit_callbacks
):
    from pairing.services import matching_run_create

    with django_capture_on_commit_callbacks(execute=True):
        run = matching_run_create(
            user=reviewer, region=county, cycle_start=timezone.localdate()
        )
    proposal = run.proposals.get()
    client.force_login(UserFactory(region=other_county, roles=[Role.REVIEWER]))
    assert client.get(reverse("pairing_runs:inspect", args=[run.pk])).status_code == 404
    response = client.post(
        reverse("pairing_runs:decide", args=[proposal.pk]), {"action": "accept"}
    )
    assert response.status_code == 404
    assert not Pairing.objects.exists()
    response = client.post(
        reverse("pairing_runs:add"),
        {
            "region": county.pk,
            "kind": "schools",
            "cycle_start": timezone.localdate().isoformat(),
            "cycle_years": 3,
            "penalty_per_km": "0.01",
        },
    )
    assert response.status_code == 200  # the form refuses a region outside scope
    assert MatchingRun.objects.count() == 1


# --- Coverage -----------------------------------------------------------------------


def test_coverage_lists_and_exports(client, reviewer, needs, rural, rural2, pairing):
    NeedFactory(profile=rural.need_profile, subject_id="music", priority=3)
    client.force_login(reviewer)
    url = reverse("pairing_coverage")
    html = listed(client, url)
    assert "宁城县小城子镇杨树林村小学" in html  # rural2 has no partner
    response = client.get(url, {"export": "xlsx"})
    book = load_workbook(BytesIO(response.content))
    unpaired = [row[1] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert "宁城县小城子镇杨树林村小学" in unpaired
    assert "宁城县小城子镇中心小学" not in unpaired  # it is paired
    silent = list(book.worksheets[1].iter_rows(values_only=True))
    assert len(silent) == 2  # heading + the pairing without activity
    needs_rows = list(book.worksheets[2].iter_rows(values_only=True))
    # The county-seat school helps rural in math, but declared no music.
    assert needs_rows[1][:5] == ("小学", "音乐", 1, 0, 1)
    assert needs_rows[2][:5] == ("小学", "数学", 1, 1, 0)


def test_profile_screens_stay_in_scope(client, reviewer, other_county, rural):
    from pairing.models import HelperProfile, NeedProfile

    far_school = RuralSchoolFactory(code="6107270300", region=other_county)
    far_need = NeedProfileFactory(school=far_school)
    far_helper = HelperProfileFactory(
        school=UrbanSchoolFactory(code="6107270301", region=other_county)
    )
    mine = NeedProfileFactory(school=rural)
    client.force_login(reviewer)
    html = listed(client, reverse("pairing_needs:index"))
    assert rural.name in html and far_school.name not in html
    assert (
        client.get(reverse("pairing_needs:edit", args=[far_need.pk])).status_code == 404
    )
    assert (
        client.get(reverse("pairing_helpers:edit", args=[far_helper.pk])).status_code
        == 404
    )
    assert client.get(reverse("pairing_needs:edit", args=[mine.pk])).status_code == 200
    # The school field offers only rural schools of the reviewer's county.
    html = listed(client, reverse("pairing_needs:add"))
    assert far_school.name not in html
    assert NeedProfile.objects.count() == 2 and HelperProfile.objects.count() == 1
