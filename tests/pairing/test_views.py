"""The public pairing pages: who sees and changes what, the activity log,
targets with progress, uploads, profiles."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.roles import Role
from pairing import services
from pairing.factories import RuralSchoolFactory, active_pairing
from pairing.models import (
    Activity,
    ActivityType,
    HelperProfile,
    NeedProfile,
    SignedAgreement,
)
from pairing.uploads import UPLOAD_CONTENT_MISMATCH, UPLOAD_TYPE_REFUSED

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
MINE = reverse("pairing:mine")


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


@pytest.fixture
def other_pairing(city_school, rural2, other_mentor):
    return active_pairing(
        helper_school=city_school, partner_schools=[rural2], mentors=[other_mentor]
    )


def test_mentor_sees_only_own_pairings(client, mentor, pairing, other_pairing):
    client.force_login(mentor)
    html = page(client, MINE)
    assert f'data-pairing="{pairing.pk}"' in html
    assert f'data-pairing="{other_pairing.pk}"' not in html
    assert "宁城县小城子镇中心小学" in html
    page(client, reverse("pairing:detail", args=[other_pairing.pk]), 404)
    page(client, reverse("pairing:activity_new", args=[other_pairing.pk]), 404)
    page(client, reverse("pairing:targets", args=[other_pairing.pk]), 404)
    page(client, reverse("pairing:agreement", args=[other_pairing.pk]), 404)


def test_school_admin_sees_only_own_schools_pairings(
    client, rural_admin, pairing, other_pairing
):
    client.force_login(rural_admin)
    html = page(client, MINE)
    assert f'data-pairing="{pairing.pk}"' in html
    assert f'data-pairing="{other_pairing.pk}"' not in html
    assert page(client, reverse("pairing:activity_new", args=[pairing.pk]))
    page(client, reverse("pairing:detail", args=[other_pairing.pk]), 404)


def test_partner_teacher_reads_but_does_not_change(client, pairing, rural_teacher):
    pairing.partner_teachers.add(rural_teacher)
    client.force_login(rural_teacher)
    html = page(client, reverse("pairing:detail", args=[pairing.pk]))
    assert reverse("pairing:activity_new", args=[pairing.pk]) not in html
    page(client, reverse("pairing:activity_new", args=[pairing.pk]), 403)
    page(client, reverse("pairing:targets", args=[pairing.pk]), 403)


def test_outsiders_get_404(client, pairing, county):
    for user in (
        UserFactory(roles=[Role.MENTOR]),
        UserFactory(roles=[Role.RURAL_TEACHER]),
        UserFactory(
            school=RuralSchoolFactory(code="2150429999", region=county),
            roles=[Role.SCHOOL_ADMIN],
        ),
    ):
        client.force_login(user)
        page(client, reverse("pairing:detail", args=[pairing.pk]), 404)
        assert f'data-pairing="{pairing.pk}"' not in page(client, MINE)


def test_anonymous_is_sent_to_login(client, pairing):
    response = client.get(reverse("pairing:detail", args=[pairing.pk]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_log_an_activity_with_photos(client, mentor, pairing, rural_teacher):
    client.force_login(mentor)
    target = services.targets_replace(
        pairing=pairing,
        user=mentor,
        targets=[
            services.TargetSpec(
                "送教下乡",
                2,
                pairing.end_date,
                activity_type=ActivityType.SEND_TEACHING,
            )
        ],
    )[0]
    url = reverse("pairing:activity_new", args=[pairing.pk])
    response = client.post(
        url,
        {
            "type": ActivityType.SEND_TEACHING,
            "title": "数学课堂送教",
            "date": (timezone.localdate() - timedelta(days=2)).isoformat(),
            "hours": "3",
            "other_participants": "40",
            "helper_participants": [mentor.pk],
            "partner_participants": [rural_teacher.pk],
            "targets": [target.pk],
            "files": [
                SimpleUploadedFile("课堂1.png", PNG),
                SimpleUploadedFile("教案.pdf", PDF),
            ],
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert sorted(activity.evidence.values_list("kind", flat=True)) == [
        "document",
        "photo",
    ]
    html = page(client, reverse("pairing:detail", args=[pairing.pk]))
    assert "数学课堂送教" in html
    assert f'data-target="{target.pk}" data-state="on_track"' in html
    assert "1 / 2" in html
    evidence = activity.evidence.get(kind="photo")
    assert (
        client.get(reverse("pairing:evidence", args=[evidence.pk])).status_code == 200
    )
    client.force_login(UserFactory(roles=[Role.MENTOR]))
    assert (
        client.get(reverse("pairing:evidence", args=[evidence.pk])).status_code == 404
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.jpg", SVG, UPLOAD_CONTENT_MISMATCH),
        ("page.html", b"<html><script></script></html>", UPLOAD_TYPE_REFUSED),
        ("drawing.svg", SVG, UPLOAD_TYPE_REFUSED),
    ],
)
def test_uploads_are_checked_by_name_and_content(
    client, mentor, pairing, rural_teacher, name, content, message
):
    client.force_login(mentor)
    response = client.post(
        reverse("pairing:activity_new", args=[pairing.pk]),
        {
            "type": ActivityType.GUIDANCE,
            "title": "教学视导",
            "date": timezone.localdate().isoformat(),
            "hours": "2",
            "other_participants": "0",
            "partner_participants": [rural_teacher.pk],
            "files": [SimpleUploadedFile(name, content)],
        },
    )
    assert response.status_code == 200
    assert str(message).split("%")[0].strip("“") in response.content.decode()
    assert not Activity.objects.exists()


def test_targets_edit_and_agreement(client, rural_admin, pairing, mentor):
    client.force_login(rural_admin)
    url = reverse("pairing:targets", args=[pairing.pk])
    assert page(client, url)
    due = (pairing.start_date + timedelta(days=365)).isoformat()
    response = client.post(
        url,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-0-indicator": "联校教研每学期一次",
            "form-0-activity_type": ActivityType.JOINT_RESEARCH,
            "form-0-quantity": "2",
            "form-0-unit": "times",
            "form-0-due_date": due,
            "form-0-responsible": str(mentor.pk),
        },
    )
    assert response.status_code == 302
    assert pairing.targets.get().responsible == mentor
    pairing.refresh_from_db()
    assert pairing.agreement_pdf  # generated again from the targets
    response = client.get(reverse("pairing:agreement", args=[pairing.pk]))
    assert response["Content-Type"] == "application/pdf"


def test_signed_scan_upload(client, rural_admin, pairing):
    client.force_login(rural_admin)
    url = reverse("pairing:signed_upload", args=[pairing.pk])
    client.post(url, {"file": SimpleUploadedFile("协议.svg", SVG)})
    assert not SignedAgreement.objects.exists()
    client.post(url, {"file": SimpleUploadedFile("协议.pdf", PDF)})
    scan = SignedAgreement.objects.get()
    assert scan.original_name == "协议.pdf"
    assert client.get(reverse("pairing:signed", args=[scan.pk])).status_code == 200


def test_rural_admin_declares_needs(client, rural_admin, rural):
    client.force_login(rural_admin)
    url = reverse("pairing:need_profile")
    assert page(client, url)
    response = client.post(
        url,
        {
            "connectivity": "broadband",
            "live_classrooms": "2",
            "needs_on_site": "on",
            "development_needs": "课堂教学",
            "needs-TOTAL_FORMS": "2",
            "needs-INITIAL_FORMS": "0",
            "needs-0-stage": "primary",
            "needs-0-subject": "music",
            "needs-0-kind": "no_teacher",
            "needs-0-priority": "5",
            "needs-1-stage": "",
            "needs-1-subject": "",
            "needs-1-kind": "weak",
            "needs-1-priority": "3",
        },
    )
    assert response.status_code == 302
    profile = NeedProfile.objects.get(school=rural)
    assert [(n.subject_id, n.priority) for n in profile.needs.all()] == [("music", 5)]


def test_mentor_offers_strengths_and_teacher_cannot(client, mentor, rural_teacher):
    client.force_login(mentor)
    response = client.post(
        reverse("pairing:my_helper"),
        {
            "capacity": "3",
            "travels": "on",
            "max_travel_km": "60",
            "accepting": "on",
            "description": "小学数学",
            "strengths-TOTAL_FORMS": "1",
            "strengths-INITIAL_FORMS": "0",
            "strengths-0-stage": "primary",
            "strengths-0-subject": "math",
            "strengths-0-level": "5",
        },
    )
    assert response.status_code == 302
    profile = HelperProfile.objects.get(mentor=mentor)
    assert (profile.capacity, profile.max_travel_km) == (3, 60)
    assert profile.strengths.get().level == 5
    client.force_login(rural_teacher)
    assert client.get(reverse("pairing:my_helper")).status_code == 403
    assert client.get(reverse("pairing:need_profile")).status_code == 403


def test_semester_rule_flag(client, mentor, pairing, rural_teacher):
    client.force_login(mentor)
    html = page(client, MINE)
    assert 'data-rhythm="at_risk"' in html or 'data-rhythm="urgent"' in html
    services.activity_record(
        pairing=pairing,
        user=mentor,
        type=ActivityType.DEMO_LESSON,
        title="示范课",
        date=timezone.localdate(),
        hours=2,
        partner_participants=[rural_teacher],
    )
    assert 'data-rhythm="ok"' in page(client, MINE)


def test_my_pairings_queries_do_not_grow(client, rural_admin, city_school, rural):
    from pairing.factories import UrbanSchoolFactory

    client.force_login(rural_admin)

    def add(n, start):
        for i in range(n):
            helper = UrbanSchoolFactory(
                code=f"21504{start + i:05d}", region=rural.region
            )
            p = active_pairing(helper_school=helper, partner_schools=[rural])
            services.targets_replace(
                pairing=p,
                user=None,
                targets=[services.TargetSpec("送教", 2, p.end_date)],
            )

    add(2, 100)
    client.get(MINE)
    with CaptureQueriesContext(connection) as few:
        assert client.get(MINE).status_code == 200
    add(6, 200)
    with CaptureQueriesContext(connection) as many:
        assert client.get(MINE).status_code == 200
    assert len(many) == len(few)
