"""Reading roster files: .xlsx streamed with openpyxl, or one-kind .csv.

The reader only finds the sheets, their header rows and the raw cell values;
it yields rows one at a time so a 100,000-row file is never held as cells.
"""

import codecs
import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import ParseError

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from .columns import (
    COLUMNS,
    HEADER_LOOKUP,
    KINDS,
    SHEET_ALIASES,
    detect_kind,
    norm_header,
)
from .errors import (
    COLUMN_MISSING,
    COLUMN_TWICE,
    CSV_HEADER_UNKNOWN,
    FILE_NO_SHEETS,
    FILE_TYPE_UNKNOWN,
    FILE_UNREADABLE,
    FILE_XLS,
    SHEET_TWICE,
    RowError,
    err,
)

Source = str | Path | IO[bytes]

# How far down a named sheet its header row may be (below a title line).
_HEADER_SEARCH_ROWS = 5


@dataclass
class Sheet:
    kind: str
    header_row: int  # the spreadsheet's number of the header row
    columns: dict[str, int]  # field -> column index
    rows: Iterator[tuple[int, tuple]]  # (row number, raw values), data rows only


@dataclass
class RosterFile:
    sheets: list[Sheet] = field(default_factory=list)  # in KINDS order
    errors: list[RowError] = field(default_factory=list)


def _sheet_kind_by_name(title: str) -> str | None:
    name = norm_header(title)
    for kind, aliases in SHEET_ALIASES.items():
        if name in aliases:
            return kind
    return None


def _is_blank(values) -> bool:
    for v in values:
        if v is not None and (not isinstance(v, str) or v.strip()):
            return False
    return True


def _find_header(
    numbered: Iterator[tuple[int, tuple]], kind: str | None
) -> tuple[str | None, int, list[str], Iterator] | None:
    """Read up to the header row; returns (kind, row number, cells, rest).

    A sheet named for its kind may have a title line or two above its header:
    the header is the first of the first few rows naming two of its columns,
    else its first non-blank row. Otherwise (CSV, other sheet names) the
    header is the first non-blank row, and names the kind or nothing.
    """
    seen: list[tuple[int, tuple, list[str]]] = []
    for number, values in numbered:
        if _is_blank(values):
            if number > _HEADER_SEARCH_ROWS and seen:
                break
            continue
        cells = [norm_header(v) for v in values]
        if kind is None:
            return detect_kind(cells), number, cells, numbered
        lookup = HEADER_LOOKUP[kind]
        if sum(1 for cell in cells if cell in lookup) >= 2:
            return kind, number, cells, numbered
        seen.append((number, values, cells))
        if number >= _HEADER_SEARCH_ROWS:
            break
    if not seen:
        return None
    number, _values, cells = seen[0]
    rest = itertools.chain(((n, v) for n, v, _c in seen[1:]), numbered)
    return kind, number, cells, rest


def _columns(
    kind: str, header_row: int, cells: list[str], errors: list[RowError]
) -> dict[str, int] | None:
    lookup = HEADER_LOOKUP[kind]
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = lookup.get(cell)
        if name is None:
            continue  # bureau sheets often carry extra columns: ignore them
        if name in columns:
            errors.append(err(kind, header_row, name, COLUMN_TWICE))
            continue
        columns[name] = index
    missing = [c for c in COLUMNS[kind] if c.required and c.field not in columns]
    for column in missing:
        errors.append(
            err(kind, header_row, column.field, COLUMN_MISSING, column=column.header)
        )
    return None if missing else columns


def _data_rows(numbered: Iterator[tuple[int, tuple]]) -> Iterator[tuple[int, tuple]]:
    for number, values in numbered:
        if not _is_blank(values):
            yield number, values


def _add_sheet(
    result: RosterFile,
    seen: dict[str, Sheet],
    kind: str | None,
    numbered: Iterator[tuple[int, tuple]],
) -> None:
    found = _find_header(numbered, kind)
    if found is None or found[0] is None:
        return
    kind, header_row, cells, numbered = found
    if kind in seen:
        result.errors.append(err(kind, header_row, "", SHEET_TWICE))
        return
    columns = _columns(kind, header_row, cells, result.errors)
    if columns is None:
        return
    seen[kind] = Sheet(kind, header_row, columns, _data_rows(numbered))


