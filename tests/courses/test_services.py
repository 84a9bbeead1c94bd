"""Programme records: validation, scope, quotas, and the cards' selector."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.roles import Role
from courses.eligibility import Action
from courses.factories import ProgrammeFactory, ProgrammeQuotaFactory, window
from courses.models import Level, Mode
from courses.selectors import programme_cards, programmes_for_user
from courses.services import programme_create, programme_quotas_set, programme_update
from schools.factories import RegionFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions(county, other_county):
    return county, other_county


def fields(region, **changes):
    today = timezone.localdate()
    now = timezone.now()
    values = {
        "title": "乡村英语教师口语提升班",
        "level": Level.COUNTY,
        "year": today.year,
        "organiser": "县教师发展中心",
        "region": region,
        "credit_hours": 30,
        "starts_on": today + timedelta(days=30),
        "ends_on": today + timedelta(days=33),
        "enrol_opens_at": now,
        "enrol_closes_at": now + timedelta(days=10),
        "seats": 40,
        "mode": Mode.ON_SITE,
    }
    values.update(changes)
    return values


def test_create_in_own_region(reviewer, county):
    programme = programme_create(user=reviewer, **fields(county))
    assert programme.created_by == reviewer
    assert programme in programmes_for_user(user=reviewer)


def test_create_refused_outside_own_region(reviewer, other_county):
    with pytest.raises(PermissionDenied) as err:
        programme_create(user=reviewer, **fields(other_county))
    assert "本辖区" in str(err.value)


def test_update_cannot_move_a_programme_out_of_scope(reviewer, county, other_county):
    programme = programme_create(user=reviewer, **fields(county))
    with pytest.raises(PermissionDenied):
        programme_update(programme=programme, user=reviewer, region=other_county)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"level": Level.NATIONAL}, "region", "省级"),
        ({"ends_on": timezone.localdate()}, "ends_on", "不能早于"),
        (
            {"enrol_closes_at": timezone.now() - timedelta(days=1)},
            "enrol_closes_at",
            "早于",
        ),
        ({"level": Level.SCHOOL}, "school", "注明组织学校"),
        ({"seats": 0}, "seats", ""),
    ],
)
def test_validation_in_chinese(reviewer, county, changes, field, message):
    with pytest.raises(ValidationError) as err:
        programme_create(user=reviewer, **fields(county, **changes))
    assert field in err.value.message_dict
    assert message in " ".join(err.value.message_dict[field])


def test_school_based_programme_school_must_be_in_region(county, other_county):
    far = SchoolFactory(region=other_county)
    with pytest.raises(ValidationError) as err:
        programme_create(user=None, **fields(county, level=Level.SCHOOL, school=far))
    assert "school" in err.value.message_dict


def test_quotas_fit_the_seats_and_the_region(county, other_county, school):
    programme = ProgrammeFactory(region=county, seats=10)
    second = SchoolFactory(region=county)
    programme_quotas_set(programme=programme, quotas={school: 6, second: 4})
    assert sorted(programme.quotas.values_list("seats", flat=True)) == [4, 6]
    with pytest.raises(ValidationError) as err:
        programme_quotas_set(programme=programme, quotas={school: 8, second: 4})
    assert "超过" in str(err.value)
    with pytest.raises(ValidationError):
        programme_quotas_set(
            programme=programme, quotas={SchoolFactory(region=other_county): 1}
        )
    programme_quotas_set(programme=programme, quotas={second: 2})
    assert list(programme.quotas.values_list("school", "seats")) == [(second.pk, 2)]


def test_programmes_for_user_follows_region_scope(county, other_county):
    mine = ProgrammeFactory(region=county)
    ProgrammeFactory(region=other_county)
    province = county.parent.parent
    provincial = ProgrammeFactory(region=province, level=Level.PROVINCIAL)
    reviewer = UserFactory(region=county, roles=[Role.REVIEWER])
    assert list(programmes_for_user(user=reviewer)) == [mine]
    above = UserFactory(region=province, roles=[Role.REVIEWER])
    assert set(programmes_for_user(user=above)) == {mine, provincial}
    teacher = UserFactory(roles=[Role.RURAL_TEACHER])
    assert not programmes_for_user(user=teacher).exists()


def test_cards_for_a_page_take_a_fixed_number_of_queries(
    county, school, django_assert_num_queries
):
    teacher = UserFactory(school=school, roles=[Role.RURAL_TEACHER])
    few = [ProgrammeFactory(region=county) for _ in range(2)]
    many = few + [ProgrammeFactory(region=county, **window("closed")) for _ in range(8)]
    ProgrammeQuotaFactory(programme=many[-1], school=school, seats=3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for programmes in (few, many):
        for p in programmes:
            p.refresh_from_db()
        with CaptureQueriesContext(connection) as ctx:
            cards = programme_cards(programmes=programmes, user=teacher)
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    assert cards[many[0].pk].action == Action.APPLY
    assert cards[many[-1].pk].action == Action.CLOSED
    assert cards[many[-1].pk].quota == 3
    assert cards[many[0].pk].seats_left == many[0].seats


def test_region_factory_paths_are_nested(county):
    assert RegionFactory(code="150429102", level=4, parent=county).path.startswith(
        county.path
    )
