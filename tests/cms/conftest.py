"""The catalog's test world: 四川省 > 德阳市 > 中江县 / 广汉市, with a page tree."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Site

from cms.models import (
    NewsIndexPage,
    NoticeIndexPage,
    StudioIndexPage,
    TrainingCatalogPage,
    TrainingIndexPage,
)
from cms.services import section_setup
from courses.models import Level
from schools.factories import RegionFactory, SchoolFactory
from schools.models import School


@pytest.fixture(autouse=True)
def _chinese():
    # Messages checked outside requests are in the default language; a
    # request for English earlier in the run must not leak into them.
    with translation.override("zh-hans"):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    # Cached renderings live in the (process-wide) cache, not the database.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sichuan(db):
    province = RegionFactory(code="510000", name="四川省", level=1)
    city = RegionFactory(code="510600", name="德阳市", level=2, parent=province)
    county = RegionFactory(code="510623", name="中江县", level=3, parent=city)
    other = RegionFactory(code="510681", name="广汉市", level=3, parent=city)
    town = RegionFactory(code="510623100", name="凯江镇", level=4, parent=county)
    village_school = SchoolFactory(
        code="2151062301",
        name="中江县凯江镇石垭小学",
        region=town,
        category=School.Category.VILLAGE,
        urban_rural_code=School.UrbanRural.VILLAGE,
    )
    urban_school = SchoolFactory(
        code="2151062302",
        name="中江县实验小学",
        region=county,
        category=School.Category.URBAN,
        urban_rural_code=School.UrbanRural.MAIN_URBAN,
    )
    other_school = SchoolFactory(
        code="2151068101",
        name="广汉市第一小学",
        region=other,
        category=School.Category.URBAN,
        urban_rural_code=School.UrbanRural.MAIN_URBAN,
    )
    return SimpleNamespace(
        province=province,
        city=city,
        county=county,
        other=other,
        town=town,
        village_school=village_school,
        urban_school=urban_school,
        other_school=other_school,
    )


def add_section(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    if hasattr(page, "region_id"):
        section_setup(page=page)
    return page


@pytest.fixture
def site_tree(sichuan):
    """Home > 培训项目 > catalogs of every level, plus news/notices/studios."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = add_section(
        home, TrainingIndexPage(title="培训项目", slug="training", intro="五级培训")
    )

    def catalog(level, region, title, slug):
        return add_section(
            index,
            TrainingCatalogPage(title=title, slug=slug, level=level, region=region),
        )

    s = sichuan
    return SimpleNamespace(
        home=home,
        index=index,
        national=catalog(Level.NATIONAL, s.province, "国培计划", "national"),
        provincial=catalog(Level.PROVINCIAL, s.province, "四川省省培", "provincial"),
        municipal=catalog(Level.MUNICIPAL, s.city, "德阳市市培", "municipal"),
        county=catalog(Level.COUNTY, s.county, "中江县县培", "county"),
        school=catalog(Level.SCHOOL, s.county, "中江县校培", "school"),
        other_county=catalog(Level.COUNTY, s.other, "广汉市县培", "guanghan"),
        news=add_section(
            home, NewsIndexPage(title="工作动态", slug="news", region=s.county)
        ),
        notices=add_section(
            home, NoticeIndexPage(title="通知公告", slug="notices", region=s.county)
        ),
        studios=add_section(
            home, StudioIndexPage(title="名师工作室", slug="studios", region=s.county)
        ),
    )
