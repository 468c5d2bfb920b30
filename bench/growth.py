"""How the key pages and API calls grow with the number of survivors: 10,000 then 100,000 (then 1,000,000).

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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per endpoint and size")
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if "postgres" not in server_url:
        sys.exit("Set DATABASE_URL to a PostgreSQL server: this "
                 "benchmark is about the production database.")
    os.environ.pop("AFTERCARE_PRODUCTION", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
    name = f"aftercare_growth_{secrets.token_hex(4)}"
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
        from aftercare.accounts.models import ApiToken, Organisation
        from aftercare.accounts.roles import Role
        from aftercare.accounts.services import add_user
        from aftercare.cases.models import Survivor
        from aftercare.core import demo_history
        from aftercare.core.policy import Actor

        call_command("migrate", verbosity=0, interactive=False)
        results: dict[str, dict[int, tuple[float, int, float]]] = {}
        user = client = api = None
        samples: list = []
        for size in sizes:
            have = Survivor.objects.count()
            started = time.perf_counter()
            call_command("synth", survivors=size - have, seed=size, stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))  # noqa: SIM115
            add_risk()
            print(f"synth      {size - have} survivors (to {size}) "
                  f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            if user is None:
                biggest = Organisation.objects.annotate(n=Count("survivors")).order_by("-n").first()
                user = add_user("bench.worker", secrets.token_urlsafe(16), biggest, Role.CASE_WORKER, two_factor_exempt=True)
                worker = Actor(user=user, organisation=biggest, role=Role.CASE_WORKER)
                samples = list(Survivor.objects.filter(organisation=biggest, status__in=["active", "stable"]).order_by("case_code")[:20])
                providers = demo_history.providers_by_domain()
                rng = random.Random(3)
                for survivor in samples:
                    demo_history.give_history(rng, worker, survivor, providers)
                client = Client()
                client.force_login(user)
                raw, _ = ApiToken.issue(user)
                api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
            connection.cursor().execute("VACUUM ANALYZE")
            probe = Survivor.objects.filter(organisation=user.memberships.first().organisation).order_by("-created_at").first()
            endpoints = {
                "dashboard": (client, ["/dashboard/"]),
                "caseload (50, by risk)": (client, ["/cases/?order=risk"]),
                "case page": (client, [f"/cases/{s.pk}/" for s in samples]),
                "directory API": (api, ["/api/v1/organisations?service=housing,medical&region=za"]),
                "survivors API (50)": (api, ["/api/v1/survivors?limit=50"]),
                "survivors API, case code": (api, [f"/api/v1/survivors?q={probe.case_code}"]),
                "survivors API, exact name": (api, [f"/api/v1/survivors?q={probe.given_name}%20{probe.family_name}"]),
            }
            for label, (c, urls) in endpoints.items():
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
                    slowest = max(slowest, max(float(q["time"]) for q in captured.captured_queries) * 1000)
                results.setdefault(label, {})[size] = (statistics.median(durations), queries, slowest)
                print(f"{size:>8} {label:<28} median {statistics.median(durations):7.1f} "
                      f"ms  {queries:3d} queries  slowest query {slowest:6.1f} ms", file=sys.stderr)
        print(f"\nPostgreSQL {connection.pg_version // 10000}; {args.requests} "
              "requests per cell; median request ms (queries; slowest query ms)\n")
        print("| endpoint | " + " | ".join(f"{size:,}" for size in sizes) + f" | {sizes[-1] // sizes[0]}x data |")
        print("|---|" + "---:|" * (len(sizes) + 1))
        for label, by_size in results.items():
            cells = [f"{by_size[s][0]:.1f} ({by_size[s][1]}; {by_size[s][2]:.1f})" for s in sizes]
            print(f"| {label} | " + " | ".join(cells) + f" | x{by_size[sizes[-1]][0] / by_size[sizes[0]][0]:.2f} |")
    finally:
        connections.close_all()
        if args.keep:
            print(f"kept       {name}", file=sys.stderr)
        else:
            admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
