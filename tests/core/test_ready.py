"""/ready answers 503 and names the dependency that did not answer."""

import time

import pytest

from aftercare.core import probes


def ok():
    return None


def refused():
    raise ConnectionRefusedError("connection refused by redis://:secret@127.0.0.1:6379/5")


def hangs():
    time.sleep(5)


@pytest.fixture
def checks(monkeypatch):
    fake = {"database": ok, "cache": ok, "broker": ok}
    monkeypatch.setattr(probes, "CHECKS", fake)
    return fake


def test_ready_when_every_dependency_answers(client, checks):
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }


def test_a_broker_that_refuses_is_named_without_its_address(client, checks):
    checks["broker"] = refused
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]
    assert response.json()["checks"]["broker"] == "error: ConnectionRefusedError"
    assert "secret" not in response.content.decode()


def test_a_database_that_hangs_fails_within_the_deadline(client, checks, monkeypatch):
    monkeypatch.setattr(probes, "TIMEOUT_SECONDS", 0.2)
    checks["database"] = hangs
    started = time.monotonic()
    response = client.get("/ready")
    assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert response.json()["checks"]["database"] == "timeout"


@pytest.mark.django_db(transaction=True)
def test_the_real_checks_pass_on_the_test_configuration(client):
    response = client.get("/ready")
    assert response.status_code == 200, response.content
