"""Outside hours (e.g. from the national platform) from a spreadsheet.

The file
--------
- ``.xlsx`` (the first sheet, or one named 学时 / 台账) or ``.csv`` (UTF-8,
  GB18030/GBK as Excel in China saves it, or UTF-16; comma, tab or semicolon).
- The header row is the first of the first five rows naming two known
  columns; rows are numbered as the spreadsheet numbers them. Empty rows are
  skipped, unknown columns ignored.
- Columns (Chinese, or the English names in brackets):
  姓名 (name), 手机号 (phone) and/or 身份证号 (id_number) — one of the two
  names the teacher; 培训名称 (title), 培训级别 (level: 国培 / 省培 / 市培 /
  县培 / 校培), 学时 (hours: > 0, one decimal at most), 完成日期 (date:
  2025-06-30, 2025/6/30, 2025年6月30日 or a date cell), required;
  证书编号 (record_no) and 备注 (evidence), optional.

The rules
---------
All or nothing: any error and nothing is written; each error names the row
and column. A teacher must be in the importer's region; the name, when
given, must match the account. The record number (else the date and title)
identifies a record: the same record twice in the file is an error; a record
already in the ledger with the same hours and date is skipped (so importing a
file again changes nothing), with other hours or date it is an error.
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from accounts.privacy import id_number_digest
from accounts.selectors import scope_queryset
from schools.roster.parse import code_text, normalise_id_number, text

from .models import LedgerEntry, Level

FILE_TYPE_UNKNOWN = _("Only .xlsx and .csv files can be imported.")
FILE_XLS = _("Old .xls files cannot be read: save the file as .xlsx or .csv.")
FILE_UNREADABLE = _("The file could not be read as a spreadsheet: %(reason)s")
FILE_NO_HEADER = _(
    "No header row was found: one of the first rows must name the columns "
    "(姓名, 手机号, 培训名称, 培训级别, 学时, 完成日期)."
)
FILE_EMPTY = _("The file holds no rows to import.")
FILE_TOO_MANY = _("The file has more than %(max)s rows: split it into smaller files.")
COLUMN_MISSING = _("The required column %(column)s is missing.")
COLUMN_PERSON_MISSING = _("Add a column 手机号 or 身份证号 to name the teachers.")
REQUIRED = _("This cell must not be empty.")
TOO_LONG = _("At most %(max)s characters.")
PERSON_MISSING = _("Write the teacher's mobile phone or ID number.")
PHONE_INVALID = _("A mobile phone number has 11 digits and starts with 1.")
ID_NUMBER_INVALID = _("A resident ID number has 18 characters and a valid check digit.")
TEACHER_UNKNOWN = _("No teacher in your region has this phone or ID number.")
NAME_MISMATCH = _("The name does not match the teacher's account (%(name)s).")
LEVEL_UNKNOWN = _("Unknown level %(value)s: write 国培, 省培, 市培, 县培 or 校培.")
HOURS_INVALID = _(
    "Write the hours as a number above 0 and at most %(max)s, with one decimal at most."
)
DATE_INVALID = _("Write the date as 2025-06-30.")
DATE_FUTURE = _("The date lies in the future.")
DUPLICATE_IN_FILE = _("The same record already appears in row %(row)s.")
ALREADY_DIFFERENT = _(
    "This record is already in the ledger with other hours, level or date "
    "(recorded %(date)s)."
)
DATABASE_CHANGED = _(
    "The ledger changed while the file was being imported; nothing was "
    "imported. Please try again."
)

MAX_HOURS = Decimal("500")
HEADER_ROWS = 5


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS = (
    Column("name", "姓名", ("教师姓名", "name")),
    Column("phone", "手机号", ("手机", "手机号码", "联系电话", "phone")),
    Column("id_number", "身份证号", ("身份证号码", "证件号码", "id_number")),
    Column("title", "培训名称", ("培训项目", "项目名称", "课程名称", "title"), True),
    Column("level", "培训级别", ("级别", "培训层级", "level"), True),
    Column("hours", "学时", ("学时数", "获得学时", "hours"), True),
    Column("date", "完成日期", ("日期", "培训日期", "结业日期", "date"), True),
    Column("record_no", "证书编号", ("记录编号", "编号", "record_no")),
    Column("evidence", "备注", ("证明材料", "说明", "evidence")),
)
HEADERS = {c.field: c.header for c in COLUMNS}
LOOKUP = {name.lower(): c.field for c in COLUMNS for name in (c.header, *c.aliases)}
LEVELS = {
    **dict.fromkeys(("国培", "国培计划", "国家级", "national"), Level.NATIONAL),
    **dict.fromkeys(("省培", "省级", "provincial"), Level.PROVINCIAL),
    **dict.fromkeys(("市培", "市级", "municipal"), Level.MUNICIPAL),
    **dict.fromkeys(("县培", "县级", "区培", "county"), Level.COUNTY),
    **dict.fromkeys(("校培", "校级", "校本", "校本研修", "school"), Level.SCHOOL),
}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_PHONE = re.compile(r"^1\d{10}$")


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it; 0 for the whole file
    column: str  # the Chinese header, or ""
    message: str

    def __str__(self) -> str:
        where = " ".join(
            p for p in (str(self.row) if self.row else "", self.column) if p
        )
        return f"{where}: {self.message}" if where else self.message


@dataclass
class Row:
    number: int
    name: str
    phone: str
    id_digest: str
    title: str
    level: str
    hours: Decimal
    date: date
    record_no: str
    evidence: str
    teacher_id: int | None = None

    @property
    def ref(self) -> str:
        if self.record_no:
            return f"no:{self.record_no}"[:120]
        return f"{self.date.isoformat()}|{self.title}"[:120]


@dataclass
class Checked:
    """A file checked against the database: rows to write, or errors."""

    rows: list[Row] = field(default_factory=list)
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)


def _err(errors, number, column, message, /, **params) -> None:
    errors.append(RowError(number, HEADERS.get(column, ""), str(message) % params))


# --- Reading ---------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _csv_rows(upload) -> Iterator[tuple]:
    text_ = _decode(upload.read())
    first = text_.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count)
    yield from csv.reader(io.StringIO(text_), delimiter=delimiter)


def _xlsx_rows(upload) -> Iterator[tuple]:
    book = load_workbook(upload, read_only=True, data_only=True)
    try:
        sheets = book.worksheets
        named = [s for s in sheets if s.title.strip() in ("学时", "台账", "学时台账")]
        yield from (named or sheets)[0].iter_rows(values_only=True)
    finally:
        book.close()


def _blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read(upload, filename: str) -> tuple[dict[str, int], Iterator, list[RowError]]:
    """The column map and the numbered data rows of a file, or file errors."""
    name = filename.lower()
    errors: list[RowError] = []
    if name.endswith(".csv"):
        rows = _csv_rows(upload)
    elif name.endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(upload)
    elif name.endswith(".xls"):
        return {}, iter(()), [RowError(0, "", str(FILE_XLS))]
    else:
        return {}, iter(()), [RowError(0, "", str(FILE_TYPE_UNKNOWN))]
    numbered = enumerate(rows, start=1)
    try:
        for number, values in numbered:
            cells = [text(v).lower() for v in values]
            columns: dict[str, int] = {}
            for index, cell in enumerate(cells):
                if cell in LOOKUP and LOOKUP[cell] not in columns:
                    columns[LOOKUP[cell]] = index
            if len(columns) >= 2:
                return _check_columns(columns, number, numbered)
            if number >= HEADER_ROWS:
                break
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, ParseError) as exc:
        errors.append(
            RowError(0, "", str(FILE_UNREADABLE) % {"reason": type(exc).__name__})
        )
        return {}, iter(()), errors
    return {}, iter(()), [RowError(0, "", str(FILE_NO_HEADER))]


def _check_columns(columns, number, numbered):
    errors = [
        RowError(number, c.header, str(COLUMN_MISSING) % {"column": c.header})
        for c in COLUMNS
        if c.required and c.field not in columns
    ]
    if "phone" not in columns and "id_number" not in columns:
        errors.append(RowError(number, "", str(COLUMN_PERSON_MISSING)))
    return columns, ((n, v) for n, v in numbered if not _blank(v)), errors


# --- Cells -----------------------------------------------------------------


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and 20000 < value < 80000:
        return date(1899, 12, 30) + timedelta(days=int(value))  # an Excel serial
    raw = text(value)
    if re.fullmatch(r"\d{8}", raw):
        raw = f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"
    match = _DATE.match(raw)
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _hours(value) -> Decimal | None:
    raw = text(value)
    try:
        hours = Decimal(raw)
    except InvalidOperation:
        return None
    if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS:
        return None
    if hours != hours.quantize(Decimal("0.1")):
        return None
    return hours.quantize(Decimal("0.1"))


def parse_row(number: int, values, columns, errors: list[RowError]) -> Row | None:
    """One data row, or None with its errors appended."""
    before = len(errors)

    def raw(name):
        index = columns.get(name)
        return values[index] if index is not None and index < len(values) else None

    def cell(name, max_length, required=False):
        value = re.sub(r"\s+", " ", text(raw(name)))
        if required and not value:
            _err(errors, number, name, REQUIRED)
        elif len(value) > max_length:
            _err(errors, number, name, TOO_LONG, max=max_length)
        return value

    name = cell("name", 50)
    phone = code_text(raw("phone")).replace("-", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    digest = ""
    id_raw = code_text(raw("id_number"))
    if phone and not _PHONE.match(phone):
        _err(errors, number, "phone", PHONE_INVALID)
    if id_raw:
        try:
            digest = id_number_digest(normalise_id_number(id_raw))
        except Exception:  # noqa: BLE001  (ValidationError and stdnum's own)
            _err(errors, number, "id_number", ID_NUMBER_INVALID)
    if not phone and not id_raw:
        _err(
            errors,
            number,
            "phone" if "phone" in columns else "id_number",
            PERSON_MISSING,
        )
    title = cell("title", 200, required=True)
    level_raw = text(raw("level"))
    level = LEVELS.get(level_raw.lower())
    if not level_raw:
        _err(errors, number, "level", REQUIRED)
    elif level is None:
        _err(errors, number, "level", LEVEL_UNKNOWN, value=level_raw)
    hours = None
    if not text(raw("hours")):
        _err(errors, number, "hours", REQUIRED)
    else:
        hours = _hours(raw("hours"))
        if hours is None:
            _err(errors, number, "hours", HOURS_INVALID, max=MAX_HOURS)
    day = None
    if raw("date") is None or not text(raw("date")):
        _err(errors, number, "date", REQUIRED)
    else:
        day = _date(raw("date"))
        if day is None:
            _err(errors, number, "date", DATE_INVALID)
        elif day > timezone.localdate():
            _err(errors, number, "date", DATE_FUTURE)
    record_no = cell("record_no", 100)
    evidence = cell("evidence", 500)
    if len(errors) > before:
        return None
    return Row(
        number, name, phone, digest, title, level, hours, day, record_no, evidence
    )


# --- Against the database ----------------------------------------------------


def check(upload, filename: str, *, user) -> Checked:
    """Read and check a file for ``user``; nothing is written."""
    result = Checked()
    columns, data, errors = read(upload, filename)
    result.errors += errors
    if errors:
        return result
    limit = settings.LEDGER_IMPORT_MAX_ROWS
    rows = []
    for count, (number, values) in enumerate(data, start=1):
        if count > limit:
            result.errors.append(RowError(0, "", str(FILE_TOO_MANY) % {"max": limit}))
            return result
        row = parse_row(number, values, columns, result.errors)
        if row is not None:
            rows.append(row)
    if not rows and not result.errors:
        result.errors.append(RowError(0, "", str(FILE_EMPTY)))
        return result
    _resolve_teachers(rows, user, result.errors)
    rows = [r for r in rows if r.teacher_id is not None]
    _check_duplicates(rows, result)
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result


def _resolve_teachers(rows: list[Row], user, errors: list[RowError]) -> None:
    from accounts.models import User  # noqa: PLC0415

    staff = scope_queryset(
        User.objects.filter(school__isnull=False), user=user, schools=["school"]
    )
    by_phone, by_digest = {}, {}
    phones = sorted({r.phone for r in rows if r.phone})
    digests = sorted({r.id_digest for r in rows if r.id_digest})
    for start in range(0, len(phones), 1000):
        chunk = phones[start : start + 1000]
        for pk, phone, name in staff.filter(phone__in=chunk).values_list(
            "pk", "phone", "real_name"
        ):
            by_phone[phone] = (pk, name)
    for start in range(0, len(digests), 1000):
        chunk = digests[start : start + 1000]
        for pk, digest, name in staff.filter(id_number_digest__in=chunk).values_list(
            "pk", "id_number_digest", "real_name"
        ):
            by_digest[digest] = (pk, name)
    for row in rows:
        found = by_phone.get(row.phone) or by_digest.get(row.id_digest)
        column = "phone" if row.phone else "id_number"
        if found is None:
            _err(errors, row.number, column, TEACHER_UNKNOWN)
            continue
        pk, account_name = found
        if row.name and account_name and row.name.replace(" ", "") != account_name:
            _err(errors, row.number, "name", NAME_MISMATCH, name=account_name)
            continue
        row.teacher_id = pk


def _check_duplicates(rows: list[Row], result: Checked) -> None:
    seen: dict[tuple[int, str], int] = {}
    unique = []
    for row in rows:
        key = (row.teacher_id, row.ref)
        if key in seen:
            column = "record_no" if row.record_no else "title"
            _err(result.errors, row.number, column, DUPLICATE_IN_FILE, row=seen[key])
            continue
        seen[key] = row.number
        unique.append(row)
    existing = {}
    teacher_ids = sorted({r.teacher_id for r in unique})
    for start in range(0, len(teacher_ids), 1000):
        for entry in LedgerEntry.objects.filter(
            source=LedgerEntry.Source.OUTSIDE,
            teacher_id__in=teacher_ids[start : start + 1000],
        ).values("teacher_id", "ref", "hours", "date", "level", "created_at"):
            existing[(entry["teacher_id"], entry["ref"])] = entry
    for row in unique:
        old = existing.get((row.teacher_id, row.ref))
        if old is None:
            result.rows.append(row)
        elif (old["hours"], old["date"], old["level"]) == (
            row.hours,
            row.date,
            row.level,
        ):
            result.skipped += 1
        else:
            recorded = timezone.localtime(old["created_at"]).date().isoformat()
            column = "record_no" if row.record_no else "hours"
            _err(result.errors, row.number, column, ALREADY_DIFFERENT, date=recorded)
