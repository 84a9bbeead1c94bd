"""Throughput of the training catalog beside a minimal Django view.

    .venv/bin/python -m tests.perf.bench_catalog [--programmes 500] [--seconds 5]
        [--workers 2] [--clients 4] [--port 8106]

Builds a throwaway SQLite database (migrations, the demo catalogs of
cms.demo, plus ``--programmes`` programme pages in the county catalog), starts
gunicorn on loopback with that database, and for each URL runs ``--clients``
threads issuing requests for ``--seconds`` (bounded loops, a fresh connection
per request as a phone browser on a thin link would). Every URL is served by
the same server in the same run, so the numbers compare like with like:

- a minimal Django view (``HttpResponse("ok")`` through the full middleware
  stack) — the ceiling;
- the catalog for an anonymous visitor (served from the anonymous cache after
  the first request; see cms.caching), with and without filters;
- the catalog for a signed-in teacher (never cached: the cards say what *this*
  teacher can do), and a programme page.

Goal: the anonymous catalog at half the minimal view's rate or better.
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[2]
SETTINGS = "tests.perf.bench_settings"


def _env(db_path: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": f"sqlite:///{db_path}",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "WARNING",
    }


def build(db_path: Path, programmes: int) -> dict:
    """Migrate and fill the database; return a signed-in teacher's cookie."""
    env = _env(db_path)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True
    )
    os.environ.update(env)
    import django

    django.setup()
    from django.test import Client

    from accounts.factories import UserFactory
    from accounts.roles import Role
    from cms import demo
    from cms.models import TrainingCatalogPage
    from courses.models import Level
    from schools.factories import SchoolFactory
    from schools.models import Region, School
    from tests.cms.pages import bulk_programme_pages

    demo.seed(stdout=None)
    county = TrainingCatalogPage.objects.get(level=Level.COUNTY)
    bulk_programme_pages(county, programmes, summary="面向全县乡村学校教师的培训项目")
    town = Region.objects.get(code="510623")
    school = SchoolFactory(
        code="2151062377",
        name="中江县凯江镇石垭小学",
        region=town,
        category=School.Category.VILLAGE,
        urban_rural_code=School.UrbanRural.VILLAGE,
    )
    teacher = UserFactory(username="bench-teacher", school=school)
    teacher.groups.add(*_groups(Role.RURAL_TEACHER))
    client = Client()
    client.force_login(teacher)
    return {"sessionid": client.cookies["sessionid"].value}


def _groups(role):
    from django.contrib.auth.models import Group

    return Group.objects.filter(name=role.value)


def serve(db_path: Path, port: int, workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=_env(db_path),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _ = fetch(port, "/__bench/minimal/")
            if status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def fetch(port: int, path: str, cookie: str = "") -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "localhost", "Accept-Language": "zh-hans"}
    if cookie:
        headers["Cookie"] = cookie
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, len(body)


def rate(port: int, path: str, seconds: float, clients: int, cookie: str = ""):
    status, size = fetch(port, path, cookie)  # warm up (and fill the cache)
    assert status == 200, (path, status)
    counts = [0] * clients
    errors = [0] * clients
    stop = time.monotonic() + seconds

    def loop(i):
        while time.monotonic() < stop:
            code, _ = fetch(port, path, cookie)
            counts[i] += 1
            errors[i] += code != 200

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return sum(counts) / elapsed, sum(errors), size


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--port", type=int, default=8106)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="lianxin-bench-") as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        t0 = time.monotonic()
        cookies = build(db_path, args.programmes)
        print(
            f"built database with demo + {args.programmes} programmes "
            f"in {time.monotonic() - t0:.1f} s"
        )
        server = serve(db_path, args.port, args.workers)
        try:
            from cms.models import ProgrammePage

            programme_url = ProgrammePage.objects.live().first().url
            teacher = f"sessionid={cookies['sessionid']}"
            cases = [
                ("minimal Django view", "/__bench/minimal/", ""),
                ("catalog, anonymous", "/training/", ""),
                (
                    "catalog, anonymous, filtered",
                    "/training/?status=open&subject=english&page=2",
                    "",
                ),
                ("catalog search, anonymous", "/training/?q=乡村+英语", ""),
                ("catalog, signed-in teacher", "/training/", teacher),
                ("programme page, anonymous", programme_url, ""),
            ]
            results = []
            for label, path, cookie in cases:
                path = quote(path, safe="/?=&+")
                results.append(
                    (label, *rate(args.port, path, args.seconds, args.clients, cookie))
                )
        finally:
            server.terminate()
            server.wait(timeout=10)

    base = results[0][1]
    print(
        f"\ngunicorn, {args.workers} sync workers, {args.clients} client threads, "
        f"{args.seconds:.0f} s per URL, SQLite, {args.programmes} extra programmes"
    )
    print(f"{'URL':32} {'req/s':>8} {'vs minimal':>11} {'bytes':>8} {'errors':>7}")
    for label, per_second, errors, size in results:
        print(
            f"{label:32} {per_second:8.0f} {per_second / base:10.0%} {size:8d} "
            f"{errors:7d}"
        )
    anonymous = results[1][1] / base
    verdict = "met" if anonymous >= 0.5 else "NOT met"
    print(f"\ngoal (anonymous catalog >= 50 % of minimal): {verdict} ({anonymous:.0%})")
    return 0 if all(r[2] == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
