"""Benchmark the funder indicator report at 100,000 survivors and 2,000,000 services on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/reports.py
    DATABASE_URL=... .venv/bin/python bench/reports.py --keep          # keep the database
    DATABASE_URL=... .venv/bin/python bench/reports.py --reuse aftercare_reports_ab12cd34

Creates `aftercare_reports_<random>` beside the database DATABASE_URL names (or reuses one),
migrates it, adds N survivors with `aftercare synth`, then in bulk SQL: 20 services each over
three years (2,000,000 at the default; inserted with the table's indexes and keys dropped, then
rebuilt, so 20,000,000 at --survivors 1000000 take minutes), closing dates and status history
for the closed cases (a few re-trafficked within a year), care-plan goals and reviews (and the
review dates kept on the cases, `cases.plan_review.refresh_all`), and 30,000 referrals in every
state.
Then it times, for the last full year and the whole network:

  - `reports.indicators.build` for the case-management and referral indicators (what the
    hand-written query computes too), and for every domain (livelihoods and prevention too);
  - the same case-management and referral figures from one hand-written SQL statement
    (`FLOOR_SQL`), the floor: what the database alone needs to compute them;

and prints the median of 7 runs each (after one warm-up) and the ratio to the floor, then
checks that both give the same figures. Target (issue 18): under 1 s, at most 1.2× the floor.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import admin_sql, with_database  # noqa: E402 - the sibling benchmark's helpers

DOMAINS = [
    "safety",
    "housing",
    "medical",
    "dental",
    "mental_health",
    "legal",
    "education",
    "vocational_training",
    "employment",
    "financial",
    "family_reintegration",
    "repatriation",
    "documentation",
    "creative_expression",
    "peer_support",
    "substance_use",
]

LOAD_SQL = [
    # 20 services per survivor, dated over the three years before today, stored in date order as
    # services recorded over the years would be.
    """INSERT INTO cases_servicedelivery (id, survivor_id, domain, organisation_id, date,
                                         duty_bearer_name, notes, recorded_at)
       SELECT gen_random_uuid(), s.id, (%(domains)s::text[])[1 + floor(random() * 16)::int],
              s.organisation_id, CURRENT_DATE - floor(random() * 1095)::int, '', '', now()
       FROM cases_survivor s CROSS JOIN generate_series(1, %(per)s) ORDER BY 5""",
    # Closed cases get a closing date after they opened, and the status change that says why.
    """UPDATE cases_survivor SET closed_at = created_at + (random() * (now() - created_at)),
              closure_reason = (ARRAY['self_sufficient','relocated','lost_contact','transferred',
                                      'deceased'])[1 + floor(random() * 5)::int]
       WHERE status = 'closed' AND closed_at IS NULL""",
    """INSERT INTO cases_statuschange (id, survivor_id, from_status, to_status, reason, note,
                                      changed_at)
       SELECT gen_random_uuid(), id, 'active', 'closed', closure_reason, '', closed_at
       FROM cases_survivor
       WHERE status = 'closed'""",
    # About one in twenty who left care is recorded re-trafficked some months later.
    """INSERT INTO cases_statuschange (id, survivor_id, from_status, to_status, reason, note,
                                      changed_at)
       SELECT gen_random_uuid(), id, 'active', 'closed', 're_trafficked', '',
              LEAST(now(), closed_at + random() * interval '500 days')
       FROM cases_survivor
       WHERE status = 'closed'
         AND closure_reason IN ('self_sufficient','relocated','lost_contact')
         AND random() < 0.05""",
    # Care plans for 60% of the cases, reviews for half of those.
    """INSERT INTO cases_goal (id, survivor_id, domain, description, actions, responsible_person,
                               status, added_by_survivor, created_at, updated_at, version)
       SELECT gen_random_uuid(), id, 'housing', %(goal)s, '', '', 'in_progress', false,
              created_at + interval '3 days', now(), 1 FROM cases_survivor WHERE random() < 0.6""",
    """INSERT INTO cases_planreview (id, survivor_id, reviewed_on, outcome, survivor_took_part)
       SELECT gen_random_uuid(), survivor_id, CURRENT_DATE - floor(random() * 400)::int,
              %(outcome)s, true
       FROM cases_goal WHERE random() < 0.5""",
    # Referrals for 30% of the survivors (30,000 at the default), in every state. The draws come
    # from
    # a hash of the survivor's id: random() is not always drawn per row in a subquery.
    """WITH orgs AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i
                     FROM accounts_organisation),
            picked AS (SELECT id, organisation_id, abs(hashtext(id::text)) AS r
                       FROM cases_survivor),
            drawn AS (SELECT id, organisation_id, r,
                             now() - (r %% 1095) * interval '1 day' - (r %% 24) * interval '1 hour'
                               AS sent,
                             (ARRAY['sent','accepted','in_progress','completed','completed',
                                    'declined','expired','cancelled'])
                             [1 + (r / 7) %% 8] AS status
                      FROM picked WHERE (r / 3) %% 100 < %(referral_percent)s)
       INSERT INTO referrals_referral (id, survivor_id, from_organisation_id, to_organisation_id,
              domains, reason, urgent, shared_sections, emergency_override,
              override_justification, status, decline_reason, outcome, respond_by,
              created_at, accepted_at, closed_at, version, transfer)
       SELECT gen_random_uuid(), d.id, d.organisation_id, o.id,
              jsonb_build_array((%(domains)s::text[])[1 + (d.r / 19) %% 16]),
              %(reason)s, false, '[]'::jsonb, false, '', d.status, '', '',
              d.sent + interval '3 days', d.sent,
              CASE WHEN d.status IN ('accepted','in_progress','completed','cancelled')
                   THEN d.sent + ((d.r / 13) %% 90) * interval '1 hour' END,
              CASE WHEN d.status IN ('completed','declined','expired','cancelled')
                   THEN d.sent + interval '4 days' + ((d.r / 17) %% 60) * interval '1 day' END,
              1, false
       FROM drawn d JOIN orgs o ON o.i = (d.r / 23) %% (SELECT count(*) FROM orgs)""",
]

# Consent to anonymised reporting (the CTDC export's rows) for a share of the survivors, in the
# general decision's shape (no organisation), recorded when the case opened, by SMS (the mark of
# these rows: `notes` is an encrypted field, so it cannot carry one).
CONSENT_SQL = """INSERT INTO cases_consent (id, survivor_id, purpose, granted, method, given_by,
    recorded_at, notes, organisation_id)
   SELECT gen_random_uuid(), id, 'anonymised_reporting', true, 'sms', 'survivor', created_at, '',
       NULL
   FROM cases_survivor WHERE abs(hashtext(id::text)) %% 100 < %(percent)s"""

# The floor: the case-management and referral figures of the report in one statement, written
# by hand for PostgreSQL. %(start)s and %(end_before)s bound the period; %(end)s is its last day.
FLOOR_SQL = """
WITH served AS (
  SELECT id, gender, year_of_birth, exploitation_types, created_at >= %(start)s AS is_new
  FROM cases_survivor
  WHERE created_at < %(end_before)s
    AND ((closed_at IS NULL AND status <> 'closed') OR closed_at >= %(start)s)
), by_profile AS (
  SELECT is_new, gender, year_of_birth, exploitation_types, count(*) AS n FROM served
  GROUP BY is_new, gender, year_of_birth, exploitation_types
), services AS (
  -- Distinct survivors by the predecessor dates kept on the services (cases.service_order):
  -- in a domain, `people`; in all (the ROLLUP's row), `first`. check_people() checks them
  -- against COUNT(DISTINCT survivor_id).
  SELECT domain, count(*) AS n, count(*) FILTER (WHERE first_in_domain) AS people,
         count(*) FILTER (WHERE first_of_all) AS first
  FROM (SELECT domain,
               previous_date_in_domain IS NULL OR previous_date_in_domain < %(start_day)s
                 AS first_in_domain,
               previous_date IS NULL OR previous_date < %(start_day)s AS first_of_all
        FROM cases_servicedelivery
        WHERE date BETWEEN %(start_day)s AND %(end)s) d
  GROUP BY ROLLUP (domain)
), open_end AS (
  SELECT s.id, EXISTS (SELECT 1 FROM cases_planreview r WHERE r.survivor_id = s.id
                       AND r.reviewed_on BETWEEN %(end)s::date - 89 AND %(end)s) AS reviewed
  FROM cases_survivor s
  WHERE s.created_at < %(end_before)s
    AND ((s.closed_at IS NULL AND s.status <> 'closed') OR s.closed_at >= %(end_before)s)
    AND EXISTS (SELECT 1 FROM cases_goal g
                WHERE g.survivor_id = s.id AND g.created_at < %(end_before)s)
), left_care AS (
  SELECT survivor_id, min(changed_at) AS left_at FROM cases_statuschange
  WHERE to_status = 'closed' AND reason IN ('self_sufficient','relocated','lost_contact')
    AND changed_at >= %(start)s AND changed_at < %(end_before)s GROUP BY survivor_id
), answered AS (
  SELECT EXTRACT(EPOCH FROM (CASE WHEN accepted_at IS NOT NULL THEN accepted_at
                                  WHEN status = 'declined' THEN closed_at END)
                             - created_at) / 3600 AS hours
  FROM referrals_referral
  WHERE (CASE WHEN accepted_at IS NOT NULL THEN accepted_at
              WHEN status = 'declined' THEN closed_at END) >= %(start)s
    AND (CASE WHEN accepted_at IS NOT NULL THEN accepted_at
              WHEN status = 'declined' THEN closed_at END) < %(end_before)s
)
SELECT
  (SELECT json_agg(by_profile) FROM by_profile),
  (SELECT json_agg(services) FROM services),
  (SELECT json_build_object('denominator', count(*),
                            'numerator', count(*) FILTER (WHERE reviewed))
   FROM open_end),
  (SELECT json_build_object('denominator', count(*), 'numerator', count(*) FILTER (WHERE EXISTS (
      SELECT 1 FROM cases_statuschange c
      WHERE c.survivor_id = l.survivor_id AND c.to_status = 'closed'
        AND c.reason = 're_trafficked' AND c.changed_at > l.left_at
        AND c.changed_at <= l.left_at + interval '365 days')))
   FROM left_care l),
  (SELECT json_agg(x) FROM (SELECT d.domain, count(*) AS n FROM referrals_referral r,
       jsonb_array_elements_text(r.domains) AS d(domain)
     WHERE r.status = 'completed' AND r.closed_at >= %(start)s AND r.closed_at < %(end_before)s
     GROUP BY d.domain) x),
  (SELECT json_build_object('median', percentile_cont(0.5) WITHIN GROUP (ORDER BY hours),
                            'n', count(*))
   FROM answered)
"""


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--survivors", type=int, default=100_000)
    parser.add_argument("--services-each", type=int, default=20)
    parser.add_argument(
        "--referral-percent", type=int, default=30, help="survivors with a referral (%%)"
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reuse", default="", help="an existing benchmark database to reuse")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--consent-percent",
        type=int,
        default=60,
        help="survivors consenting to anonymised reporting (%%)",
    )
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="load the data and stop (for bench/worker_exports.py)",
    )
    return parser.parse_args()


@contextmanager
def without_indexes(cursor, table: str, keep=()):
    """Drop `table`'s indexes (but those named in `keep`), its keys and the foreign keys to and
    from it; rebuild them after.

    Each is rebuilt from its own definition as PostgreSQL reports it (`pg_get_constraintdef`,
    `pg_get_indexdef`), so whatever the migrations made comes back as it was.
    """
    cursor.execute(
        """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype
           FROM pg_constraint
           WHERE (conrelid = %s::regclass OR confrelid = %s::regclass)
             AND contype IN ('p', 'u', 'f')
           ORDER BY contype = 'f' DESC""",
        [table, table],
    )
    constraints = cursor.fetchall()  # foreign keys first: they depend on the keys
    for owner, name, _definition, _kind in constraints:
        cursor.execute(f'ALTER TABLE {owner} DROP CONSTRAINT "{name}"')
    cursor.execute(
        """SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid)
           FROM pg_index WHERE indrelid = %s::regclass
             AND NOT indexrelid::regclass::text = ANY(%s)""",
        [table, list(keep)],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    started = time.perf_counter()
    try:
        yield
    finally:
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        for _name, definition in indexes:
            cursor.execute(definition)
        for owner, name, definition, _kind in reversed(constraints):  # keys, then foreign keys
            cursor.execute(f'ALTER TABLE {owner} ADD CONSTRAINT "{name}" {definition}')
    print(
        f"{table}: inserted in {loaded:.0f} s, {len(indexes)} indexes and "
        f"{len(constraints)} constraints rebuilt in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )


def median_seconds(function, runs: int) -> tuple[float, object]:
    result = function()  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


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
        "0"  # loading 2,000,000 services takes longer than a request may
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
    name = args.reuse or f"aftercare_reports_{secrets.token_hex(4)}"
    if not args.reuse:
        admin_sql(server_url, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = with_database(server_url, name)

    import django
    from django.core.management import call_command
    from django.db import connection, connections

    try:
        django.setup()
        from django.utils import timezone

        from aftercare.accounts.models import Organisation, User
        from aftercare.accounts.roles import Role
        from aftercare.cases import plan_review, service_order
        from aftercare.cases.counting import scope_for
        from aftercare.cases.models import Goal, PlanReview, ServiceDelivery, Survivor
        from aftercare.core.policy import Actor
        from aftercare.core.stats.indicators import Period
        from aftercare.referrals.models import Referral
        from aftercare.reports import indicators

        call_command("migrate", verbosity=0, interactive=False)
        have = Survivor.objects.count()
        if have < args.survivors:
            started = time.perf_counter()
            call_command("synth", survivors=args.survivors - have, seed=5)
            print(
                f"synth      {args.survivors - have} survivors in "
                f"{time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
        if (
            ServiceDelivery.objects.count() < Survivor.objects.count()
        ):  # a few cases with a demo history do not count
            started = time.perf_counter()
            params = {
                "domains": DOMAINS,
                "per": args.services_each,
                "referral_percent": args.referral_percent,
                # Encrypted fields hold their values encrypted, as the app writes them (once
                # here, the same token in every row): a page that shows them decrypts them.
                "goal": Goal._meta.get_field("description").get_prep_value("a room of my own"),
                "outcome": PlanReview._meta.get_field("outcome").get_prep_value("reviewed"),
                "reason": Referral._meta.get_field("reason").get_prep_value("bench"),
            }
            services_sql, *rest = LOAD_SQL
            with connection.cursor() as cursor:
                # Millions of rows: into the services table with its indexes and constraints
                # dropped, then rebuilt (about 5x faster than keeping them up row by row).
                with without_indexes(cursor, ServiceDelivery._meta.db_table):
                    cursor.execute(services_sql, params)
                for statement in rest:
                    cursor.execute(statement, params)
            shown = Goal._meta.get_field("description").from_db_value(params["goal"], None, None)
            assert shown == "a room of my own"  # what a page shows, decrypted
            # The goals and reviews went in past the services: their cases' review dates are
            # recomputed as the services would keep them (one UPDATE per time zone).
            plan_review.refresh_all()
            service_order.refresh_all()  # each service's predecessor, as record_service keeps
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load
            print(f"history    loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)

        from aftercare.cases.models import Consent

        if (
            args.consent_percent
            and not Consent.objects.filter(method="sms", recorded_by__isnull=True).exists()
        ):
            started = time.perf_counter()
            with connection.cursor() as cursor:  # for the CTDC export (bench/worker_exports.py)
                cursor.execute(CONSENT_SQL % {"percent": args.consent_percent})
                cursor.execute("ANALYZE cases_consent")
            print(f"consents   loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        if args.load_only:
            return

        today = timezone.localdate()
        period = Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
        network = Organisation.objects.get_or_create(
            slug="bench-network", defaults={"name": "Network", "kind": "network", "country": "ZA"}
        )[0]
        user = User.objects.get_or_create(username="bench.coordinator")[0]
        coordinator = Actor(user=user, organisation=network, role=Role.NETWORK_COORDINATOR)
        scope = scope_for(coordinator)
        core = [c for c in indicators.CONTRIBUTORS if c.domain in ("cases", "referrals")]

        build_core, report = median_seconds(
            lambda: indicators.build(scope, period.start, period.end, core), args.runs
        )
        build_all, _full = median_seconds(
            lambda: indicators.build(scope, period.start, period.end), args.runs
        )

        def floor():
            with connection.cursor() as cursor:
                cursor.execute(
                    FLOOR_SQL,
                    {
                        "start": period.start_at,
                        "end_before": period.end_before,
                        "start_day": period.start,
                        "end": period.end,
                    },
                )
                return cursor.fetchone()

        floor_seconds, row = median_seconds(floor, args.runs)
        check(report, row)
        check_people(connection, period, report)
        services = ServiceDelivery.objects.count()
        print(
            f"database   PostgreSQL {connection.pg_version // 10000} ({name}): "
            f"{Survivor.objects.count()} survivors, {services} services; "
            f"period {period}; network scope; median of {args.runs} runs"
        )
        print(
            f"report (cases and referrals)      {build_core * 1000:7.0f} "
            f"ms   {build_core / floor_seconds:4.2f}x the floor"
        )
        print(f"report (every domain)             {build_all * 1000:7.0f} ms")
        print(f"floor: one hand-written SQL query {floor_seconds * 1000:7.0f} ms")
        print(
            "target: under 1000 ms and at most 1.2x the floor:",
            "met" if build_core < 1 and build_core <= 1.2 * floor_seconds else "NOT met",
        )
    finally:
        connections.close_all()
        if not args.keep and not args.reuse:
            admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            print(f"kept       {name}", file=sys.stderr)


def check_people(connection, period, report) -> None:
    """The survivors served, in all and by domain, as the report counts them (by the services'
    kept predecessors) and as COUNT(DISTINCT) counts them: the same."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT domain, GROUPING(domain) = 1, COUNT(DISTINCT survivor_id) "
            "FROM cases_servicedelivery WHERE date BETWEEN %s AND %s "
            "GROUP BY GROUPING SETS ((domain), ())",
            [period.start, period.end],
        )
        distinct = {None if total else domain: n for domain, total, n in cursor.fetchall()}
    figures = {i.code: i for i in report.indicators}
    shown = {  # a small cell is hidden by the report (None): not compared
        cell.key: cell.value
        for cell in figures["survivors_receiving_services"].breakdowns["service_domain"]
        if cell.value is not None
    }
    assert figures["survivors_receiving_services"].value == distinct.pop(None)
    assert shown == {key: distinct.get(key, 0) for key in shown}, (shown, distinct)
    print(
        "check      survivors served = COUNT(DISTINCT survivor_id), in all and by domain",
        file=sys.stderr,
    )


