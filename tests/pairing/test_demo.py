"""The demo pairings on a small demo county: what the demo logins see."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from pairing import demo
from pairing.models import (
    CrossRegionLink,
    MatchingRun,
    NeedProfile,
    Pairing,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out, schools=30, teachers=400)
    return out.getvalue()


def test_demo_pairings_for_the_demo_logins(seeded, client):
    assert "ran pairing.demo.seed" in seeded
    run = MatchingRun.objects.get(region__code=demo.COUNTY)
    assert run.status == MatchingRun.Status.DONE
    assert run.proposals.filter(status="accepted").exists()
    assert NeedProfile.objects.exists()
    assert CrossRegionLink.objects.filter(helper_region__code="510105").exists()

    mentor = User.objects.get(username="demo_mentor")
    teacher = User.objects.get(username="demo_teacher")
    own = Pairing.objects.get(mentors=mentor)
    assert list(own.partner_schools.all()) == [teacher.school]
    assert own.status == Pairing.Status.ACTIVE
    assert own.activities.exists() and own.targets.count() == 4
    client.force_login(mentor)
    html = client.get(reverse("pairing:mine")).content.decode()
    assert f'data-pairing="{own.pk}"' in html
    assert client.get(reverse("pairing:detail", args=[own.pk])).status_code == 200

    school_admin = User.objects.get(username="demo_school")
    cross = Pairing.objects.get(partner_schools=school_admin.school, cross_region=True)
    client.force_login(school_admin)
    html = client.get(reverse("pairing:detail", args=[cross.pk])).content.decode()
    assert 'data-rhythm="at_risk"' in html or 'data-rhythm="urgent"' in html

    client.force_login(User.objects.get(username="demo_reviewer"))
    assert client.get(reverse("pairing_runs:inspect", args=[run.pk])).status_code == 200
    assert client.get(reverse("pairing_coverage")).status_code == 200

    # A second run changes nothing.
    counts = (Pairing.objects.count(), MatchingRun.objects.count())
    demo.seed(stdout=io.StringIO())
    assert (Pairing.objects.count(), MatchingRun.objects.count()) == counts
