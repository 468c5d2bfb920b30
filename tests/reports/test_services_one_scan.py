"""Services by domain read the period's services once, as one grouped query on every database
(the people counted by the services' kept predecessors, `cases.service_order`), with the
figures of a worked example."""

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


def test_one_grouped_query_and_the_worked_example_s_figures(org_a, org_b):
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
        [sql] = [q["sql"] for q in captured]
        assert "DISTINCT" not in sql.upper()
    figures = {
        scope: ({d: {"n": r["n"], "people": r["people"]} for d, r in rows.items()}, reached)
        for scope, (rows, reached) in figures.items()
    }
    assert figures[org_a] == ({"housing": {"n": 2, "people": 1}, "legal": {"n": 2, "people": 2}}, 2)
    assert figures[None] == (
        {"housing": {"n": 3, "people": 2}, "legal": {"n": 2, "people": 2}},
        3,
    )
