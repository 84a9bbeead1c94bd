"""The page tree cannot be built wrong (Wagtail's page test helpers)."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from accounts.factories import UserFactory
from accounts.roles import Role
from cms.models import (
    HomePage,
    NewsIndexPage,
    NewsPage,
    NoticeIndexPage,
    NoticePage,
    ProgrammePage,
    StudioIndexPage,
    StudioPage,
    TrainingCatalogPage,
    TrainingIndexPage,
)
from courses.factories import ProgrammeFactory
from courses.models import Level


class TestTreeRules(WagtailPageTestCase):
    def test_home_holds_the_sections(self):
        self.assertAllowedSubpageTypes(
            HomePage,
            {TrainingIndexPage, NewsIndexPage, NoticeIndexPage, StudioIndexPage},
        )
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_catalogs_live_in_the_training_index(self):
        self.assertAllowedSubpageTypes(TrainingIndexPage, {TrainingCatalogPage})
        self.assertAllowedParentPageTypes(TrainingCatalogPage, {TrainingIndexPage})
        self.assertAllowedSubpageTypes(TrainingCatalogPage, {ProgrammePage})

    def test_programme_pages_only_in_catalogs(self):
        self.assertAllowedParentPageTypes(ProgrammePage, {TrainingCatalogPage})
        self.assertAllowedSubpageTypes(ProgrammePage, set())
        self.assertCanNotCreateAt(HomePage, ProgrammePage)
        self.assertCanNotCreateAt(TrainingIndexPage, ProgrammePage)
        self.assertCanNotCreateAt(NewsIndexPage, ProgrammePage)
        self.assertCanCreateAt(TrainingCatalogPage, ProgrammePage)

    def test_news_notices_and_studios_have_their_own_sections(self):
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedParentPageTypes(NoticePage, {NoticeIndexPage})
        self.assertAllowedParentPageTypes(StudioPage, {StudioIndexPage})
        self.assertCanNotCreateAt(TrainingCatalogPage, NewsPage)
        self.assertCanNotCreateAt(HomePage, NoticePage)

    def test_one_home_and_one_training_index(self):
        self.assertEqual(HomePage.max_count, 1)
        self.assertEqual(TrainingIndexPage.max_count, 1)


@pytest.mark.django_db
def test_catalog_level_must_match_its_bureau(sichuan):
    page = TrainingCatalogPage(
        title="国培", slug="x", level=Level.NATIONAL, region=sichuan.county
    )
    with pytest.raises(ValidationError) as err:
        page.full_clean()
    assert "省级" in str(err.value)  # national catalogs belong to a province


@pytest.mark.django_db
def test_one_catalog_per_level_and_bureau(site_tree, sichuan):
    twin = TrainingCatalogPage(
        title="又一个县培", slug="again", level=Level.COUNTY, region=sichuan.county
    )
    with pytest.raises(ValidationError):
        twin.full_clean()


@pytest.mark.django_db
def test_programme_page_refuses_a_programme_of_another_level(client, site_tree):
    admin = UserFactory(is_superuser=True, roles=[Role.PLATFORM_ADMIN])
    client.force_login(admin)
    national = ProgrammeFactory(level=Level.NATIONAL, region=site_tree.national.region)
    county = ProgrammeFactory(level=Level.COUNTY, region=site_tree.county.region)
    other = ProgrammeFactory(level=Level.COUNTY, region=site_tree.other_county.region)
    url = f"/admin/pages/add/cms/programmepage/{site_tree.county.pk}/"

    def post(programme):
        data = nested_form_data(
            {
                "title": "测试项目",
                "slug": f"t{programme.pk}",
                "programme": programme.pk,
                "body": streamfield([]),
            }
        )
        return client.post(url, data)

    refused = post(national).content.decode()
    assert "本目录只收录县培项目" in refused
    assert "其他教育行政部门" in post(other).content.decode()
    assert post(county).status_code == 302
    assert ProgrammePage.objects.filter(programme=county).exists()


@pytest.mark.django_db
def test_sections_need_a_bureau(site_tree):
    section = NewsIndexPage(title="无主栏目", slug="orphan")
    with pytest.raises(ValidationError) as err:
        section.full_clean()
    assert "region" in err.value.message_dict
