"""One case's audit trail when the trail holds 100,000,000 events (issue 18), on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/audit_trail.py
    DATABASE_URL=... .venv/bin/python bench/audit_trail.py --rows 10000000,30000000,100000000 --keep
    DATABASE_URL=... .venv/bin/python bench/audit_trail.py --reuse aftercare_audit_ab12cd34 --rows
    100000000

Creates `aftercare_audit_<random>` beside the database DATABASE_URL names (or reuses one),
migrates it (the trail becomes a table partitioned by month, aftercare.audit.partitions), adds
the monthly partitions of the last `--months` months, and a handful of synthetic survivors
(`aftercare synth`), one of which is the measured case. Then, for each total in `--rows`, it
tops the trail up to that many events with bulk `INSERT ... SELECT generate_series` into each
month's partition, detached and without its indexes while it fills, then attached again, which
builds its indexes in one pass (spread evenly over the months): events of a
million other cases (`--cases`), in 50 organisations, as reads, lists and changes of a
survivor or of a record of theirs; the measured case gets `--case-events` events spread over
the same months. After each total: ANALYZE, then it times (median of `--runs`, after a warm-up):

  - the History panel of the case page as a supervisor of the holding organisation reads it,
    through the whole middleware stack (`/cases/<id>/panels/history/`, Django's test client);
  - `cases.sections.case_audit_trail(case)[:30]`, the query that panel runs, through the ORM;
  - the same SQL alone (EXPLAIN ANALYZE), and the whole trail of the case, every event;

and prints the plan of the panel's query, checking that every partition is read through an
index (no sequential scan). Target (issue 18): one case's trail under 50 ms at 100M events.

It also times the organisation's trail, the /audit/ page's read (`core.keyset`), for one of the 50
organisations (2% of the events): its newest page, a page half the months back (from a cursor),
and, for comparison, the `COUNT(*)` that Django's Paginator ran before every page of it.
`--stop-free-gb` stops topping up when the disk has less free space than that.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import admin_sql, with_database  # noqa: E402 - the sibling benchmark's helpers

# One batch: `n` events dated uniformly within one month's partition. Other cases are md5-derived
# uuids of 1..cases, so the same case recurs across months as a real case's reads do.
FILL_SQL = """
INSERT INTO {partition} (id, at, actor_id, actor_username, actor_role, organisation_id, action,
    object_type,
                         object_id, object_label, case_id, fields, reason, request_id, ip_address)
SELECT gen_random_uuid(), %(start)s::timestamptz + random() * (%(end)s::timestamptz -
    %(start)s::timestamptz),
       md5('u' || (g %% 2000))::uuid, 'worker' || (g %% 2000), 'case_worker',
       md5('o' || (c %% 50))::uuid,
       (ARRAY['read','read','read','list','update','create'])[1 + (g %% 6)],
       CASE WHEN g %% 3 = 0 THEN 'cases.servicedelivery' ELSE 'cases.survivor' END,
       CASE WHEN g %% 3 = 0 THEN gen_random_uuid()::text ELSE md5('c' || c)::uuid::text END,
       'AC-' || c, md5('c' || c)::uuid, '[]'::jsonb, '', '', NULL
FROM (SELECT g, 1 + floor(random() * %(cases)s)::int AS c FROM generate_series(1, %(n)s) AS g) AS
    drawn
"""

# The measured case's own events, through the parent table (routed to their month).
CASE_SQL = """
INSERT INTO audit_auditevent (id, at, actor_id, actor_username, actor_role, organisation_id,
    action, object_type,
                              object_id, object_label, case_id, fields, reason, request_id,
                                  ip_address)
