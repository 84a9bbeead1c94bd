"""The bureau's admin screens for regions, schools and studios, by scope."""

import csv
import io

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.roles import Role
from schools.factories import RegionFactory, SchoolFactory, StudioFactory
from schools.models import Region, School, Studio

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"{name}", args=args)


@pytest.fixture
def township(county):
    return county.children.get(code="150429100")


@pytest.fixture
def schools(county, township, other_county):
    return {
        "county": SchoolFactory(
            code="2150429001", name="宁城县天义镇中心小学", region=county
        ),
        "township": SchoolFactory(
            code="2150429002", name="天义镇中学", region=township
        ),
        "other": SchoolFactory(
            code="2610727001", name="略阳县麻柳铺小学", region=other_county
        ),
    }


def school_form_data(school, **changes):
    data = {
        "code": school.code,
        "name": school.name,
        "region": school.region_id,
        "category": school.category,
        "urban_rural_code": school.urban_rural_code,
        "student_count": school.student_count,
        "teacher_count": school.teacher_count,
        "address": "",
        "latitude": "",
        "longitude": "",
    }
    data.update(changes)
    return data


def listed_names(response):
    return {s.name for s in response.context["object_list"]}


# --- listing by scope ---------------------------------------------------------


def test_county_reviewer_lists_only_own_county_schools(client, reviewer, schools):
    client.force_login(reviewer)
    response = client.get(url("schools_admin:index"))
    assert response.status_code == 200
    assert listed_names(response) == {"宁城县天义镇中心小学", "天义镇中学"}
    assert "略阳县麻柳铺小学" not in response.content.decode()


def test_city_reviewer_sees_its_counties(client, county, schools):
    city_reviewer = UserFactory(region=county.parent, roles=[Role.REVIEWER])
    other_county_in_city = RegionFactory(
        code="150428", name="喀喇沁旗", level=3, parent=county.parent
    )
    SchoolFactory(code="2150428001", name="喀喇沁旗小学", region=other_county_in_city)
    client.force_login(city_reviewer)
    response = client.get(url("schools_admin:index"))
    assert listed_names(response) == {
        "宁城县天义镇中心小学",
        "天义镇中学",
        "喀喇沁旗小学",
    }


def test_platform_admin_sees_every_school(client, platform_admin, schools):
    client.force_login(platform_admin)
    response = client.get(url("schools_admin:index"))
    assert len(listed_names(response)) == 3


def test_school_filter_by_township_and_category(client, reviewer, schools, township):
    client.force_login(reviewer)
    response = client.get(url("schools_admin:index"), {"region": township.pk})
    assert listed_names(response) == {"天义镇中学"}
    schools["county"].category = School.Category.URBAN
    schools["county"].save()
    response = client.get(url("schools_admin:index"), {"category": "urban"})
    assert listed_names(response) == {"宁城县天义镇中心小学"}


def test_region_filter_offers_only_regions_in_scope(
    client, reviewer, schools, other_county
):
    client.force_login(reviewer)
    response = client.get(url("schools_admin:index"), {"region": other_county.pk})
    # An out-of-scope region is not a valid choice: the filter is ignored and
    # the list still holds only the reviewer's own schools.
    assert listed_names(response) == {"宁城县天义镇中心小学", "天义镇中学"}
    choices = response.context["filters"].form.fields["region"].queryset
    assert other_county not in choices


def test_search_by_name_and_code(client, reviewer, schools):
    client.force_login(reviewer)
    response = client.get(url("schools_admin:index"), {"q": "2150429002"})
    assert listed_names(response) == {"天义镇中学"}
    response = client.get(url("schools_admin:index"), {"q": "麻柳铺"})
    assert listed_names(response) == set()


# --- opening another county's school -----------------------------------------


@pytest.mark.parametrize("view", ["edit", "delete", "inspect", "history", "usage"])
def test_other_county_school_is_not_found(client, reviewer, schools, view):
    client.force_login(reviewer)
    response = client.get(url(f"schools_admin:{view}", schools["other"].pk))
    assert response.status_code == 404


@pytest.mark.parametrize("view", ["edit", "inspect", "history"])
def test_own_school_opens(client, reviewer, schools, view):
    client.force_login(reviewer)
    response = client.get(url(f"schools_admin:{view}", schools["township"].pk))
    assert response.status_code == 200


