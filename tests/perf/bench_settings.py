"""Settings of tests/perf/bench_catalog.py: the test settings plus a minimal
view to compare the catalog with, served by the same server."""

from config.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.perf.bench_urls"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
