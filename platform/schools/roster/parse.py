"""Cells to typed rows: every rule that needs only the row itself.

Plain Python, no ORM: the vocabularies (subjects, stages, honours, titles)
come in as dicts, so this runs at spreadsheet speed and is tested alone.
"""

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from accounts.privacy import id_number_digest, mask_id_number
from accounts.validators import INVALID_ID_NUMBER
from accounts.validators import normalise_id_number as _normalise_slowly

from . import errors as E
from .columns import (
    LIST_SEPARATORS,
    REGION_LEVELS,
    REGIONS,
    ROSTER_ROLES,
    SCHOOL_CATEGORIES,
    SCHOOLS,
    TEACHERS,
    URBAN_RURAL_CODES,
    YES_NO,
)
from .errors import RowError, err
from .reader import RosterFile, Sheet


class _Keep:
    """A column the file does not have: the database keeps its value."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "KEEP"

    def __bool__(self) -> bool:
        return False


KEEP = _Keep()


@dataclass(slots=True)
class RegionRow:
    row: int
    code: str
    name: str
    level: int
    parent_code: str  # "" for a province
    bad: frozenset = frozenset()  # columns with errors: such a row is never written


@dataclass(slots=True)
class SchoolRow:
    row: int
    code: str
    name: str
    region_code: str
    category: str
    urban_rural_code: str
    stages: frozenset | _Keep
    is_weak: bool | _Keep
    student_count: int | _Keep
    teacher_count: int | _Keep
    address: str | _Keep
    longitude: Decimal | None | _Keep
    latitude: Decimal | None | _Keep
    bad: frozenset = frozenset()

    @property
    def is_rural(self) -> bool:
        return self.urban_rural_code.startswith("2")


@dataclass(slots=True)
class TeacherRow:
    row: int
    name: str
    phone: str
    id_digest: str | _Keep  # an empty cell keeps what is stored
    id_masked: str
    email: str | _Keep  # lower-cased; an empty cell keeps what is stored
    school_code: str
    subjects: frozenset | _Keep
    stages: frozenset | _Keep
    title: str | _Keep
    honours: frozenset | _Keep
    years_of_teaching: int | None | _Keep
    roles: frozenset | None | _Keep  # None: the default for the school
    bad: frozenset = frozenset()


class Interner(dict):
    """One object per distinct value, so 100,000 rows share a few dozen sets
    and school codes instead of holding a copy each."""

    def __call__(self, value):
        return self.setdefault(value, value)


@dataclass
class Vocabulary:
    """Names a roster may use for the reference lists, each mapped to a key."""

    subjects: dict[str, str]
    stages: dict[str, str]
    honours: dict[str, str]
    titles: dict[str, str]
    # what error messages suggest
    subject_names: str = ""
    stage_names: str = ""
    honour_names: str = ""
    title_names: str = ""
    intern: Interner = field(default_factory=Interner)


@dataclass
class Roster:
    """A parsed roster: typed rows and the errors found in them.

    Rows with errors are kept (``row.bad`` names the wrong columns), so that
    their other columns are still checked against the rest of the file.
    """

    filename: str = ""
    regions: list[RegionRow] = field(default_factory=list)
    schools: list[SchoolRow] = field(default_factory=list)
    teachers: list[TeacherRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    row_count: int = 0  # data rows read, with or without errors


# --- Cells ------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u3000\xa0]+")
_INTEGRAL_FLOAT_TEXT = re.compile(r"^(\d+)\.0*$")


def text(value) -> str:
    """A cell as trimmed text; Excel's 13812345678.0 becomes "13812345678"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip(" \t\r\n\u3000\xa0")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def code_text(value) -> str:
    """Digits of a code or phone typed as text, a number or "2151000001.0"."""
    s = _SPACES.sub("", text(value))
    match = _INTEGRAL_FLOAT_TEXT.match(s)
    return match.group(1) if match else s


