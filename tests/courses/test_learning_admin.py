"""The bureau's course and lesson screens stay inside its region."""

import pytest
from django.urls import reverse

from courses.factories import CourseFactory, LessonFactory, ModuleFactory
from courses.models import Course, Lesson
from tests.courses.helpers import open_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(county, other_county):
    mine = CourseFactory(programme=open_programme(county), title="宁城县课程")
    theirs = CourseFactory(programme=open_programme(other_county), title="略阳县课程")
    return mine, theirs


def test_course_list_and_pages_follow_the_region(client, reviewer, courses):
    mine, theirs = courses
    client.force_login(reviewer)
    html = client.get(reverse("courses_course_admin:index")).content.decode()
    assert "宁城县课程" in html and "略阳县课程" not in html
    assert (
        client.get(reverse("courses_course_admin:edit", args=[mine.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("courses_course_admin:edit", args=[theirs.pk])).status_code
        == 404
    )


def test_a_course_can_only_go_to_a_programme_in_scope(client, reviewer, courses):
    mine, theirs = courses
    client.force_login(reviewer)
    data = {
        "programme": theirs.programme_id,
        "title": "越界课程",
        "credit_hours": "6",
        "order": "0",
        "min_live_attendance": "0",
        "modules-TOTAL_FORMS": "0",
        "modules-INITIAL_FORMS": "0",
        "modules-MIN_NUM_FORMS": "0",
        "modules-MAX_NUM_FORMS": "1000",
    }
    client.post(reverse("courses_course_admin:add"), data)
    assert not Course.objects.filter(title="越界课程").exists()
    client.post(
        reverse("courses_course_admin:add"),
        {**data, "programme": mine.programme_id, "title": "新课程"},
    )
    assert Course.objects.get(title="新课程").programme == mine.programme


def test_lessons_follow_the_region(client, reviewer, courses):
    mine, theirs = courses
    ours = LessonFactory(module=ModuleFactory(course=mine), title="我们的课时")
    far = LessonFactory(module=ModuleFactory(course=theirs), title="他们的课时")
    client.force_login(reviewer)
    html = client.get(reverse("courses_lesson_admin:index")).content.decode()
    assert "我们的课时" in html and "他们的课时" not in html
    assert (
        client.get(reverse("courses_lesson_admin:edit", args=[far.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("courses_lesson_admin:edit", args=[ours.pk])).status_code
        == 200
    )
    assert Lesson.objects.count() == 2
