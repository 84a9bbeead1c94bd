"""The 导入名册 screens: upload, preview, confirm, progress, done; by scope."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import User
from accounts.roles import Role
from schools.models import ImportJob, School
from schools.tasks import roster_apply_task, roster_validate_task
from tests.schools.roster_files import (
    regions,
    school_row,
    schools,
    teacher_row,
    teachers,
    township_row,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

INDEX = "/admin/roster-import/"


def xlsx_upload(tmp_path, sheets, name="名册.xlsx") -> SimpleUploadedFile:
    data = write_xlsx(tmp_path / "upload.xlsx", sheets).read_bytes()
    return SimpleUploadedFile(name, data)


def good_sheets():
    return {
        "地区": regions(township_row()),
        "学校": schools(school_row()),
        "教师": teachers(
            teacher_row(phone="13847610001"), teacher_row("李强", "13847610002")
        ),
    }


def upload(client, tmp_path, sheets=None):
    return client.post(INDEX, {"file": xlsx_upload(tmp_path, sheets or good_sheets())})


def only_job() -> ImportJob:
    (job,) = ImportJob.objects.all()
    return job


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def test_menu_and_upload_page_for_a_reviewer(reviewer_client):
    home = reviewer_client.get("/admin/")
    assert INDEX in home.content.decode()
    page = reviewer_client.get(INDEX)
    assert page.status_code == 200
    html = page.content.decode()
    assert "导入名册" in html and 'type="file"' in html
    assert reverse("schools_import_template") in html


def test_upload_preview_confirm_done(reviewer_client, reviewer, tmp_path, settings):
    response = upload(reviewer_client, tmp_path)
    job = only_job()
    assert response.status_code == 302 and response.url == f"{INDEX}{job.pk}/"
    assert job.created_by == reviewer and job.filename == "名册.xlsx"
    assert job.status == ImportJob.Status.READY
    assert job.file.name.startswith("imports/") and "名册" not in job.file.name

    preview = reviewer_client.get(response.url).content.decode()
    assert "导入将要进行的操作" in preview and "确认导入" in preview
    assert '<td data-count="created">2</td>' in preview  # two teachers
    assert not User.objects.filter(phone="13847610001").exists()

    confirmed = reviewer_client.post(reverse("schools_import_confirm", args=[job.pk]))
    assert confirmed.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.progress == 100
    assert job.counts["teachers"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert User.objects.filter(phone__in=["13847610001", "13847610002"]).count() == 2
    # The roster (phones, ID numbers) is not kept once imported.
    assert not job.file
    assert not any((settings.MEDIA_ROOT / "imports").rglob("*.xlsx"))
    done = reviewer_client.get(confirmed.url).content.decode()
    assert "名册已导入。" in done and "确认导入" not in done

    # Confirming again does nothing: the job is done.
    again = reviewer_client.post(reverse("schools_import_confirm", args=[job.pk]))
    assert again.status_code == 302
    assert User.objects.filter(phone__startswith="1384761").count() == 2


def test_preview_lists_every_error_and_offers_no_confirm(reviewer_client, tmp_path):
    sheets = good_sheets()
    sheets["教师"][1][1] = "123"
    sheets["教师"][2][4] = "2150429999"
    upload(reviewer_client, tmp_path, sheets)
    job = only_job()
    assert job.status == ImportJob.Status.INVALID and job.error_count == 2
    assert not job.file  # a refused roster is not kept either
    page = reviewer_client.get(f"{INDEX}{job.pk}/").content.decode()
    assert "共 2 处错误：不会导入任何数据" in page
    assert "手机号应为以 1 开头的 11 位数字。" in page
    assert "学校 2150429999 既不在平台中，也不在本文件中。" in page
    assert "确认导入" not in page
    reviewer_client.post(reverse("schools_import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert not School.objects.filter(code="2150429010").exists()


def test_a_large_file_goes_through_the_tasks_with_a_progress_page(
    reviewer_client, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.ROSTER_IMPORT_SYNC_MAX_ROWS = 1
    with django_capture_on_commit_callbacks() as queued:
        upload(reviewer_client, tmp_path)
    job = only_job()
    assert len(queued) == 1 and job.status == ImportJob.Status.UPLOADED
    page = reviewer_client.get(f"{INDEX}{job.pk}/").content.decode()
    assert "<progress" in page and 'http-equiv="refresh"' in page
    assert "js/progress-poll.js" in page  # the shared poller follows the job
    status_url = reverse("schools_import_status", args=[job.pk])
    assert reviewer_client.get(status_url).json()["running"] is True

    roster_validate_task.apply(args=[job.pk])
    assert reviewer_client.get(status_url).json() == {
        "status": "ready",
        "running": False,
        "progress": 100,
        "step": "已完成。",
    }
    with django_capture_on_commit_callbacks() as queued:
        reviewer_client.post(reverse("schools_import_confirm", args=[job.pk]))
    assert len(queued) == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLYING
    roster_apply_task.apply(args=[job.pk])
    roster_apply_task.apply(args=[job.pk])  # delivered twice: harmless
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert User.objects.filter(phone__startswith="1384761").count() == 2


def test_template_download(reviewer_client):
    response = reviewer_client.get(reverse("schools_import_template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:3] == ["地区", "学校", "教师"]


def test_upload_refuses_other_file_types(reviewer_client):
    response = reviewer_client.post(
        INDEX, {"file": SimpleUploadedFile("roster.pdf", b"%PDF-1.4")}
    )
    assert response.status_code == 200
    assert "请选择 .xlsx 或 .csv 文件。" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_user_without_the_permission_is_refused(client, tmp_path, county):
    # Admin access alone is not enough: the import needs schools.add_importjob.
    clerk = UserFactory(region=county)
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(clerk)
    assert client.get(INDEX).status_code == 302
    assert upload(client, tmp_path).status_code == 302
    assert not ImportJob.objects.exists()
    assert INDEX not in client.get("/admin/").content.decode()
    assert client.get(reverse("schools_import_template")).status_code == 302


def test_teachers_cannot_reach_the_import(client, tmp_path, school):
    teacher = UserFactory(school=school, roles=[Role.RURAL_TEACHER])
    client.force_login(teacher)
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_jobs_of_another_region_are_404(
    client, reviewer, reviewer_client, tmp_path, other_county
):
    upload(reviewer_client, tmp_path)
    job = only_job()
    stranger = UserFactory(region=other_county, roles=[Role.REVIEWER])
    client.force_login(stranger)
    for name in ("schools_import_job", "schools_import_status"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert (
        client.post(reverse("schools_import_confirm", args=[job.pk])).status_code == 404
    )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY
    assert "名册.xlsx" not in client.get(INDEX).content.decode()


def test_colleagues_of_the_same_county_see_the_job(
    client, reviewer_client, county, tmp_path
):
    upload(reviewer_client, tmp_path)
    colleague = UserFactory(region=county, roles=[Role.REVIEWER])
    client.force_login(colleague)
    assert "名册.xlsx" in client.get(INDEX).content.decode()
    assert client.get(f"{INDEX}{only_job().pk}/").status_code == 200


def test_reviewer_upload_outside_their_county_shows_scope_errors(
    reviewer_client, tmp_path, other_county
):
    sheets = {"学校": schools(school_row("2610727001", "仙台坝小学", "610727"))}
    upload(reviewer_client, tmp_path, sheets)
    job = only_job()
    assert job.status == ImportJob.Status.INVALID
    page = reviewer_client.get(f"{INDEX}{job.pk}/").content.decode()
    assert "超出了您的管辖范围（宁城县）。" in page