_PLACE_AND_YEAR: dict[tuple[str, str], bool] = {}


def normalise_id_number(value: str) -> str:
    """accounts.validators.normalise_id_number, at spreadsheet speed.

    The same rules (python-stdnum: length, check digit, birth date, birth
    place), but the birth-place lookup, the slow part, runs once per place
    and birth year instead of once per row.
    """
    number = ric.compact(value or "").upper()
    if (
        len(number) != 18
        or not number[:17].isdigit()
        or number[17] != ric.calc_check_digit(number)
    ):
        raise ValidationError(INVALID_ID_NUMBER, code="id_number")
    try:
        ric.get_birth_date(number)
    except StdnumError:
        raise ValidationError(INVALID_ID_NUMBER, code="id_number") from None
    key = (number[:6], number[6:10])
    valid = _PLACE_AND_YEAR.get(key)
    if valid is None:
        # Length, digits and date are right: only the place can fail now.
        try:
            _normalise_slowly(number)
        except ValidationError:
            valid = False
        else:
            valid = True
        _PLACE_AND_YEAR[key] = valid
    if not valid:
        raise ValidationError(INVALID_ID_NUMBER, code="id_number")
    return number


def split_list(value: str) -> list[str]:
    items, current = [], []
    for ch in value:
        if ch in LIST_SEPARATORS:
            if current:
                items.append("".join(current))
                current = []
        else:
            current.append(ch)
    if current:
        items.append("".join(current))
    return items


_NOTHING: frozenset = frozenset()


class _Cells:
    """Read one row's cells by field name, collecting errors as it goes."""

    __slots__ = ("kind", "number", "values", "columns", "errors", "intern")

    def __init__(self, kind, number, values, columns, errors, intern) -> None:
        self.kind = kind
        self.number = number
        self.values = values
        self.columns = columns
        self.errors = errors
        self.intern = intern

    def has(self, name: str) -> bool:
        return name in self.columns

    def raw(self, name: str):
        index = self.columns.get(name)
        if index is None or index >= len(self.values):
            return None
        return self.values[index]

    def error(self, name: str, message, **params) -> None:
        self.errors.append(err(self.kind, self.number, name, message, **params))

    def bad_since(self, start: int) -> frozenset:
        if len(self.errors) == start:
            return _NOTHING
        return frozenset(e.field for e in self.errors[start:])

    def text(self, name: str, *, required=False, max_length=0) -> str:
        value = _SPACES.sub(" ", text(self.raw(name)))
        if not value and required:
            self.error(name, E.REQUIRED)
        elif max_length and len(value) > max_length:
            self.error(name, E.TOO_LONG, max=max_length)
        return value

    def code(self, name: str, pattern: re.Pattern, message) -> str:
        value = code_text(self.raw(name))
        if not value:
            self.error(name, E.REQUIRED)
        elif not pattern.match(value):
            self.error(name, message)
        return value

    def whole(self, name: str, *, low=0, high=10_000_000, empty=0):
        raw = self.raw(name)
        value = code_text(raw)
        if not value:
            return empty
        if value.isdigit() and low <= int(value) <= high:
            return int(value)
        self.error(name, E.WHOLE_NUMBER, min=low, max=high)
        return empty

    def decimal(self, name: str, *, low, high) -> Decimal | None:
        value = text(self.raw(name))
        if not value:
            return None
        try:
            number = Decimal(value).quantize(Decimal("0.000001"))
        except (InvalidOperation, ValueError):
            number = None
        if number is None or not number.is_finite() or not low <= number <= high:
            self.error(name, E.DECIMAL_RANGE, min=low, max=high)
            return None
        return number

    def choice(self, name: str, choices: dict, message, *, required=True, **params):
        value = _SPACES.sub("", text(self.raw(name)))
        if not value:
            if required:
                self.error(name, E.REQUIRED)
            return None
        found = choices.get(value, choices.get(value.lower()))
        if found is None:
            self.error(name, message, value=value[:20], **params)
        return found

    def many(self, name: str, choices: dict, message, **params) -> frozenset:
        found = set()
        for item in split_list(text(self.raw(name))):
            key = choices.get(item, choices.get(item.lower()))
            if key is None:
                self.error(name, message, value=item[:20], **params)
            else:
                found.add(key)
        return self.intern(frozenset(found))


