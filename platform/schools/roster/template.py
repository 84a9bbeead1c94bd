"""The blank roster workbook offered for download: headers and a notes sheet."""

import io

import openpyxl
from openpyxl.styles import Font

from .columns import COLUMNS, KINDS, SHEET_NAMES

NOTES_SHEET = "说明"

# What each column takes, in the words of the bureau's clerks (Chinese only:
# the workbook is a Chinese form whatever the admin's language).
NOTES = {
    "regions": {
        "code": "GB/T 2260 代码：省、市、县 6 位，乡镇 9 或 12 位",
        "name": "地区名称",
        "level": "省 / 市 / 县（区） / 乡镇",
        "parent_code": "上级地区的行政区划代码；省级留空",
    },
    "schools": {
        "code": "教育部学校标识码，10 位数字",
        "name": "学校全称",
        "region_code": "学校所在地区（县或乡镇）的行政区划代码",
        "category": "城区学校 / 乡镇学校 / 村小 / 教学点",
        "urban_rural_code": "111、112、121、122、123、210、220（2 开头为乡村）",
        "stages": "可填多个，用顿号分隔：学前、小学、初中、高中、中职",
        "is_weak": "是 / 否，留空为否",
        "student_count": "整数",
        "teacher_count": "整数",
        "address": "",
        "longitude": "小数，可留空",
        "latitude": "小数，可留空",
    },
    "teachers": {
        "name": "",
        "phone": "11 位手机号，作为登录账号",
        "id_number": "18 位，可留空；平台只保存摘要与脱敏号码",
        "email": "可留空",
        "school_code": "所在学校的学校标识码",
        "subjects": "可填多个，如：语文、数学",
        "stages": "可填多个，如：小学、初中",
        "title": "正高级教师 / 高级教师 / 一级教师 / 二级教师 / 三级教师 / 未定级",
        "honours": "可填多个，如：骨干教师、学科带头人",
        "years_of_teaching": "整数",
        "roles": "乡村教师 / 导师 / 学校管理员；留空时乡村学校教师为乡村教师",
    },
}


def template_workbook() -> bytes:
    """An .xlsx with the sheets 地区, 学校, 教师 (header rows) and 说明."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for kind in KINDS:
        sheet = workbook.create_sheet(SHEET_NAMES[kind])
        for index, column in enumerate(COLUMNS[kind], start=1):
            cell = sheet.cell(row=1, column=index, value=column.header)
            cell.font = bold
            letter = cell.column_letter
            sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
            # Codes and phones as text, so Excel keeps leading digits exact.
            sheet.column_dimensions[letter].number_format = "@"
        sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(NOTES_SHEET)
    notes.append(["工作表", "列名", "必填", "填写说明"])
    for cell in notes[1]:
        cell.font = bold
    for kind in KINDS:
        for column in COLUMNS[kind]:
            notes.append(
                [
                    SHEET_NAMES[kind],
                    column.header,
                    "是" if column.required else "",
                    NOTES[kind].get(column.field, ""),
                ]
            )
    for letter, width in zip("ABCD", (10, 16, 8, 60), strict=True):
        notes.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
