"""Each rule of the roster, with the Chinese message a clerk reads."""

import pytest

from accounts.factories import UserFactory
from accounts.privacy import id_number_digest
from schools.services import roster_import_file
from tests.schools.roster_files import (
    ID_1,
    ID_2,
    regions,
    school_row,
    schools,
    teacher_row,
    teachers,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


def check(tmp_path, sheets, user=None) -> list[tuple]:
    path = write_xlsx(tmp_path / "roster.xlsx", sheets)
    result = roster_import_file(path_or_file=path, user=user, dry_run=True)
    return [(e.sheet, e.row, e.column, e.message) for e in result.errors]


REGION_CASES = {
    "code format": (
        ["15042910", "某镇", "乡镇", "150429"],
        ("行政区划代码", "行政区划代码应为 6 位（乡镇为 9 位或 12 位）。"),
    ),
    "level unknown": (
        ["150429103", "某村", "村", "150429"],
        ("级别", "无法识别的级别“村”：请填写省、市、县（或区）、乡镇。"),
    ),
    "code does not fit level": (
        ["150430", "某镇", "乡镇", "150429"],
        (
            "行政区划代码",
            "代码与级别不符：省级代码以 0000 结尾，市级以 00 结尾，县级为 6 位且"
            "不以 00 结尾，乡镇为 9 位或 12 位。",
        ),
    ),
    "parent required": (
        ["150430", "喀喇沁旗", "县", ""],
        ("上级代码", "只有省级地区可以不填上级代码。"),
    ),
    "parent unknown": (
        ["150429103", "某镇", "乡镇", "150499"],
        ("上级代码", "上级地区 150499 既不在平台中，也不在本文件中。"),
    ),
    "parent not higher": (
        ["150401", "某区", "区", "150429"],
        ("上级代码", "上级地区的级别必须更高。"),
    ),
    "code outside parent": (
        ["610728", "某县", "县", "150400"],
        ("行政区划代码", "代码与上级地区的代码不一致。"),
    ),
    "existing region moved": (
        ["150429100", "天义镇", "乡镇", "150400"],
        ("上级代码", "该地区已存在，但级别或上级不同；导入不能移动已有地区。"),
    ),
    "name empty": (["150429103", "", "乡镇", "150429"], ("名称", "此项不能为空。")),
}


@pytest.mark.parametrize("row,expected", REGION_CASES.values(), ids=REGION_CASES)
def test_region_rules(tmp_path, county, row, expected):
    assert check(tmp_path, {"地区": regions(row)}) == [("地区", 2, *expected)]


SCHOOL_CASES = {
    "code format": (
        {"code": "215042901"},
        ("学校标识码", "学校标识码应为 10 位数字。"),
    ),
    "name empty": ({"name": ""}, ("学校名称", "此项不能为空。")),
    "region unknown": (
        {"region": "150499"},
        ("行政区划代码", "地区 150499 既不在平台中，也不在本文件中。"),
    ),
    "category": (
        {"category": "中学"},
        (
            "学校类别",
            "无法识别的学校类别“中学”：请填写城区学校、乡镇学校、村小或教学点。",
        ),
    ),
    "urban-rural code": (
        {"urban_rural": 300},
        (
            "城乡分类代码",
            "无法识别的城乡分类代码“300”：请填写 111、112、121、122、123、210 或 220。",
        ),
    ),
    "stage": (
        {"stages": "小学、大学"},
        ("学段", "无法识别的学段“大学”：请填写学前、小学、初中、高中、中职。"),
    ),
    "weak": ({"weak": "可能"}, ("薄弱学校", "请填写“是”或“否”。")),
    "students": (
        {"students": "三百"},
        ("学生数", "请填写 0 到 10000000 之间的整数。"),
    ),
    "latitude": ({"lat": 91}, ("纬度", "请填写 -90 到 90 之间的数值。")),
}


@pytest.mark.parametrize("change,expected", SCHOOL_CASES.values(), ids=SCHOOL_CASES)
def test_school_rules(tmp_path, county, change, expected):
    row = school_row(**{"region": "150429", **change})
    assert check(tmp_path, {"学校": schools(row)}) == [("学校", 2, *expected)]


TEACHER_CASES = {
    "name empty": ({"name": ""}, ("姓名", "此项不能为空。")),
    "phone": ({"phone": "2384761000"}, ("手机号", "手机号应为以 1 开头的 11 位数字。")),
    "ID number": (
        {"id_number": "150429198503120011"},
        ("身份证号", "身份证号应为 18 位且校验位正确。"),
    ),
    "email": ({"email": "wang@"}, ("电子邮箱", "请输入有效的电子邮箱地址。")),
    "school unknown": (
        {"school": "2150429999"},
        ("学校标识码", "学校 2150429999 既不在平台中，也不在本文件中。"),
    ),
    "subject": ({"subjects": "语文、魔法"}, ("任教学科", "无法识别的学科“魔法”")),
    "stage": ({"stages": "大学"}, ("任教学段", "无法识别的学段“大学”")),
    "title": (
        {"title": "教授"},
        (
            "职称",
            "无法识别的职称“教授”：请填写正高级教师、高级教师、一级教师、"
            "二级教师、三级教师、未定级。",
        ),
    ),
    "honour": ({"honours": "劳动模范"}, ("荣誉称号", "无法识别的荣誉称号“劳动模范”")),
    "years": ({"years": 100}, ("教龄", "请填写 0 到 70 之间的整数。")),
    "role": (
        {"roles": "校长"},
        ("角色", "无法识别的角色“校长”：请填写乡村教师、导师或学校管理员。"),
    ),
}


@pytest.mark.parametrize("change,expected", TEACHER_CASES.values(), ids=TEACHER_CASES)
def test_teacher_rules(tmp_path, school, change, expected):
    row = teacher_row(**{"school": school.code, **change})
    ((sheet, number, column, message),) = check(tmp_path, {"教师": teachers(row)})
    assert (sheet, number, column) == ("教师", 2, expected[0])
    assert message.startswith(expected[1])


def test_invalid_id_number_is_never_echoed(tmp_path, school):
    bad = "150429198503120011"
    errors = check(
        tmp_path, {"教师": teachers(teacher_row(school=school.code, id_number=bad))}
    )
    assert errors and not any(bad in str(e) for e in errors)


def test_duplicates_inside_the_file(tmp_path, school):
    rows = teachers(
        teacher_row(phone="13847610001", id_number=ID_1, email="a@example.cn"),
        teacher_row(phone="13847610001"),
        teacher_row(phone="13847610002", id_number=ID_1, email="A@example.cn"),
        teacher_row(phone="13847610003", email="a@example.cn"),
    )
    for row in rows[1:]:
        row[4] = school.code
    assert check(tmp_path, {"教师": rows}) == [
        ("教师", 3, "手机号", "与第 2 行重复。"),
        ("教师", 4, "身份证号", "与第 2 行重复。"),
        ("教师", 4, "电子邮箱", "与第 2 行重复。"),
        ("教师", 5, "电子邮箱", "与第 2 行重复。"),
    ]


def test_duplicate_codes_inside_the_file(tmp_path, county):
    sheets = {
        "地区": regions(
            ["150429103", "某镇", "乡镇", "150429"],
            ["150429103", "某镇", "乡镇", "150429"],
        ),
        "学校": schools(school_row(region="150429"), school_row(region="150429")),
    }
    assert check(tmp_path, sheets) == [
        ("地区", 3, "行政区划代码", "与第 2 行重复。"),
        ("学校", 3, "学校标识码", "与第 2 行重复。"),
    ]


def test_keys_used_by_another_account(tmp_path, school):
    UserFactory(
        username="other",
        phone="13900000001",
        email="wang@example.cn",
        id_number_digest=id_number_digest(ID_2),
    )
    UserFactory(username="13847610009", phone="13900000002")
    rows = teachers(
        teacher_row(phone="13847610001", id_number=ID_2, school=school.code),
        teacher_row(phone="13847610002", email="Wang@Example.cn", school=school.code),
        teacher_row(phone="13847610009", school=school.code),
    )
    assert check(tmp_path, {"教师": rows}) == [
        ("教师", 2, "身份证号", "该身份证号已登记在另一个账号下。"),
        ("教师", 3, "电子邮箱", "该电子邮箱已被另一个账号使用。"),
        ("教师", 4, "手机号", "另一个账号已使用该手机号作为用户名。"),
    ]


def test_the_same_person_keeps_their_own_keys(tmp_path, school):
    UserFactory(
        username="wang",
        phone="13847610001",
        email="wang@example.cn",
        id_number_digest=id_number_digest(ID_1),
        school=school,
    )
    row = teacher_row(
        phone="13847610001", id_number=ID_1, email="wang@example.cn", school=school.code
    )
    assert check(tmp_path, {"教师": teachers(row)}) == []


def test_references_to_rows_with_errors_are_not_reported_twice(tmp_path, county):
    sheets = {
        "地区": regions(["150429103", "", "乡镇", "150429"]),
        "学校": schools(school_row(code="2150429020", region="150429103")),
        "教师": teachers(teacher_row(school="2150429020")),
    }
    assert check(tmp_path, sheets) == [("地区", 2, "名称", "此项不能为空。")]