@contextmanager
def open_roster(source: Source, filename: str = "") -> Iterator[RosterFile]:
    """Open a roster file and find its sheets; rows stream while it is open."""
    name = (filename or getattr(source, "name", None) or str(source)).lower()
    result = RosterFile()
    if name.endswith(".csv"):
        _read_csv(source, result)
        yield result
    elif name.endswith((".xlsx", ".xlsm")):
        with _open_xlsx(source, result) as ok:
            if ok:
                yield result
            else:
                yield RosterFile(errors=result.errors)
    elif name.endswith(".xls"):
        result.errors.append(err("", 0, "", FILE_XLS))
        yield result
    else:
        result.errors.append(err("", 0, "", FILE_TYPE_UNKNOWN))
        yield result


def _numbered(rows) -> Iterator[tuple[int, tuple]]:
    return enumerate(rows, start=1)


class _StreamedSheet(ReadOnlyWorksheet):
    """openpyxl's read-only worksheet without its size probe.

    A sheet written in openpyxl's write-only mode (the demo roster, many
    export tools) has no <dimension> element, and the probe then parses the
    whole sheet once just to size it. Rows are read to their end anyway.
    """

    def _get_size(self) -> None:
        pass


def _load_sheets(source: Source) -> tuple[zipfile.ZipFile, list[_StreamedSheet]]:
    """What openpyxl.load_workbook(read_only=True) does, minus the probes."""
    reader = ExcelReader(source, read_only=True, data_only=True, keep_links=False)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = [
            _StreamedSheet(reader.wb, sheet.name, rel.target, reader.shared_strings)
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
    except BaseException:
        reader.archive.close()
        raise
    return reader.archive, sheets


@contextmanager
def _open_xlsx(source: Source, result: RosterFile) -> Iterator[bool]:
    try:
        archive, worksheets = _load_sheets(source)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, ParseError) as exc:
        result.errors.append(err("", 0, "", FILE_UNREADABLE, reason=type(exc).__name__))
        yield False
        return
    try:
        seen: dict[str, Sheet] = {}
        for worksheet in worksheets:
            rows = _numbered(worksheet.iter_rows(values_only=True))
            _add_sheet(result, seen, _sheet_kind_by_name(worksheet.title), rows)
        result.sheets = [seen[k] for k in KINDS if k in seen]
        if not result.sheets and not result.errors:
            result.errors.append(err("", 0, "", FILE_NO_SHEETS))
        yield True
    finally:
        archive.close()


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or GB18030.

    Excel in China saves CSV as GBK; GB18030 is its superset.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _read_csv(source: Source, result: RosterFile) -> None:
    if isinstance(source, str | Path):
        data = Path(source).read_bytes()
    else:
        data = source.read()
    text = _decode(data)
    del data
    first_line = text[: text.find("\n") if "\n" in text else len(text)]
    delimiter = max(",\t;，", key=first_line.count)
    if delimiter == "，":
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    numbered = _numbered(reader)
    seen: dict[str, Sheet] = {}
    _add_sheet(result, seen, None, numbered)
    if not seen:
        if not result.errors:
            result.errors.append(err("", 1, "", CSV_HEADER_UNKNOWN))
        return
    result.sheets = list(seen.values())


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')
# Bytes of sheet XML per row when a sheet does not state its size: a low
# guess, so that large files rather go to a task than block a request.
_XML_BYTES_PER_ROW = 400


def count_rows(source: Source, filename: str = "") -> int:
    """A quick estimate of a file's rows, to choose between inline and a task.

    CSV: its lines. XLSX: each sheet's <dimension>, else a guess from the
    size of its XML; the file is not parsed.
    """
    name = (filename or str(source)).lower()
    opened = isinstance(source, str | Path)
    fh = open(source, "rb") if opened else source  # noqa: SIM115
    position = 0 if opened else fh.tell()
    try:
        if name.endswith(".csv"):
            return sum(
                chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")
            )
        return _count_xlsx_rows(fh)
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0  # an unreadable file is reported when it is read
    finally:
        if opened:
            fh.close()
        else:
            fh.seek(position)


def _count_xlsx_rows(fh) -> int:
    total = 0
    with zipfile.ZipFile(fh) as archive:
        for info in archive.infolist():
            if not (
                info.filename.startswith("xl/worksheets/")
                and info.filename.endswith(".xml")
            ):
                continue
            with archive.open(info) as sheet:
                head = sheet.read(4096)
            match = _DIMENSION.search(head)
            if match and match.group(1):
                total += int(match.group(1))
            else:
                total += info.file_size // _XML_BYTES_PER_ROW
    return total
