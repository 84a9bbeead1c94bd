"""What can be wrong with a roster, in words a bureau clerk understands.

An error names a sheet, a row as the spreadsheet numbers it (header = row 1),
a column and a reason. It keeps the reason as a message constant's name plus
parameters, so it can be stored as JSON and shown later in the reader's
language. Parameters never hold a resident ID number.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .columns import COLUMNS, HEADERS, KINDS, SHEET_NAMES

# --- The file as a whole ----------------------------------------------------

FILE_TYPE_UNKNOWN = _("Only .xlsx and .csv files can be imported.")
FILE_XLS = _("Old .xls files cannot be read: save the file as .xlsx or .csv.")
FILE_UNREADABLE = _("The file could not be read as a spreadsheet: %(reason)s")
FILE_NO_SHEETS = _(
    "No sheet of regions, schools or teachers was found: name the sheets "
    "地区, 学校 and 教师 and keep the header row."
)
FILE_EMPTY = _("The file holds no rows to import.")
CSV_HEADER_UNKNOWN = _(
    "The header row does not look like regions, schools or teachers: check the "
    "column names against the template."
)
SHEET_TWICE = _("A second sheet of the same kind: put all these rows in one sheet.")
DATABASE_CHANGED = _(
    "The database changed while the roster was being imported; nothing was "
    "imported. Please try again."
)
COLUMN_MISSING = _("The required column %(column)s is missing.")
COLUMN_TWICE = _("This column appears twice.")

# --- Cells ------------------------------------------------------------------

REQUIRED = _("This cell must not be empty.")
TOO_LONG = _("At most %(max)s characters.")
DUPLICATE_IN_FILE = _("The same value already appears in row %(row)s.")
WHOLE_NUMBER = _("Write a whole number from %(min)s to %(max)s.")
DECIMAL_RANGE = _("Write a number from %(min)s to %(max)s.")
YES_NO = _("Write 是 or 否.")

REGION_CODE_INVALID = _(
    "An administrative division code has 6 digits (9 or 12 for townships)."
)
REGION_CODE_LEVEL = _(
    "The code does not fit the level: a province code ends in 0000, a city code "
    "in 00, a county code has 6 digits not ending in 00, a township code 9 or 12."
)
REGION_LEVEL_UNKNOWN = _("Unknown level %(value)s: write 省, 市, 县 (or 区) or 乡镇.")
REGION_PARENT_REQUIRED = _("Only a province may have no parent code.")
REGION_PARENT_UNKNOWN = _(
    "The parent region %(code)s is neither in the database nor in this file."
)
REGION_PARENT_LEVEL = _("The parent region must be of a higher level.")
REGION_PARENT_PREFIX = _("The code does not begin with the parent region's code.")
REGION_MOVED = _(
    "This region already exists with another level or parent; an import cannot "
    "move a region."
)

SCHOOL_CODE_INVALID = _("A school identifier code has exactly 10 digits.")
REGION_UNKNOWN = _("The region %(code)s is neither in the database nor in this file.")
CATEGORY_UNKNOWN = _(
    "Unknown school category %(value)s: write 城区学校, 乡镇学校, 村小 or 教学点."
)
URBAN_RURAL_UNKNOWN = _(
    "Unknown urban-rural code %(value)s: write 111, 112, 121, 122, 123, 210 or 220."
)
STAGE_UNKNOWN = _("Unknown school stage %(value)s: write %(allowed)s.")
SUBJECT_UNKNOWN = _("Unknown subject %(value)s: write %(allowed)s.")
HONOUR_UNKNOWN = _("Unknown honour %(value)s: write %(allowed)s.")
TITLE_UNKNOWN = _("Unknown professional title %(value)s: write %(allowed)s.")
ROLE_UNKNOWN = _("Unknown role %(value)s: write 乡村教师, 导师 or 学校管理员.")

PHONE_INVALID = _("A mobile phone number has 11 digits and starts with 1.")
ID_NUMBER_INVALID = _("A resident ID number has 18 characters and a valid check digit.")
EMAIL_INVALID = _("Enter a valid email address.")
SCHOOL_UNKNOWN = _("The school %(code)s is neither in the database nor in this file.")
USERNAME_TAKEN = _("Another account already uses this phone number as its user name.")
ID_NUMBER_TAKEN = _("This ID number is already registered to another account.")
EMAIL_TAKEN = _("This email address is already used by another account.")

OUT_OF_SCOPE = _("This lies outside your region (%(region)s).")
NO_SCOPE = _("Your account may not import rosters: it has no region.")
SCHOOL_OUT_OF_SCOPE = _(
    "This school code already belongs to a school outside your region."
)
USER_OUT_OF_SCOPE = _("This phone number belongs to an account outside your region.")

MESSAGES: dict[str, Promise] = {
    name: value for name, value in globals().items() if isinstance(value, Promise)
}

_KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}
_COLUMN_ORDER = {
    (kind, c.field): i for kind, cols in COLUMNS.items() for i, c in enumerate(cols)
}


@dataclass(slots=True)
class RowError:
    kind: str  # regions / schools / teachers, or "" for the whole file
    row: int  # as the spreadsheet numbers it; 0 for the whole file or sheet
    field: str  # canonical column name, or ""
    code: str  # name of a message constant in this module
    params: dict = field(default_factory=dict)

    @property
    def sheet(self) -> str:
        return SHEET_NAMES.get(self.kind, "")

    @property
    def column(self) -> str:
        return HEADERS.get(self.kind, {}).get(self.field, "")

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code]) % self.params

    def sort_key(self) -> tuple:
        return (
            _KIND_ORDER.get(self.kind, -1),
            self.row,
            _COLUMN_ORDER.get((self.kind, self.field), -1),
        )

    def as_dict(self) -> dict:
        """JSON form, kept on an import job and rendered again when shown."""
        return {
            "kind": self.kind,
            "row": self.row,
            "field": self.field,
            "code": self.code,
            "params": self.params,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "RowError":
        return cls(
            kind=data.get("kind", ""),
            row=data.get("row", 0),
            field=data.get("field", ""),
            code=data["code"] if data.get("code") in MESSAGES else "FILE_UNREADABLE",
            params=data.get("params") or {"reason": ""},
        )

    def __str__(self) -> str:
        where = " ".join(
            p for p in (self.sheet, str(self.row) if self.row else "", self.column) if p
        )
        return f"{where}: {self.message}" if where else self.message


def err(kind: str, number: int, column: str, message: Promise, /, **params) -> RowError:
    """A RowError for ``message``, one of this module's constants."""
    return RowError(kind, number, column, _NAMES[id(message)], params)


_NAMES = {id(value): name for name, value in MESSAGES.items()}
