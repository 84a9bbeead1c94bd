"""Coverage of the annual hours: per school and township, scope, constant
queries, exports."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.factories import UserFactory
from accounts.models import PersonalDataAccessLog
from accounts.roles import Role
from courses.coverage import SchoolInfo, TeacherInfo, coverage_report
from courses.credit import Requirement
from courses.models import LedgerEntry
from courses.selectors import coverage_for
from schools.factories import SchoolFactory
from tests.courses.helpers import teacher

pytestmark = pytest.mark.django_db
YEAR = 2025
D = Decimal


def credit(person, hours, day=date(YEAR, 5, 1), ref=None):
    return LedgerEntry(
        teacher=person,
        source="outside",
        level="county",
        title="县培",
        hours=hours,
        date=day,
        ref=ref or f"r{person.pk}-{day}-{hours}",
    )


def test_report_adds_up_schools_and_townships():
    req = Requirement(per_year=D(72), per_cycle=D(360), cycle_start=2021)
    schools = [
        SchoolInfo(1, "一小", "01", 10, "兴隆镇"),
        SchoolInfo(2, "二小", "02", 10, "兴隆镇"),
        SchoolInfo(3, "三中", "03", 20, "辑庆镇"),
    ]
    teachers = [
        TeacherInfo(i, f"教师{i}", "", school)
        for i, school in [(1, 1), (2, 1), (3, 2), (4, 3), (5, 3)]
    ]
    hours = {1: (D(72), D(300)), 2: (D(10), D(100)), 4: (D(80), D(200))}
    report = coverage_report(
        year=2025, requirement=req, schools=schools, teachers=teachers, hours=hours
    )
    assert (report.total.teachers, report.total.met, report.total.share) == (5, 2, 40)
    towns = {g.name: (g.teachers, g.met, g.share) for g in report.townships}
    assert towns == {"兴隆镇": (3, 1, 33), "辑庆镇": (2, 1, 50)}
    by_school = {g.name: g.share for g in report.schools}
    assert by_school == {"一小": 50, "二小": 0, "三中": 50}
    assert report.schools[0].name == "二小"  # lowest share first
    assert [t.teacher.id for t in report.behind] == [2, 3, 5]
    behind = {t.teacher.id: t for t in report.teachers}
    assert behind[2].year_missing == D(62)
    # Cycle 2021-2025, 5th year: 360 expected by the end of 2025.
    assert not behind[1].cycle_on_track


@pytest.fixture
def county_with_towns(county):
    towns = county.children.order_by("code")
    return county, list(towns)


def fill(county, towns, n_teachers, lines_each):
    schools = [
        SchoolFactory(region=towns[i % len(towns)])
        for i in range(max(2, n_teachers // 10))
    ]
    people = [teacher(schools[i % len(schools)]) for i in range(n_teachers)]
    LedgerEntry.objects.bulk_create(
        [
            credit(p, 10 + k, date(YEAR, 1 + k % 12, 1), ref=f"{p.pk}:{k}")
            for p in people
            for k in range(lines_each)
        ]
    )
    return people


def test_coverage_takes_a_constant_number_of_queries(reviewer, county_with_towns):
    county, towns = county_with_towns
    coverage_for(user=reviewer, year=YEAR)  # loads the reviewer's region once
    counts = []
    for n in (20, 60):
        fill(county, towns, n, lines_each=6)
        with CaptureQueriesContext(connection) as ctx:
            report = coverage_for(user=reviewer, year=YEAR)
        counts.append(len(ctx))
        assert (
            report.total.teachers
            == LedgerEntry.objects.values("teacher").distinct().count()
        )
    assert counts[0] == counts[1] <= 5


def test_hours_per_year_and_cycle_are_summed_by_the_database(reviewer, school):
    person = teacher(school)
    LedgerEntry.objects.bulk_create(
        [
            credit(person, D("40.5"), date(YEAR, 3, 1), "a"),
            credit(person, D("40"), date(YEAR, 9, 1), "b"),
            credit(person, D("100"), date(2022, 9, 1), "c"),
            credit(person, D("500"), date(2020, 9, 1), "d"),  # an earlier cycle
        ]
    )
    report = coverage_for(user=reviewer, year=YEAR)
    row = report.teachers[0]
    assert (row.year_hours, row.cycle_hours, row.year_met) == (
        D("80.5"),
        D("180.5"),
        True,
    )


def test_scope_bureau_sees_its_region_school_admin_its_school(
    county, school, second_school, other_county
):
    teacher(school)
    teacher(second_school)
    teacher(SchoolFactory(region=other_county))
    reviewer = UserFactory(region=county, roles=[Role.REVIEWER])
    assert coverage_for(user=reviewer, year=YEAR).total.teachers == 2
    admin = UserFactory(school=school, roles=[Role.SCHOOL_ADMIN])
    report = coverage_for(user=admin, year=YEAR)
    assert report.total.teachers == 2  # the admin is staff of the school too
    assert {s.name for s in report.schools} == {school.name}
    plain = UserFactory(school=school, roles=[Role.RURAL_TEACHER])
    assert coverage_for(user=plain, year=YEAR).total.teachers == 0


def test_admin_coverage_page_and_exports(
    client, reviewer, county, school, other_county
):
    behind = teacher(school, real_name="王小红", phone="13812345678")
    fine = teacher(school, real_name="李明")
    teacher(SchoolFactory(region=other_county), real_name="略阳老师")
    LedgerEntry.objects.bulk_create(
        [
            credit(fine, 72, date(YEAR, 4, 1), "x"),
            credit(behind, 12, date(YEAR, 4, 2), "y"),
        ]
    )
    client.force_login(reviewer)
    url = reverse("courses_admin:coverage")
    html = client.get(url, {"year": YEAR}).content.decode()
    assert "<strong data-total-teachers>2</strong>" in html
    assert "<strong data-total-met>1</strong>" in html
    assert "王小红" in html.split('id="behind"')[1] and "略阳老师" not in html
    response = client.get(url, {"year": YEAR, "export": "xlsx"})
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["乡镇汇总", "学校汇总", "教师明细"]
    rows = list(book["教师明细"].iter_rows(values_only=True))
    assert rows[0][:3] == ("乡镇", "学校", "教师")
    wang = next(r for r in rows if r[2] == "王小红")
    assert wang[3] == "138****5678" and wang[4] == 12 and wang[6] == "未达标"
    ledger = client.get(url, {"year": YEAR, "export": "ledger"})
    lines = list(
        load_workbook(BytesIO(b"".join(ledger.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert len(lines) == 3 and {r[2] for r in lines[1:]} == {"王小红", "李明"}
    logged = PersonalDataAccessLog.objects.filter(user=reviewer, action="export")
    assert logged.count() == 2


def test_admin_coverage_refuses_a_region_outside_scope(client, reviewer, other_county):
    client.force_login(reviewer)
    response = client.get(
        reverse("courses_admin:coverage"), {"year": YEAR, "region": other_county.pk}
    )
    # An invalid choice: the report falls back to the reviewer's own region.
    assert response.status_code == 200
    assert other_county.name not in response.content.decode().split("</form>")[1]


def test_teachers_have_no_coverage_screen(client, school):
    client.force_login(teacher(school))
    assert client.get(reverse("courses_admin:coverage")).status_code in (302, 403)


def test_township_filter(client, reviewer, county):
    town_a, town_b = county.children.order_by("code")
    teacher(SchoolFactory(region=town_a), real_name="天义老师")
    teacher(SchoolFactory(region=town_b), real_name="小城子老师")
    report = coverage_for(user=reviewer, year=YEAR, region=town_a)
    assert [t.teacher.name for t in report.teachers] == ["天义老师"]
