"""Benchmark of the training coverage report and the ledger export.

    .venv/bin/python -m tests.perf.bench_coverage [--teachers 6000] [--lines 100000]
    DATABASE_URL=postgres://... .venv/bin/python -m tests.perf.bench_coverage

Creates a fresh test database (a temporary SQLite file by default;
``test_<name>`` on PostgreSQL when DATABASE_URL is set) holding a county of
20 townships, 250 schools, ``--teachers`` teachers and ``--lines`` ledger
lines of this year (bulk inserts), then measures as a county reviewer:

1. the coverage report (``courses.selectors.coverage_for``): its queries and
   its time (best and median of 5 runs);
2. the admin coverage page (report rendered, first 200 teachers behind);
3. the .xlsx export of every ledger line of the year through the admin view
   (rows streamed from the database into openpyxl's write-only workbook,
   the file streamed out), with its time and the peak RSS of the process
   during the export (Linux VmHWM, reset just before it).

Goals: a constant number of queries; the export under 300 MB peak.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

GOAL_PEAK_MB = 300


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def _rss_mb(key: str) -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def build(teachers: int, lines: int, seed: int = 7):
    """The county, its schools, teachers and ledger lines; returns a reviewer."""
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role
    from courses.models import LedgerEntry, Level
    from schools.models import Region, School

    rng = random.Random(seed)
    province = Region.objects.create(
        code="510000", name="四川省", level=1, path="/510000/"
    )
    city = Region.objects.create(
        code="510600", name="德阳市", level=2, parent=province, path="/510000/510600/"
    )
    county = Region.objects.create(
        code="510623",
        name="中江县",
        level=3,
        parent=city,
        path="/510000/510600/510623/",
    )
    towns = Region.objects.bulk_create(
        [
            Region(
                code=f"510623{100 + i:03d}",
                name=f"第{i + 1}镇",
                level=4,
                parent=county,
                path=f"{county.path}510623{100 + i:03d}/",
            )
            for i in range(20)
        ]
    )
    schools = School.objects.bulk_create(
        [
            School(
                code=f"2151062{i:03d}",
                name=f"中江县第{i + 1}学校",
                region=towns[i % len(towns)],
                category=School.Category.VILLAGE,
                urban_rural_code=School.UrbanRural.VILLAGE,
            )
            for i in range(250)
        ]
    )
    users = User.objects.bulk_create(
        [
            User(
                username=f"1390{i:07d}",
                phone=f"1390{i:07d}",
                real_name=f"教师{i}",
                school=schools[i % len(schools)],
                password="!",
            )
            for i in range(teachers)
        ],
        batch_size=2000,
    )
    today = date.today()
    start = date(today.year, 1, 1)
    span = max((today - start).days, 1)
    levels = [Level.COUNTY, Level.SCHOOL, Level.MUNICIPAL, Level.PROVINCIAL]
    batch = []
    for n in range(lines):
        batch.append(
            LedgerEntry(
                teacher=users[rng.randrange(len(users))],
                source="outside",
                level=levels[n % len(levels)],
                title="县级全员培训",
                hours=Decimal(rng.choice((2, 3, 4, 6, 8))),
                date=start + timedelta(days=rng.randrange(span)),
                ref=f"bench:{n}",
            )
        )
        if len(batch) == 5000:
            LedgerEntry.objects.bulk_create(batch)
            batch = []
    LedgerEntry.objects.bulk_create(batch)
    reviewer = User.objects.create(
        username="bench_reviewer", region=county, real_name="审核员"
    )
    reviewer.groups.add(Group.objects.get(name=Role.REVIEWER.value))
    return reviewer, today.year


def measure(reviewer, year: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from courses.selectors import coverage_for

    result = {}
    with CaptureQueriesContext(connection) as ctx:
        report = coverage_for(user=reviewer, year=year)
    result["queries"] = len(ctx)
    result["teachers"] = report.total.teachers
    result["met"] = report.total.met
    times = []
    for _ in range(5):
        started = time.perf_counter()
        coverage_for(user=reviewer, year=year)
        times.append(time.perf_counter() - started)
    result["report_best"] = min(times)
    result["report_median"] = statistics.median(times)

    client = Client()
    client.force_login(reviewer)
    url = reverse("courses_admin:coverage")
    started = time.perf_counter()
    page = client.get(url, {"year": year})
    result["page_seconds"] = time.perf_counter() - started
    result["page_status"] = page.status_code

    _reset_peak()
    before = _rss_mb("VmRSS")
    started = time.perf_counter()
    response = client.get(url, {"year": year, "export": "ledger"})
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    result["export_seconds"] = time.perf_counter() - started
    result["export_bytes"] = size
    result["export_rss_before"] = before
    result["export_peak"] = _rss_mb("VmHWM")
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teachers", type=int, default=6000)
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args(argv)
    _setup_django()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False
    with tempfile.TemporaryDirectory() as tmp:
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(Path(tmp) / "bench.sqlite3")
        old = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            started = time.perf_counter()
            reviewer, year = build(args.teachers, args.lines)
            built = time.perf_counter() - started
            r = measure(reviewer, year)
        finally:
            connection.creation.destroy_test_db(old, verbosity=0)
    print(f"database: {connection.vendor}; built in {built:.1f} s")
    print(
        f"county: {r['teachers']:,} teachers, {args.lines:,} ledger lines in {year}; "
        f"{r['met']:,} meet the annual hours"
    )
    print(
        f"coverage report: {r['queries']} queries; "
        f"best {r['report_best'] * 1000:.0f} ms, "
        f"median {r['report_median'] * 1000:.0f} ms"
    )
    print(
        f"admin coverage page: {r['page_seconds'] * 1000:.0f} ms ({r['page_status']})"
    )
    peak = r["export_peak"]
    print(
        f"ledger export: {args.lines:,} lines, "
        f"{r['export_bytes'] / 1e6:.1f} MB .xlsx in "
        f"{r['export_seconds']:.1f} s; RSS {r['export_rss_before']:.0f} MB before, "
        f"peak {peak:.0f} MB (goal < {GOAL_PEAK_MB} MB: "
        f"{'met' if peak < GOAL_PEAK_MB else 'NOT met'})"
    )
    return 0 if peak < GOAL_PEAK_MB else 1


if __name__ == "__main__":
    sys.exit(main())
