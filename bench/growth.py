"""How the key pages and API calls grow with the number of survivors: 10,000 then 100,000 (then
1,000,000).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/growth.py
    DATABASE_URL=... .venv/bin/python bench/growth.py --sizes 10000,100000,1000000 --requests 20

Creates `aftercare_growth_<random>` beside the database DATABASE_URL names, and for each size
in turn adds survivors with `aftercare synth` up to that size (70% with a current risk, as in
bench/caseload.py), runs VACUUM ANALYZE as autovacuum would, and times in-process, through the
whole middleware stack with Django's test client, as a case worker of the largest organisation:
dashboard, caseload (50 rows, by risk), a case page with a full history, the directory API,
the survivors API (50 rows), and the survivors API searching by case code and by exact name
(the blind index). Prints, per endpoint and size, the median request time, the number of
queries and the slowest query's time, then the growth factor from the first size to the last.
An index-served query stays flat (or grows with the log of the size); a scan grows with it.
The sizes are cumulative: the caseload grows with the network, about 1/9 of all survivors.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from caseload import add_risk  # noqa: E402 - the sibling benchmark's helpers
from synth import admin_sql, with_database  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument(
        "--requests", type=int, default=30, help="timed requests per endpoint and size"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database afterwards (for --reuse)"
    )
    parser.add_argument(
        "--reuse", default="", help="an existing growth database: synth only what is missing"
    )
    parser.add_argument(
        "--clone-above",
        type=int,
        default=0,
        help="past this many survivors, add more by copying those present in SQL instead of synth",
    )
    parser.add_argument("--clone-without-search-keys", action="store_true")
    parser.add_argument(
        "--only", default="", help="semicolon-separated endpoint labels to time (default: all)"
    )
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
    # Copying hundreds of thousands of survivors in one statement takes longer than a request may.
    os.environ["AFTERCARE_STATEMENT_TIMEOUT_MS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
    name = args.reuse or f"aftercare_growth_{secrets.token_hex(4)}"
    if not args.reuse:
        admin_sql(server_url, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = with_database(server_url, name)

    import django
    from django.core.management import call_command
    from django.db import connection, connections
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    sizes = [int(size) for size in args.sizes.split(",")]
    try:
        django.setup()
        from django.conf import settings

        settings.ALLOWED_HOSTS = ["*"]
        from aftercare.accounts.models import ApiToken, Organisation, User
        from aftercare.accounts.roles import Role
        from aftercare.accounts.services import add_user
        from aftercare.cases.models import Survivor
        from aftercare.core.policy import Actor
        from aftercare.demo import history as demo_history

        call_command("migrate", verbosity=0, interactive=False)
        results: dict[str, dict[int, tuple[float, int, float]]] = {}
        user = client = api = None
        samples: list = []
        for size in sizes:
            have = Survivor.objects.count()
            if have < size and args.clone_above and have >= args.clone_above:
                started = time.perf_counter()
                clone_survivors(connection, size, search_keys=not args.clone_without_search_keys)
                print(
                    f"clone      {size - have} survivors (to {size}) in "
                    f"{time.perf_counter() - started:.0f} s",
                    file=sys.stderr,
                )
                connection.cursor().execute("VACUUM ANALYZE")
            elif have < size:
                started = time.perf_counter()
                call_command(
                    "synth",
                    survivors=size - have,
                    seed=size,
                    stdout=open(os.devnull, "w"),  # noqa: SIM115
                    stderr=open(os.devnull, "w"),  # noqa: SIM115
                )
                add_risk()
                print(
                    f"synth      {size - have} survivors (to {size}) in "
                    f"{time.perf_counter() - started:.0f} s",
                    file=sys.stderr,
                )
                connection.cursor().execute("VACUUM ANALYZE")
            elif have > size:
                print(
                    f"skip       {size}: the database already holds {have} survivors",
                    file=sys.stderr,
                )
                continue
            if user is None and args.reuse:
                user = User.objects.filter(username="bench.worker").first()
                if user is not None:
                    biggest = user.memberships.first().organisation
                    # The cases given a history on the first run (their consents were recorded by
                    # someone).
                    samples = list(
                        Survivor.objects.filter(
                            organisation=biggest, consents__recorded_by__isnull=False
                        )
                        .distinct()
                        .order_by("case_code")[:20]
                    )
                    client = Client()
                    client.force_login(user)
                    raw, _ = ApiToken.issue(user)
                    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
            if user is None:
                biggest = Organisation.objects.annotate(n=Count("survivors")).order_by("-n").first()
                user = add_user(
                    "bench.worker",
                    secrets.token_urlsafe(16),
                    biggest,
                    Role.CASE_WORKER,
                    two_factor_exempt=True,
                )
                worker = Actor(user=user, organisation=biggest, role=Role.CASE_WORKER)
                samples = list(
                    Survivor.objects.filter(
                        organisation=biggest, status__in=["active", "stable"]
                    ).order_by("case_code")[:20]
                )
                providers = demo_history.providers_by_domain()
                rng = random.Random(3)
                for survivor in samples:
                    demo_history.give_history(rng, worker, survivor, providers)
                client = Client()
                client.force_login(user)
                raw, _ = ApiToken.issue(user)
                api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
            probe = (
                Survivor.objects.filter(organisation=user.memberships.first().organisation)
                .order_by("-created_at")
                .first()
            )
            endpoints = {
                "dashboard": (client, ["/dashboard/"]),
                "caseload (50, by risk)": (client, ["/cases/?order=risk"]),
                "caseload, whole organisation": (client, ["/cases/?order=risk&scope=all"]),
                "case page": (client, [f"/cases/{s.pk}/" for s in samples]),
                "case panel: risk": (client, [f"/cases/{s.pk}/panels/risk/" for s in samples]),
                "case panel: livelihood": (
                    client,
                    [f"/cases/{s.pk}/panels/livelihood/" for s in samples],
                ),
                "case panel: history": (
                    client,
                    [f"/cases/{s.pk}/panels/history/" for s in samples],
                ),
                "search page, case code": (client, [f"/cases/?q={probe.case_code}"]),
                "search page, exact name": (
                    client,
                    [f"/cases/?q={probe.given_name}%20{probe.family_name}"],
                ),
                "my-work API": (api, ["/api/v1/my-work"]),
                "directory page": (client, ["/network/?service=housing"]),
                "directory API": (api, ["/api/v1/organisations?service=housing,medical&region=za"]),
                "survivors API (50)": (api, ["/api/v1/survivors?limit=50"]),
                "survivors API, case code": (api, [f"/api/v1/survivors?q={probe.case_code}"]),
                "survivors API, exact name": (
                    api,
                    [f"/api/v1/survivors?q={probe.given_name}%20{probe.family_name}"],
                ),
            }
            only = [label.strip() for label in args.only.split(";") if label.strip()]
            for label, (c, urls) in endpoints.items():
                if only and label not in only:
                    continue
                for url in urls[:3]:
                    c.get(url)
                durations, slowest, queries = [], 0.0, 0
                for i in range(args.requests):
                    url = urls[i % len(urls)]
                    with CaptureQueriesContext(connection) as captured:
                        began = time.perf_counter()
                        response = c.get(url)
                        durations.append((time.perf_counter() - began) * 1000)
                    assert response.status_code == 200, (url, response.status_code)
                    queries = len(captured)
                    slowest = max(
                        slowest, max(float(q["time"]) for q in captured.captured_queries) * 1000
                    )
                results.setdefault(label, {})[size] = (
                    statistics.median(durations),
                    queries,
                    slowest,
                )
                print(
                    f"{size:>8} {label:<28} median {statistics.median(durations):7.1f} "
                    f"ms  {queries:3d} queries  slowest query {slowest:6.1f} ms",
                    file=sys.stderr,
                )
        print(
            f"\nPostgreSQL {connection.pg_version // 10000}; {args.requests} "
            "requests per cell; median request ms (queries; slowest query ms)\n"
        )
        print(
            "| endpoint | "
            + " | ".join(f"{size:,}" for size in sizes)
            + f" | {sizes[-1] // sizes[0]}x data |"
        )
        print("|---|" + "---:|" * (len(sizes) + 1))
        for label, by_size in results.items():
            cells = [f"{by_size[s][0]:.1f} ({by_size[s][1]}; {by_size[s][2]:.1f})" for s in sizes]
            print(
                f"| {label} | "
                + " | ".join(cells)
                + f" | x{by_size[sizes[-1]][0] / by_size[sizes[0]][0]:.2f} |"
            )
    finally:
        connections.close_all()
        if args.keep or args.reuse:
            print(f"kept       {name}", file=sys.stderr)
        else:
            admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def clone_survivors(connection, size: int, search_keys: bool = True) -> None:
    """Copy the survivors present (with their search keys, current risk and `create` event) under
    new ids and case codes until there are `size`: the same profiles, encrypted names and
    organisations, so the network and each caseload grow as with synth, in minutes instead of
    the hour synth's per-row encryption needs on a shared machine. A copy's keys are its
    original's, under the same organisation (the key row's own, which a search reads). Without
    `search_keys` the copies get no name search keys (and are found by name only through the
    originals)."""
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = "
            "'cases_survivor' "
            "AND column_name NOT IN ('id', 'case_code') ORDER BY ordinal_position"
        )
        columns = ", ".join(row[0] for row in cursor.fetchall())
        copy = 0
        while True:
            cursor.execute("SELECT count(*) FROM cases_survivor")
            have = cursor.fetchone()[0]
            if have >= size:
                return
            cursor.execute(
                "SELECT count(*) FROM cases_survivor WHERE case_code ~ '^AC-[A-Z0-9]{7}$'"
            )
            copy = max(
                copy + 1, round(have / cursor.fetchone()[0])
            )  # a new suffix, also when resumed
            cursor.execute("DROP TABLE IF EXISTS clone_map, clone_assessment")
            cursor.execute(
                "CREATE TEMP TABLE clone_map AS SELECT id AS old, gen_random_uuid() AS new FROM "
                "cases_survivor "
                "WHERE case_code ~ '^AC-[A-Z0-9]{7}$' ORDER BY created_at LIMIT %s",
                [size - have],
            )
            suffix = f"{copy:02d}"
            cursor.execute(
                f"INSERT INTO cases_survivor (id, case_code, {columns}) "  # noqa: S608 - column names from the catalogue
                f"SELECT m.new, s.case_code || '{suffix}', "
                f"{columns.replace('merged_into_id', 'NULL')} "
                "FROM clone_map m JOIN cases_survivor s ON s.id = m.old"
            )
            # 25 a survivor: the slowest part by far (5 minutes a copy of 116,000 on the shared
            # machine)
            if search_keys:
                cursor.execute(
                    "INSERT INTO cases_searchkey (key, survivor_id, organisation_id) "
                    "SELECT k.key, m.new, k.organisation_id FROM clone_map m "
                    "JOIN cases_searchkey k ON k.survivor_id = m.old"
                )
            cursor.execute(
                "CREATE TEMP TABLE clone_assessment AS SELECT a.id AS old, gen_random_uuid() AS "
                "new, m.new AS survivor "
                "FROM clone_map m JOIN risk_assessment a ON a.survivor_id = m.old"
            )
            cursor.execute(
                "INSERT INTO risk_assessment (id, answers, contributions, score, level, "
                "forced_by, assessed_at, "
                "next_follow_up, created_at, assessed_by_id, survivor_id, instrument_id) "
                "SELECT c.new, a.answers, a.contributions, a.score, a.level, a.forced_by, "
                "a.assessed_at, "
                "a.next_follow_up, a.created_at, a.assessed_by_id, c.survivor, a.instrument_id "
                "FROM clone_assessment c JOIN risk_assessment a ON a.id = c.old"
            )
            cursor.execute(
                "INSERT INTO risk_survivorrisk (survivor_id, level, rank, score, last_assessed, "
                "next_follow_up, "
                "assessment_id) SELECT c.survivor, r.level, r.rank, r.score, r.last_assessed, "
                "r.next_follow_up, c.new "
                "FROM clone_assessment c JOIN risk_survivorrisk r ON r.assessment_id = c.old"
            )
            cursor.execute(
                "INSERT INTO audit_auditevent (id, at, actor_id, actor_username, actor_role, "
                "organisation_id, action, "
                "object_type, object_id, object_label, case_id, fields, reason, request_id, "
                "ip_address) "
                "SELECT gen_random_uuid(), e.at, e.actor_id, e.actor_username, e.actor_role, "
                "e.organisation_id, "
                "e.action, e.object_type, m.new::text, e.object_label || %s, m.new, e.fields, "
                "e.reason, "
                "e.request_id, e.ip_address FROM clone_map m "
                "JOIN audit_auditevent e ON e.object_id = m.old::text AND e.action = 'create'",
                [suffix],
            )
            print(f"clone      copy {copy}: {have:,} survivors before", file=sys.stderr)


if __name__ == "__main__":
    main()
