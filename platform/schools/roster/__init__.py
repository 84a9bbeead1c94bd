"""The roster file: regions, schools and teachers as bureaus keep them.

This docstring is the file format's contract (the demo generator in
``schools.demo`` writes exactly this; ``columns.py`` holds it as data).

Files
-----
- ``.xlsx`` with sheets named 地区, 学校 and 教师 (any may be absent, in any
  order). A sheet with another name is read if its header row names a kind
  (e.g. a single "Sheet1" of teachers); others (a 说明 sheet) are ignored.
- ``.csv`` holding ONE kind, recognised by its header row. UTF-8 (with or
  without BOM), GB18030/GBK (what Excel in China saves) and UTF-16 ("Unicode
  text") are read; comma, tab or semicolon separated.
- The header row is the first non-empty row (of the first five for sheets
  recognised by their header); rows are numbered as the spreadsheet numbers
  them (header = row 1). Empty rows are skipped; unknown columns are ignored.
- Headers are the Chinese names below; the English canonical names (in
  brackets) and a few common variants are accepted too.
- Numbers typed as numbers are fine: 13812345678.0 and 2151000001 read as the
  codes they are. Lists may be separated by 、，,;； / or spaces.

地区 (regions)
--------------
- 行政区划代码 (code), required: GB/T 2260, 6 digits (9 or 12 for a township);
  a province code ends in 0000, a city code in 00.
- 名称 (name), required.
- 级别 (level), required: 省 / 市 / 县 (区 also means county) / 乡镇.
- 上级代码 (parent_code): empty only for a province; the parent must exist or
  be in the file, be of a higher level, and the code must begin with the
  parent's (province: 2 digits, city: 4, county: 6).
  An existing region may be renamed, never moved to another parent or level.

学校 (schools)
--------------
- 学校标识码 (code), required: 10 digits, unique.
- 学校名称 (name), required.
- 行政区划代码 (region_code), required: a region in the database or the file.
- 学校类别 (category), required: 城区学校 / 乡镇学校 / 村小 / 教学点.
- 城乡分类代码 (urban_rural_code), required: 111 112 121 122 123 210 220
  (2xx = rural).
- 学段 (stages): several of 学前 / 小学 / 初中 / 高中 / 中职.
- 薄弱学校 (is_weak): 是 / 否 (empty = 否).
- 学生数 (student_count), 教师数 (teacher_count): whole numbers (empty = 0).
- 地址 (address); 经度 (longitude), 纬度 (latitude): optional decimals.

教师 (teachers)
---------------
- 姓名 (name), required.
- 手机号 (phone), required: 11 digits starting with 1 — the natural key, and
  the new account's user name.
- 身份证号 (id_number): 18 characters with a valid check digit. Stored only as
  a keyed digest and a masked form, never the number; never echoed in errors.
- 电子邮箱 (email).
  (An empty 身份证号 or 电子邮箱 keeps what the database holds.)
- 学校标识码 (school_code), required: a school in the database or the file.
- 任教学科 (subjects): several, by schools.Subject name (语文、数学 ...).
- 任教学段 (stages): several, as 学段 above.
- 职称 (title): 正高级教师 / 高级教师 / 一级教师 / 二级教师 / 三级教师 / 未定级.
- 荣誉称号 (honours): several, by accounts.Honour name (骨干教师 ...).
- 教龄 (years_of_teaching): a whole number 0–70.
- 角色 (roles): several of 乡村教师 / 导师 / 学校管理员; empty = 乡村教师 at a
  rural school (城乡分类代码 2xx), no role elsewhere. Other roles (reviewer,
  platform admin) are never given or taken by an import.

A column left out of the file keeps the database's values; a column present
is the truth for the rows it lists (empty subjects clear the subjects).

Rules
-----
All or nothing: any error in any row and nothing is written; every error is
reported with sheet, row, column and reason. Rows are matched by region code,
school code and teacher phone, so importing the same file twice changes
nothing. A bureau reviewer may only write inside their region; the command
line has full scope.
"""

from .columns import HEADERS, KINDS, SHEET_NAMES
from .errors import RowError

__all__ = ["HEADERS", "KINDS", "SHEET_NAMES", "RowError"]
