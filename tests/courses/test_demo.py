"""The demo training on a small demo county: what the demo logins see."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from courses import demo
from courses.models import Certificate, Course, Enrolment, LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out, schools=30, teachers=400)
    return out.getvalue()


def test_demo_training_for_the_demo_logins(seeded, client):
    assert "ran courses.demo.seed" in seeded
    assert Course.objects.filter(title=demo.MARKER).exists()
    teacher = User.objects.get(username="demo_teacher")
    client.force_login(teacher)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert demo.MARKER in html and "新课标下的课堂教学" in html
    assert Certificate.objects.filter(teacher=teacher).exists()
    assert LedgerEntry.objects.filter(teacher=teacher, source="course").exists()
    # The mentor has the teacher's assignment to grade.
    client.force_login(User.objects.get(username="demo_mentor"))
    assert (
        teacher.display_name in client.get(reverse("courses:grading")).content.decode()
    )
    # The bureau has applications at its step and a coverage report.
    client.force_login(User.objects.get(username="demo_reviewer"))
    assert Enrolment.objects.filter(status="pending", step="bureau").exists()
    assert client.get(reverse("courses_admin:approvals")).status_code == 200
    report = client.get(reverse("courses_admin:coverage")).content.decode()
    assert "data-total-teachers" in report
    assert LedgerEntry.objects.filter(source="outside").count() > 400

    counts = (
        Course.objects.count(),
        Enrolment.objects.count(),
        LedgerEntry.objects.count(),
    )
    demo.seed(stdout=io.StringIO())
    assert (
        Course.objects.count(),
        Enrolment.objects.count(),
        LedgerEntry.objects.count(),
    ) == counts
