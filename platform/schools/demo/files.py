"""The demo roster as the files a bureau would upload (.xlsx or .csv)."""

import csv
from pathlib import Path

from openpyxl import Workbook

from schools.roster.columns import COLUMNS, KINDS, SHEET_NAMES

from .generator import build_roster


def _table(roster: dict, kind: str):
    columns = COLUMNS[kind]
    yield [c.header for c in columns]
    fields = [c.field for c in columns]
    for row in roster[kind]:
        # An empty cell is no cell at all: smaller files, faster writing.
        yield [row[f] if row[f] != "" else None for f in fields]


def write_roster_xlsx(
    path, *, schools: int = 250, teachers: int = 5000, seed: int = 0
) -> dict:
    """Write a demo roster as one workbook with sheets 地区, 学校, 教师.

    Write-only mode streams rows to disk, so 100,000 teachers stay small in
    memory. Returns the roster that was written.
    """
    roster = build_roster(schools=schools, teachers=teachers, seed=seed)
    workbook = Workbook(write_only=True)
    for kind in KINDS:
        sheet = workbook.create_sheet(SHEET_NAMES[kind])
        for cells in _table(roster, kind):
            sheet.append(cells)
    workbook.save(path)
    return roster


def write_roster_csv(
    directory, *, schools: int = 250, teachers: int = 5000, seed: int = 0
) -> list[Path]:
    """Write a demo roster as 地区.csv, 学校.csv and 教师.csv (UTF-8 with BOM,
    as Excel saves them). Returns the paths in import order."""
    roster = build_roster(schools=schools, teachers=teachers, seed=seed)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in KINDS:
        path = directory / f"{SHEET_NAMES[kind]}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows(_table(roster, kind))
        paths.append(path)
    return paths
