"""Reports read from the replica when one is configured, everything else from the primary;
long work goes to the bulk queue, the rest to the interactive one."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from aftercare.core import routers
from tests.conftest import actor
from tests.factories import SurvivorFactory


def test_the_router_reads_from_the_replica_only_inside_a_report(monkeypatch):
    from aftercare.cases.models import Survivor

    router = routers.ReplicaRouter()
    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    assert router.db_for_read(Survivor) == "default"
    with routers.reading_from_replica():
        assert router.db_for_read(Survivor) == "replica"
        assert router.db_for_write(Survivor) == "default"
    assert router.db_for_read(Survivor) == "default"
    assert router.allow_migrate("default", "cases") and not router.allow_migrate("replica", "cases")
    monkeypatch.setattr(routers, "replica_configured", lambda: False)
    with routers.reading_from_replica():
        assert router.db_for_read(Survivor) == "default"


@pytest.fixture
def reads(monkeypatch):
    """Every read routed: (model, whether it was inside a report)."""
    seen = []

    def record(self, model, **hints):
        seen.append((model._meta.label, routers._on_replica.get()))
        return "default"

    monkeypatch.setattr(routers.ReplicaRouter, "db_for_read", record)
    return seen


@pytest.mark.django_db
def test_the_report_builders_read_inside_the_replica_block(reads, org_a):
    from aftercare.accounts.roles import Role
    from aftercare.cases.counting import scope_for
    from aftercare.reports import indicators
    from tests.conftest import member

    SurvivorFactory(organisation=org_a)
    supervisor = actor(member(org_a, Role.SUPERVISOR, "sup_r"))
    scope = scope_for(supervisor)
    reads.clear()
    indicators.build(scope, date(2025, 1, 1), date(2025, 12, 31))
    assert reads and all(inside for _model, inside in reads)


@pytest.mark.django_db
def test_a_case_workers_pages_read_from_the_primary(reads, web_login, case_worker_a, org_a):
    SurvivorFactory(organisation=org_a)
    client = web_login(case_worker_a)
    reads.clear()
    assert client.get("/cases/").status_code == 200
    assert not any(inside for _model, inside in reads)


def test_a_replica_url_adds_the_replica_database_with_the_primarys_bounds():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='aftercare.settings'; "
        "django.setup();from django.conf import settings; d = "
        "settings.DATABASES;print(d['replica']['PORT'], "
        "d['replica']['OPTIONS'].get('options'), d['replica']['TEST']['MIRROR'])"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AFTERCARE_", "DATABASE_"))}
    env = {
        **clean,
        "DATABASE_URL": "postgres://a@127.0.0.1:5432/x",
        "DATABASE_REPLICA_URL": "postgres://a@127.0.0.1:5433/x",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["5433", "-c", "statement_timeout=10000", "default"]


def test_exports_and_imports_go_to_the_bulk_queue_and_the_rest_to_interactive():
    from aftercare.celery import app

    def queue(name):
        return app.amqp.router.route({}, name)["queue"].name

    assert queue("aftercare.reports.tasks.run_export") == "bulk"
    assert queue("aftercare.cases.tasks.commit_import") == "bulk"
    assert queue("aftercare.interop.tasks.commit_htcds_import") == "bulk"
    assert queue("aftercare.core.notify.send_notification") == "interactive"
    assert queue("aftercare.referrals.tasks.sweep_deadlines") == "interactive"
