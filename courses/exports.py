"""Spreadsheet exports written row by row (openpyxl write-only mode).

Rows stream from the database (``.iterator()``) into openpyxl's write-only
worksheets, which spool each sheet to a temporary file as it goes; the
finished workbook is itself a temporary file that the response streams and
deletes. Memory stays flat however many rows: no workbook is held in memory.
"""

import tempfile
from collections.abc import Iterable, Sequence

from django.http import FileResponse
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_xlsx(fh, sheets: Iterable[tuple[str, Sequence[str], Iterable]]) -> int:
    """Write ``(title, header, rows)`` sheets to ``fh``; returns the row count."""
    book = Workbook(write_only=True)
    count = 0
    for title, header, rows in sheets:
        sheet = book.create_sheet(str(title)[:31])
        sheet.append([str(h) for h in header])
        for row in rows:
            sheet.append(row)
            count += 1
    book.save(fh)
    return count


def xlsx_response(filename: str, sheets) -> tuple[FileResponse, int]:
    """A streamed download of the workbook, and how many rows it holds."""
    fh = tempfile.TemporaryFile()  # noqa: SIM115  (the response closes it)
    count = write_xlsx(fh, sheets)
    fh.seek(0)
    response = FileResponse(
        fh, as_attachment=True, filename=filename, content_type=XLSX
    )
    return response, count
