"""The apply button, withdrawal, approval queues and the inbox, as users see them."""

from io import BytesIO

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import Site

from accounts.factories import UserFactory
from accounts.roles import Role
from cms.models import ProgrammePage, TrainingCatalogPage, TrainingIndexPage
from courses.models import ApprovalChain, Enrolment, Level, Notification
from courses.services import enrolment_apply, notification_send
from schools.factories import SchoolFactory
from schools.models import Subject
from tests.courses.helpers import open_programme, teacher

pytestmark = pytest.mark.django_db
S = Enrolment.Status


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalog(county):
    home = Site.objects.get(is_default_site=True).root_page
    index = home.add_child(
        instance=TrainingIndexPage(title="培训项目", slug="training")
    )
    return index.add_child(
        instance=TrainingCatalogPage(
            title="宁城县县培", slug="county", level=Level.COUNTY, region=county
        )
    )


def page_for(catalog, programme) -> ProgrammePage:
    page = catalog.add_child(
        instance=ProgrammePage(
            title=programme.title, slug=f"p{programme.pk}", programme=programme
        )
    )
    page.save_revision().publish()
    return page


def apply_url(programme) -> str:
    return reverse("courses:apply", args=[programme.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_programme_page_has_a_real_apply_button(client, catalog, county, school):
    programme = open_programme(county, title="乡村英语教师口语提升班")
    page = page_for(catalog, programme)
    client.force_login(teacher(school))
    html = client.get(page.url).content.decode()
    assert f'action="{apply_url(programme)}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    response = client.post(apply_url(programme), {"next": page.url}, follow=True)
    assert response.redirect_chain[-1][0] == page.url
    assert "您已被“乡村英语教师口语提升班”录取。" in messages_of(response)
    assert 'data-action="applied"' in response.content.decode()
    assert "已录取" in response.content.decode()


def test_apply_needs_post_and_csrf(county, school):
    programme = open_programme(county)
    person = teacher(school)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(person)
    assert strict.get(apply_url(programme)).status_code == 405
    assert strict.post(apply_url(programme)).status_code == 403
    assert not Enrolment.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, catalog, county):
    programme = open_programme(county)
    page = page_for(catalog, programme)
    html = client.get(page.url).content.decode()
    assert apply_url(programme) not in html
    assert 'data-action="login"' in html
    response = client.post(apply_url(programme))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Enrolment.objects.exists()


def test_refusals_come_back_as_chinese_messages(client, county, school):
    math = Subject.objects.get(code="math")
    programme = open_programme(county, subjects=[math])
    client.force_login(teacher(school))
    response = client.post(apply_url(programme), follow=True)
    assert messages_of(response) == ["您不能报名该项目：本项目面向其他学科的教师。"]
    assert not Enrolment.objects.exists()


def test_waitlist_message_names_the_position(client, catalog, county, school):
    programme = open_programme(county, seats=1, title="国培音乐")
    page = page_for(catalog, programme)
    enrolment_apply(teacher=teacher(school), programme=programme)
    client.force_login(teacher(school))
    html = client.get(page.url).content.decode()
    assert 'data-action="full"' in html and "已满：加入候补" in html
    response = client.post(apply_url(programme), {"next": page.url}, follow=True)
    assert "“国培音乐”名额已满：您是候补第 1 位。" in messages_of(response)[0]


def test_withdraw_from_my_learning(client, county, school):
    programme = open_programme(county, title="师德轮训")
    person = teacher(school)
    enrolment = enrolment_apply(teacher=person, programme=programme)
    client.force_login(person)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "师德轮训" in html and "已录取" in html
    url = reverse("courses:withdraw", args=[enrolment.pk])
    response = client.post(url, follow=True)
    assert "您已退出“师德轮训”。" in messages_of(response)
    enrolment.refresh_from_db()
    assert enrolment.status == S.WITHDRAWN
    # Someone else's enrolment is not found.
    other = enrolment_apply(teacher=teacher(school), programme=programme)
    assert client.post(reverse("courses:withdraw", args=[other.pk])).status_code == 404


def test_school_admin_approval_queue(client, county, school, school_admin):
    programme = open_programme(county, chain=ApprovalChain.SCHOOL_BUREAU)
    ours = enrolment_apply(
        teacher=teacher(school, real_name="王小红"), programme=programme
    )
    elsewhere = SchoolFactory(region=county)
    theirs = enrolment_apply(
        teacher=teacher(elsewhere, real_name="李四"), programme=programme
    )
    client.force_login(school_admin)
    html = client.get(reverse("courses:school_approvals")).content.decode()
    assert "王小红" in html and "李四" not in html
    foreign = reverse("courses:school_decide", args=[theirs.pk])
    assert client.post(foreign, {"decision": "approve"}).status_code == 404
    url = reverse("courses:school_decide", args=[ours.pk])
    response = client.post(url, {"decision": "approve"}, follow=True)
    assert "已通过：王小红" in messages_of(response)[0]
    ours.refresh_from_db()
    assert (ours.status, ours.step) == (S.PENDING, "bureau")
    assert "王小红" not in response.content.decode().split("</h1>")[1]


def test_teachers_cannot_open_the_approval_queue(client, school):
    client.force_login(teacher(school))
    response = client.get(reverse("courses:school_approvals"))
    assert response.status_code == 403
    assert "学校管理员" in response.content.decode()


def test_bureau_approvals_in_the_admin_stay_in_region(
    client, county, other_county, school, reviewer
):
    mine = open_programme(county, chain=ApprovalChain.BUREAU, title="宁城项目")
    theirs = open_programme(other_county, chain=ApprovalChain.BUREAU, title="略阳项目")
    ours = enrolment_apply(teacher=teacher(school, real_name="张三"), programme=mine)
    far_school = SchoolFactory(region=other_county)
    far = enrolment_apply(
        teacher=teacher(far_school, real_name="赵六"), programme=theirs
    )
    client.force_login(reviewer)
    url = reverse("courses_admin:approvals")
    html = client.get(url).content.decode()
    assert "张三" in html and "赵六" not in html
    assert (
        client.post(url, {"enrolment": far.pk, "decision": "approve"}).status_code
        == 404
    )
    client.post(url, {"enrolment": ours.pk, "decision": "approve"})
    ours.refresh_from_db()
    assert ours.status == S.ADMITTED


def test_school_admins_have_no_bureau_screens(client, school_admin):
    client.force_login(school_admin)
    response = client.get(reverse("courses_admin:approvals"))
    assert response.status_code in (302, 403)


def test_enrolment_stats_and_export(client, county, other_county, school, reviewer):
    programme = open_programme(county, seats=1, title="宁城县班主任培训")
    open_programme(other_county, title="略阳县项目")
    enrolment_apply(teacher=teacher(school), programme=programme)
    enrolment_apply(teacher=teacher(school), programme=programme)
    client.force_login(reviewer)
    url = reverse("courses_admin:enrolment")
    html = client.get(url).content.decode()
    assert "宁城县班主任培训" in html and "略阳县项目" not in html
    row = html[html.index(f'data-programme="{programme.pk}"') :]
    assert "<td data-admitted>1</td>" in row and "<td data-waitlisted>1</td>" in row
    response = client.get(url, {"export": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "培训项目"
    assert rows[1][0] == "宁城县班主任培训" and rows[1][6] == 1 and rows[1][7] == 1


def test_inbox_lists_and_reads_messages(client, school):
    person = teacher(school)
    notification_send(
        user=person, kind="test", title="您已被录取：师德轮训", email=False
    )
    client.force_login(person)
    assert "data-unread" in client.get(reverse("courses:my_learning")).content.decode()
    html = client.get(reverse("courses:inbox")).content.decode()
    assert "您已被录取：师德轮训" in html and 'class="unread"' in html
    assert not Notification.objects.filter(user=person, read_at__isnull=True).exists()
    other = UserFactory(roles=[Role.RURAL_TEACHER])
    client.force_login(other)
    assert "师德轮训" not in client.get(reverse("courses:inbox")).content.decode()


def test_bureau_records_completion_of_an_on_site_programme(
    client, county, other_county, school, reviewer
):
    programme = open_programme(county, title="全员师德轮训", credit_hours=24)
    enrolment = enrolment_apply(
        teacher=teacher(school, real_name="王小红"), programme=programme
    )
    theirs = open_programme(other_county)
    client.force_login(reviewer)
    url = reverse("courses_admin:programme_enrolments", args=[programme.pk])
    html = client.get(url).content.decode()
    assert "王小红" in html and "记为结业" in html
    far = reverse("courses_admin:programme_enrolments", args=[theirs.pk])
    assert client.get(far).status_code == 404
    response = client.post(url, {"enrolment": enrolment.pk}, follow=True)
    assert "王小红已结业" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == S.COMPLETED
    assert enrolment.teacher.ledger_entries.get().hours == 24
    assert enrolment.certificate.number in response.content.decode()
