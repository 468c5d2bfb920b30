"""Benchmark the caseload (50 rows sorted by risk) and the case page at 100,000 survivors.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/caseload.py
    DATABASE_URL=... .venv/bin/python bench/caseload.py --survivors 100000 --keep     # keep the
    database
    DATABASE_URL=... .venv/bin/python bench/caseload.py --reuse aftercare_caseload_ab12cd34

Creates `aftercare_caseload_<random>` beside the database DATABASE_URL names (or reuses one),
migrates it, adds N survivors with `aftercare synth`, gives 70% of them a current
re-trafficking risk (bulk), and gives 60 cases of the largest organisation a full history
(consents, needs, plan, services, notes, risk, referrals). Then it times, in-process through
the whole middleware stack with Django's test client:
  - the caseload page `/cases/?order=risk` (50 rows) and the API `/api/v1/survivors?limit=50`
  - the case page `/cases/<id>/` of the 60 cases with history
and prints p50/p95/p99 in milliseconds and the number of queries per request.
Targets (issue 4): p95 under 100 ms for the caseload and under 150 ms for the case page.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import admin_sql, with_database  # noqa: E402 - the sibling benchmark's helpers


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--survivors", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per endpoint")
    parser.add_argument("--reuse", default="", help="an existing benchmark database to reuse")
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args()


class QueryCounter:
    """Counts the queries run on a connection while installed (`connection.execute_wrapper`).

    Not CaptureQueriesContext: that slices Django's query log, which keeps only the last
    9,000 queries, so once the log is full every request appeared to run 0 queries.
    """

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {statistics.median(ordered):6.1f}  p95 {pick(0.95):6.1f}  p99 {pick(0.99):6.1f} ms"


def add_risk(share: float = 0.7) -> int:
    from django.db import transaction
    from django.utils import timezone

    from aftercare.cases.models import Survivor
    from aftercare.risk.models import Assessment, Instrument, SurvivorRisk

    instrument = Instrument.objects.filter(active=True).first()
    levels = [("low", 1, 2.0, 90), ("medium", 2, 6.0, 30), ("high", 3, 11.0, 7)]
    rng = random.Random(11)
    ids = list(Survivor.objects.filter(current_risk__isnull=True).values_list("pk", flat=True))
    ids = [pk for pk in ids if rng.random() < share]
    now = timezone.now()
    for start in range(0, len(ids), 5000):
        with transaction.atomic():
            assessments, currents = [], []
            for pk in ids[start : start + 5000]:
                level, rank, score, days = rng.choices(levels, weights=[55, 30, 15])[0]
                when = now - timedelta(days=rng.randint(0, 120))
                due = (when + timedelta(days=days)).date()
                assessment = Assessment(
                    survivor_id=pk,
                    instrument=instrument,
                    score=score,
                    level=level,
                    assessed_at=when,
                    next_follow_up=due,
                )
                assessments.append(assessment)
                currents.append(
                    SurvivorRisk(
                        survivor_id=pk,
                        assessment=assessment,
                        level=level,
                        rank=rank,
                        score=score,
                        last_assessed=when,
                        next_follow_up=due,
                    )
                )
            Assessment.objects.bulk_create(assessments)
            SurvivorRisk.objects.bulk_create(currents)
    from django.db import connection

    with (
        connection.cursor() as cursor
    ):  # the caseload's copy, as risk.services.save_assessment keeps it
        cursor.execute(
            "UPDATE cases_survivor s SET risk_rank = r.rank, risk_due = r.next_follow_up "
            "FROM risk_survivorrisk r WHERE r.survivor_id = s.id AND s.risk_rank = 0"
        )
    return len(ids)


def main() -> None:
    args = parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if "postgres" not in server_url:
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server: this "
            "benchmark is about the production database."
        )
    os.environ.pop("AFTERCARE_PRODUCTION", None)
    os.environ["AFTERCARE_STATEMENT_TIMEOUT_MS"] = (
        "0"  # the bulk load takes longer than a request may
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
    name = args.reuse or f"aftercare_caseload_{secrets.token_hex(4)}"
    if not args.reuse:
        admin_sql(server_url, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = with_database(server_url, name)

    import django
    from django.core.management import call_command
    from django.db import connection, connections
    from django.db.models import Count
    from django.test import Client

    try:
        django.setup()
        from django.conf import settings

        settings.ALLOWED_HOSTS = ["*"]
        from aftercare.accounts.models import ApiToken, Organisation
        from aftercare.accounts.roles import Role
        from aftercare.accounts.services import add_user
        from aftercare.cases.models import Survivor
        from aftercare.core.policy import Actor
        from aftercare.demo import history as demo_history

        call_command("migrate", verbosity=0, interactive=False)
        have = Survivor.objects.count()
        if have < args.survivors:
            started = time.perf_counter()
            call_command("synth", survivors=args.survivors - have, seed=5)
            print(
                f"synth      {args.survivors - have} survivors "
                f"in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
        print(f"risk       {add_risk()} survivors given a current risk", file=sys.stderr)
        biggest = Organisation.objects.annotate(n=Count("survivors")).order_by("-n").first()
        user = add_user(
            "bench.worker",
            secrets.token_urlsafe(16),
            biggest,
            Role.CASE_WORKER,
            two_factor_exempt=True,
        )
        worker = Actor(user=user, organisation=biggest, role=Role.CASE_WORKER)
        rng = random.Random(3)
        providers = demo_history.providers_by_domain()
        samples = list(
            Survivor.objects.filter(organisation=biggest, status__in=["active", "stable"]).order_by(
                "case_code"
            )[:60]
        )
        for survivor in samples:
            if not survivor.needs_assessments.exists():
                demo_history.give_history(rng, worker, survivor, providers)
        cases_total = Survivor.objects.count()
        caseload_size = Survivor.objects.filter(organisation=biggest).count()
        connection.cursor().execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load

        client = Client()
        client.force_login(user)
        raw, _ = ApiToken.issue(user)
        api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

        def timed(c, urls):
            durations, queries = [], 0
            for url in urls[:3]:
                c.get(url)  # warm up
            for url in urls:
                counter = QueryCounter()
                with connection.execute_wrapper(counter):
                    started = time.perf_counter()
                    response = c.get(url)
                    durations.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                queries = counter.count
            return durations, queries

        n = args.requests
        results = {
            "caseload page /cases/?order=risk": timed(client, ["/cases/?order=risk"] * n),
            "caseload page, follow-ups due first": timed(client, ["/cases/?order=due"] * n),
            "caseload API ?limit=50": timed(api, ["/api/v1/survivors?limit=50"] * n),
            "case page /cases/<id>/": timed(
                client, [f"/cases/{samples[i % len(samples)].pk}/" for i in range(n)]
            ),
        }
        print(
            f"database   PostgreSQL {connection.pg_version // 10000} ({name}); {cases_total} "
            f"survivors; caseload of {biggest.name}: {caseload_size} cases; {n} requests each"
        )
        for label, (durations, queries) in results.items():
            print(f"{label:<38} {percentiles(durations)}  {queries} queries")
    finally:
        connections.close_all()
        if not args.keep and not args.reuse:
            admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            print(f"kept       {name}", file=sys.stderr)


if __name__ == "__main__":
    main()