def check(report, row) -> None:
    """The report and the floor agree on the headline figures."""
    by_profile, services, plan, retrafficked, completed, answered = row
    figures = {i.code: i for i in report.indicators}
    served = sum(r["n"] for r in by_profile or [])
    new = sum(r["n"] for r in by_profile or [] if r["is_new"])
    total_services = next(r for r in services if r["domain"] is None)
    expected = {
        "survivors_served": served,
        "survivors_new": new,
        "survivors_continuing": served - new,
        "services_delivered": total_services["n"],
        "survivors_receiving_services": total_services["first"],
        "referrals_completed": sum(r["n"] for r in completed or []),
    }
    for code, value in expected.items():
        assert figures[code].value == value, (code, figures[code].value, value)
    assert (
        figures["care_plan_reviewed_90d"].numerator,
        figures["care_plan_reviewed_90d"].denominator,
    ) == (plan["numerator"], plan["denominator"])
    got = (figures["re_trafficked_12m"].numerator, figures["re_trafficked_12m"].denominator)
    expected = (retrafficked["numerator"], retrafficked["denominator"])
    if got[0] is None:  # a small cell, hidden by the report (a small --survivors)
        expected = (None, expected[1])
    assert got == expected, (got, retrafficked)
    assert (
        abs(figures["referral_median_response_hours"].value - round(answered["median"], 1)) < 0.11
    )
    print("check      the report and the hand-written query give the same figures", file=sys.stderr)


if __name__ == "__main__":
    main()
