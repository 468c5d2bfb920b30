"""A web request cannot hold the database: every statement it runs is bounded (PostgreSQL)."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.db.utils import DatabaseError

from aftercare.cases.models import Survivor
from tests.core.test_settings import start

needs_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the statement timeout is PostgreSQL's; set DATABASE_URL to run this",
)


def test_settings_bound_statements_and_fetch_client_side():
    import subprocess
    import sys

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='aftercare.settings'; "
        "django.setup();from django.conf import settings; d "
        "= settings.DATABASES['default'];print(d['OPTIONS'].get('options'), "
        "d.get('DISABLE_SERVER_SIDE_CURSORS'))"
    )
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("AFTERCARE_", "DATABASE_URL"))
    }
    env = {
        **clean,
        "DATABASE_URL": "postgres://a@127.0.0.1:5432/x",
        "AFTERCARE_STATEMENT_TIMEOUT_MS": "1234",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["-c", "statement_timeout=1234", "True"]
    env["AFTERCARE_STATEMENT_TIMEOUT_MS"] = "0"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["None", "False"]


def test_the_command_line_has_no_statement_timeout_but_the_server_keeps_it(monkeypatch):
    from aftercare import cli

    seen = {}
    monkeypatch.delenv("AFTERCARE_STATEMENT_TIMEOUT_MS", raising=False)
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line",
        lambda argv: seen.update(timeout=os.environ.get("AFTERCARE_STATEMENT_TIMEOUT_MS")),
    )
    cli.main(["aftercare", "runserver"])
    assert seen["timeout"] is None
    cli.main(["aftercare", "synth"])
    assert seen["timeout"] == "0"
    assert start({}).returncode == 0


@needs_postgresql
@pytest.mark.django_db
def test_a_statement_longer_than_the_timeout_is_stopped():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] not in ("0", "0ms")
        cursor.execute("SET LOCAL statement_timeout = 200")
        with pytest.raises((OperationalError, DatabaseError)):
            cursor.execute("SELECT pg_sleep(3)")


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_iterating_a_queryset_in_a_request_uses_no_server_side_cursor():
    assert settings.DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        list(Survivor.objects.all().iterator())
    assert not any("DECLARE" in q["sql"].upper() for q in queries)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_task_lifts_the_timeout():
    from aftercare.celery import lift_statement_timeout

    lift_statement_timeout()
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
        cursor.execute(f"SET statement_timeout = {settings.AFTERCARE_STATEMENT_TIMEOUT_MS}")


def test_a_worker_streams_through_server_side_cursors(monkeypatch):
    from aftercare.celery import allow_server_side_cursors

    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    allow_server_side_cursors()
    assert connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] is False


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_iterates_with_a_server_side_cursor(monkeypatch):
    from django.test.utils import CaptureQueriesContext

    from aftercare.celery import allow_server_side_cursors

    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    allow_server_side_cursors()
    with CaptureQueriesContext(connection) as queries:
        list(Survivor.objects.all().iterator(chunk_size=100))
    assert any("DECLARE" in q["sql"].upper() for q in queries)


@pytest.mark.django_db
def test_a_task_called_outside_a_worker_keeps_the_web_bounds(monkeypatch):
    """Calling a task's function directly (a view, a test, the shell) is not a worker: the
    process must keep its statement timeout and client-side cursors afterwards."""
    from celery import shared_task

    from aftercare import celery as celery_app

    lifted = []
    monkeypatch.setattr(celery_app, "lift_statement_timeout", lambda: lifted.append("timeout"))
    monkeypatch.setattr(celery_app, "allow_server_side_cursors", lambda: lifted.append("cursors"))

    @shared_task
    def noop():
        return "done"

    assert noop() == "done"
    assert lifted == []
    monkeypatch.setattr(celery_app, "IN_WORKER", True)
    assert noop() == "done"
    assert lifted == ["timeout", "cursors"]
