"""Benchmark the overdue follow-up sweep and the risk alerts page at 100,000 survivors.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/risk_overdue.py
    DATABASE_URL=... .venv/bin/python bench/risk_overdue.py --survivors 20000 --keep

Creates `aftercare_risk_<random>` beside the database DATABASE_URL names (or reuses one with
--reuse), migrates it, adds N survivors with `aftercare synth` and gives 70% a current risk
with follow-up dates spread over the last four months (bench/caseload.py's `add_risk`). Then it
times `risk.services.flag_overdue_follow_ups` twice, the first run opening the alerts and the
second finding nothing new (what the hourly beat task costs once caught up), and the alerts page
`/risk/alerts/` of the largest organisation. Prints seconds, alerts opened, and p50/p95/p99.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from caseload import add_risk, percentiles  # noqa: E402 - the sibling benchmark's helpers
from synth import admin_sql, with_database  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--survivors", type=int, default=100_000)
    parser.add_argument(
        "--requests", type=int, default=100, help="timed requests of the alerts page"
    )
    parser.add_argument("--reuse", default="", help="an existing benchmark database to reuse")
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if "postgres" not in server_url:
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server: this "
            "benchmark is about the production database."
        )
    os.environ.pop("AFTERCARE_PRODUCTION", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
    name = args.reuse or f"aftercare_risk_{secrets.token_hex(4)}"
    if not args.reuse:
        admin_sql(server_url, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = with_database(server_url, name)

    import django
    from django.core.management import call_command
    from django.db import connection, connections
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    try:
        django.setup()
        from django.conf import settings

        settings.ALLOWED_HOSTS = ["*"]
        from aftercare.accounts.models import Organisation
        from aftercare.accounts.roles import Role
        from aftercare.accounts.services import add_user
        from aftercare.cases.models import Survivor
        from aftercare.risk.models import Alert
        from aftercare.risk.services import flag_overdue_follow_ups

        call_command("migrate", verbosity=0, interactive=False)
        have = Survivor.objects.count()
        if have < args.survivors:
            call_command("synth", survivors=args.survivors - have, seed=7)
        print(f"risk       {add_risk()} survivors given a current risk", file=sys.stderr)
        connection.cursor().execute("ANALYZE")

        sweeps = []
        for _ in range(2):
            started = time.perf_counter()
            opened = flag_overdue_follow_ups()
            sweeps.append((time.perf_counter() - started, opened))

        biggest = Organisation.objects.annotate(n=Count("survivors")).order_by("-n").first()
        user = add_user(
            "bench.risk",
            secrets.token_urlsafe(16),
            biggest,
            Role.CASE_WORKER,
            two_factor_exempt=True,
        )
        client = Client()
        client.force_login(user)
        client.get("/risk/alerts/")  # warm up; this also runs the page's hourly check once
        durations, queries = [], 0
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get("/risk/alerts/")
                durations.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            queries = len(captured)

        open_alerts = Alert.objects.filter(status="open", survivor__organisation=biggest).count()
        print(
            f"database   PostgreSQL {connection.pg_version // 10000} "
            f"({name}); {Survivor.objects.count()} survivors"
        )
        for run, (seconds, opened) in enumerate(sweeps, start=1):
            print(f"overdue sweep, run {run}: {seconds:7.2f} s, {opened} alerts opened")
        print(
            f"alerts page ({biggest.name}, {open_alerts} "
            f"open): {percentiles(durations)}  {queries} queries"
        )
    finally:
        connections.close_all()
        if not args.keep and not args.reuse:
            admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            print(f"kept       {name}", file=sys.stderr)


if __name__ == "__main__":
    main()
