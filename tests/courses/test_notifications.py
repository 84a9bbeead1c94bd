"""The inbox and email: deadline reminders, email once, the admin panel, a worker."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.roles import Role
from courses.factories import CourseFactory, LessonFactory, ModuleFactory
from courses.models import ApprovalChain, Notification
from courses.services import (
    deadline_reminders_send,
    enrolment_apply,
    lesson_mark_done,
    notification_email,
    notification_send,
)
from courses.tasks import deadline_reminders_task
from tests.courses.helpers import open_programme, teacher

TODAY = timezone.localdate()


@pytest.fixture
def course_due(county):
    programme = open_programme(county, title="师德师风轮训")
    course = CourseFactory(
        programme=programme, title="师德案例", deadline=TODAY + timedelta(days=3)
    )
    LessonFactory(module=ModuleFactory(course=course))
    return course


@pytest.mark.django_db
def test_deadline_reminders_go_once_to_teachers_not_done(
    course_due, school, django_capture_on_commit_callbacks
):
    programme = course_due.programme
    behind = teacher(school, email="behind@example.cn")
    finished = teacher(school)
    for person in (behind, finished):
        enrolment_apply(teacher=person, programme=programme)
    lesson_mark_done(lesson=course_due.modules.get().lessons.get(), teacher=finished)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_task() == 1
    assert deadline_reminders_send() == 0  # the second run repeats nothing
    notice = Notification.objects.get(kind="deadline")
    assert notice.user == behind
    assert notice.title == f"请在 {course_due.deadline.isoformat()} 前完成：师德案例"
    assert "师德师风轮训" in notice.body
    assert [m.to for m in mail.outbox] == [["behind@example.cn"]]
    tasks = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "courses.tasks.deadline_reminders",
        "courses.tasks.waitlists_promote",
    } <= tasks


@pytest.mark.django_db
def test_no_reminder_for_other_days_or_the_waitlist(course_due, school):
    programme = course_due.programme
    programme.seats = 1
    programme.save()
    enrolment_apply(teacher=teacher(school), programme=programme)
    waiting = teacher(school)
    enrolment_apply(teacher=waiting, programme=programme)
    assert deadline_reminders_send(today=TODAY + timedelta(days=1)) == 0
    assert deadline_reminders_send() == 1
    assert not Notification.objects.filter(user=waiting, kind="deadline").exists()


@pytest.mark.django_db
def test_email_goes_once_and_only_with_an_address(school):
    person = teacher(school, email="wang@example.cn")
    notice = notification_send(
        user=person, kind="t", title="您已被录取", url="/learning/"
    )
    assert notification_email(notification=notice)
    notice.refresh_from_db()
    assert not notification_email(notification=notice)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[连心] 您已被录取"
    assert "http://testserver/learning/" in mail.outbox[0].body
    silent = teacher(school, email="")
    quiet = notification_send(user=silent, kind="t", title="无邮箱")
    assert not notification_email(notification=quiet)


@pytest.mark.django_db
def test_admin_home_shows_applications_awaiting_the_bureau(
    client, county, school, reviewer
):
    programme = open_programme(county, chain=ApprovalChain.BUREAU)
    enrolment_apply(teacher=teacher(school), programme=programme)
    client.force_login(reviewer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "<strong data-to-approve>1</strong>" in html
    assert Notification.objects.filter(user=reviewer, kind="approvals_waiting").exists()
    client.force_login(UserFactory(roles=[Role.PLATFORM_ADMIN]))
    assert "training-panel" in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.worker
def test_a_real_worker_emails_the_notification(celery_worker_process, school):
    person = teacher(school, email="worker@example.cn")
    notice = notification_send(user=person, kind="t", title="证书已生成", email=False)
    from courses.tasks import notification_email_task

    notification_email_task.delay(notice.pk)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        notice.refresh_from_db()
        if notice.emailed_at is not None:
            break
        time.sleep(0.2)
    assert notice.emailed_at is not None, "".join(celery_worker_process.output[-30:])
