"""Reading roster files: sheets, headers, encodings, numbers typed as numbers."""

import io

import openpyxl
import pytest

from schools.roster.parse import KEEP
from schools.roster.template import template_workbook
from schools.services import roster_read
from tests.schools.roster_files import (
    ID_1,
    SCHOOL_HEADER,
    TEACHER_HEADER,
    csv_bytes,
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


def messages(roster):
    return [(e.sheet, e.row, e.column, e.message) for e in roster.errors]


def test_xlsx_sheets_in_any_order_and_numbers_typed_as_numbers(tmp_path):
    path = write_xlsx(
        tmp_path / "roster.xlsx",
        {
            "教师": teachers(
                teacher_row(phone=13847610001.0, school=2150429010, id_number=ID_1)
            ),
            "学校": schools(school_row(code=2150429010.0, region=150429102)),
            "地区": regions(township_row(code=150429102, parent=150429)),
        },
    )
    roster = roster_read(source=path)
    assert roster.errors == []
    assert roster.row_count == 3
    (region,) = roster.regions
    assert (region.code, region.parent_code, region.level) == ("150429102", "150429", 4)
    (school,) = roster.schools
    assert school.code == "2150429010" and school.region_code == "150429102"
    assert school.stages == {"primary", "junior"} and school.is_weak is True
    (teacher,) = roster.teachers
    assert teacher.phone == "13847610001" and teacher.school_code == "2150429010"
    assert teacher.subjects == {"chinese"} and teacher.title == "yj"
    # The ID number itself is kept nowhere: only a digest and a mask.
    assert ID_1 not in repr(teacher)
    assert teacher.id_masked == "150429********0017"


def test_absent_sheets_and_english_headers(tmp_path):
    rows = [
        ["name", "phone", "school_code", "subjects"],
        ["王芳", "13847610001", "2150429010", "语文，数学"],
    ]
    roster = roster_read(source=write_xlsx(tmp_path / "t.xlsx", {"teachers": rows}))
    assert roster.errors == []
    assert roster.regions == [] and roster.schools == []
    (teacher,) = roster.teachers
    assert teacher.subjects == {"chinese", "math"}
    # Columns the file does not have keep what the database holds.
    assert teacher.stages is KEEP and teacher.title is KEEP and teacher.roles is KEEP


def test_sheet_with_another_name_is_recognised_by_its_header(tmp_path):
    path = write_xlsx(
        tmp_path / "t.xlsx",
        {
            "说明": [["这是说明"], ["手机号请填写 11 位"]],
            "Sheet1": teachers(teacher_row()),
        },
    )
    roster = roster_read(source=path)
    assert roster.errors == []
    assert len(roster.teachers) == 1


def test_title_line_above_header_and_blank_rows_keep_spreadsheet_numbers(tmp_path):
    rows = [
        ["宁城县教师花名册（2024 年）"],
        TEACHER_HEADER,
        teacher_row(phone="13847610001"),
        [None] * len(TEACHER_HEADER),
        teacher_row(phone="12"),
    ]
    roster = roster_read(source=write_xlsx(tmp_path / "t.xlsx", {"教师": rows}))
    assert messages(roster) == [
        ("教师", 5, "手机号", "手机号应为以 1 开头的 11 位数字。")
    ]
    assert [t.row for t in roster.teachers] == [3, 5]


def test_template_has_every_sheet_and_reads_as_empty():
    workbook = openpyxl.load_workbook(io.BytesIO(template_workbook()))
    assert workbook.sheetnames == ["地区", "学校", "教师", "说明"]
    assert [c.value for c in workbook["学校"][1]] == SCHOOL_HEADER
    assert [c.value for c in workbook["教师"][1]] == TEACHER_HEADER
    roster = roster_read(source=io.BytesIO(template_workbook()), filename="t.xlsx")
    assert roster.errors == [] and roster.row_count == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_the_encodings_excel_writes(tmp_path, encoding):
    path = write_csv(
        tmp_path / "schools.csv",
        schools(school_row(name="略阳县仙台坝镇中心小学")),
        encoding,
    )
    roster = roster_read(source=path)
    assert roster.errors == []
    assert [s.name for s in roster.schools] == ["略阳县仙台坝镇中心小学"]


def test_csv_from_an_upload_stream_and_tab_separated():
    data = (
        "\t".join(["姓名", "手机号", "学校标识码"])
        + "\n王芳\t13847610001\t2150429010\n"
    )
    roster = roster_read(
        source=io.BytesIO(data.encode("utf-16")), filename="teachers.csv"
    )
    assert roster.errors == []
    assert roster.teachers[0].phone == "13847610001"


def test_csv_with_an_unknown_header_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes([["编号", "备注"], ["1", "无"]], "gbk"))
    roster = roster_read(source=path)
    assert messages(roster) == [
        ("", 1, "", "表头行不属于地区、学校或教师：请对照模板检查列名。")
    ]