# --- Rows -------------------------------------------------------------------

_DIVISION_CODE = re.compile(r"^(\d{6}|\d{9}|\d{12})$")
_SCHOOL_CODE = re.compile(r"^\d{10}$")
_PHONE = re.compile(r"^1\d{10}$")
_validate_email = EmailValidator()


def _level_fits_code(level: int, code: str) -> bool:
    if level == 4:
        return len(code) in (9, 12)
    if len(code) != 6:
        return False
    if level == 1:
        return code.endswith("0000")
    if level == 2:
        return code.endswith("00") and not code.endswith("0000")
    return not code.endswith("00")


def parse_region(c: _Cells) -> RegionRow:
    start = len(c.errors)
    code = c.code("code", _DIVISION_CODE, E.REGION_CODE_INVALID)
    name = c.text("name", required=True, max_length=64)
    level = c.choice("level", REGION_LEVELS, E.REGION_LEVEL_UNKNOWN)
    parent_code = code_text(c.raw("parent_code"))
    if (
        code
        and level
        and _DIVISION_CODE.match(code)
        and not _level_fits_code(level, code)
    ):
        c.error("code", E.REGION_CODE_LEVEL)
    if level and level > 1 and not parent_code:
        c.error("parent_code", E.REGION_PARENT_REQUIRED)
    elif parent_code and not _DIVISION_CODE.match(parent_code):
        c.error("parent_code", E.REGION_CODE_INVALID)
    level = level or 0
    return RegionRow(
        c.number,
        code,
        name,
        level,
        parent_code if level != 1 else "",
        c.bad_since(start),
    )


def parse_school(c: _Cells, vocab: Vocabulary) -> SchoolRow:
    start = len(c.errors)
    code = c.code("code", _SCHOOL_CODE, E.SCHOOL_CODE_INVALID)
    name = c.text("name", required=True, max_length=100)
    region_code = c.code("region_code", _DIVISION_CODE, E.REGION_CODE_INVALID)
    category = c.choice("category", SCHOOL_CATEGORIES, E.CATEGORY_UNKNOWN)
    urban_rural = code_text(c.raw("urban_rural_code"))
    if not urban_rural:
        c.error("urban_rural_code", E.REQUIRED)
    elif urban_rural not in URBAN_RURAL_CODES:
        c.error("urban_rural_code", E.URBAN_RURAL_UNKNOWN, value=urban_rural[:20])
    row = SchoolRow(
        row=c.number,
        code=code,
        name=name,
        region_code=region_code,
        category=category or "",
        urban_rural_code=urban_rural,
        stages=(
            c.many("stages", vocab.stages, E.STAGE_UNKNOWN, allowed=vocab.stage_names)
            if c.has("stages")
            else KEEP
        ),
        is_weak=(
            bool(c.choice("is_weak", YES_NO, E.YES_NO, required=False))
            if c.has("is_weak")
            else KEEP
        ),
        student_count=c.whole("student_count") if c.has("student_count") else KEEP,
        teacher_count=c.whole("teacher_count") if c.has("teacher_count") else KEEP,
        address=(c.text("address", max_length=200) if c.has("address") else KEEP),
        longitude=(
            c.decimal("longitude", low=-180, high=180) if c.has("longitude") else KEEP
        ),
        latitude=(
            c.decimal("latitude", low=-90, high=90) if c.has("latitude") else KEEP
        ),
    )
    row.bad = c.bad_since(start)
    return row


