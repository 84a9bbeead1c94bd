"""宁城县 with a county-seat school that helps, two rural schools and their people."""

from decimal import Decimal

import pytest

from accounts.factories import UserFactory
from accounts.roles import Role
from pairing.factories import RuralSchoolFactory, UrbanSchoolFactory, active_pairing
from schools.models import Region


@pytest.fixture
def township(county):
    return Region.objects.get(code="150429101")  # 小城子镇


@pytest.fixture
def city_school(county):
    return UrbanSchoolFactory(
        code="2150429100",
        name="宁城县天义第一小学",
        region=county,
        latitude=Decimal("41.600000"),
        longitude=Decimal("119.340000"),
    )


@pytest.fixture
def rural(township):
    return RuralSchoolFactory(
        code="2150429201",
        name="宁城县小城子镇中心小学",
        region=township,
        latitude=Decimal("41.700000"),
        longitude=Decimal("119.200000"),
    )


@pytest.fixture
def rural2(township):
    return RuralSchoolFactory(
        code="2150429202", name="宁城县小城子镇杨树林村小学", region=township
    )


@pytest.fixture
def mentor(city_school):
    return UserFactory(
        username="mentor", real_name="陈建华", school=city_school, roles=[Role.MENTOR]
    )


@pytest.fixture
def other_mentor(city_school):
    return UserFactory(
        username="mentor2", real_name="李芳", school=city_school, roles=[Role.MENTOR]
    )


@pytest.fixture
def rural_admin(rural):
    return UserFactory(
        username="rural_admin",
        real_name="刘志强",
        school=rural,
        roles=[Role.SCHOOL_ADMIN],
    )


@pytest.fixture
def rural_teacher(rural):
    return UserFactory(
        username="rural_teacher",
        real_name="王小丽",
        school=rural,
        roles=[Role.RURAL_TEACHER],
    )


@pytest.fixture
def pairing(city_school, rural, mentor, rural_teacher):
    return active_pairing(
        helper_school=city_school, partner_schools=[rural], mentors=[mentor]
    )