def test_missing_required_column(tmp_path):
    rows = [["姓名", "学校标识码"], ["王芳", "2150429010"]]
    roster = roster_read(source=write_xlsx(tmp_path / "t.xlsx", {"教师": rows}))
    assert messages(roster) == [("教师", 1, "手机号", "缺少必填列“手机号”。")]


def test_unreadable_and_unsupported_files(tmp_path):
    fake = tmp_path / "roster.xlsx"
    fake.write_bytes(b"not a zip file")
    assert (
        roster_read(source=fake)
        .errors[0]
        .message.startswith("无法作为电子表格读取该文件")
    )
    old = tmp_path / "roster.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert messages(roster_read(source=old)) == [
        ("", 0, "", "无法读取旧版 .xls 文件，请另存为 .xlsx 或 .csv。")
    ]
    empty = write_xlsx(tmp_path / "other.xlsx", {"Sheet1": [["随便"], ["写写"]]})
    assert messages(roster_read(source=empty)) == [
        (
            "",
            0,
            "",
            "未找到地区、学校或教师工作表：请将工作表命名为“地区”“学校”“教师”，"
            "并保留表头行。",
        )
    ]


def _with_check_digit(first17: str) -> str:
    from stdnum.cn import ric

    return first17 + ric.calc_check_digit(first17 + "0")


@pytest.mark.parametrize(
    "number",
    [
        ID_1,
        "15042919920503000x",  # lower-case check digit
        "150429 19850312 0017",  # spaces
        "150429198503120011",  # wrong check digit
        _with_check_digit("15042919990230001"),  # 30 February
        _with_check_digit("99000019850312001"),  # no such place
        _with_check_digit("15042918500312001"),  # county did not exist in 1850
        "15042919850312001",  # 17 characters
        "",
    ],
)
def test_fast_id_number_check_agrees_with_the_accounts_validator(number):
    from django.core.exceptions import ValidationError

    from accounts.validators import normalise_id_number as slow
    from schools.roster.parse import normalise_id_number as fast

    def outcome(check):
        try:
            return check(number)
        except ValidationError as exc:
            return exc.messages

    # Twice: the second answer comes from the cache of places and years.
    assert outcome(fast) == outcome(slow) == outcome(fast)


def test_row_count_estimate_without_parsing(tmp_path):
    from schools.roster.reader import count_rows

    rows = teachers(*(teacher_row(phone=f"138476{i:05d}") for i in range(30)))
    path = write_xlsx(
        tmp_path / "t.xlsx", {"教师": rows, "学校": schools(school_row())}
    )
    assert count_rows(path) == 31 + 2  # each sheet's <dimension>, headers included
    csv_path = write_csv(tmp_path / "t.csv", rows)
    with open(csv_path, "rb") as fh:
        fh.read(10)
        assert count_rows(fh, "t.csv") == 31
        assert fh.tell() == 10  # the stream is left where it was
    assert count_rows(tmp_path / "t.csv") == 31
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"nope")
    assert count_rows(broken) == 0