def _phone(raw) -> str:
    phone = code_text(raw).replace("-", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    elif len(phone) == 13 and phone.startswith("86"):
        phone = phone[2:]
    return phone


def parse_teacher(c: _Cells, vocab: Vocabulary) -> TeacherRow:
    start = len(c.errors)
    name = c.text("name", required=True, max_length=50)
    phone = _phone(c.raw("phone"))
    if not phone:
        c.error("phone", E.REQUIRED)
    elif not _PHONE.match(phone):
        c.error("phone", E.PHONE_INVALID)
    id_digest: str | _Keep = KEEP
    id_masked = ""
    id_raw = code_text(c.raw("id_number"))
    if id_raw:
        try:
            number = normalise_id_number(id_raw)
        except ValidationError:
            c.error("id_number", E.ID_NUMBER_INVALID)
        else:
            id_digest, id_masked = id_number_digest(number), mask_id_number(number)
    email: str | _Keep = KEEP
    email_raw = text(c.raw("email"))
    if email_raw:
        try:
            _validate_email(email_raw)
        except ValidationError:
            c.error("email", E.EMAIL_INVALID)
        else:
            email = email_raw.lower()
    school_code = c.intern(c.code("school_code", _SCHOOL_CODE, E.SCHOOL_CODE_INVALID))
    subjects = stages = honours = title = years = roles = KEEP
    if c.has("subjects"):
        subjects = c.many(
            "subjects", vocab.subjects, E.SUBJECT_UNKNOWN, allowed=vocab.subject_names
        )
    if c.has("stages"):
        stages = c.many(
            "stages", vocab.stages, E.STAGE_UNKNOWN, allowed=vocab.stage_names
        )
    if c.has("honours"):
        honours = c.many(
            "honours", vocab.honours, E.HONOUR_UNKNOWN, allowed=vocab.honour_names
        )
    if c.has("title"):
        title = c.choice(
            "title",
            vocab.titles,
            E.TITLE_UNKNOWN,
            required=False,
            allowed=vocab.title_names,
        )
        title = title or ""
    if c.has("years_of_teaching"):
        years = c.whole("years_of_teaching", high=70, empty=None)
    if c.has("roles"):
        # An empty cell means the default for the school (see validate.py).
        roles = c.many("roles", ROSTER_ROLES, E.ROLE_UNKNOWN) or None
    return TeacherRow(
        row=c.number,
        name=name,
        phone=phone,
        id_digest=id_digest,
        id_masked=id_masked,
        email=email,
        school_code=school_code,
        subjects=subjects,
        stages=stages,
        title=title,
        honours=honours,
        years_of_teaching=years,
        roles=roles,
        bad=c.bad_since(start),
    )


def parse(
    roster_file: RosterFile,
    vocab: Vocabulary,
    *,
    filename: str = "",
    progress: Callable[[int], None] | None = None,
) -> Roster:
    """Read every row of an open roster file into a :class:`Roster`."""
    roster = Roster(filename=filename, errors=list(roster_file.errors))
    for sheet in roster_file.sheets:
        _parse_sheet(sheet, vocab, roster, progress)
    return roster


def _parse_sheet(sheet: Sheet, vocab, roster: Roster, progress) -> None:
    kind, columns, errors = sheet.kind, sheet.columns, roster.errors
    if kind == REGIONS:
        target, parse_row = roster.regions, parse_region
    elif kind == SCHOOLS:
        target = roster.schools

        def parse_row(c):
            return parse_school(c, vocab)
    else:
        assert kind == TEACHERS
        target = roster.teachers

        def parse_row(c):
            return parse_teacher(c, vocab)

    for number, values in sheet.rows:
        roster.row_count += 1
        if progress is not None and roster.row_count % 5000 == 0:
            progress(roster.row_count)
        cells = _Cells(kind, number, values, columns, errors, vocab.intern)
        target.append(parse_row(cells))


def sorted_errors(errors: Iterable[RowError]) -> list[RowError]:
    return sorted(errors, key=RowError.sort_key)
