"""Services by domain read the period's services once on PostgreSQL (GROUPING SETS), and give
the same figures as the two queries SQLite uses."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.cases import indicators as case_indicators
from aftercare.core.stats.indicators import Period
from tests.factories import ServiceDeliveryFactory, SurvivorFactory

pytestmark = pytest.mark.django_db

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))


def test_one_grouped_query_on_postgresql_and_the_same_figures_as_the_fallback(
    org_a, org_b, monkeypatch
):
    a1, a2 = SurvivorFactory(organisation=org_a), SurvivorFactory(organisation=org_a)
    b1 = SurvivorFactory(organisation=org_b)
    for survivor, domain, day in [
        (a1, "housing", date(2025, 2, 1)),
        (a1, "housing", date(2025, 3, 1)),
        (a1, "legal", date(2025, 3, 1)),
        (a2, "legal", date(2025, 5, 1)),
        (b1, "housing", date(2025, 5, 1)),
        (b1, "medical", date(2024, 5, 1)),
    ]:
        ServiceDeliveryFactory(
            survivor=survivor, domain=domain, organisation=survivor.organisation, date=day
        )
    figures = {}
    for scope in (org_a, None):
        with CaptureQueriesContext(connection) as captured:
            figures[scope] = case_indicators._services_grouped(YEAR, scope)
        if connection.vendor == "postgresql":
            assert len(captured) == 1 and "GROUPING SETS" in captured[0]["sql"]
    figures = {
        scope: ({d: {"n": r["n"], "people": r["people"]} for d, r in rows.items()}, reached)
        for scope, (rows, reached) in figures.items()
    }
    assert figures[org_a] == ({"housing": {"n": 2, "people": 1}, "legal": {"n": 2, "people": 2}}, 2)
    assert figures[None][1] == 3
    monkeypatch.setattr(connection, "vendor", "sqlite")
    for scope in (org_a, None):
        rows, reached = case_indicators._services_grouped(YEAR, scope)
        assert (
            {d: {"n": r["n"], "people": r["people"]} for d, r in rows.items()},
            reached,
        ) == figures[scope]
