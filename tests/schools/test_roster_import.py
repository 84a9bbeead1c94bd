"""Importing rosters end to end: all or nothing, idempotent, scoped."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.factories import UserFactory
from accounts.models import User
from accounts.privacy import id_number_digest
from accounts.roles import Role
from schools.factories import SchoolFactory
from schools.models import Region, School
from schools.services import (
    RosterInvalid,
    roster_apply,
    roster_import_file,
    roster_read,
    roster_validate,
)
from tests.schools.roster_files import (
    ID_1,
    ID_X,
    regions,
    school_row,
    schools,
    teacher_row,
    teachers,
    township_row,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


def roster_sheets() -> dict[str, list[list]]:
    return {
        "地区": regions(
            ["150000", "内蒙古自治区", "省", ""],
            ["150400", "赤峰市", "市", "150000"],
            ["150429", "宁城县", "县", "150400"],
            township_row("150429102", "大城子镇"),
            township_row("150429103", "八里罕镇"),
        ),
        "学校": schools(
            school_row("2150429010", "大城子镇中心小学", "150429102"),
            school_row(
                "2150429011", "八里罕镇水泉村小", "150429103", "村小", "220", "小学"
            ),
            school_row(
                "2150429012",
                "宁城县第一中学",
                "150429",
                "城区学校",
                "111",
                "初中、高中",
                weak="否",
                lon="",
                lat="",
            ),
        ),
        "教师": teachers(
            teacher_row(
                "王芳",
                "13847610001",
                ID_1,
                "wangfang@example.cn",
                "2150429010",
                "语文、数学",
                "小学",
                "一级教师",
                "骨干教师",
                12,
                "",
            ),
            teacher_row(
                "李强",
                13847610002.0,
                ID_X,
                "",
                2150429011,
                "英语",
                "小学",
                "二级教师",
                "",
                3,
                "乡村教师",
            ),
            teacher_row(
                "赵敏",
                "13847610003",
                "",
                "",
                "2150429012",
                "物理",
                "初中、高中",
                "高级教师",
                "学科带头人、骨干教师",
                20,
                "导师",
            ),
            teacher_row(
                "孙伟",
                "13847610004",
                "",
                "",
                "2150429012",
                "体育",
                "高中",
                "未定级",
                "",
                1,
                "",
            ),
        ),
    }


def db_state() -> dict:
    """Everything an import may touch, as plain data."""
    return {
        "regions": sorted(Region.objects.values_list("code", "name", "level", "path")),
        "schools": sorted(
            (
                s.code,
                s.name,
                s.region.code,
                s.category,
                s.urban_rural_code,
                s.is_weak,
                s.student_count,
                s.teacher_count,
                s.address,
                s.longitude,
                s.latitude,
                tuple(sorted(s.stages.values_list("code", flat=True))),
            )
            for s in School.objects.select_related("region")
        ),
        "users": sorted(
            (
                u.username,
                u.phone,
                u.real_name,
                u.email,
                u.id_number_digest,
                u.id_number_masked,
                u.school.code if u.school else None,
                u.title,
                u.years_of_teaching,
                tuple(sorted(u.subjects.values_list("code", flat=True))),
                tuple(sorted(u.stages.values_list("code", flat=True))),
                tuple(sorted(u.honours.values_list("code", flat=True))),
                tuple(sorted(u.groups.values_list("name", flat=True))),
            )
            for u in User.objects.select_related("school")
        ),
    }


@pytest.fixture
def roster_path(tmp_path, county):
    return write_xlsx(tmp_path / "roster.xlsx", roster_sheets())


def test_import_creates_everything(roster_path):
    result = roster_import_file(path_or_file=roster_path)
    assert result.ok and result.applied
    assert result.counts == {
        "regions": {"created": 2, "updated": 0, "unchanged": 3},
        "schools": {"created": 3, "updated": 0, "unchanged": 0},
        "teachers": {"created": 4, "updated": 0, "unchanged": 0},
    }
    town = Region.objects.get(code="150429103")
    assert (
        town.path == "/150000/150400/150429/150429103/" and town.parent.code == "150429"
    )
    village = School.objects.get(code="2150429011")
    assert village.region == town and village.category == "village"
    assert village.is_rural and list(village.stages.values_list("code", flat=True)) == [
        "primary"
    ]
    wang = User.objects.get(phone="13847610001")
    assert wang.username == "13847610001" and wang.is_active
    assert not wang.has_usable_password()
    assert wang.school.code == "2150429010" and wang.title == User.Title.FIRST
    assert wang.years_of_teaching == 12
    assert set(wang.subjects.values_list("code", flat=True)) == {"chinese", "math"}
    assert set(wang.honours.values_list("code", flat=True)) == {"backbone"}
    assert wang.email == "wangfang@example.cn"


def test_id_numbers_are_kept_only_as_digest_and_mask(roster_path):
    roster_import_file(path_or_file=roster_path)
    li = User.objects.get(phone="13847610002")
    assert li.id_number_digest == id_number_digest(ID_X)
    assert li.id_number_masked == "150429********000X"
    stored = [str(v) for v in User.objects.values_list(flat=False)]
    assert not any(ID_X in v or ID_1 in v for v in stored)


def test_default_roles_follow_the_school(roster_path):
    roster_import_file(path_or_file=roster_path)

    def roles(phone):
        return set(User.objects.get(phone=phone).groups.values_list("name", flat=True))

    assert roles("13847610001") == {Role.RURAL_TEACHER}  # rural school, empty cell
    assert roles("13847610002") == {Role.RURAL_TEACHER}
    assert roles("13847610003") == {Role.MENTOR}
    assert roles("13847610004") == set()  # urban school, empty cell


def test_importing_twice_changes_nothing(roster_path):
    first = roster_import_file(path_or_file=roster_path)
    state = db_state()
    second = roster_import_file(path_or_file=roster_path)
    assert second.ok and db_state() == state
    assert second.counts == {
        "regions": {"created": 0, "updated": 0, "unchanged": 5},
        "schools": {"created": 0, "updated": 0, "unchanged": 3},
        "teachers": {"created": 0, "updated": 0, "unchanged": 4},
    }
    assert first.counts != second.counts


def test_changes_are_detected_and_written(tmp_path, roster_path):
    roster_import_file(path_or_file=roster_path)
    reviewer_group = Group.objects.get(name=Role.REVIEWER)
    User.objects.get(phone="13847610003").groups.add(reviewer_group)
    sheets = roster_sheets()
    sheets["地区"][4][1] = "大城子镇（新）"
    sheets["学校"][1][7] = 450  # students
    sheets["学校"][1][5] = "小学"  # stages: no longer 初中
    sheets["学校"][3][10:12] = [119.3, 41.6]
    sheets["教师"][1][0] = "王芳芳"
    sheets["教师"][1][5] = "数学"
    sheets["教师"][3][7] = "正高级教师"
    sheets["教师"][3][10] = "学校管理员"
    sheets["教师"][4][4] = "2150429010"  # moved to a rural school
    result = roster_import_file(path_or_file=write_xlsx(tmp_path / "v2.xlsx", sheets))
    assert result.ok, result.errors
    assert result.counts == {
        "regions": {"created": 0, "updated": 1, "unchanged": 4},
        "schools": {"created": 0, "updated": 2, "unchanged": 1},
        "teachers": {"created": 0, "updated": 3, "unchanged": 1},
    }
    assert Region.objects.get(code="150429102").name == "大城子镇（新）"
    town_school = School.objects.get(code="2150429010")
    assert town_school.student_count == 450
    assert list(town_school.stages.values_list("code", flat=True)) == ["primary"]
    city_school = School.objects.get(code="2150429012")
    assert (
        city_school.longitude == Decimal("119.3")
        and city_school.name == "宁城县第一中学"
    )
    wang = User.objects.get(phone="13847610001")
    assert wang.real_name == "王芳芳"
    assert list(wang.subjects.values_list("code", flat=True)) == ["math"]
    zhao = User.objects.get(phone="13847610003")
    assert zhao.title == User.Title.SENIOR_PROFESSOR
    # The roster's roles changed; the reviewer role is not the roster's to take.
    assert set(zhao.groups.values_list("name", flat=True)) == {
        Role.SCHOOL_ADMIN,
        Role.REVIEWER,
    }
    sun = User.objects.get(phone="13847610004")
    assert sun.school.code == "2150429010"
    # An empty role cell at a rural school now means rural teacher.
    assert set(sun.groups.values_list("name", flat=True)) == {Role.RURAL_TEACHER}
    unchanged = roster_import_file(path_or_file=tmp_path / "v2.xlsx")
    assert all(c["updated"] == 0 for c in unchanged.counts.values())


def test_columns_left_out_keep_what_the_database_holds(tmp_path, roster_path):
    roster_import_file(path_or_file=roster_path)
    state = db_state()
    minimal = write_csv(
        tmp_path / "teachers.csv",
        [["姓名", "手机号", "学校标识码"], ["王芳", "13847610001", "2150429010"]],
        "gbk",
    )
    result = roster_import_file(path_or_file=minimal)
    assert result.counts["teachers"] == {"created": 0, "updated": 0, "unchanged": 1}
    assert db_state() == state


def test_a_bad_roster_is_refused_whole_with_every_error(tmp_path, county):
    sheets = roster_sheets()
    sheets["地区"][5][2] = "村"
    sheets["学校"][2][4] = "999"
    sheets["教师"][1][1] = "1384761000"
    sheets["教师"][3][5] = "魔法"
    state = db_state()
    result = roster_import_file(path_or_file=write_xlsx(tmp_path / "bad.xlsx", sheets))
    assert not result.ok and not result.applied
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [
        ("地区", 6, "级别"),
        ("学校", 3, "城乡分类代码"),
        ("教师", 2, "手机号"),
        ("教师", 4, "任教学科"),
    ]
    assert db_state() == state


def test_apply_refuses_a_plan_with_errors(tmp_path, county):
    path = write_xlsx(tmp_path / "bad.xlsx", {"教师": teachers(teacher_row())})
    plan = roster_validate(roster=roster_read(source=path))
    assert not plan.ok
    with pytest.raises(RosterInvalid):
        roster_apply(plan=plan)


# --- Scope ------------------------------------------------------------------


def test_reviewer_imports_within_their_county(roster_path, reviewer):
    result = roster_import_file(path_or_file=roster_path, user=reviewer)
    # The province and city rows are unchanged context, not writes.
    assert result.ok, result.errors
    assert (
        User.objects.filter(
            school__region__path__startswith=reviewer.region.path
        ).count()
        == 4
    )


def test_reviewer_may_not_import_another_county(tmp_path, reviewer, other_county):
    sheets = {
        "学校": schools(school_row("2610727001", "仙台坝小学", "610727")),
        "教师": teachers(teacher_row(school="2610727001")),
    }
    path = write_xlsx(tmp_path / "other.xlsx", sheets)
    result = roster_import_file(path_or_file=path, user=reviewer)
    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        ("学校", 2, "行政区划代码", "超出了您的管辖范围（宁城县）。")
    ]
    assert not School.objects.filter(code="2610727001").exists()
    # The same file is fine for a platform admin.
    admin = UserFactory(roles=[Role.PLATFORM_ADMIN])
    assert roster_import_file(path_or_file=path, user=admin).applied


def test_reviewer_may_not_take_over_schools_or_teachers_of_another_county(
    tmp_path, reviewer, county, other_county
):
    far = SchoolFactory(code="2610727001", region=other_county)
    UserFactory(phone="13847610001", school=far)
    sheets = {
        "学校": schools(school_row("2610727001", "改名小学", "150429")),
        "教师": teachers(teacher_row(phone="13847610001", school="2150429001")),
    }
    SchoolFactory(code="2150429001", region=county)
    result = roster_import_file(
        path_or_file=write_xlsx(tmp_path / "grab.xlsx", sheets), user=reviewer
    )
    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        ("学校", 2, "学校标识码", "该学校标识码属于您管辖范围以外的学校。"),
        ("教师", 2, "手机号", "该手机号属于您管辖范围以外的账号。"),
    ]


def test_reviewer_without_a_region_may_not_import(roster_path):
    lost = UserFactory(roles=[Role.REVIEWER])
    result = roster_import_file(path_or_file=roster_path, user=lost)
    assert [e.message for e in result.errors] == [
        "您的账号没有所属地区，不能导入名册。"
    ]
    assert not School.objects.exists()


# --- The command ------------------------------------------------------------


def test_command_prints_counts(roster_path, capsys):
    call_command("import_roster", str(roster_path))
    out = capsys.readouterr().out
    assert "教师：新增 4，更新 0，未变 0" in out
    assert User.objects.filter(phone__startswith="1384761").count() == 4


def test_command_dry_run_writes_nothing(roster_path, capsys):
    call_command("import_roster", str(roster_path), "--dry-run")
    assert "学校：新增 3，更新 0，未变 0" in capsys.readouterr().out
    assert not School.objects.exists()


def test_command_lists_every_error_and_exits_1(tmp_path, county, capsys):
    sheets = roster_sheets()
    sheets["教师"][1][1] = "123"
    sheets["教师"][2][4] = "2150429999"
    path = write_xlsx(tmp_path / "bad.xlsx", sheets)
    with pytest.raises(CommandError) as raised:
        call_command("import_roster", str(path))
    assert raised.value.returncode == 1
    err = capsys.readouterr().err
    assert "教师 2 手机号: 手机号应为以 1 开头的 11 位数字。" in err
    assert "教师 3 学校标识码: 学校 2150429999 既不在平台中，也不在本文件中。" in err
    assert not User.objects.filter(phone__startswith="1384761").exists()


def test_a_conflicting_write_meanwhile_leaves_nothing_written(roster_path, monkeypatch):
    from schools import services

    real_apply = services.roster_apply

    def someone_else_first(**kwargs):
        # Between the check and the write, another import creates a teacher.
        UserFactory(username="13847610004", phone="13847610004")
        return real_apply(**kwargs)

    monkeypatch.setattr(services, "roster_apply", someone_else_first)
    result = roster_import_file(path_or_file=roster_path)
    assert not result.applied
    assert [e.message for e in result.errors] == [
        "导入过程中平台数据发生了变化，未导入任何数据。请重试。"
    ]
    assert not School.objects.exists()
