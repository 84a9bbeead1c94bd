"""Shared fixtures and the rules for tests that need real services.

Tests marked postgres / redis / worker skip on a bare machine with a reason
that says what to start. In CI (`LIANXIN_REQUIRE_SERVICES=1`, set by .ci/run)
a missing service fails the run instead: those tests are never silently
skipped there.
"""

import os
import subprocess
import sys
import threading
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from accounts.factories import UserFactory
from accounts.roles import Role
from schools.factories import RegionFactory, SchoolFactory

REQUIRE_SERVICES = os.environ.get("LIANXIN_REQUIRE_SERVICES") == "1"


def _missing(item) -> str | None:
    marks = {m.name for m in item.iter_markers()}
    if marks & {"postgres", "worker"} and connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://127.0.0.1:5432/lianxin"
    if marks & {"redis", "worker"} and not settings.CELERY_BROKER_URL.startswith(
        "redis"
    ):
        return "needs Redis: set CELERY_BROKER_URL=redis://127.0.0.1:6379/0"
    return None


def pytest_runtest_setup(item):
    reason = _missing(item)
    if reason is None:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def transactional_db(transactional_db, django_db_serialized_rollback):
    """Transactional tests (worker, concurrency) restore the database after.

    A transactional test ends by flushing every table, which would also wipe
    the rows the data migrations made (roles, subjects, stages, honours, the
    home page) for every test after it. Serialized rollback puts them back.
    """
    return transactional_db


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Tasks run in process (eagerly, at commit), as with no broker set, even
    when CI sets CELERY_BROKER_URL; tests marked ``worker`` send them to a
    real worker process instead."""
    from config.celery import app as celery_app

    if request.node.get_closest_marker("worker"):
        yield
        return
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _chinese_first():
    """Each test starts in the site's default language, Simplified Chinese.

    A request with Accept-Language: en leaves English active in the thread;
    without this, a later test's messages would depend on test order.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def county(db):
    """宁城县 with its province and city, and two townships."""
    province = RegionFactory(code="150000", name="内蒙古自治区", level=1)
    city = RegionFactory(code="150400", name="赤峰市", level=2, parent=province)
    county = RegionFactory(code="150429", name="宁城县", level=3, parent=city)
    for code, name in [("150429100", "天义镇"), ("150429101", "小城子镇")]:
        RegionFactory(code=code, name=name, level=4, parent=county)
    return county


@pytest.fixture
def other_county(db):
    """略阳县, in another province."""
    province = RegionFactory(code="610000", name="陕西省", level=1)
    city = RegionFactory(code="610700", name="汉中市", level=2, parent=province)
    return RegionFactory(code="610727", name="略阳县", level=3, parent=city)


@pytest.fixture
def school(county):
    return SchoolFactory(code="2150429001", name="宁城县天义镇中心小学", region=county)


@pytest.fixture
def reviewer(county):
    return UserFactory(username="reviewer", region=county, roles=[Role.REVIEWER])


@pytest.fixture
def platform_admin(db):
    return UserFactory(username="padmin", roles=[Role.PLATFORM_ADMIN])


def _database_url() -> str:
    """The URL of the database this test run uses (the test database)."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = f"{auth}@" if auth else ""
    host += f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{host}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    """A real `celery -A config worker` on the test database and broker.

    For tests marked ``worker``: request ``transactional_db`` data so the
    worker sees it (committed), enqueue with .delay(), and poll the database.
    The worker is stopped when the test ends.
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    command = [
        sys.executable,
        *("-m", "celery", "-A", "config", "worker"),
        *("--pool=solo", "--concurrency=1", "-Q", "celery", "--loglevel=INFO"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        *("-n", f"pytest-{os.getpid()}@%h"),
    ]
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in process.stdout:
            output.append(line)
            if " ready." in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + 60
    while not ready.is_set() and process.poll() is None:
        if time.monotonic() > deadline:
            break
        ready.wait(0.2)
    if not ready.is_set():
        process.kill()
        pytest.fail("celery worker did not start:\n" + "".join(output[-40:]))
    process.output = output
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
