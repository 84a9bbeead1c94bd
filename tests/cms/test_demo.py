"""The demo content: all five levels, news, notices; a second run adds nothing."""

import io

import pytest
from wagtail.models import Page

from cms import demo
from cms.models import (
    NewsPage,
    NoticePage,
    ProgrammePage,
    TrainingCatalogPage,
)
from courses.models import Level, Programme
from schools.factories import SchoolFactory
from schools.models import Region

pytestmark = pytest.mark.django_db


def test_seed_builds_every_level_and_is_idempotent(client, sichuan):
    SchoolFactory(code="2151062399", name="中江县兴隆镇中心小学", region=sichuan.town)
    out = io.StringIO()
    demo.seed(stdout=out)
    levels = set(TrainingCatalogPage.objects.values_list("level", flat=True))
    assert levels == set(Level.values)
    assert set(Programme.objects.values_list("level", flat=True)) == set(Level.values)
    assert ProgrammePage.objects.live().count() == len(demo.PROGRAMMES)
    assert NewsPage.objects.live().count() == len(demo.NEWS)
    assert NoticePage.objects.filter(attachments__isnull=False).count() == len(
        demo.NOTICES
    )
    national = TrainingCatalogPage.objects.get(level=Level.NATIONAL)
    assert national.region.code == "510000"

    pages, programmes = Page.objects.count(), Programme.objects.count()
    demo.seed(stdout=io.StringIO())
    assert (Page.objects.count(), Programme.objects.count()) == (pages, programmes)

    html = client.get("/training/?q=乡村 英语").content.decode()
    assert "乡村小学英语骨干教师能力提升项目" in html


def test_seed_creates_missing_regions(db):
    demo.seed(stdout=io.StringIO())
    assert Region.objects.get(code="510623").path == "/510000/510600/510623/"
