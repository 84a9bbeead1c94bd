"""Browsing the catalog: filters, sorting, pages, cards, constant queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.factories import UserFactory
from accounts.models import Honour
from accounts.roles import Role
from courses.factories import ProgrammeQuotaFactory, window
from courses.models import SchoolCategory, TargetRole
from schools.models import Stage, Subject
from tests.cms.pages import bulk_programme_pages, programme_page

pytestmark = pytest.mark.django_db


def TeacherFactory(**kwargs):  # noqa: N802
    return UserFactory(roles=[Role.RURAL_TEACHER], **kwargs)


def titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html)


def card(response, title) -> str:
    html = response.content.decode()
    start = html.index(f">{title}</a>")
    return html[start : html.index("</li>", start)]


@pytest.fixture
def catalog(site_tree):
    subjects = Subject.objects.in_bulk()
    stages = Stage.objects.in_bulk()
    categories = SchoolCategory.objects.in_bulk()
    t = site_tree
    programme_page(
        t.county,
        title="小学数学课例研修",
        year=2025,
        subjects=[subjects["math"]],
        stages=[stages["primary"]],
        **window("open"),
    )
    programme_page(
        t.county,
        title="初中英语口语提升",
        year=2025,
        subjects=[subjects["english"]],
        stages=[stages["junior"]],
        school_categories=[categories["village"], categories["teaching_point"]],
        **window("upcoming"),
    )
    programme_page(
        t.county,
        title="全员师德轮训",
        year=2024,
        **window("closed"),
    )
    programme_page(
        t.national,
        title="国培乡村音乐教师培训",
        year=2025,
        subjects=[subjects["music"]],
        school_categories=[categories["village"]],
        **window("open"),
    )
    programme_page(
        t.municipal, title="德阳市城区学校管理培训", year=2025, **window("open")
    )
    return t


ALL = {
    "小学数学课例研修",
    "初中英语口语提升",
    "全员师德轮训",
    "国培乡村音乐教师培训",
    "德阳市城区学校管理培训",
}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("level=national", {"国培乡村音乐教师培训"}),
        ("level=county", {"小学数学课例研修", "初中英语口语提升", "全员师德轮训"}),
        ("year=2024", {"全员师德轮训"}),
        # A programme for any subject is also for mathematics teachers.
        (
            "subject=math",
            {"小学数学课例研修", "全员师德轮训", "德阳市城区学校管理培训"},
        ),
        (
            "stage=junior",
            ALL - {"小学数学课例研修"},
        ),
        ("category=urban", ALL - {"初中英语口语提升", "国培乡村音乐教师培训"}),
        ("category=teaching_point", ALL - {"国培乡村音乐教师培训"}),
        ("status=open", ALL - {"初中英语口语提升", "全员师德轮训"}),
        ("status=upcoming", {"初中英语口语提升"}),
        ("status=closed", {"全员师德轮训"}),
        ("level=county&status=open&subject=math", {"小学数学课例研修"}),
        ("q=英语", {"初中英语口语提升"}),
        ("q=乡村 音乐", {"国培乡村音乐教师培训"}),
        ("q=国培&status=closed", set()),
        ("year=abc&level=nonsense&status=x", ALL),  # bad values are ignored
    ],
)
def test_each_filter(client, catalog, query, expected):
    response = client.get(f"/training/?{query}")
    assert response.status_code == 200
    assert set(titles(response)) == expected


def test_catalog_page_lists_only_its_own_programmes(client, catalog):
    response = client.get("/training/county/")
    assert set(titles(response)) == {
        "小学数学课例研修",
        "初中英语口语提升",
        "全员师德轮训",
    }
    # Its level is fixed: no level filter on a catalog of one level.
    assert 'name="level"' not in response.content.decode()
    assert 'name="level"' in client.get("/training/").content.decode()


def test_open_programmes_come_first_then_upcoming_then_closed(client, catalog):
    listed = titles(client.get("/training/county/"))
    assert listed == ["小学数学课例研修", "初中英语口语提升", "全员师德轮训"]


def test_sort_by_hours_and_start(client, site_tree):
    programme_page(site_tree.county, title="短", credit_hours=8)
    programme_page(site_tree.county, title="长", credit_hours=120)
    assert titles(client.get("/training/?sort=hours")) == ["长", "短"]
    assert titles(client.get("/training/?sort=deadline"))  # a valid sort


def test_pagination_keeps_filters(client, site_tree):
    bulk_programme_pages(site_tree.county, 45, year=2025)
    first = client.get("/training/?year=2025")
    html = first.content.decode()
    assert len(titles(first)) == 20
    assert "共 3 页" in html or "Page 1 of 3" in html
    assert 'href="?year=2025&amp;page=2"' in html
    third = client.get("/training/?year=2025&page=3")
    assert len(titles(third)) == 5
    assert client.get("/training/?page=99").status_code == 200  # last page


def test_card_shows_seats_and_anonymous_action(client, catalog):
    response = client.get("/training/")
    open_card = card(response, "小学数学课例研修")
    assert "50 / 50" in open_card
    assert 'data-action="login"' in open_card
    assert "登录后报名" in open_card
    assert 'data-action="not_open"' in card(response, "初中英语口语提升")
    assert 'data-action="closed"' in card(response, "全员师德轮训")
    assert "报名已截止" in card(response, "全员师德轮训")


def test_card_actions_follow_the_viewer(client, catalog, sichuan):
    subjects = Subject.objects.in_bulk()
    rural = TeacherFactory(school=sichuan.village_school)
    rural.subjects.set([subjects["music"]])
    rural.stages.set([Stage.objects.get(code="primary")])
    client.force_login(rural)
    response = client.get("/training/")
    assert 'data-action="apply"' in card(response, "国培乡村音乐教师培训")
    math = card(response, "小学数学课例研修")
    assert 'data-action="not_eligible"' in math
    assert "其他学科" in math

    urban = TeacherFactory(school=sichuan.urban_school)
    urban.subjects.set([subjects["music"]])
    client.force_login(urban)
    music = card(client.get("/training/"), "国培乡村音乐教师培训")
    assert 'data-action="not_eligible"' in music  # for village schools only

    bureau = UserFactory(region=sichuan.county, roles=[Role.REVIEWER])
    client.force_login(bureau)
    assert 'data-action="not_eligible"' in card(
        client.get("/training/"), "小学数学课例研修"
    )


def test_quota_and_role_rules_on_cards(client, site_tree, sichuan):
    roles = TargetRole.objects.in_bulk()
    quota_page = programme_page(site_tree.county, title="有名额的项目")
    ProgrammeQuotaFactory(programme=quota_page.programme, school=sichuan.urban_school)
    programme_page(site_tree.county, title="骨干教师专项", roles=[roles["backbone"]])
    teacher = TeacherFactory(school=sichuan.village_school)
    client.force_login(teacher)
    response = client.get("/training/")
    assert "没有名额" in card(response, "有名额的项目")
    assert 'data-action="not_eligible"' in card(response, "骨干教师专项")
    teacher.honours.add(Honour.objects.get(code="backbone"))
    response = client.get("/training/")
    assert 'data-action="apply"' in card(response, "骨干教师专项")
    client.force_login(TeacherFactory(school=sichuan.urban_school))
    assert 'data-action="apply"' in card(client.get("/training/"), "有名额的项目")


def test_other_region_teacher_is_not_eligible(client, catalog, sichuan):
    client.force_login(TeacherFactory(school=sichuan.other_school))
    response = client.get("/training/")
    assert "其他地区" in card(response, "小学数学课例研修")  # 中江县 only
    # The city's programme is open to every county of the city.
    assert 'data-action="apply"' in card(response, "德阳市城区学校管理培训")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("viewer", ["anonymous", "teacher"])
def test_query_count_is_the_same_for_500_and_5000_programmes(
    client, site_tree, sichuan, viewer
):
    if viewer == "teacher":
        client.force_login(TeacherFactory(school=sichuan.village_school))
    urls = [
        "/training/?",
        "/training/county/?status=open&page=3&",
        "/training/?q=培训&",
    ]
    bulk_programme_pages(site_tree.county, 500)
    client.get("/training/?warm=1")  # fill per-process caches (content types, site)
    small = [_queries(client, f"{url}n=500") for url in urls]
    bulk_programme_pages(site_tree.county, 4500)
    large = [_queries(client, f"{url}n=5000") for url in urls]
    assert small == large
    assert max(large) < 40
