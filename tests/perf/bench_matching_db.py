"""A matching run from the database at scale: profiles in, proposals stored.

    DATABASE_URL=postgres://... .venv/bin/python -m tests.perf.bench_matching_db \
        [--counties 100] [--schools 200] [--helpers 50]

Creates a throwaway test database, fills it with 100 counties of 200 rural
schools (2-4 needs each) and 50 helper schools (capacities 1-6, 4-6
strengths), so 20,000 schools and 5,000 helpers with 50 candidates per
school, then times each step of ``matching_run_execute``: reading the
profiles with ``.values()`` (the engine's input), solving, and storing the
proposals. The engine alone is measured by ``tests.perf.bench_matching``.
"""

from __future__ import annotations

import argparse
import os
import random
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--schools", type=int, default=200, help="per county")
    parser.add_argument("--helpers", type=int, default=50, help="per county")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def run(args) -> None:
    from django.db import connection
    from django.utils import timezone

    from pairing import matching as engine
    from pairing.models import HelperProfile, MatchingRun, Need, NeedProfile, Strength
    from pairing.selectors import matching_input
    from pairing.services.runs import _store_result
    from schools.models import Region, School

    rng = random.Random(20240901)
    subjects = ["chinese", "math", "english", "science", "pe", "music", "art"]
    started = time.perf_counter()
    country = Region.objects.create(code="990000", name="省", level=1, path="/990000/")
    city = Region.objects.create(
        code="990100", name="市", level=2, parent=country, path="/990000/990100/"
    )
    counties = Region.objects.bulk_create(
        Region(
            code=f"98{i:04d}",
            name=f"县{i}",
            level=3,
            parent=city,
            path=f"/990000/990100/98{i:04d}/",
        )
        for i in range(args.counties)
    )
    schools, code = [], 0
    for county in counties:
        lat, lon = rng.uniform(25, 40), rng.uniform(100, 118)
        for kind in ["rural"] * args.schools + ["urban"] * args.helpers:
            code += 1
            schools.append(
                School(
                    code=f"9{code:09d}",
                    name=f"学校{code}",
                    region=county,
                    category="village" if kind == "rural" else "urban",
                    urban_rural_code="220" if kind == "rural" else "111",
                    latitude=round(lat + rng.uniform(-0.3, 0.3), 6),
                    longitude=round(lon + rng.uniform(-0.3, 0.3), 6),
                )
            )
    schools = School.objects.bulk_create(schools, batch_size=2000)
    rural = [s for s in schools if s.urban_rural_code == "220"]
    urban = [s for s in schools if s.urban_rural_code == "111"]
    profiles = NeedProfile.objects.bulk_create(
        (NeedProfile(school=s, needs_on_site=rng.random() < 0.3) for s in rural),
        batch_size=2000,
    )
    Need.objects.bulk_create(
        (
            Need(
                profile=p,
                subject_id=subject,
                stage_id="primary",
                priority=rng.randint(1, 5),
            )
            for p in profiles
            for subject in rng.sample(subjects, rng.randint(2, 4))
        ),
        batch_size=5000,
    )
    helpers = HelperProfile.objects.bulk_create(
        (
            HelperProfile(school=s, capacity=rng.randint(1, 6), max_travel_km=80)
            for s in urban
        ),
        batch_size=2000,
    )
    Strength.objects.bulk_create(
        (
            Strength(
                profile=h,
                subject_id=subject,
                stage_id="primary",
                level=rng.randint(1, 5),
            )
            for h in helpers
            for subject in rng.sample(subjects, rng.randint(4, 6))
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"data: {len(rural):,} rural schools, {Need.objects.count():,} needs, "
        f"{len(helpers):,} helpers, {Strength.objects.count():,} strengths "
        f"({time.perf_counter() - started:.1f} s to create)"
    )

    matching_run = MatchingRun.objects.create(
        region=country, cycle_start=timezone.localdate()
    )
    t0 = time.perf_counter()
    data = matching_input(matching_run)
    t1 = time.perf_counter()
    partners = engine.partners_from_rows(data.partner_rows, data.need_rows)
    helper_list = engine.helpers_from_rows(data.helper_rows, data.strength_rows)
    problem = engine.build_problem(
        partners, helper_list, cross_region_pairs=data.cross_region_pairs
    )
    t2 = time.perf_counter()
    result = engine.solve(problem)
    t3 = time.perf_counter()
    _store_result(matching_run, result)
    t4 = time.perf_counter()
    s = result.summary
    print(f"read profiles (.values()):   {t1 - t0:6.2f} s")
    print(f"build problem:               {t2 - t1:6.2f} s")
    print(f"solve (min-cost flow):       {t3 - t2:6.2f} s")
    print(f"store proposals:             {t4 - t3:6.2f} s")
    print(f"total, profiles to stored:   {t4 - t0:6.2f} s")
    print(
        f"covered {s.covered:,} of {s.to_match:,} (max possible {s.max_coverage:,}); "
        f"candidate pairs {s.candidate_pairs:,}; capacity {s.capacity_total:,}"
    )


if __name__ == "__main__":
    main()
