"""The bureau's teacher roster in the admin: scope, masking, export logging."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import PersonalDataAccessLog, User
from accounts.roles import Role
from schools.factories import SchoolFactory
from schools.models import Subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_school(other_county):
    return SchoolFactory(
        code="2610727001", name="略阳县麻柳铺小学", region=other_county
    )


@pytest.fixture
def teachers(school, other_school):
    return {
        "mine": UserFactory(
            username="liu",
            real_name="刘老师",
            phone="13912345678",
            school=school,
            title=User.Title.FIRST,
            id_number_masked="150429********123X",
            roles=[Role.RURAL_TEACHER],
        ),
        "other": UserFactory(
            username="wang",
            real_name="王老师",
            phone="13887654321",
            school=other_school,
            roles=[Role.MENTOR],
        ),
    }


def teacher_form_data(teacher, **changes):
    data = {
        "real_name": teacher.real_name,
        "school": teacher.school_id,
        "subjects": [s.pk for s in teacher.subjects.all()],
        "stages": [s.pk for s in teacher.stages.all()],
        "title": teacher.title,
        "honours": [h.pk for h in teacher.honours.all()],
        "years_of_teaching": teacher.years_of_teaching or "",
        "is_active": "on" if teacher.is_active else "",
    }
    data.update(changes)
    return data


def export_rows(response):
    """The CSV rows after the heading: name, phone, ... (see TeacherIndexView)."""
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))[1:]


# --- the roster ----------------------------------------------------------------


def test_reviewer_roster_lists_own_county_with_masked_phones(
    client, reviewer, teachers
):
    client.force_login(reviewer)
    response = client.get(reverse("teachers_admin:index"))
    assert response.status_code == 200
    assert {t.real_name for t in response.context["object_list"]} == {"刘老师"}
    content = response.content.decode()
    assert "139****5678" in content
    assert "13912345678" not in content
    assert "王老师" not in content
    # The masked ID number is for platform admins only.
    assert "150429********123X" not in content


def test_platform_admin_sees_full_phones_and_masked_id(
    client, platform_admin, teachers
):
    client.force_login(platform_admin)
    response = client.get(reverse("teachers_admin:index"))
    content = response.content.decode()
    assert {t.real_name for t in response.context["object_list"]} == {
        "刘老师",
        "王老师",
    }
    assert "13912345678" in content and "13887654321" in content
    assert "150429********123X" in content


def test_users_without_a_school_are_not_in_the_roster(client, reviewer, teachers):
    client.force_login(reviewer)
    response = client.get(reverse("teachers_admin:index"))
    assert reviewer not in response.context["object_list"]


def test_roster_filters_and_search(client, reviewer, teachers, school):
    chinese = Subject.objects.get(name_zh="语文")
    teachers["mine"].subjects.add(chinese)
    UserFactory(real_name="张老师", school=school, roles=[Role.MENTOR])
    client.force_login(reviewer)
    index = reverse("teachers_admin:index")

    def names(params):
        response = client.get(index, params)
        return {t.real_name for t in response.context["object_list"]}

    assert names({"subjects": chinese.pk}) == {"刘老师"}
    assert names({"role": Role.MENTOR}) == {"张老师"}
    assert names({"title": User.Title.FIRST}) == {"刘老师"}
    assert names({"school": school.pk}) == {"刘老师", "张老师"}
    assert names({"q": "13912345678"}) == {"刘老师"}
    assert names({"q": "王老师"}) == set()


def test_masked_phones_cannot_be_guessed_by_search(
    client, reviewer, platform_admin, teachers
):
    index = reverse("teachers_admin:index")

    def names(user, query):
        client.force_login(user)
        response = client.get(index, {"q": query})
        return {t.real_name for t in response.context["object_list"]}

    # The hidden middle digits: a partial match would confirm a guess.
    assert names(reviewer, "1391234") == set()
    assert names(reviewer, "13912345678") == {"刘老师"}
    assert names(platform_admin, "1391234") == {"刘老师"}


def test_nameless_imported_teacher_shows_masked_phone(client, reviewer, school):
    # The roster import uses the phone as username.
    UserFactory(
        username="13711112222", phone="13711112222", real_name="", school=school
    )
    client.force_login(reviewer)
    content = client.get(reverse("teachers_admin:index")).content.decode()
    assert "137****2222" in content
    assert "13711112222" not in content


@pytest.mark.parametrize("view", ["edit", "inspect", "history", "usage"])
def test_other_county_teacher_is_not_found(client, reviewer, teachers, view):
    client.force_login(reviewer)
    response = client.get(
        reverse(f"teachers_admin:{view}", args=[teachers["other"].pk])
    )
    assert response.status_code == 404


def test_post_to_other_county_teacher_changes_nothing(client, reviewer, teachers):
    other = teachers["other"]
    client.force_login(reviewer)
    response = client.post(
        reverse("teachers_admin:edit", args=[other.pk]),
        teacher_form_data(other, real_name="改名", is_active=""),
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert (other.real_name, other.is_active) == ("王老师", True)


def test_reviewer_edits_profile_but_not_roles_or_superuser(client, reviewer, teachers):
    teacher = teachers["mine"]
    english = Subject.objects.get(name_zh="英语")
    client.force_login(reviewer)
    response = client.post(
        reverse("teachers_admin:edit", args=[teacher.pk]),
        teacher_form_data(
            teacher,
            real_name="刘晓红",
            subjects=[english.pk],
            years_of_teaching=12,
            is_superuser="on",
            groups=[],
            password="hijack-1234",
            phone="13000000000",
        ),
    )
    assert response.status_code == 302
    teacher = User.objects.get(pk=teacher.pk)
    assert teacher.real_name == "刘晓红"
    assert list(teacher.subjects.all()) == [english]
    assert teacher.years_of_teaching == 12
    assert not teacher.is_superuser
    assert teacher.has_role(Role.RURAL_TEACHER)
    assert teacher.phone == "13912345678"
    assert teacher.check_password("correct-horse-battery")


def test_teacher_school_choices_stay_in_scope(
    client, reviewer, teachers, school, other_school
):
    teacher = teachers["mine"]
    client.force_login(reviewer)
    response = client.get(reverse("teachers_admin:edit", args=[teacher.pk]))
    assert list(response.context["form"].fields["school"].queryset) == [school]
    response = client.post(
        reverse("teachers_admin:edit", args=[teacher.pk]),
        teacher_form_data(teacher, school=other_school.pk),
    )
    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    teacher.refresh_from_db()
    assert teacher.school == school


def test_teacher_inspect_masks_phone_for_reviewer(client, reviewer, teachers):
    client.force_login(reviewer)
    response = client.get(reverse("teachers_admin:inspect", args=[teachers["mine"].pk]))
    content = response.content.decode()
    assert "139****5678" in content and "13912345678" not in content
    assert "150429********123X" not in content


def test_no_add_teacher_screen(client, reviewer):
    # Teachers come in through the roster import.
    client.force_login(reviewer)
    content = client.get(reverse("teachers_admin:index")).content.decode()
    assert "/admin/teachers/new/" not in content
    assert client.get("/admin/teachers/new/").status_code == 404


# --- export --------------------------------------------------------------------


def test_reviewer_export_is_scoped_masked_and_logged(client, reviewer, teachers):
    client.force_login(reviewer)
    response = client.get(reverse("teachers_admin:index"), {"export": "csv"})
    assert response.status_code == 200
    rows = export_rows(response)
    assert [r[0] for r in rows] == ["刘老师"]
    assert rows[0][1] == "139****5678"
    assert "150429********123X" not in rows[0]
    log = PersonalDataAccessLog.objects.get()
    assert (log.user, log.action, log.row_count) == (reviewer, "export", 1)


def test_platform_admin_export_has_full_phones_and_is_logged(
    client, platform_admin, teachers
):
    client.force_login(platform_admin)
    response = client.get(reverse("teachers_admin:index"), {"export": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    phones = {row[1] for row in rows[1:]}
    assert phones == {"13912345678", "13887654321"}
    assert rows[1][2] == "150429********123X"  # the masked ID, after the phone
    log = PersonalDataAccessLog.objects.get()
    assert (log.user, log.row_count) == (platform_admin, 2)
    assert "xlsx" in log.subject


def test_filtered_export_logs_the_rows_it_gave(client, reviewer, teachers, school):
    UserFactory(real_name="张老师", school=school, roles=[Role.MENTOR])
    client.force_login(reviewer)
    response = client.get(
        reverse("teachers_admin:index"), {"export": "csv", "role": "mentor"}
    )
    assert [r[0] for r in export_rows(response)] == ["张老师"]
    log = PersonalDataAccessLog.objects.get()
    assert log.row_count == 1
    assert "role=mentor" in log.subject


def test_viewing_the_list_is_not_logged(client, reviewer, teachers):
    client.force_login(reviewer)
    client.get(reverse("teachers_admin:index"))
    assert not PersonalDataAccessLog.objects.exists()


# --- the access log ------------------------------------------------------------


def test_access_log_is_for_platform_admins_and_read_only(
    client, reviewer, platform_admin, teachers
):
    client.force_login(reviewer)
    client.get(reverse("teachers_admin:index"), {"export": "csv"})
    response = client.get(reverse("personal_data_log_admin:index"))
    assert response.status_code == 302  # no permission: back to the dashboard

    client.force_login(platform_admin)
    response = client.get(reverse("personal_data_log_admin:index"))
    assert response.status_code == 200
    entries = list(response.context["object_list"])
    assert [(e.user, e.row_count) for e in entries] == [(reviewer, 1)]
    entry = entries[0]
    for path in (
        f"/admin/personal-data-log/edit/{entry.pk}/",
        f"/admin/personal-data-log/delete/{entry.pk}/",
        "/admin/personal-data-log/new/",
    ):
        assert client.post(path).status_code == 404
    assert PersonalDataAccessLog.objects.count() == 1


def test_superuser_cannot_change_the_log_through_the_policy(db, teachers):
    from wagtail.permissions import policy_registry

    superuser = UserFactory(is_superuser=True)
    policy = policy_registry.get_by_type(PersonalDataAccessLog)
    assert policy.user_has_permission(superuser, "view")
    assert not policy.user_has_permission(superuser, "change")
    assert not policy.user_has_permission(superuser, "delete")


# --- query counts ----------------------------------------------------------------


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_roster_query_count_does_not_grow(client, reviewer, school):
    subjects = list(Subject.objects.all()[:2])

    def add(n):
        for teacher in UserFactory.create_batch(n, school=school, roles=[Role.MENTOR]):
            teacher.subjects.add(*subjects)

    client.force_login(reviewer)
    path = reverse("teachers_admin:index")
    add(10)
    client.get(path)
    few = _queries(client, path)
    add(50)  # 60 rows: more than a page
    many = _queries(client, path)
    assert many == few


def test_teacher_edits_are_history_for_their_county_only(
    client, reviewer, teachers, other_county
):
    teacher = teachers["mine"]
    client.force_login(reviewer)
    client.post(
        reverse("teachers_admin:edit", args=[teacher.pk]),
        teacher_form_data(teacher, real_name="刘晓红"),
    )
    history = reverse("wagtailadmin_reports:site_history")
    assert "刘晓红" in client.get(history).content.decode()
    client.force_login(UserFactory(region=other_county, roles=[Role.REVIEWER]))
    assert "刘晓红" not in client.get(history).content.decode()


def test_access_log_query_count_does_not_grow(client, platform_admin, reviewer):
    from accounts.services import personal_data_access_record

    def add(n):
        for _ in range(n):
            personal_data_access_record(
                user=UserFactory(), action="export", subject="teachers", row_count=3
            )

    client.force_login(platform_admin)
    path = reverse("personal_data_log_admin:index")
    add(5)
    client.get(path)
    few = _queries(client, path)
    add(30)
    many = _queries(client, path)
    assert many == few
