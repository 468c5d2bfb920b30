"""The reports read the network's cases and services from narrow covering indexes (issue 18).

At 1,000,000 survivors each case's row is about 2 KB of encrypted fields, and the funder report
and the CTDC export scan every case: `survivor_reported` holds every column they read, and
`service_domain_date` every column the services by domain read, so PostgreSQL can scan the index
alone (an index-only scan) instead of the rows. A column added to one of those reads without
adding it to the index would turn the scan back into a read of every row: these tests ask
PostgreSQL which columns of a case or a service each statement of the report and the export
reads (`EXPLAIN VERBOSE`: each scan's output, filter and index condition), whatever plan it
picks for a test's few rows, and fail on any the index does not hold. A read of a case by its id
(a join's lookup) reads one row, not every row, and is left out.
"""

from __future__ import annotations

import re
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
COVERED = {"cases_survivor": "survivor_reported", "cases_servicedelivery": "service_domain_date"}


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


def index_columns(index: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indexrelid = %s::regclass",
            [index],
        )
        return {name for (name,) in cursor.fetchall()}


def scans(sql: str, params) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (VERBOSE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    found, pending = [], [(plan[0] if isinstance(plan, list) else plan)["Plan"]]
    while pending:
        node = pending.pop()
        for child in node.get("Plans", []):
            pending.append({**child, "parent": node})
        if node.get("Relation Name") in COVERED:
            found.append(node)
    return found


def table_columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
            [table],
        )
        return {name for (name,) in cursor.fetchall()}


def named(node: dict, texts) -> set[str]:
    """The columns of `node`'s relation named in `texts`. PostgreSQL names them with the
    relation's alias where the statement has several relations, and bare where it has one; a
    name qualified by another alias is another relation's."""
    said = re.sub(r"'(?:[^']|'')*'", " ", " ".join(texts))
    qualified = re.compile(r'"?(\w+)"?\."?(\w+)"?')
    own = {column for alias, column in qualified.findall(said) if alias == node["Alias"]}
    bare = set(re.findall(r"\w+", qualified.sub(" ", said)))
    return own | (bare & table_columns(node["Relation Name"]))


USES = ("Output", "Group Key", "Sort Key", "Filter", "Hash Cond", "Join Filter", "Merge Cond")


def columns_read(node: dict) -> set[str]:
    """The columns a scan reads of its relation: what it returns and what it tests.

    A sequential scan under an aggregate returns whole rows (PostgreSQL's "physical tlist":
    its output lists every column, as it would not project), and its parent says which of them
    are used; then those are what it reads for the statement.
    """
    tests = [node.get(key, "") for key in ("Filter", "Index Cond", "Recheck Cond")]
    output = named(node, node.get("Output", []))
    if output == table_columns(node["Relation Name"]) and "parent" in node:
        parent = node["parent"]
        uses = [
            text
            for key in USES
            for text in ([parent[key]] if isinstance(parent.get(key), str) else parent.get(key, []))
        ]
        output = named(node, uses)
    return output | named(node, tests)


def by_id(node: dict) -> bool:
    """A lookup of one row by its id (a join's inner side)."""
    return node.get("Index Name", "").endswith("_pkey") and "Index Cond" in node


def assert_covered(run) -> dict[str, set[str]]:
    """Every column `run`'s statements read of the cases and services is in their index;
    returns the columns read, by relation."""
    sent = statements(run)
    assert sent
    held = {table: index_columns(index) for table, index in COVERED.items()}
    read: dict[str, set[str]] = {table: set() for table in COVERED}
    for sql, params in sent:
        for node in scans(sql, params):
            columns = columns_read(node)
            read[node["Relation Name"]] |= columns
            if by_id(node):  # a few rows fetched by their ids: no index could spare the heap
                continue
            missing = columns - held[node["Relation Name"]]
            assert not missing, (sql, node["Relation Name"], missing)
    return read


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
    read = assert_covered(lambda: indicators.build(scope, start, end))
    # What the report counts by was seen being read (the check is not vacuous).
    assert {"created_at", "closed_at", "gender", "year_of_birth"} <= read["cases_survivor"]
    assert {"date", "domain", "previous_date", "previous_date_in_domain"} <= read[
        "cases_servicedelivery"
    ]


def test_the_ctdc_export_reads_the_networks_cases_from_the_index(history, coordinator):
    read = assert_covered(lambda: ctdc.build(scope_for(actor(coordinator)), k=1))
    assert {"nationality", "means_of_control", "recruiter_relation"} <= read["cases_survivor"]


def test_a_column_the_index_does_not_hold_is_caught(history):
    """The check itself: a read of a column outside the index is a read of the rows."""
    from aftercare.cases.models import Survivor

    since = timezone.now() - timedelta(days=3650)
    with pytest.raises(AssertionError):
        assert_covered(lambda: list(Survivor.objects.filter(created_at__gte=since).values("phone")))
