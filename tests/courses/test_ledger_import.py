"""Outside hours from spreadsheets: checks with row and column, all or nothing."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from courses.models import LedgerEntry, LedgerImport
from courses.services import ledger_import_outside
from schools.factories import SchoolFactory
from tests.courses.helpers import teacher

pytestmark = pytest.mark.django_db
HEADER = ["姓名", "手机号", "培训名称", "培训级别", "学时", "完成日期", "证书编号"]
ID_NUMBER = "51062319800101007X"  # check digit X


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("国培学时.xlsx", buffer.getvalue())


def csv_file(rows, header=HEADER, encoding="gb18030") -> SimpleUploadedFile:
    lines = [",".join(header)] + [",".join(str(c) for c in r) for r in rows]
    return SimpleUploadedFile("学时.csv", "\r\n".join(lines).encode(encoding))


@pytest.fixture
def people(school):
    return (
        teacher(school, real_name="王小红", phone="13800000001"),
        teacher(school, real_name="李明", phone="13800000002"),
    )


def run(user, upload):
    return ledger_import_outside(user=user, upload=upload, filename=upload.name)


def messages(checked) -> list[str]:
    return [str(e) for e in checked.errors]


def test_import_credits_verified_outside_lines(reviewer, people):
    upload = xlsx(
        [
            [
                "王小红",
                "13800000001",
                "国培计划乡村英语",
                "国培",
                24,
                date(2025, 7, 1),
                "GP1",
            ],
            ["李明", 13800000002.0, "省培数学", "省级", "12.5", "2025年6月3日", ""],
        ]
    )
    batch, checked = run(reviewer, upload)
    assert checked.errors == []
    assert (batch.imported, batch.skipped) == (2, 0)
    first = LedgerEntry.objects.get(teacher=people[0])
    assert (first.source, first.level, first.hours) == ("outside", "national", 24)
    assert first.ref == "no:GP1" and first.verified_by == reviewer
    second = LedgerEntry.objects.get(teacher=people[1])
    assert second.hours == Decimal("12.5") and second.date == date(2025, 6, 3)


def test_importing_the_same_file_again_changes_nothing(reviewer, people):
    rows = [["王小红", "13800000001", "县培师德", "县培", 6, "2025-03-01", ""]]
    run(reviewer, csv_file(rows))
    batch, checked = run(reviewer, csv_file(rows))
    assert (batch.imported, batch.skipped) == (0, 1)
    assert LedgerEntry.objects.count() == 1
    assert LedgerImport.objects.count() == 2


def test_gbk_csv_and_id_numbers(reviewer, school):
    from accounts.privacy import id_number_digest

    person = teacher(school, real_name="赵敏", phone=None)
    person.id_number_digest = id_number_digest(ID_NUMBER)
    person.save()
    header = ["姓名", "身份证号", "培训名称", "培训级别", "学时", "完成日期"]
    rows = [["赵敏", ID_NUMBER.lower(), "市培班主任", "市培", 8, "2025/5/20"]]
    batch, checked = run(reviewer, csv_file(rows, header=header, encoding="gbk"))
    assert checked.errors == [] and batch.imported == 1
    assert LedgerEntry.objects.get().teacher == person


def test_each_error_names_row_and_column_and_nothing_is_written(reviewer, people):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    rows = [
        ["王小红", "13800000001", "国培", "国培", 24, "2025-07-01", "A1"],  # fine
        ["李明", "1380000", "县培", "县培", 6, "2025-07-01", ""],
        ["李明", "13800000002", "县培", "乡培", 6, "2025-07-01", ""],
        ["李明", "13800000002", "县培", "县培", 0, "2025-07-01", ""],
        ["李明", "13800000002", "县培", "县培", 6, "七月一日", ""],
        ["李明", "13800000002", "县培", "县培", 6, tomorrow, ""],
        ["李明", "13900000009", "县培", "县培", 6, "2025-07-01", ""],
        ["张三", "13800000002", "县培", "县培", 6, "2025-07-01", ""],
        ["王小红", "13800000001", "国培", "国培", 24, "2025-07-01", "A1"],
        ["李明", "13800000002", "", "县培", 6.25, "2025-07-01", ""],
    ]
    batch, checked = run(reviewer, xlsx(rows))
    assert batch is None
    assert not LedgerEntry.objects.exists()
    assert messages(checked) == [
        "3 手机号: 手机号应为以 1 开头的 11 位数字。",
        "4 培训级别: 未知的培训级别“乡培”：请填写国培、省培、市培、县培或校培。",
        "5 学时: 学时须为大于 0、不超过 500 的数字，最多一位小数。",
        "6 完成日期: 日期请写成 2025-06-30 的格式。",
        "7 完成日期: 日期不能晚于今天。",
        "8 手机号: 本辖区没有使用该手机号或身份证号的教师。",
        "9 姓名: 姓名与该教师的账号不符（李明）。",
        "10 证书编号: 与第 2 行是同一条记录。",
        "11 培训名称: 此项不能为空。",
        "11 学时: 学时须为大于 0、不超过 500 的数字，最多一位小数。",
    ]


def test_teachers_outside_the_region_are_unknown(reviewer, other_county):
    far = SchoolFactory(region=other_county)
    teacher(far, real_name="略阳老师", phone="13700000001")
    rows = [["略阳老师", "13700000001", "县培", "县培", 6, "2025-07-01", ""]]
    batch, checked = run(reviewer, xlsx(rows))
    assert batch is None
    assert messages(checked) == ["2 手机号: 本辖区没有使用该手机号或身份证号的教师。"]


def test_a_record_already_there_with_other_hours_is_an_error(reviewer, people):
    run(
        reviewer,
        xlsx([["王小红", "13800000001", "国培", "国培", 24, "2025-07-01", "N9"]]),
    )
    batch, checked = run(
        reviewer,
        xlsx([["王小红", "13800000001", "国培", "国培", 30, "2025-07-01", "N9"]]),
    )
    assert batch is None
    assert "已在台账中" in messages(checked)[0]
    assert LedgerEntry.objects.get().hours == 24


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("a.xls", b"x"), "旧版 .xls"),
        (SimpleUploadedFile("a.pdf", b"x"), "只能导入"),
        (SimpleUploadedFile("a.xlsx", b"not a zip"), "无法作为电子表格读取"),
        (csv_file([], header=["随便", "什么"]), "表头"),
        (csv_file([]), "没有可导入"),
        (
            csv_file(
                [["王小红", "国培", "国培", 24, "2025-07-01"]],
                header=["姓名", "培训名称", "培训级别", "学时", "完成日期"],
            ),
            "“手机号”或“身份证号”",
        ),
        (
            csv_file(
                [["王小红", "13800000001", "国培", 24]],
                header=["姓名", "手机号", "培训名称", "学时"],
            ),
            "缺少必填列“培训级别”",
        ),
    ],
)
def test_file_errors(reviewer, people, upload, message):
    batch, checked = run(reviewer, upload)
    assert batch is None
    assert message in " ".join(messages(checked))


def test_too_many_rows(reviewer, people, settings):
    settings.LEDGER_IMPORT_MAX_ROWS = 2
    row = ["王小红", "13800000001", "县培", "县培", 6, "2025-07-01", ""]
    batch, checked = run(reviewer, csv_file([row, row, row]))
    assert batch is None and "超过 2 行" in messages(checked)[0]


def test_admin_import_screen(client, reviewer, people, school_admin):
    client.force_login(reviewer)
    url = reverse("courses_admin:ledger_import")
    template = client.get(url, {"template": "1"})
    header = next(
        load_workbook(BytesIO(template.content)).active.iter_rows(values_only=True)
    )
    assert header[:6] == ("姓名", "手机号", "身份证号", "培训名称", "培训级别", "学时")
    bad = xlsx([["李明", "13800000002", "县培", "乡培", 6, "2025-07-01", ""]])
    html = client.post(url, {"file": bad}).content.decode()
    assert "未导入任何数据" in html and "未知的培训级别“乡培”" in html
    good = xlsx([["李明", "13800000002", "县培", "县培", 6, "2025-07-01", ""]])
    response = client.post(url, {"file": good}, follow=True)
    assert "已导入 1 条" in response.content.decode()
    assert LedgerEntry.objects.get().teacher == people[1]
    client.force_login(school_admin)
    assert client.get(url).status_code in (302, 403)
