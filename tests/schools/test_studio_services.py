"""studio_create: who may lead a studio, and who is a member."""

import pytest
from django.core.exceptions import ValidationError

from accounts.factories import UserFactory
from accounts.roles import Role
from schools.models import Studio, Subject
from schools.services import (
    STUDIO_LEADER_INACTIVE,
    STUDIO_LEADER_NOT_MENTOR,
    STUDIO_LEADER_NOT_SCHOOL_ADMIN,
    studio_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentor(school):
    return UserFactory(username="mentor", school=school, roles=[Role.MENTOR])


@pytest.fixture
def principal(school):
    return UserFactory(username="principal", school=school, roles=[Role.SCHOOL_ADMIN])


def messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.message_dict["leader"]]


def test_mentor_leads_a_famous_teacher_studio(mentor, school):
    teachers = [UserFactory(roles=[Role.RURAL_TEACHER]) for _ in range(3)]
    studio = studio_create(
        name="宁城县小学数学名师工作室",
        leader=mentor,
        host_school=school,
        subjects=Subject.objects.filter(name_zh="数学"),
        members=[mentor, *teachers],
    )
    studio.refresh_from_db()
    assert studio.kind == Studio.Kind.TEACHER
    assert set(studio.members.all()) == set(teachers)  # never the leader
    assert [s.name_zh for s in studio.subjects.all()] == ["数学"]


def test_a_teacher_without_the_mentor_role_cannot_lead(school):
    teacher = UserFactory(school=school, roles=[Role.RURAL_TEACHER])
    with pytest.raises(ValidationError) as refused:
        studio_create(name="某名师工作室", leader=teacher, host_school=school)
    assert messages(refused.value) == [str(STUDIO_LEADER_NOT_MENTOR)]
    assert not Studio.objects.exists()


def test_a_principal_studio_is_led_by_a_school_admin(mentor, principal, school):
    with pytest.raises(ValidationError) as refused:
        studio_create(
            name="某名校长工作室",
            kind=Studio.Kind.PRINCIPAL,
            leader=mentor,
            host_school=school,
        )
    assert messages(refused.value) == [str(STUDIO_LEADER_NOT_SCHOOL_ADMIN)]
    studio = studio_create(
        name="某名校长工作室",
        kind=Studio.Kind.PRINCIPAL,
        leader=principal,
        host_school=school,
    )
    assert studio.leader == principal


def test_an_inactive_leader_is_refused(mentor, school):
    mentor.is_active = False
    mentor.save()
    with pytest.raises(ValidationError) as refused:
        studio_create(name="某名师工作室", leader=mentor, host_school=school)
    assert messages(refused.value) == [str(STUDIO_LEADER_INACTIVE)]


def test_studio_names_are_unique(mentor, school):
    studio_create(name="某名师工作室", leader=mentor, host_school=school)
    with pytest.raises(ValidationError):
        studio_create(name="某名师工作室", leader=mentor, host_school=school)
    assert Studio.objects.count() == 1
