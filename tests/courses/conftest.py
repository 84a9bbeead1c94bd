import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _chinese():
    # Error messages are checked in the default language (Chinese), whatever
    # language an earlier request in the run activated.
    with translation.override("zh-hans"):
        yield


# --- Enrolment, ledger and learning (issue 4) ----------------------------------


@pytest.fixture
def second_school(county):
    from schools.factories import SchoolFactory

    return SchoolFactory(code="2150429002", name="宁城县小城子镇中学", region=county)


@pytest.fixture
def urban_school(county):
    from schools.factories import SchoolFactory
    from schools.models import School

    return SchoolFactory(
        code="2150429003",
        name="宁城县第一小学",
        region=county,
        category=School.Category.URBAN,
        urban_rural_code=School.UrbanRural.MAIN_URBAN,
    )


@pytest.fixture
def school_admin(school):
    from accounts.factories import UserFactory
    from accounts.roles import Role

    return UserFactory(username="principal", school=school, roles=[Role.SCHOOL_ADMIN])
