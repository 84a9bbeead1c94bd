"""Demo data: a realistic roster of 中江县 and the steps of ``seed_demo``.

- :func:`build_roster` — plain rows (regions, schools, teachers, studios);
- :func:`write_roster_xlsx` / :func:`write_roster_csv` — the same as the files
  a bureau uploads;
- :mod:`schools.demo.seeding` — what ``manage.py seed_demo`` does with them.
"""

from .files import write_roster_csv, write_roster_xlsx
from .generator import MIN_SCHOOLS, build_roster
from .people import DEMO_PEOPLE, id_number

__all__ = [
    "DEMO_PEOPLE",
    "MIN_SCHOOLS",
    "build_roster",
    "id_number",
    "write_roster_csv",
    "write_roster_xlsx",
]