def test_post_to_other_county_school_changes_nothing(client, reviewer, schools):
    other = schools["other"]
    client.force_login(reviewer)
    response = client.post(
        url("schools_admin:edit", other.pk), school_form_data(other, name="被改了")
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name == "略阳县麻柳铺小学"
    response = client.post(url("schools_admin:delete", other.pk))
    assert response.status_code == 404
    assert School.objects.filter(pk=other.pk).exists()


def test_reviewer_edits_own_school(client, reviewer, schools):
    school = schools["township"]
    client.force_login(reviewer)
    response = client.post(
        url("schools_admin:edit", school.pk),
        school_form_data(school, name="天义镇第一中学", is_weak="on"),
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.name == "天义镇第一中学"
    assert school.is_weak


def test_reviewer_cannot_delete_even_own_school(client, reviewer, schools):
    school = schools["township"]
    client.force_login(reviewer)
    client.post(url("schools_admin:delete", school.pk))
    assert School.objects.filter(pk=school.pk).exists()


# --- related choices ---------------------------------------------------------


def test_region_choices_exclude_other_counties(client, reviewer, schools, county):
    client.force_login(reviewer)
    response = client.get(url("schools_admin:add"))
    choices = set(response.context["form"].fields["region"].queryset)
    assert choices == set(Region.objects.filter(path__startswith=county.path))
    assert "略阳县" not in response.content.decode()


def test_moving_a_school_to_another_county_is_refused(
    client, reviewer, schools, other_county
):
    school = schools["township"]
    client.force_login(reviewer)
    response = client.post(
        url("schools_admin:edit", school.pk),
        school_form_data(school, region=other_county.pk),
    )
    assert response.status_code == 200  # the form again, with an error
    assert response.context["form"].errors["region"]
    school.refresh_from_db()
    assert school.region.name == "天义镇"


def test_creating_a_school_in_another_county_is_refused(
    client, reviewer, other_county, county
):
    client.force_login(reviewer)
    data = school_form_data(
        SchoolFactory.build(code="2610727009", name="越界小学", region=other_county)
    )
    response = client.post(url("schools_admin:add"), data)
    assert response.status_code == 200
    assert not School.objects.filter(code="2610727009").exists()
    data["region"] = county.pk
    response = client.post(url("schools_admin:add"), data)
    assert response.status_code == 302
    assert School.objects.get(code="2610727009").region == county


def test_invalid_school_code_shows_chinese_error(client, reviewer, county):
    client.force_login(reviewer)
    data = school_form_data(
        SchoolFactory.build(code="12345", name="错码小学", region=county)
    )
    response = client.post(url("schools_admin:add"), data)
    assert response.status_code == 200
    assert "学校标识码" in str(response.context["form"].errors["code"])


# --- export ------------------------------------------------------------------


def test_school_export_holds_only_schools_in_scope(client, reviewer, schools):
    client.force_login(reviewer)
    response = client.get(url("schools_admin:index"), {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    codes = {row[0] for row in rows[1:]}
    assert codes == {"2150429001", "2150429002"}
    assert rows[0][0] == "学校标识码"
    weak = rows[0].index("薄弱学校")
    assert {row[weak] for row in rows[1:]} == {"否"}


def test_school_export_xlsx(client, reviewer, schools):
    from openpyxl import load_workbook

    client.force_login(reviewer)
    response = client.get(url("schools_admin:index"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert codes == {"2150429001", "2150429002"}


# --- regions -------------------------------------------------------------------


def test_reviewer_views_regions_of_scope_but_cannot_edit(
    client, reviewer, county, other_county
):
    client.force_login(reviewer)
    response = client.get(url("regions_admin:index"))
    names = {r.name for r in response.context["object_list"]}
    assert names == {"宁城县", "天义镇", "小城子镇"}
    assert client.get(url("regions_admin:inspect", county.pk)).status_code == 200
    assert client.get(url("regions_admin:inspect", other_county.pk)).status_code == 404
    response = client.post(
        url("regions_admin:edit", county.pk), {"name": "改名县"}, follow=False
    )
    assert response.status_code == 302 and "/admin/" in response["Location"]
    county.refresh_from_db()
    assert county.name == "宁城县"
    client.post(
        url("regions_admin:add"),
        {"code": "150429102", "name": "新乡镇", "level": 4, "parent": county.pk},
    )
    assert not Region.objects.filter(code="150429102").exists()


def test_platform_admin_creates_township_with_its_path(client, platform_admin, county):
    client.force_login(platform_admin)
    response = client.post(
        url("regions_admin:add"),
        {"code": "150429102", "name": "大城子镇", "level": 4, "parent": county.pk},
    )
    assert response.status_code == 302
    region = Region.objects.get(code="150429102")
    assert region.path == "/150000/150400/150429/150429102/"


def test_region_code_and_parent_are_fixed_once_created(
    client, platform_admin, county, other_county
):
    client.force_login(platform_admin)
    response = client.post(
        url("regions_admin:edit", county.pk),
        {
            "code": "999999",
            "name": "宁城县（新）",
            "level": 3,
            "parent": other_county.parent_id,
        },
    )
    assert response.status_code == 302
    county.refresh_from_db()
    assert (county.name, county.code, county.parent.code) == (
        "宁城县（新）",
        "150429",
        "150400",
    )


# --- studios -------------------------------------------------------------------


@pytest.fixture
def studios(schools):
    mentor = UserFactory(school=schools["county"], roles=[Role.MENTOR])
    other_mentor = UserFactory(school=schools["other"], roles=[Role.MENTOR])
    return {
        "mine": StudioFactory(
            name="宁城县语文名师工作室", leader=mentor, host_school=schools["county"]
        ),
        "other": StudioFactory(
            name="略阳县数学名师工作室",
            leader=other_mentor,
            host_school=schools["other"],
        ),
    }


def studio_form_data(studio, **changes):
    data = {
        "name": studio.name,
        "kind": studio.kind,
        "founded_on": "",
        "host_school": studio.host_school_id,
        "leader": studio.leader_id,
        "members": [m.pk for m in studio.members.all()],
        "description": studio.description,
        "is_active": "on" if studio.is_active else "",
    }
    data.update(changes)
    return data


def test_reviewer_lists_and_opens_only_own_studios(client, reviewer, studios):
    client.force_login(reviewer)
    response = client.get(url("studios_admin:index"))
    assert listed_names(response) == {"宁城县语文名师工作室"}
    other = studios["other"]
    assert client.get(url("studios_admin:edit", other.pk)).status_code == 404
    assert client.get(url("studios_admin:inspect", other.pk)).status_code == 404
    response = client.post(
        url("studios_admin:edit", other.pk), studio_form_data(other, name="改")
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name == "略阳县数学名师工作室"


def test_studio_leader_and_member_choices_stay_in_scope(
    client, reviewer, studios, schools
):
    client.force_login(reviewer)
    studio = studios["mine"]
    response = client.get(url("studios_admin:edit", studio.pk))
    form = response.context["form"]
    outsider = studios["other"].leader
    assert outsider not in form.fields["leader"].queryset
    assert outsider not in form.fields["members"].queryset
    assert set(form.fields["host_school"].queryset) == {
        schools["county"],
        schools["township"],
    }
    # Smuggling the outsider in by id is refused and changes nothing.
    response = client.post(
        url("studios_admin:edit", studio.pk),
        studio_form_data(studio, members=[outsider.pk]),
    )
    assert response.status_code == 200
    assert "members" in response.context["form"].errors
    assert not studio.members.exists()
    response = client.post(
        url("studios_admin:edit", studio.pk),
        studio_form_data(studio, leader=outsider.pk),
    )
    studio.refresh_from_db()
    assert studio.leader != outsider


def test_existing_outside_member_survives_a_reviewer_save(client, reviewer, studios):
    studio = studios["mine"]
    outsider = studios["other"].leader
    insider = UserFactory(school=studio.host_school, roles=[Role.MENTOR])
    studio.members.add(outsider)  # added by a platform admin
    client.force_login(reviewer)
    response = client.post(
        url("studios_admin:edit", studio.pk),
        studio_form_data(studio, members=[outsider.pk, insider.pk]),
    )
    assert response.status_code == 302
    assert set(studio.members.all()) == {outsider, insider}


def test_studio_filters(client, reviewer, studios, schools):
    StudioFactory(
        name="宁城县校长工作室",
        kind=Studio.Kind.PRINCIPAL,
        host_school=schools["township"],
        leader=UserFactory(school=schools["township"]),
        is_active=False,
    )
    client.force_login(reviewer)
    response = client.get(url("studios_admin:index"), {"kind": "principal"})
    assert listed_names(response) == {"宁城县校长工作室"}
    response = client.get(url("studios_admin:index"), {"is_active": "true"})
    assert listed_names(response) == {"宁城县语文名师工作室"}


# --- who gets into the admin ---------------------------------------------------


@pytest.mark.parametrize("role", [Role.SCHOOL_ADMIN, Role.MENTOR, Role.RURAL_TEACHER])
def test_site_roles_have_no_admin_access(client, school, role):
    user = UserFactory(school=school, roles=[role])
    client.force_login(user)
    login = resolve_url(settings.WAGTAILADMIN_LOGIN_URL)
    for name in ("schools_admin:index", "teachers_admin:index", "regions_admin:index"):
        response = client.get(url(name))
        assert response.status_code == 302
        assert response["Location"].split("?")[0] == login
    response = client.post(
        url("schools_admin:edit", school.pk), school_form_data(school, name="改")
    )
    assert response.status_code == 302
    assert response["Location"].split("?")[0] == login
    assert School.objects.get(pk=school.pk).name == school.name


def test_schools_menu_shows_for_reviewer(client, reviewer):
    client.force_login(reviewer)
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("schools_admin:index") in content
    assert reverse("teachers_admin:index") in content
    # Wagtail's own user management stays with platform admins.
    assert reverse("wagtailusers_users:index") not in content


# --- query counts ----------------------------------------------------------------


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_school_index_query_count_does_not_grow(client, reviewer, county):
    client.force_login(reviewer)
    path = url("schools_admin:index")
    SchoolFactory.create_batch(10, region=county)
    client.get(path)  # warm caches (content types, site)
    few = _queries(client, path)
    SchoolFactory.create_batch(50, region=county)
    many = _queries(client, path)
    assert many == few


def test_studio_index_query_count_does_not_grow(client, reviewer, school):
    client.force_login(reviewer)
    path = url("studios_admin:index")
    StudioFactory.create_batch(10, host_school=school, leader__school=school)
    client.get(path)
    few = _queries(client, path)
    StudioFactory.create_batch(30, host_school=school, leader__school=school)
    many = _queries(client, path)
    assert many == few


# --- admin history -------------------------------------------------------------


def test_site_history_shows_edits_only_inside_the_readers_scope(
    client, reviewer, platform_admin, schools, other_county
):
    school = schools["township"]
    client.force_login(reviewer)
    client.post(
        url("schools_admin:edit", school.pk),
        school_form_data(school, name="天义镇第一中学"),
    )
    history = reverse("wagtailadmin_reports:site_history")
    assert "天义镇第一中学" in client.get(history).content.decode()
    response = client.get(url("schools_admin:history", school.pk))
    assert "天义镇第一中学" in response.content.decode()

    other_reviewer = UserFactory(region=other_county, roles=[Role.REVIEWER])
    client.force_login(other_reviewer)
    response = client.get(history)
    assert response.status_code == 200
    assert "天义镇第一中学" not in response.content.decode()
    response = client.get(history, {"export": "csv"})
    assert "天义镇第一中学" not in b"".join(response.streaming_content).decode()

    client.force_login(platform_admin)
    assert "天义镇第一中学" in client.get(history).content.decode()


def test_deleting_a_school_still_in_use_is_refused_cleanly(
    client, platform_admin, school
):
    StudioFactory(host_school=school, leader=UserFactory(school=school))
    client.force_login(platform_admin)
    response = client.post(url("schools_admin:delete", school.pk))
    assert response.status_code in (200, 302)
    assert School.objects.filter(pk=school.pk).exists()


def test_platform_admin_deletes_an_unused_school(client, platform_admin, school):
    client.force_login(platform_admin)
    response = client.post(url("schools_admin:delete", school.pk))
    assert response.status_code == 302
    assert not School.objects.filter(pk=school.pk).exists()


def test_region_index_query_count_does_not_grow(client, reviewer, county):
    client.force_login(reviewer)
    path = url("regions_admin:index")

    def add(first, n):
        for i in range(first, first + n):
            RegionFactory(code=f"150429{i:03d}", name=f"镇{i}", level=4, parent=county)

    add(200, 5)
    client.get(path)
    few = _queries(client, path)
    add(300, 30)
    many = _queries(client, path)
    assert many == few
