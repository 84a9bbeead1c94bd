"""Build roster files for tests: .xlsx with openpyxl, .csv in any encoding."""

import csv
import io
from pathlib import Path

import openpyxl

REGION_HEADER = ["行政区划代码", "名称", "级别", "上级代码"]
SCHOOL_HEADER = [
    "学校标识码",
    "学校名称",
    "行政区划代码",
    "学校类别",
    "城乡分类代码",
    "学段",
    "薄弱学校",
    "学生数",
    "教师数",
    "地址",
    "经度",
    "纬度",
]
TEACHER_HEADER = [
    "姓名",
    "手机号",
    "身份证号",
    "电子邮箱",
    "学校标识码",
    "任教学科",
    "任教学段",
    "职称",
    "荣誉称号",
    "教龄",
    "角色",
]

# Valid resident ID numbers (check digits computed by python-stdnum).
ID_1 = "150429198503120017"
ID_2 = "150429199007010024"
ID_X = "15042919920503000X"  # check digit X


def regions(*rows) -> list[list]:
    return [REGION_HEADER, *map(list, rows)]


def schools(*rows) -> list[list]:
    return [SCHOOL_HEADER, *map(list, rows)]


def teachers(*rows) -> list[list]:
    return [TEACHER_HEADER, *map(list, rows)]


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    path.write_bytes(csv_bytes(rows, encoding))
    return path


def township_row(code="150429102", name="大城子镇", parent="150429"):
    return [code, name, "乡镇", parent]


def school_row(
    code="2150429010",
    name="大城子镇中心小学",
    region="150429102",
    category="乡镇学校",
    urban_rural="210",
    stages="小学、初中",
    weak="是",
    students=420,
    teachers=31,
    address="大城子镇",
    lon=118.9,
    lat=41.6,
):
    return [
        code,
        name,
        region,
        category,
        urban_rural,
        stages,
        weak,
        students,
        teachers,
        address,
        lon,
        lat,
    ]


def teacher_row(
    name="王芳",
    phone="13847610001",
    id_number="",
    email="",
    school="2150429010",
    subjects="语文",
    stages="小学",
    title="一级教师",
    honours="",
    years=12,
    roles="",
):
    return [
        name,
        phone,
        id_number,
        email,
        school,
        subjects,
        stages,
        title,
        honours,
        years,
        roles,
    ]
