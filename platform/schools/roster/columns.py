"""The roster's sheets, their columns and the words the cells may hold.

Everything here is plain data: the spreadsheet contract in one place, shared by
the reader, the validator and the template generator.
"""

from dataclasses import dataclass

REGIONS = "regions"
SCHOOLS = "schools"
TEACHERS = "teachers"
KINDS = (REGIONS, SCHOOLS, TEACHERS)  # also the order they are read and applied

SHEET_NAMES = {REGIONS: "地区", SCHOOLS: "学校", TEACHERS: "教师"}
SHEET_ALIASES = {
    REGIONS: {"地区", "regions", "region", "行政区划"},
    SCHOOLS: {"学校", "schools", "school"},
    TEACHERS: {"教师", "teachers", "teacher"},
}


@dataclass(frozen=True)
class Column:
    field: str  # canonical English name, also accepted as a header
    header: str  # the Chinese header, shown in errors
    required: bool = False  # the column must be present
    aliases: tuple[str, ...] = ()


COLUMNS: dict[str, tuple[Column, ...]] = {
    REGIONS: (
        Column("code", "行政区划代码", True, ("区划代码", "代码")),
        Column("name", "名称", True, ("地区名称", "区划名称")),
        Column("level", "级别", True, ("层级",)),
        Column("parent_code", "上级代码", False, ("上级行政区划代码", "上级区划代码")),
    ),
    SCHOOLS: (
        Column("code", "学校标识码", True, ("学校代码",)),
        Column("name", "学校名称", True, ("名称",)),
        Column("region_code", "行政区划代码", True, ("所在地区代码", "区划代码")),
        Column("category", "学校类别", True, ("类别",)),
        Column("urban_rural_code", "城乡分类代码", True, ("城乡分类",)),
        Column("stages", "学段", False),
        Column("is_weak", "薄弱学校", False, ("是否薄弱学校",)),
        Column("student_count", "学生数", False, ("在校生数",)),
        Column("teacher_count", "教师数", False, ("专任教师数",)),
        Column("address", "地址", False, ("学校地址",)),
        Column("longitude", "经度", False),
        Column("latitude", "纬度", False),
    ),
    TEACHERS: (
        Column("name", "姓名", True),
        Column("phone", "手机号", True, ("手机号码", "手机")),
        Column("id_number", "身份证号", False, ("身份证号码", "身份证")),
        Column("email", "电子邮箱", False, ("邮箱", "电子邮件")),
        Column("school_code", "学校标识码", True, ("学校代码",)),
        Column("subjects", "任教学科", False, ("学科",)),
        Column("stages", "任教学段", False, ("学段",)),
        Column("title", "职称", False),
        Column("honours", "荣誉称号", False, ("荣誉",)),
        Column("years_of_teaching", "教龄", False),
        Column("roles", "角色", False),
    ),
}

HEADERS: dict[str, dict[str, str]] = {
    kind: {c.field: c.header for c in cols} for kind, cols in COLUMNS.items()
}


def _norm_header(text: str) -> str:
    return "".join(str(text).split()).lower().replace("*", "")


# header text (normalised) -> field, per kind
HEADER_LOOKUP: dict[str, dict[str, str]] = {
    kind: {
        _norm_header(name): c.field
        for c in cols
        for name in (c.field, c.header, *c.aliases)
    }
    for kind, cols in COLUMNS.items()
}


def norm_header(text) -> str:
    return _norm_header(text) if text is not None else ""


def detect_kind(header: list[str]) -> str | None:
    """Which kind of rows a header row (normalised) introduces, if any.

    Used for CSV files (one kind each) and for sheets not named 地区/学校/教师.
    """
    cells = set(header)
    if cells & {"手机号", "手机号码", "手机", "phone"}:
        return TEACHERS
    if cells & {"学校类别", "城乡分类代码", "category", "urban_rural_code", "学校名称"}:
        return SCHOOLS
    if cells & {"级别", "层级", "level"}:
        return REGIONS
    return None


# --- Words the cells may hold (matched after removing spaces) ---------------

REGION_LEVELS = {
    "省": 1,
    "自治区": 1,
    "直辖市": 1,
    "province": 1,
    "市": 2,
    "地级市": 2,
    "州": 2,
    "盟": 2,
    "city": 2,
    "县": 3,
    "区": 3,
    "县级市": 3,
    "旗": 3,
    "county": 3,
    "乡镇": 4,
    "乡": 4,
    "镇": 4,
    "街道": 4,
    "苏木": 4,
    "township": 4,
}
for _n in range(1, 5):
    REGION_LEVELS[str(_n)] = _n

SCHOOL_CATEGORIES = {
    "城区学校": "urban",
    "城区": "urban",
    "urban": "urban",
    "乡镇学校": "township",
    "乡镇": "township",
    "township": "township",
    "村小": "village",
    "村小学": "village",
    "村完小": "village",
    "village": "village",
    "教学点": "teaching_point",
    "teaching_point": "teaching_point",
}

URBAN_RURAL_CODES = ("111", "112", "121", "122", "123", "210", "220")

YES_NO = {
    "是": True,
    "否": False,
    "y": True,
    "n": False,
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "√": True,
    "×": False,
}

# 职称 after the 2015 reform; older titles are mapped onto the new grades.
TITLES = {
    "正高级教师": "zgj",
    "正高级": "zgj",
    "高级教师": "gj",
    "中学高级教师": "gj",
    "一级教师": "yj",
    "中学一级教师": "yj",
    "小学高级教师": "yj",
    "二级教师": "ej",
    "中学二级教师": "ej",
    "小学一级教师": "ej",
    "三级教师": "sj",
    "中学三级教师": "sj",
    "小学二级教师": "sj",
    "小学三级教师": "sj",
    "未定级": "wd",
    "无": "wd",
}

# Roles a roster may give; other roles (reviewer, platform admin) are never
# granted or taken by an import.
ROSTER_ROLES = {
    "乡村教师": "rural_teacher",
    "学员": "rural_teacher",
    "rural_teacher": "rural_teacher",
    "导师": "mentor",
    "mentor": "mentor",
    "学校管理员": "school_admin",
    "school_admin": "school_admin",
}
MANAGED_ROLES = frozenset(ROSTER_ROLES.values())

LIST_SEPARATORS = "、，,;；/ \t\n\u3000"
