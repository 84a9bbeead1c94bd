"""Anonymous renderings are cached safely; signed-in viewers never get them."""

import pytest
from django.test import Client

from accounts.factories import UserFactory
from accounts.roles import Role
from courses.services import programme_update
from tests.cms.pages import programme_page

pytestmark = pytest.mark.django_db


def test_second_anonymous_visit_is_a_cache_hit_without_queries(
    client, site_tree, django_assert_max_num_queries
):
    programme_page(site_tree.county, title="缓存测试项目")
    first = client.get("/training/")
    assert "X-Cache" not in first
    with django_assert_max_num_queries(1):  # the content stamp only
        second = client.get("/training/")
    assert second["X-Cache"] == "hit"
    assert "缓存测试项目" in second.content.decode()


def test_each_visitor_gets_their_own_csrf_token(site_tree):
    one, two = Client(), Client()
    one.get("/training/")
    page = two.get("/training/")
    html = page.content.decode()
    assert page["X-Cache"] == "hit"
    assert "__CMS_CSRF_TOKEN__" not in html
    assert 'name="csrfmiddlewaretoken" value="' in html
    assert "csrftoken" in page.cookies  # the token in the form matches a cookie


def test_publishing_retires_cached_renderings(client, site_tree):
    client.get("/training/")
    programme_page(site_tree.county, title="新发布的项目")
    response = client.get("/training/")
    assert "X-Cache" not in response
    assert "新发布的项目" in response.content.decode()


def test_changing_a_programme_retires_cached_renderings(
    client, site_tree, django_capture_on_commit_callbacks
):
    page = programme_page(site_tree.county, title="座位数测试", seats=40)
    assert "40 / 40" in client.get("/training/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        programme_update(programme=page.programme, user=None, seats=60)
    assert "60 / 60" in client.get("/training/").content.decode()


def test_signed_in_viewers_are_never_served_the_cache(client, site_tree, sichuan):
    programme_page(site_tree.county, title="个性化项目")
    client.get("/training/")
    client.get("/training/")
    teacher = UserFactory(school=sichuan.village_school, roles=[Role.RURAL_TEACHER])
    client.force_login(teacher)
    response = client.get("/training/")
    assert "X-Cache" not in response
    assert 'data-action="login"' not in response.content.decode()


def test_queries_and_languages_are_cached_apart(client, site_tree):
    programme_page(site_tree.county, title="语言测试项目")
    client.get("/training/")
    client.cookies["django_language"] = "en"
    english = client.get("/training/")
    assert '<html lang="en">' in english.content.decode()
    del client.cookies["django_language"]
    filtered = client.get("/training/?status=closed")
    assert "语言测试项目" not in filtered.content.decode()
