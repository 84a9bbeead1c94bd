"""我的学习, the teacher's ledger page and 本校培训, as users see them."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.roles import Role
from courses.factories import CourseFactory, LessonFactory, ModuleFactory
from courses.models import ApprovalChain, LedgerEntry, Lesson
from courses.selectors import learning_overview
from courses.services import enrolment_apply, ledger_add, lesson_mark_done
from tests.courses.helpers import open_programme, teacher

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def credit(person, hours, day, ref):
    return ledger_add(
        teacher=person,
        source=LedgerEntry.Source.OUTSIDE,
        level="county",
        hours=hours,
        date=day,
        ref=ref,
        title=f"培训{ref}",
    )


def test_my_learning_shows_hours_courses_applications_and_deadlines(
    client, county, school, settings
):
    settings.CREDIT_HOURS_PER_YEAR = 72
    settings.CREDIT_HOURS_PER_CYCLE = 360
    settings.CREDIT_CYCLE_START_YEAR = TODAY.year  # a cycle starts this year
    person = teacher(school, real_name="王小红")
    credit(person, 30, TODAY, "a")
    credit(person, Decimal("6.5"), TODAY - timedelta(days=400), "old")
    programme = open_programme(county, title="乡村英语教师口语提升班")
    course = CourseFactory(
        programme=programme, title="课堂口语", deadline=TODAY + timedelta(days=5)
    )
    module = ModuleFactory(course=course)
    first = LessonFactory(module=module, kind=Lesson.Kind.TEXT)
    LessonFactory(module=module, kind=Lesson.Kind.TEXT)
    enrolment_apply(teacher=person, programme=programme)
    lesson_mark_done(lesson=first, teacher=person)
    full = open_programme(county, seats=1, title="国培音乐", chain=ApprovalChain.NONE)
    enrolment_apply(teacher=teacher(school), programme=full)
    enrolment_apply(teacher=person, programme=full)
    client.force_login(person)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "<strong data-year-hours>30</strong> / 72" in html
    assert "<strong data-cycle-hours>30</strong> / 360" in html
    assert "尚差 42 学时" in html
    assert "课堂口语" in html and "50%" in html
    assert f"{course.deadline:%Y-%m-%d} 前完成" in html
    assert "国培音乐" in html and "候补第 1 位" in html
    assert "培训a" in html  # recently credited


def test_overview_takes_a_fixed_number_of_queries(county, school):
    person = teacher(school)
    counts = []
    for n in (1, 4):
        for _ in range(n):
            programme = open_programme(county)
            for _c in range(2):
                module = ModuleFactory(course=CourseFactory(programme=programme))
                LessonFactory(module=module)
                LessonFactory(module=module, kind=Lesson.Kind.QUIZ)
            enrolment_apply(teacher=person, programme=programme)
        with CaptureQueriesContext(connection) as ctx:
            rows = learning_overview(teacher=person)
        counts.append(len(ctx))
    assert len(rows) == 5 and all(len(r.courses) == 2 for r in rows)
    assert counts[0] == counts[1]


def test_my_ledger_totals_per_year(client, school):
    person = teacher(school)
    credit(person, 20, date(2024, 3, 1), "a")
    credit(person, 4, date(2024, 9, 1), "b")
    credit(person, 10, date(2023, 3, 1), "c")
    client.force_login(person)
    html = client.get(reverse("courses:my_ledger")).content.decode()
    assert '<td data-year="2024">24</td>' in html
    assert '<td data-year="2023">10</td>' in html
    assert "培训a" in html
    other = teacher(school)
    client.force_login(other)
    assert "培训a" not in client.get(reverse("courses:my_ledger")).content.decode()


def test_school_training_page(client, school, second_school, school_admin):
    fine = teacher(school, real_name="李明")
    teacher(school, real_name="王小红")
    teacher(second_school, real_name="别校老师")
    credit(fine, 80, TODAY, "z")
    client.force_login(school_admin)
    html = client.get(reverse("courses:school_training")).content.decode()
    assert "李明" in html and "王小红" in html and "别校老师" not in html
    # Three staff (the admin too), one meets the year's hours.
    assert 'data-share="33"' in html
    assert "3 名教师中有 1 名（33%）" in html


def test_school_training_is_for_school_admins(client, school):
    client.force_login(teacher(school))
    assert client.get(reverse("courses:school_training")).status_code == 403
    client.force_login(UserFactory(roles=[Role.SCHOOL_ADMIN]))  # no school
    assert client.get(reverse("courses:school_training")).status_code == 403
