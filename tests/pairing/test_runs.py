"""A matching run from the profiles to active pairings with their agreement."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from accounts.factories import UserFactory
from accounts.roles import Role
from pairing import services
from pairing.explain import reason_label
from pairing.factories import (
    HelperProfileFactory,
    NeedFactory,
    NeedProfileFactory,
    RuralSchoolFactory,
    StrengthFactory,
    UrbanSchoolFactory,
)
from pairing.matching import Reason
from pairing.models import (
    CrossRegionLink,
    MatchingRun,
    MatchProposal,
    Notification,
    Pairing,
)
from pairing.services import ADJUST_NOT_FEASIBLE, PROPOSAL_DECIDED, RUN_OUT_OF_SCOPE
from schools.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chaoyang(db):
    beijing = RegionFactory(code="110000", name="北京市", level=1)
    city = RegionFactory(code="110100", name="北京市市辖区", level=2, parent=beijing)
    return RegionFactory(code="110105", name="朝阳区", level=3, parent=city)


@pytest.fixture
def profiles(county, city_school, rural, rural2, township, chaoyang):
    """Math and music needed; the county-seat school is strong in math, a
    Beijing school (a configured cross-region pair) in music; a third rural
    school declared nothing."""
    NeedFactory(profile=NeedProfileFactory(school=rural), subject_id="math", priority=5)
    NeedFactory(
        profile=NeedProfileFactory(school=rural2), subject_id="music", priority=4
    )
    silent = RuralSchoolFactory(
        code="2150429203", name="宁城县大城子村小", region=township
    )
    local = HelperProfileFactory(school=city_school, capacity=2)
    StrengthFactory(profile=local, subject_id="math", level=5)
    beijing_school = UrbanSchoolFactory(
        code="1110105001", name="北京市朝阳区实验小学", region=chaoyang
    )
    far = HelperProfileFactory(school=beijing_school, capacity=3)
    StrengthFactory(profile=far, subject_id="music", level=4)
    CrossRegionLink.objects.create(helper_region=chaoyang, partner_region=county)
    return {"local": local, "far": far, "silent": silent}


def run_for(user, county, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.matching_run_create(
            user=user,
            region=county,
            cycle_start=timezone.localdate() - timedelta(days=1),
            **kwargs,
        )
    run.refresh_from_db()
    return run


def test_run_proposes_from_profiles_and_explains(
    reviewer, county, profiles, rural, rural2, django_capture_on_commit_callbacks
):
    run = run_for(reviewer, county, django_capture_on_commit_callbacks)
    assert run.status == MatchingRun.Status.DONE
    assert run.progress == 100
    got = {(p.helper_id, p.partner_school_id): p for p in run.proposals.all()}
    assert set(got) == {
        (profiles["local"].pk, rural.pk),
        (profiles["far"].pk, rural2.pk),
    }
    local = got[(profiles["local"].pk, rural.pk)]
    assert local.score == 25.0  # priority 5 x strength 5
    assert local.breakdown["region_rule"]["kind"] == "same_region"
    far = got[(profiles["far"].pk, rural2.pk)]
    assert far.breakdown["region_rule"]["kind"] == "cross_region"
    assert run.uncovered == [
        {
            "partner_id": profiles["silent"].pk,
            "name": "宁城县大城子村小",
            "reason": str(Reason.NO_NEEDS),
            "funnel": {
                "region": 2,
                "strength": 0,
                "distance": 0,
                "recent": 0,
                "capacity": 0,
            },
            "candidates": [],
        }
    ]
    assert run.summary["covered"] == 2 and run.summary["max_coverage"] == 2


def test_reviewer_of_another_county_cannot_run(
    other_county, county, profiles, django_capture_on_commit_callbacks
):
    outsider = UserFactory(region=other_county, roles=[Role.REVIEWER])
    with pytest.raises(PermissionDenied) as exc:
        run_for(outsider, county, django_capture_on_commit_callbacks)
    assert str(exc.value) == str(RUN_OUT_OF_SCOPE)


def test_accept_makes_active_pairing_with_targets_and_chinese_agreement(
    reviewer,
    county,
    profiles,
    rural,
    rural_admin,
    city_school,
    django_capture_on_commit_callbacks,
):
    run = run_for(reviewer, county, django_capture_on_commit_callbacks)
    proposal = run.proposals.get(partner_school=rural)
    pairing = services.proposal_accept(proposal=proposal, user=reviewer)
    assert pairing.status == Pairing.Status.ACTIVE
    assert pairing.kind == Pairing.Kind.SCHOOL_SCHOOL
    assert list(pairing.partner_schools.all()) == [rural]
    assert pairing.targets.count() == 2  # the matched need + joint research
    proposal.refresh_from_db()
    assert proposal.status == MatchProposal.Status.ACCEPTED
    assert proposal.pairing == pairing
    assert Notification.objects.filter(user=rural_admin, pairing=pairing).exists()
    text = "".join(
        page.extract_text() for page in PdfReader(pairing.agreement_pdf.open()).pages
    )
    assert "帮扶协议书" in text
    assert city_school.name in text and rural.name in text
    assert "目标任务书" in text
    with pytest.raises(ValidationError) as exc:
        services.proposal_accept(proposal=proposal, user=reviewer)
    assert str(PROPOSAL_DECIDED) in " ".join(exc.value.messages)


def test_second_partner_of_one_helper_joins_a_1_plus_n_pairing(
    reviewer,
    county,
    profiles,
    rural,
    rural2,
    rural_admin,
    city_school,
    django_capture_on_commit_callbacks,
):
    UserFactory(school=rural2, roles=[Role.SCHOOL_ADMIN])
    helper_admin = UserFactory(school=city_school, roles=[Role.SCHOOL_ADMIN])
    StrengthFactory(profile=profiles["local"], subject_id="music", level=5)
    profiles["far"].accepting = False
    profiles["far"].save()
    run = run_for(reviewer, county, django_capture_on_commit_callbacks)
    assert run.proposals.count() == 2
    accepted, problems = services.run_accept_all(run=run, user=reviewer)
    assert (accepted, problems) == (2, [])
    pairing = Pairing.objects.get()
    assert pairing.mode == Pairing.Mode.ONE_N
    assert set(pairing.partner_schools.all()) == {rural, rural2}
    assert pairing.targets.count() == 4
    text = "".join(
        p.extract_text() for p in PdfReader(BytesIO(pairing.agreement_pdf.read())).pages
    )
    assert rural2.name in text
    # Each side is told once, newcomers when they join.
    told = Notification.objects.filter(pairing=pairing, verb="pairing_started")
    assert told.filter(user=helper_admin).count() == 1
    assert told.filter(user=rural_admin).count() == 1
    assert told.filter(user__school=rural2).count() == 1


def test_active_pairings_are_kept_by_the_next_run(
    reviewer, county, profiles, rural, django_capture_on_commit_callbacks
):
    run = run_for(reviewer, county, django_capture_on_commit_callbacks)
    services.proposal_accept(
        proposal=run.proposals.get(partner_school=rural), user=reviewer
    )
    again = run_for(reviewer, county, django_capture_on_commit_callbacks)
    assert not again.proposals.filter(partner_school=rural).exists()
    assert again.summary["already_paired"] == 1


def test_adjust_and_reject(
    reviewer, county, profiles, rural, rural2, django_capture_on_commit_callbacks
):
    run = run_for(reviewer, county, django_capture_on_commit_callbacks)
    music = run.proposals.get(partner_school=rural2)
    # The county-seat school declared no music: the engine refuses, with why.
    with pytest.raises(ValidationError) as exc:
        services.proposal_adjust(
            proposal=music, helper=profiles["local"], user=reviewer
        )
    assert str(
        ADJUST_NOT_FEASIBLE % {"reason": reason_label(str(Reason.NO_STRENGTH))}
    ) in " ".join(exc.value.messages)
    StrengthFactory(profile=profiles["local"], subject_id="music", level=2)
    adjusted = services.proposal_adjust(
        proposal=music, helper=profiles["local"], user=reviewer
    )
    assert adjusted.helper == profiles["local"]
    assert adjusted.proposed_helper == profiles["far"]
    assert adjusted.score == 8.0  # priority 4 x strength 2
    math = run.proposals.get(partner_school=rural)
    services.proposal_reject(proposal=math, user=reviewer)
    math.refresh_from_db()
    assert math.status == MatchProposal.Status.REJECTED
    assert not Pairing.objects.exists()


def test_failed_run_keeps_the_error(reviewer, county, monkeypatch):
    def broken(run):
        raise RuntimeError("profiles unreadable")

    monkeypatch.setattr("pairing.services.runs.matching_input", broken)
    run = services.matching_run_create(
        user=reviewer,
        region=county,
        cycle_start=timezone.localdate(),
        run_now=False,
    )
    services.matching_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.FAILED
    assert "profiles unreadable" in run.error


def test_teacher_run_pairs_mentors_with_rural_teachers(
    reviewer, county, mentor, rural_teacher, django_capture_on_commit_callbacks
):
    rural_teacher.subjects.add("math")
    rural_teacher.stages.add("primary")
    profile = HelperProfileFactory(school=None, mentor=mentor, capacity=3)
    StrengthFactory(profile=profile, subject_id="math", level=5)
    run = run_for(reviewer, county, django_capture_on_commit_callbacks, kind="teachers")
    proposal = run.proposals.get()
    assert proposal.partner_teacher == rural_teacher
    pairing = services.proposal_accept(proposal=proposal, user=reviewer)
    assert pairing.kind == Pairing.Kind.TEACHER_TEACHER
    assert pairing.helper_teacher == mentor
    assert list(pairing.partner_teachers.all()) == [rural_teacher]
