"""The bureau's programme screens and the page editor's chooser stay in scope."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.roles import Role
from courses.factories import ProgrammeFactory
from courses.models import Level, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programmes(county, other_county):
    return (
        ProgrammeFactory(title="宁城县乡村英语培训", region=county),
        ProgrammeFactory(title="略阳县数学培训", region=other_county),
    )


def test_reviewer_lists_only_own_region(client, reviewer, programmes):
    client.force_login(reviewer)
    html = client.get(reverse("programmes_admin:index")).content.decode()
    assert "宁城县乡村英语培训" in html
    assert "略阳县数学培训" not in html


def test_other_regions_programme_is_not_found(client, reviewer, programmes):
    client.force_login(reviewer)
    mine, theirs = programmes
    assert (
        client.get(reverse("programmes_admin:edit", args=[mine.pk])).status_code == 200
    )
    for name in ("edit", "inspect"):
        url = reverse(f"programmes_admin:{name}", args=[theirs.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"title": "改"}).status_code == 404


def test_teachers_have_no_programme_admin(client, school, programmes):
    client.force_login(UserFactory(school=school, roles=[Role.RURAL_TEACHER]))
    response = client.get(reverse("programmes_admin:index"))
    assert response.status_code in (302, 403)


def test_chooser_offers_only_programmes_in_scope(client, reviewer, programmes):
    client.force_login(reviewer)
    response = client.get(reverse("programme_chooser:choose"))
    html = json.loads(response.content)["html"]
    assert "宁城县乡村英语培训" in html and "略阳县数学培训" not in html
    found = client.get(reverse("programme_chooser:choose_results"), {"q": "乡村 英语"})
    assert "宁城县乡村英语培训" in found.content.decode()
    theirs = programmes[1]
    chosen = client.get(reverse("programme_chooser:chosen", args=[theirs.pk]))
    assert chosen.status_code == 404


def test_chooser_creates_a_programme_in_scope(client, reviewer, county, other_county):
    client.force_login(reviewer)
    now = timezone.localtime()
    data = {
        "title": "宁城县班主任培训",
        "level": Level.COUNTY,
        "year": now.year,
        "organiser": "宁城县教育局",
        "region": county.pk,
        "rural_backbone_share": 0,
        "credit_hours": "16",
        "starts_on": (now + timedelta(days=30)).date().isoformat(),
        "ends_on": (now + timedelta(days=31)).date().isoformat(),
        "enrol_opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "enrol_closes_at": (now + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
        "seats": 30,
        "mode": "online",
    }
    url = reverse("programme_chooser:create")
    response = client.post(url, data)
    assert json.loads(response.content)["step"] == "chosen"
    created = Programme.objects.get(title="宁城县班主任培训")
    assert created.created_by == reviewer
    refused = client.post(url, {**data, "title": "越界", "region": other_county.pk})
    assert json.loads(refused.content)["step"] == "reshow_creation_form"
    assert not Programme.objects.filter(title="越界").exists()
