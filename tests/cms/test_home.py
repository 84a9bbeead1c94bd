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


def test_home_page_serves_in_english_when_chosen(client):
    resp = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in resp.content.decode()
