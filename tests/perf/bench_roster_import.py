"""Benchmark of the roster import at county/city scale.

    .venv/bin/python -m tests.perf.bench_roster_import [--teachers 100000]
    DATABASE_URL=postgres://... .venv/bin/python -m tests.perf.bench_roster_import

Writes a realistic roster .xlsx (``schools.demo.write_roster_xlsx``, in a
child process so its memory does not count), creates a fresh test database
(a temporary SQLite file by default; ``test_<name>`` on PostgreSQL when
DATABASE_URL is set) and times, on the same file:

1. a first import into the empty database (read, validate, apply separately);
2. the same file again (everything unchanged: nothing must be written);
3. the same file after every teacher's 教龄 was changed in the database
   (a yearly roster: every teacher is updated);
4. a first import again on a fresh database under ``tracemalloc``, for the
   peak of Python allocations (slower; its times are not the figures).

Prints rows/s per phase and in total (wall clock, and CPU time of this
process, which on a busy machine shows the work done; on PostgreSQL the
server's CPU is not in it), the peak RSS of each import (Linux
VmHWM, reset after the database is migrated; ru_maxrss of the whole run is
printed too) and the tracemalloc peak. Goal: >= 2,000 rows/s in total
within 500 MB.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

GOAL_ROWS_PER_SECOND = 2000
GOAL_PEAK_MB = 500


def _generate(path: Path, teachers: int, schools: int, seed: int) -> None:
    """Write the roster in a child process (its memory is not the import's)."""
    code = (
        "import django, os, sys;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.test');"
        "django.setup();"
        "from schools.demo import write_roster_xlsx;"
        "write_roster_xlsx(sys.argv[1], schools=int(sys.argv[2]),"
        " teachers=int(sys.argv[3]), seed=int(sys.argv[4]))"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(path), str(schools), str(teachers), str(seed)],
        check=True,
    )


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def _create_database(tmpdir: Path, round_: int) -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        # A file, as in use (the test default would be an in-memory database).
        connection.settings_dict["TEST"]["NAME"] = str(
            tmpdir / f"bench{round_}.sqlite3"
        )
    return connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False
    )


def _destroy_database(old_name: str) -> None:
    from django.db import connection

    connection.creation.destroy_test_db(old_name, verbosity=0)


def _rss_mb(key: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, in MB (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    """Start the peak RSS (VmHWM) afresh, so migrations do not count."""
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def _age_every_teacher() -> None:
    """Make every teacher's 教龄 differ from the file, as a year later."""
    from django.db.models import F

    from accounts.models import User

    User.objects.filter(years_of_teaching__isnull=False).update(
        years_of_teaching=F("years_of_teaching") + 1
    )


def _import(path: Path) -> dict:
    from schools.services import roster_apply, roster_read, roster_validate

    times, cpu = {}, {}

    def timed(phase, call):
        wall, used = time.perf_counter(), time.process_time()
        result = call()
        times[phase] = time.perf_counter() - wall
        cpu[phase] = time.process_time() - used
        return result

    roster = timed("read", lambda: roster_read(source=path))
    plan = timed("validate", lambda: roster_validate(roster=roster))
    if not plan.ok:
        for error in plan.errors[:20]:
            print("  ", error)
        raise SystemExit(f"the generated roster has {len(plan.errors)} errors")
    counts = timed("apply", lambda: roster_apply(plan=plan))
    return {"rows": roster.row_count, "times": times, "cpu": cpu, "counts": counts}


def _report(title: str, result: dict) -> float:
    rows, times, cpu = result["rows"], result["times"], result["cpu"]
    total = sum(times.values())
    print(f"\n{title}: {rows:,} rows        wall                  this process's CPU")
    for phase in (*times, "total"):
        seconds = total if phase == "total" else times[phase]
        used = sum(cpu.values()) if phase == "total" else cpu[phase]
        print(
            f"  {phase:<9} {seconds:7.2f} s {rows / seconds:10,.0f} rows/s"
            f"   {used:7.2f} s {rows / max(used, 1e-9):10,.0f} rows/s"
        )
    counts = result["counts"]
    print(
        "  counts   "
        + "; ".join(
            f"{kind} +{c['created']} ~{c['updated']} ={c['unchanged']}"
            for kind, c in counts.items()
        )
    )
    return rows / total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teachers", type=int, default=100_000)
    parser.add_argument(
        "--schools", type=int, default=0, help="default: one per 20 teachers"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--file", type=Path, help="use this roster instead")
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="skip the third round"
    )
    args = parser.parse_args(argv)
    schools = args.schools or max(args.teachers // 20, 3)

    with tempfile.TemporaryDirectory(prefix="lianxin-bench-") as tmp:
        tmpdir = Path(tmp)
        path = args.file
        if path is None:
            path = tmpdir / "roster.xlsx"
            start = time.perf_counter()
            _generate(path, args.teachers, schools, args.seed)
            print(
                f"generated {args.teachers:,} teachers in {schools:,} schools "
                f"({path.stat().st_size / 1e6:.1f} MB) in "
                f"{time.perf_counter() - start:.1f} s"
            )
        _setup_django()
        from django.db import connection

        old_name = _create_database(tmpdir, 1)
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        try:
            _reset_peak()
            print(f"RSS before importing (Django loaded): {_rss_mb('VmRSS'):,.0f} MB")
            first = _import(path)
            speed = _report("first import (empty database)", first)
            rss_mb = _rss_mb("VmHWM")
            print(f"  peak RSS {rss_mb:,.0f} MB")
            _reset_peak()
            again = _import(path)
            _report("same file again (all unchanged)", again)
            rss_again = _rss_mb("VmHWM")
            print(f"  peak RSS {rss_again:,.0f} MB")
            rss_mb = max(rss_mb, rss_again)
            written = sum(c["created"] + c["updated"] for c in again["counts"].values())
            assert written == 0, "a second import must change nothing"
            _age_every_teacher()
            _reset_peak()
            yearly = _import(path)
            _report("same file after a year (every 教龄 differs)", yearly)
            assert yearly["counts"]["teachers"]["updated"] > 0
            rss_yearly = _rss_mb("VmHWM")
            print(f"  peak RSS {rss_yearly:,.0f} MB")
            rss_mb = max(rss_mb, rss_yearly)
        finally:
            _destroy_database(old_name)
        print(
            f"\nru_maxrss of the whole run (with migrations): "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB"
        )

        peak_mb = None
        if not args.no_tracemalloc:
            old_name = _create_database(tmpdir, 2)
            try:
                tracemalloc.start()
                _import(path)
                peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
            finally:
                _destroy_database(old_name)
            print(f"tracemalloc peak of a first import: {peak_mb:,.0f} MB")

    ok = speed >= GOAL_ROWS_PER_SECOND and rss_mb <= GOAL_PEAK_MB
    print(
        f"\ngoal >= {GOAL_ROWS_PER_SECOND:,} rows/s within {GOAL_PEAK_MB} MB: "
        + ("met" if ok else "MISSED")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
