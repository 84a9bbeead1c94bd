"""Who may edit and publish which pages: by level and by region; the workflow."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, streamfield

from accounts.factories import UserFactory
from accounts.roles import Role
from cms.models import EditorialDesk, NewsIndexPage, ProgrammePage
from cms.services import bureau_editor_assign, section_setup
from cms.tasks import publish_scheduled
from courses.factories import ProgrammeFactory
from tests.cms.pages import programme_page

pytestmark = pytest.mark.django_db


def bureau_user(region, *, approver=False, username=None):
    extra = {"username": username} if username else {}
    user = UserFactory(region=region, roles=[Role.REVIEWER], **extra)
    bureau_editor_assign(user=user, approver=approver)
    return type(user).objects.get(pk=user.pk)  # fresh: groups changed


@pytest.fixture
def pages(site_tree):
    t = site_tree
    return {
        name: programme_page(getattr(t, name), slug=f"x-{name}")
        for name in (
            "national",
            "provincial",
            "municipal",
            "county",
            "school",
            "other_county",
        )
    }


def editable(user, pages) -> set[str]:
    return {
        name
        for name, page in pages.items()
        if page.permissions_for_user(user).can_edit()
    }


def test_county_editor_edits_only_that_county(pages, sichuan):
    editor = bureau_user(sichuan.county)
    assert editable(editor, pages) == {"county", "school"}


def test_national_and_provincial_only_by_province_editors(pages, sichuan):
    assert editable(bureau_user(sichuan.province), pages) == {
        "national",
        "provincial",
    }
    assert editable(bureau_user(sichuan.city), pages) == {"municipal"}
    assert editable(bureau_user(sichuan.other), pages) == {"other_county"}


def test_admin_edit_screen_refuses_other_regions(client, pages, sichuan):
    client.force_login(bureau_user(sichuan.county))
    mine = client.get(f"/admin/pages/{pages['county'].pk}/edit/")
    assert mine.status_code == 200
    for name in ("national", "provincial", "municipal", "other_county"):
        refused = client.get(f"/admin/pages/{pages[name].pk}/edit/")
        assert refused.status_code in (302, 403), name


def test_editors_draft_and_approvers_publish(pages, sichuan):
    editor = bureau_user(sichuan.county)
    approver = bureau_user(sichuan.county, approver=True)
    page = pages["county"]
    assert not page.permissions_for_user(editor).can_publish()
    assert page.permissions_for_user(approver).can_publish()


def test_a_reviewer_without_a_desk_cannot_edit_pages(pages, sichuan):
    reviewer = UserFactory(region=sichuan.county, roles=[Role.REVIEWER])
    assert editable(reviewer, pages) == set()


def test_teachers_cannot_become_editors(sichuan):
    teacher = UserFactory(school=sichuan.village_school, roles=[Role.RURAL_TEACHER])
    with pytest.raises(Exception) as err:
        bureau_editor_assign(user=teacher)
    assert "教育局" in str(err.value)


def test_section_changing_bureau_changes_hands(site_tree, sichuan):
    news = site_tree.news
    old = bureau_user(sichuan.county)
    new = bureau_user(sichuan.other, username="new-owner")
    assert news.permissions_for_user(old).can_edit()
    news.region = sichuan.other
    news.save()
    section_setup(page=news)
    news = NewsIndexPage.objects.get(pk=news.pk)
    old = type(old).objects.get(pk=old.pk)  # Wagtail caches permissions per user
    assert not news.permissions_for_user(old).can_edit()
    assert news.permissions_for_user(new).can_edit()


def test_each_region_has_its_own_review_workflow(site_tree, sichuan):
    county_flow = site_tree.county.get_workflow()
    assert county_flow == EditorialDesk.objects.get(region=sichuan.county).workflow
    assert site_tree.national.get_workflow() != county_flow
    # Pages without a bureau (the home page) go to the platform admins.
    assert site_tree.home.get_workflow().name == "内容审核"


def _draft(catalog, editor):
    programme = ProgrammeFactory(level=catalog.level, region=catalog.region)
    page = ProgrammePage(
        title="新项目草稿", slug="draft", programme=programme, live=False
    )
    catalog.add_child(instance=page)
    page.save_revision(user=editor)
    return page


def test_approval_workflow_submit_approve_publish(client, site_tree, sichuan):
    editor = bureau_user(sichuan.county)
    approver = bureau_user(sichuan.county, approver=True)
    stranger = bureau_user(sichuan.other, approver=True)
    page = _draft(site_tree.county, editor)

    client.force_login(editor)
    data = nested_form_data(
        {
            "title": "新项目草稿",
            "slug": "draft",
            "programme": page.programme_id,
            "body": streamfield([]),
            "action-submit": "submit",
        }
    )
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302
    page.refresh_from_db()
    state = page.current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not page.live  # submitted, not published

    task_state = page.current_workflow_task_state
    task = task_state.task.specific
    assert "approve" in [a[0] for a in task.get_actions(page, approver)]
    assert task.get_actions(page, stranger) == []
    assert task.get_actions(page, editor) == []

    client.force_login(approver)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)
    )
    response = client.post(url, {"comment": "同意发布"})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert page.revisions.count() >= 2  # every save is a revision


def test_editor_cannot_publish_directly(client, site_tree, sichuan):
    editor = bureau_user(sichuan.county)
    page = _draft(site_tree.county, editor)
    client.force_login(editor)
    data = nested_form_data(
        {
            "title": "新项目草稿",
            "slug": "draft",
            "programme": page.programme_id,
            "body": streamfield([]),
            "action-publish": "publish",
        }
    )
    client.post(f"/admin/pages/{page.pk}/edit/", data)
    page.refresh_from_db()
    assert not page.live


def test_scheduled_publishing(site_tree, sichuan):
    approver = bureau_user(sichuan.county, approver=True)
    page = _draft(site_tree.county, approver)
    page.go_live_at = timezone.now() + timedelta(seconds=2)
    revision = page.save_revision(user=approver)
    revision.publish(user=approver)
    page.refresh_from_db()
    assert not page.live
    publish_scheduled()
    page.refresh_from_db()
    assert not page.live  # not yet
    time.sleep(2.1)
    publish_scheduled()
    page.refresh_from_db()
    assert page.live
