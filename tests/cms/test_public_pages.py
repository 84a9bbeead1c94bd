"""News, notices, studios, the programme page, RSS, sitemap, page weight."""

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from accounts.factories import UserFactory
from accounts.roles import Role
from cms.models import NewsPage, NoticeKind, NoticePage, PageAttachment, StudioPage
from schools.factories import StudioFactory
from tests.cms.pages import bulk_programme_pages, programme_page

pytestmark = pytest.mark.django_db

MAX_CATALOG_BYTES = 150 * 1024


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_programme_page_shows_its_facts_and_body(client, site_tree):
    image = Image.objects.create(
        title="开班", file=get_test_image_file(size=(1200, 800))
    )
    page = programme_page(
        site_tree.county,
        title="小学数学骨干教师能力提升项目",
        summary="课例研修与跟岗实践",
        organiser="中江县教师发展中心",
        rural_backbone_share=30,
        seats=50,
    )
    page.body = [
        {"type": "paragraph", "value": "<p>项目简介正文</p>"},
        {"type": "image", "value": {"image": image.pk, "caption": "开班仪式"}},
        {
            "type": "schedule",
            "value": {
                "title": "日程",
                "sessions": [{"date": "2025-07-01", "topic": "新课标解读"}],
            },
        },
        {
            "type": "faq",
            "value": {
                "questions": [{"question": "如何报名？", "answer": "<p>登录</p>"}]
            },
        },
    ]
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "<title>小学数学骨干教师能力提升项目 · 连心</title>" in html
    assert '<meta name="description" content="课例研修与跟岗实践">' in html
    assert "中江县教师发展中心" in html
    assert "15 个" in html  # 30 % of 50 seats reserved for rural backbone teachers
    assert "项目简介正文" in html and "新课标解读" in html
    assert "<details><summary>如何报名？</summary>" in html
    img = re.search(r"<img [^>]*>", html).group(0)
    assert 'loading="lazy"' in img and "srcset=" in img and ".webp" in img


def test_news_index_feed_and_attachments(client, site_tree):
    news = _publish(
        site_tree.news,
        NewsPage(title="青羊区名师送教下乡", slug="n1", intro="示范课和联校教研"),
    )
    document = Document(title="活动安排")
    document.file.save("plan.csv", ContentFile("学校,日期\n".encode()))
    document.save()
    PageAttachment.objects.create(page=news, document=document)
    news.save_revision().publish()

    index = client.get(site_tree.news.url).content.decode()
    assert "青羊区名师送教下乡" in index
    assert 'type="application/rss+xml"' in index
    rss = client.get(f"{site_tree.news.url}rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    items = ElementTree.fromstring(rss.content).findall("./channel/item")
    assert [i.findtext("title") for i in items] == ["青羊区名师送教下乡"]
    page = client.get(news.url).content.decode()
    assert "活动安排" in page and document.url in page


def test_notices_filter_policy_documents(client, site_tree):
    _publish(
        site_tree.notices,
        NoticePage(title="国培遴选通知", slug="a", kind=NoticeKind.NOTICE),
    )
    _publish(
        site_tree.notices,
        NoticePage(
            title="学时管理办法",
            slug="b",
            kind=NoticeKind.POLICY,
            document_number="川教〔2023〕7号",
        ),
    )
    everything = client.get(site_tree.notices.url).content.decode()
    assert "国培遴选通知" in everything and "学时管理办法" in everything
    policies = client.get(f"{site_tree.notices.url}?kind=policy").content.decode()
    assert "学时管理办法" in policies and "国培遴选通知" not in policies
    assert "川教〔2023〕7号" in policies


def test_studio_page_shows_members_without_phones(client, site_tree, sichuan):
    leader = UserFactory(real_name="王丽", school=sichuan.urban_school)
    member = UserFactory(
        real_name="李强", school=sichuan.village_school, phone="13912345678"
    )
    studio = StudioFactory(
        name="中江县小学数学名师工作室", leader=leader, host_school=sichuan.urban_school
    )
    studio.members.set([member])
    page = _publish(
        site_tree.studios,
        StudioPage(title=studio.name, slug="math", studio=studio),
    )
    html = client.get(page.url).content.decode()
    assert "王丽" in html and "李强" in html and sichuan.village_school.name in html
    assert "13912345678" not in html
    assert studio.name in client.get(site_tree.studios.url).content.decode()


def test_sitemap_lists_live_pages(client, site_tree):
    page = programme_page(site_tree.county, slug="in-sitemap")
    xml = client.get("/sitemap.xml")
    assert xml.status_code == 200
    assert page.url in xml.content.decode()


def test_navigation_shows_the_catalog_to_everyone(client, site_tree, sichuan):
    header = client.get("/").content.decode().split("</header>")[0]
    assert 'href="/training/" data-nav="catalog">培训项目</a>' in header
    client.force_login(
        UserFactory(school=sichuan.village_school, roles=[Role.RURAL_TEACHER])
    )
    header = client.get("/").content.decode().split("</header>")[0]
    assert 'data-nav="catalog"' in header


def test_catalog_page_weighs_under_150_kb(client, site_tree):
    bulk_programme_pages(site_tree.county, 60, summary="示" * 400)
    response = client.get("/training/")
    html = response.content
    assert not re.search(rb'(src|href)="(https?:)?//', html)  # nothing external
    stylesheets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(rb'<script[^>]+src="([^"]+)"', html)
    static_root = Path(settings.BASE_DIR) / "static"
    assets = sum(
        (static_root / url.decode().removeprefix(settings.STATIC_URL)).stat().st_size
        for url in stylesheets + scripts
    )
    assert len(html) + assets <= MAX_CATALOG_BYTES, (len(html), assets)
