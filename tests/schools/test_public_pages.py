"""本校教师 for school admins and 我的工作室 for mentors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.roles import Role
from schools.factories import SchoolFactory, StudioFactory
from schools.models import Subject
from schools.views import MY_SCHOOL_FORBIDDEN, MY_STUDIO_FORBIDDEN, STAFF_PER_PAGE

pytestmark = pytest.mark.django_db

MY_SCHOOL = reverse("schools:my_school")
MY_STUDIO = reverse("schools:my_studio")


@pytest.fixture
def school_admin(school):
    return UserFactory(
        username="principal",
        real_name="李校长",
        school=school,
        roles=[Role.SCHOOL_ADMIN],
    )


@pytest.fixture
def neighbour(county):
    return SchoolFactory(code="2150429009", name="宁城县大城子镇小学", region=county)


# --- 本校教师 ---------------------------------------------------------------------


def test_school_admin_sees_own_staff_with_full_phones(
    client, school_admin, school, neighbour
):
    UserFactory(real_name="刘老师", phone="13912345678", school=school)
    UserFactory(real_name="赵老师", phone="13700000001", school=neighbour)
    UserFactory(real_name="离职老师", school=school, is_active=False)
    client.force_login(school_admin)
    response = client.get(MY_SCHOOL)
    assert response.status_code == 200
    content = response.content.decode()
    assert school.name in content
    assert "13912345678" in content  # in full: the school admin needs it
    assert 'href="tel:13912345678"' in content
    assert "赵老师" not in content and "13700000001" not in content
    assert "离职老师" not in content
    assert {t.real_name for t in response.context["staff"]} == {"刘老师", "李校长"}


def test_staff_list_is_paginated(client, school_admin, school):
    UserFactory.create_batch(STAFF_PER_PAGE + 5, school=school)
    client.force_login(school_admin)
    first = client.get(MY_SCHOOL)
    assert len(first.context["staff"]) == STAFF_PER_PAGE
    assert 'rel="next"' in first.content.decode()
    second = client.get(MY_SCHOOL, {"page": 2})
    assert len(second.context["staff"]) == 6  # 55 staff plus the admin
    shown = {t.pk for t in first.context["staff"]} | {
        t.pk for t in second.context["staff"]
    }
    assert len(shown) == STAFF_PER_PAGE + 6


@pytest.mark.parametrize(
    "roles", [[Role.RURAL_TEACHER], [Role.MENTOR], [Role.REVIEWER]]
)
def test_others_are_refused_my_school(client, school, roles):
    user = UserFactory(school=school, roles=roles)
    client.force_login(user)
    response = client.get(MY_SCHOOL)
    assert response.status_code == 403
    assert str(MY_SCHOOL_FORBIDDEN) in response.content.decode()
    assert school.name not in response.content.decode()


def test_school_admin_without_a_school_is_refused(client, db):
    user = UserFactory(roles=[Role.SCHOOL_ADMIN])
    client.force_login(user)
    assert client.get(MY_SCHOOL).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    for path in (MY_SCHOOL, MY_STUDIO):
        response = client.get(path)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_my_school_query_count_does_not_grow(client, school_admin, school):
    subjects = list(Subject.objects.all()[:2])

    def add(n):
        for t in UserFactory.create_batch(n, school=school):
            t.subjects.add(*subjects)

    client.force_login(school_admin)
    add(10)
    client.get(MY_SCHOOL)
    few = _queries(client, MY_SCHOOL)
    add(90)  # 100 staff: two pages, the first full
    many = _queries(client, MY_SCHOOL)
    assert many == few


# --- 我的工作室 ---------------------------------------------------------------------


@pytest.fixture
def mentor(school):
    return UserFactory(real_name="周名师", school=school, roles=[Role.MENTOR])


def test_mentor_sees_studios_led_and_joined_with_members(
    client, mentor, school, neighbour
):
    led = StudioFactory(name="宁城县语文名师工作室", leader=mentor, host_school=school)
    member_a = UserFactory(real_name="刘老师", school=neighbour)
    led.members.add(member_a)
    joined = StudioFactory(
        name="宁城县数学名师工作室",
        leader=UserFactory(real_name="吴名师", school=neighbour),
        host_school=neighbour,
    )
    joined.members.add(mentor)
    StudioFactory(name="别人的工作室", host_school=school)
    client.force_login(mentor)
    response = client.get(MY_STUDIO)
    assert response.status_code == 200
    assert [s.name for s in response.context["studios"]] == [
        "宁城县数学名师工作室",
        "宁城县语文名师工作室",
    ]
    content = response.content.decode()
    assert "刘老师" in content and "宁城县大城子镇小学" in content
    assert "别人的工作室" not in content
    assert member_a.phone not in content  # colleagues, not contact sheets


def test_mentor_without_studio_sees_an_empty_page(client, mentor):
    client.force_login(mentor)
    response = client.get(MY_STUDIO)
    assert response.status_code == 200
    assert response.context["studios"] == []


def test_platform_admin_does_not_see_others_studios(
    client, platform_admin, mentor, school
):
    StudioFactory(name="宁城县语文名师工作室", leader=mentor, host_school=school)
    client.force_login(platform_admin)
    response = client.get(MY_STUDIO)
    assert response.status_code == 403
    assert str(MY_STUDIO_FORBIDDEN) in response.content.decode()


def test_non_mentor_member_sees_their_studio(client, mentor, school):
    studio = StudioFactory(
        name="宁城县语文名师工作室", leader=mentor, host_school=school
    )
    teacher = UserFactory(school=school, roles=[Role.RURAL_TEACHER])
    studio.members.add(teacher)
    client.force_login(teacher)
    response = client.get(MY_STUDIO)
    assert [s.name for s in response.context["studios"]] == ["宁城县语文名师工作室"]


def test_teacher_outside_any_studio_is_refused(client, school):
    client.force_login(UserFactory(school=school, roles=[Role.RURAL_TEACHER]))
    assert client.get(MY_STUDIO).status_code == 403


def test_my_studio_query_count_does_not_grow(client, mentor, school):
    studio = StudioFactory(leader=mentor, host_school=school)
    subjects = list(Subject.objects.all()[:2])
    studio.subjects.add(*subjects)

    def add(n):
        for t in UserFactory.create_batch(n, school=school):
            t.subjects.add(*subjects)
            studio.members.add(t)

    client.force_login(mentor)
    add(10)
    client.get(MY_STUDIO)
    few = _queries(client, MY_STUDIO)
    add(90)
    StudioFactory(leader=mentor, host_school=school).members.add(
        *UserFactory.create_batch(5, school=school)
    )
    many = _queries(client, MY_STUDIO)
    assert many == few
