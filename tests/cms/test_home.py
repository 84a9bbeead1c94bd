import pytest
from wagtail.models import Page, Site

from cms.models import HomePage

pytestmark = pytest.mark.django_db


def test_home_page_is_the_site_root():
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(depth=2).exclude(pk=site.root_page.pk).exists()


def test_home_page_serves_in_chinese(client):
    resp = client.get("/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "连心" in html
    assert "登录" in html  # "Log in", translated


def test_browser_language_does_not_override_chinese(client):
    resp = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in resp.content.decode()


def test_home_page_serves_in_english_when_chosen(client):
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert resp.status_code == 302
    resp = client.get("/")
    assert '<html lang="en">' in resp.content.decode()
    assert "Log in" in resp.content.decode()


def test_unknown_language_cookie_falls_back_to_chinese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="zh-hans">' in client.get("/").content.decode()
