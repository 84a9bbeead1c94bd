import pytest

from config import health

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_check(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    body = resp.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "cache"}
    assert all(c["ok"] for c in body["checks"].values())


def test_healthz_is_503_when_a_dependency_fails(client, settings):
    # A broker nobody listens on: the check must fail, quickly, not hang.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    resp = client.get("/healthz")
    assert resp.status_code == 503
    body = resp.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


def test_every_check_is_reported_by_name():
    assert list(health.CHECKS) == ["database", "broker", "cache"]
