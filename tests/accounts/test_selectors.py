import pytest

from accounts.factories import UserFactory
from accounts.models import User
from accounts.roles import Role
from accounts.selectors import scope_queryset, user_scope
from schools.factories import RegionFactory, SchoolFactory, StudioFactory
from schools.models import School, Studio

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(county, other_county):
    township = county.children.get(code="150429100")
    return {
        "mine": SchoolFactory(code="2150429001", region=county),
        "township": SchoolFactory(code="2150429002", region=township),
        "other": SchoolFactory(code="2610727001", region=other_county),
    }


def visible_schools(user):
    return set(
        scope_queryset(School.objects.all(), user=user, regions=["region"]).values_list(
            "code", flat=True
        )
    )


def test_reviewer_sees_own_region_and_below_only(reviewer, schools):
    assert visible_schools(reviewer) == {"2150429001", "2150429002"}


def test_city_reviewer_sees_its_counties(county, schools):
    city_reviewer = UserFactory(region=county.parent, roles=[Role.REVIEWER])
    assert visible_schools(city_reviewer) == {"2150429001", "2150429002"}


def test_platform_admin_and_superuser_see_everything(platform_admin, schools):
    superuser = UserFactory(is_superuser=True)
    assert len(visible_schools(platform_admin)) == 3
    assert len(visible_schools(superuser)) == 3


def test_reviewer_without_region_sees_nothing(schools):
    lost = UserFactory(roles=[Role.REVIEWER])
    assert visible_schools(lost) == set()


def test_region_without_role_grants_nothing(county, schools):
    # A region on a user without the reviewer role must not widen scope.
    teacher = UserFactory(region=county, roles=[Role.RURAL_TEACHER])
    assert visible_schools(teacher) == set()


def test_anonymous_and_inactive_see_nothing(schools, county):
    from django.contrib.auth.models import AnonymousUser

    assert visible_schools(AnonymousUser()) == set()
    inactive = UserFactory(region=county, roles=[Role.REVIEWER], is_active=False)
    assert visible_schools(inactive) == set()


def test_school_admin_sees_own_school(schools):
    admin = UserFactory(school=schools["township"], roles=[Role.SCHOOL_ADMIN])
    got = scope_queryset(School.objects.all(), user=admin, schools=["pk"])
    assert list(got.values_list("code", flat=True)) == ["2150429002"]


def test_users_path_gives_own_rows(schools):
    teacher = UserFactory(school=schools["mine"], roles=[Role.RURAL_TEACHER])
    UserFactory(school=schools["mine"], roles=[Role.RURAL_TEACHER])
    got = scope_queryset(
        User.objects.all(), user=teacher, schools=["school"], users=["pk"]
    )
    assert list(got) == [teacher]


def test_several_roles_union_their_scopes(county, other_county, schools):
    user = UserFactory(
        region=other_county,
        school=schools["mine"],
        roles=[Role.REVIEWER, Role.SCHOOL_ADMIN],
    )
    got = scope_queryset(
        School.objects.all(), user=user, regions=["region"], schools=["pk"]
    )
    assert set(got.values_list("code", flat=True)) == {"2150429001", "2610727001"}


def test_to_many_paths_do_not_repeat_rows(county, schools):
    leader = UserFactory(school=schools["mine"], roles=[Role.MENTOR])
    studio = StudioFactory(leader=leader, host_school=schools["mine"])
    studio.members.add(*UserFactory.create_batch(3, school=schools["mine"]))
    reviewer = UserFactory(region=county, roles=[Role.REVIEWER])
    got = scope_queryset(
        Studio.objects.all(),
        user=reviewer,
        schools=["host_school", "members__school"],
    )
    assert list(got) == [studio]


def test_scope_reads_region_once(reviewer, django_assert_num_queries):
    user = User.objects.get(pk=reviewer.pk)
    with django_assert_num_queries(2):  # groups, region
        scope = user_scope(user)
    assert scope.region_path == "/150000/150400/150429/"


def test_region_paths_follow_the_tree():
    province = RegionFactory(code="130000", name="河北省", level=1)
    city = RegionFactory(code="130600", name="保定市", level=2, parent=province)
    county = RegionFactory(code="130624", name="阜平县", level=3, parent=city)
    assert county.path == "/130000/130600/130624/"
    assert city.contains(county) and not county.contains(city)