SELECT gen_random_uuid(), %(start)s::timestamptz + random() * (now() - %(start)s::timestamptz),
       md5('u' || (g %% 7))::uuid, 'worker' || (g %% 7), 'case_worker', %(organisation)s,
       (ARRAY['read','read','update','create'])[1 + (g %% 4)],
       CASE WHEN g %% 3 = 0 THEN 'cases.servicedelivery' ELSE 'cases.survivor' END,
       CASE WHEN g %% 3 = 0 THEN gen_random_uuid()::text ELSE %(case)s::text END,
       %(label)s, %(case)s::uuid, '[]'::jsonb, '', '', NULL
FROM generate_series(1, %(n)s) AS g
"""


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rows", default="100000000", help="comma-separated totals to measure at, ascending"
    )
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--case-events", type=int, default=300)
    parser.add_argument("--batch", type=int, default=1_000_000, help="events per INSERT")
    parser.add_argument(
        "--index-memory", default="1GB", help="maintenance_work_mem while a month's indexes build"
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--stop-free-gb", type=float, default=15.0)
    parser.add_argument("--reuse", default="")
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if "postgres" not in server_url:
        sys.exit("Set DATABASE_URL to a PostgreSQL server: partitioning is PostgreSQL's.")
    os.environ.pop("AFTERCARE_PRODUCTION", None)
    os.environ["AFTERCARE_STATEMENT_TIMEOUT_MS"] = (
        "0"  # a batch of a million rows takes longer than a request may
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
    name = args.reuse or f"aftercare_audit_{secrets.token_hex(4)}"
    if not args.reuse:
        admin_sql(server_url, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = with_database(server_url, name)

    import django
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client

    try:
        django.setup()
        from django.conf import settings

        settings.ALLOWED_HOSTS = ["*"]
        from aftercare.accounts.models import User
        from aftercare.accounts.roles import Role
        from aftercare.accounts.services import add_user
        from aftercare.audit import partitions
        from aftercare.cases import sections as page
        from aftercare.cases.access import access_case
        from aftercare.cases.models import Survivor
        from aftercare.core.policy import Actor

        call_command("migrate", verbosity=0, interactive=False)
        if not partitions.is_partitioned():
            sys.exit(
                "audit_auditevent is not partitioned: run on PostgreSQL with the audit "
                "migrations applied"
            )
        this_month = partitions.month_start(date.today())
        months = [partitions.add_months(this_month, -n) for n in range(args.months - 1, -1, -1)]
        with connection.cursor() as cursor:
            for month in months:
                partitions.create_partition(cursor, month)
        if not Survivor.objects.exists():
            call_command("synth", survivors=20, seed=7, stdout=open(os.devnull, "w"))  # noqa: SIM115
        case = (
            Survivor.objects.filter(status__in=["active", "stable"]).order_by("case_code").first()
            or Survivor.objects.first()
        )
        user = User.objects.filter(username="bench.supervisor").first()
        if user is None:
            user = add_user(
                "bench.supervisor",
                secrets.token_urlsafe(16),
                case.organisation,
                Role.SUPERVISOR,
                two_factor_exempt=True,
            )
        actor = Actor(user=user, organisation=case.organisation, role=Role.SUPERVISOR)
        client = Client()
        client.force_login(user)

        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SELECT count(*) FROM audit_auditevent WHERE case_id = %s", [case.pk])
            if cursor.fetchone()[0] < args.case_events:
                cursor.execute(
                    CASE_SQL,
                    {
                        "start": months[0],
                        "organisation": case.organisation_id,
                        "case": str(case.pk),
                        "label": case.case_code,
                        "n": args.case_events,
                    },
                )

        print(
            f"database   {name}; case {case.case_code} ({case.pk}); {len(months)} monthly "
            f"partitions from {months[0]}",
            file=sys.stderr,
        )
        results = []
        for total in [int(t) for t in args.rows.split(",")]:
            if not top_up(connection, total, months, args):
                print(
                    f"stopped    less than {args.stop_free_gb} GB free on the disk", file=sys.stderr
                )
                results.append(measure(connection, client, actor, case, page, access_case, args))
                break
            results.append(measure(connection, client, actor, case, page, access_case, args))
        print(
            f"\nPostgreSQL {connection.pg_version // 10000}; {len(months)} monthly partitions; "
            f"median of {args.runs} runs, ms\n"
        )
        print(
            "| audit events | database | History panel (HTTP) | trail[:30], ORM | trail[:30], "
            "SQL (EXPLAIN ANALYZE) "
            "| whole trail of the case | /audit/ newest page | a page half-way back | the old "
            "page count | load average |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for r in results:
            print(
                f"| {r['rows']:,} | {r['size_gb']:.1f} GB | {r['panel']:.1f} | {r['orm']:.1f} | "
                f"{r['sql']:.2f} "
                f"| {r['whole']:.1f} ({r['whole_rows']} events) "
                f"| {r['organisation']['newest']:.1f} | {r['organisation']['deep']:.1f} "
                f"| {r['organisation']['count']:.1f} ({r['organisation_events']:,} events) "
                f"| {r['load']} |"
            )
    finally:
        connections.close_all()
        if not args.keep and not args.reuse:
            admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            print(f"kept       {name}", file=sys.stderr)


def count_rows(connection) -> int:
    with (
        connection.cursor() as cursor
    ):  # the estimate after ANALYZE; exact enough for a total of this size
        cursor.execute(
            "SELECT sum(c.reltuples)::bigint FROM pg_inherits i JOIN pg_class c ON c.oid = "
            "i.inhrelid "
            "WHERE i.inhparent = 'audit_auditevent'::regclass"
        )
        estimate = cursor.fetchone()[0] or 0
        if estimate <= 0:
            cursor.execute("SELECT count(*) FROM audit_auditevent")
            estimate = cursor.fetchone()[0]
    return int(estimate)


def top_up(connection, total: int, months: list, args) -> bool:
    """Add events, spread over the months, until the trail holds about `total`. False if the disk
    ran short.

    Each month is filled detached and bare: the partition leaves the trail, loses its indexes,
    takes its rows, and is attached again, which builds the trail's indexes on it in one sorted
    pass each. Inserting into seven live B-trees went at 5,300 rows a second; this is the
    loading path a restore or an archive's return would take, and what is measured afterwards
    (the reads) is the same either way."""
    from django.db import transaction

    from aftercare.audit import partitions

    have = count_rows(connection)
    missing = total - have
    if missing <= 0:
        return True
    per_month = missing // len(months)
    started = time.perf_counter()
    done = 0
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(f"SET maintenance_work_mem = '{args.index_memory}'")
        for month in months:
            if shutil.disk_usage("/").free < args.stop_free_gb * 1e9:
                return False
            name = partitions.partition_name(month)
            bounds = (
                f"FOR VALUES FROM ('{month.isoformat()} 00:00:00+00') "
                f"TO ('{partitions.add_months(month, 1).isoformat()} 00:00:00+00')"
            )
            with transaction.atomic():
                cursor.execute(f'ALTER TABLE audit_auditevent DETACH PARTITION "{name}"')
                cursor.execute(
                    "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass "
                    "AND contype = 'p'",
                    [name],
                )
                for (constraint,) in cursor.fetchall():
                    cursor.execute(f'ALTER TABLE "{name}" DROP CONSTRAINT "{constraint}"')
                cursor.execute(
                    "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass",
                    [name],
                )
                for (index,) in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {index}")
                filled = 0
                while filled < per_month:
                    n = min(args.batch, per_month - filled)
                    cursor.execute(
                        FILL_SQL.format(partition=f'"{name}"'),
                        {
                            "start": month,
                            "end": partitions.add_months(month, 1),
                            "n": n,
                            "cases": args.cases,
                        },
                    )
                    filled += n
                cursor.execute(f'ALTER TABLE audit_auditevent ATTACH PARTITION "{name}" {bounds}')
            done += per_month
            rate = done / (time.perf_counter() - started)
            print(
                f"filled     {name}: {have + done:,} events ({rate:,.0f}/s with indexes built, "
                f"load {os.getloadavg()[0]:.1f}, {shutil.disk_usage('/').free / 1e9:.0f} GB free)",
                file=sys.stderr,
            )
        cursor.execute("ANALYZE audit_auditevent")
    return True


def median_ms(function, runs: int) -> float:
    function()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def measure(connection, client, actor, case, page, access_case, args) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditevent")
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    rows = count_rows(connection)
    load = "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    url = f"/cases/{case.pk}/panels/history/"

    client.force_login(
        actor.user
    )  # afresh: topping up takes longer than the idle timeout of a session

    def panel():
        response = client.get(url, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.status_code

    def orm():
        trail = page.case_audit_trail(access_case(actor, case.pk, audit=False))
        return list(trail[:30])

    queryset = page.case_audit_trail(access_case(actor, case.pk, audit=False))
    sql, params = queryset[:30].query.sql_with_params()
    whole_sql, whole_params = queryset.query.sql_with_params()

    def explain(statement, values) -> tuple[float, str]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, values)
            lines = [row[0] for row in cursor.fetchall()]
        execution = next(
            float(line.split(":")[1].split()[0])
            for line in lines
            if line.startswith("Execution Time")
        )
        return execution, "\n".join(lines)

    from aftercare.audit.models import AuditEvent
    from aftercare.core.keyset import cursor_of, keyset_page

    with connection.cursor() as cursor:
        cursor.execute("SELECT md5('o' || 1)::uuid")
        organisation = cursor.fetchone()[0]
    trail_of_one = AuditEvent.objects.of_organisation(organisation)
    oldest = trail_of_one.order_by("at").first().at
    half_way = oldest + (trail_of_one.order_by("-at").first().at - oldest) / 2
    middle = trail_of_one.filter(at__lte=half_way).order_by("-at").first()
    organisation_ms = {
        "newest": median_ms(lambda: keyset_page(trail_of_one, size=50), args.runs),
        "deep": median_ms(
            lambda: keyset_page(trail_of_one, older=cursor_of(middle), size=50), args.runs
        ),
        "count": median_ms(trail_of_one.count, 3),
    }
    organisation_events = trail_of_one.count()
    panel_ms = median_ms(panel, args.runs)
    orm_ms = median_ms(orm, args.runs)
    sql_times, plan = [], ""
    for _ in range(args.runs):
        ms, plan = explain(sql, params)
        sql_times.append(ms)
    whole_ms = median_ms(lambda: list(queryset.all()), max(3, args.runs // 3))
    whole_rows = queryset.count()
    _ms, whole_plan = explain(whole_sql, whole_params)
    scanned_seq = [
        line.strip()
        for line in (plan + whole_plan).splitlines()
        if "Seq Scan" in line and "cost=0.00..0.00" not in line
    ]  # empty months: no pages to index
    print(
        f"\n{rows:,} events ({size / 1e9:.1f} GB), load {load}: panel {panel_ms:.1f} ms, ORM "
        f"{orm_ms:.1f} ms, "
        f"SQL {statistics.median(sql_times):.2f} ms, whole trail {whole_ms:.1f} ms ({whole_rows} "
        "events)",
        file=sys.stderr,
    )
    print(f"plan of the panel's query:\n{plan}\n", file=sys.stderr)
    print(
        "every partition read through an index"
        if not scanned_seq
        else f"SEQUENTIAL SCANS: {scanned_seq}",
        file=sys.stderr,
    )
    return {
        "rows": rows,
        "size_gb": size / 1e9,
        "panel": panel_ms,
        "orm": orm_ms,
        "sql": statistics.median(sql_times),
        "whole": whole_ms,
        "whole_rows": whole_rows,
        "load": load,
        "organisation": organisation_ms,
        "organisation_events": organisation_events,
    }


if __name__ == "__main__":
    main()
