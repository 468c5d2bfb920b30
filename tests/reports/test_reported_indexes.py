"""The reports read the network's cases and services from narrow covering indexes (issue 18).

At 1,000,000 survivors each case's row is about 2 KB of encrypted fields, and the funder report
and the CTDC export scan every case: `survivor_reported` holds every column they read, and
`service_reported` every column the services by domain read, so PostgreSQL scans the index
alone (an index-only scan) instead of the rows. A column added to one of those reads without
adding it to the index would turn the scan back into a read of every row: these tests ask
PostgreSQL to plan each statement the report and the export send, with sequential and bitmap
scans switched off so that the plan shows whether an index can answer it alone, and fail if a
case or a service is read from its row other than by its id.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from aftercare.cases.counting import scope_for
from aftercare.reports import ctdc, indicators
from tests.conftest import actor
from tests.factories import (
    ConsentFactory,
    GoalFactory,
    ServiceDeliveryFactory,
    SurvivorFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]

# The relations with a covering index for the reports, and the index each is to be read from.
COVERED = {"cases_survivor": "survivor_reported", "cases_servicedelivery": "service_reported"}


def statements(run) -> list[tuple[str, object]]:
    """The statements `run` sends that read the cases or the services."""
    sent = []

    def capture(execute, sql, params, many, context):
        if any(table in sql for table in COVERED):
            sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        run()
    return sent


def scans(sql: str, params) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        try:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")
    found, todo = [], [(plan[0] if isinstance(plan, list) else plan)["Plan"]]
    while todo:
        node = todo.pop()
        todo.extend(node.get("Plans", []))
        if node.get("Relation Name") in COVERED:
            found.append(node)
    return found


def read_from_rows(node: dict) -> bool:
    """A scan that reads rows other than one case or service by its id (a join's lookup)."""
    if node["Node Type"] == "Index Only Scan":
        return False
    by_id = node["Node Type"] == "Index Scan" and node.get("Index Name", "").endswith("_pkey")
    return not by_id


def assert_covered(run) -> None:
    sent = statements(run)
    assert sent
    for sql, params in sent:
        wide = [node for node in scans(sql, params) if read_from_rows(node)]
        assert not wide, (sql, [(n["Node Type"], n.get("Index Name")) for n in wide])


@pytest.fixture
def history(org_a, org_b):
    year = timezone.localdate().year - 1
    for i, org in enumerate([org_a, org_b] * 6):
        survivor = SurvivorFactory(organisation=org, year_of_birth=1990 + i)
        ConsentFactory(survivor=survivor, purpose="anonymised_reporting", granted=True)
        GoalFactory(survivor=survivor)
        for month in (2, 7):
            ServiceDeliveryFactory(
                survivor=survivor, organisation=org, date=date(year, month, 1 + i)
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_survivor")
        cursor.execute("ANALYZE cases_servicedelivery")
    return date(year, 1, 1), date(year, 12, 31)


def test_the_funder_report_reads_the_networks_cases_and_services_from_the_indexes(
    history, coordinator
):
    start, end = history
    scope = scope_for(actor(coordinator))
    assert scope.organisation_id is None
    assert_covered(lambda: indicators.build(scope, start, end))


def test_the_ctdc_export_reads_the_networks_cases_from_the_index(history, coordinator):
    assert_covered(lambda: ctdc.build(scope_for(actor(coordinator)), k=1))


def test_a_column_the_index_does_not_hold_is_caught(history):
    """The check itself: a read of a column outside the index is a read of the rows."""
    from aftercare.cases.models import Survivor

    since = timezone.now() - timedelta(days=3650)
    with pytest.raises(AssertionError):
        assert_covered(lambda: list(Survivor.objects.filter(created_at__gte=since).values("phone")))
