"""The survivors served in a period are counted by each service's kept predecessor (issue 18).

`cases.service_order` keeps on each service the date of the survivor's service before it, in any
domain and in its own; the funder report counts a survivor by her first service in the period
(the one whose predecessor is before it), with no DISTINCT and no sort. These tests hold that
count to the distinct count, whatever the services, the period and the order they were recorded
in, and the predecessors to the services as they are after every write that changes them.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftercare.casefile import merge
from aftercare.cases import care, indicators, service_order
from aftercare.cases.models import ServiceDelivery
from aftercare.core.stats.indicators import Period
from tests.conftest import actor
from tests.factories import ServiceDeliveryFactory, SurvivorFactory

pytestmark = pytest.mark.django_db

DAY0 = date(2025, 1, 1)
DOMAINS = ["housing", "medical", "legal"]


def distinct_counts(period: Period, organisation=None) -> tuple[dict, int]:
    """What the report must say, counted the obvious way in Python."""
    services = ServiceDelivery.objects.filter(date__gte=period.start, date__lte=period.end)
    if organisation is not None:
        services = services.filter(survivor__organisation=organisation)
    pairs = list(services.values_list("domain", "survivor_id"))
    by_domain = {}
    for domain in {d for d, _s in pairs}:
        by_domain[domain] = {
            "n": sum(1 for d, _s in pairs if d == domain),
            "people": len({s for d, s in pairs if d == domain}),
        }
    return by_domain, len({s for _d, s in pairs})


def reported(period: Period, organisation=None) -> tuple[dict, int]:
    rows, reached = indicators._services_grouped(period, organisation)
    return {d: {"n": r["n"], "people": r["people"]} for d, r in rows.items()}, reached


services_drawn = st.lists(
    st.tuples(st.integers(0, 3), st.sampled_from(DOMAINS), st.integers(0, 40)),
    min_size=0,
    max_size=25,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    drawn=services_drawn,
    start=st.integers(0, 40),
    length=st.integers(0, 20),
    bulk=st.booleans(),
)
def test_the_kept_count_is_the_distinct_count_for_any_services_and_period(
    org_a, org_b, drawn, start, length, bulk
):
    with transaction.atomic():  # each example rolled back
        survivors = [SurvivorFactory(organisation=org_a if i % 2 else org_b) for i in range(4)]
        if bulk:  # a bulk load, then every predecessor in one statement
            ServiceDelivery.objects.bulk_create(
                ServiceDelivery(
                    survivor=survivors[who],
                    domain=domain,
                    organisation=survivors[who].organisation,
                    date=DAY0 + timedelta(days=day),
                )
                for who, domain, day in drawn
            )
            service_order.refresh_all()
        else:  # one by one, in the order drawn (often backdated), as workers record them
            for who, domain, day in drawn:
                ServiceDeliveryFactory(
                    survivor=survivors[who], domain=domain, date=DAY0 + timedelta(days=day)
                )
        period = Period(DAY0 + timedelta(days=start), DAY0 + timedelta(days=start + length))
        assert reported(period) == distinct_counts(period)
        assert reported(period, org_a) == distinct_counts(period, org_a)
        transaction.set_rollback(True)


def test_a_backdated_service_becomes_the_predecessor_of_the_one_after_it(case_worker_a, org_a):
    worker = actor(case_worker_a)
    survivor = SurvivorFactory(organisation=org_a)
    care.record_consent(
        worker, survivor, purpose="service_delivery", granted=True, method="written"
    )
    later = care.record_service(worker, survivor, {"domain": "housing", "date": date(2025, 3, 10)})
    assert (later.previous_date, later.previous_date_in_domain) == (None, None)
    earlier = care.record_service(worker, survivor, {"domain": "medical", "date": date(2025, 3, 1)})
    later.refresh_from_db()
    assert (later.previous_date, later.previous_date_in_domain) == (date(2025, 3, 1), None)
    assert earlier.previous_date is None
    # Counted once in March, in all and in each domain.
    march = Period(date(2025, 3, 1), date(2025, 3, 31))
    assert reported(march) == distinct_counts(march)
    assert reported(march)[1] == 1


def test_two_services_on_one_day_count_her_once(org_a):
    survivor = SurvivorFactory(organisation=org_a)
    ServiceDeliveryFactory(survivor=survivor, domain="housing", date=DAY0)
    ServiceDeliveryFactory(survivor=survivor, domain="housing", date=DAY0)
    ServiceDeliveryFactory(survivor=survivor, domain="legal", date=DAY0)
    day = Period(DAY0, DAY0)
    assert reported(day) == (
        {"housing": {"n": 2, "people": 1}, "legal": {"n": 1, "people": 1}},
        1,
    )


def test_a_merge_orders_both_records_services_as_one_survivor_s(supervisor_a, org_a):
    keep, other = SurvivorFactory(organisation=org_a), SurvivorFactory(organisation=org_a)
    ServiceDeliveryFactory(survivor=keep, domain="housing", date=DAY0)
    ServiceDeliveryFactory(survivor=other, domain="housing", date=DAY0 + timedelta(days=2))
    period = Period(DAY0, DAY0 + timedelta(days=5))
    assert reported(period)[1] == 2
    merge.merge_cases(actor(supervisor_a), keep.pk, other.pk)
    assert reported(period) == ({"housing": {"n": 2, "people": 1}}, 1)


def test_the_report_counts_people_without_distinct_or_a_second_scan(org_a):
    ServiceDeliveryFactory(survivor=SurvivorFactory(organisation=org_a), date=DAY0)
    with CaptureQueriesContext(connection) as queries:
        indicators._services_grouped(Period(DAY0, DAY0), org_a)
    [sql] = [q["sql"] for q in queries]
    assert "DISTINCT" not in sql.upper()
    assert '"cases_servicedelivery"."id"' not in sql  # nothing the report's index lacks


def test_the_migration_fills_the_dates_by_the_module_s_rule():
    from importlib import import_module

    migration = import_module("aftercare.cases.migrations.0017_service_previous_dates")
    rule = service_order.REFRESH_MANY_SQL.format(
        services=ServiceDelivery._meta.db_table, inner="{inner}", outer="{outer}"
    )
    assert re.sub(r"\s+", " ", migration.FILL).strip() == re.sub(r"\s+", " ", rule).strip()


def test_a_bulk_refresh_in_small_batches_sets_every_survivor_s_services(org_a):
    survivors = [SurvivorFactory(organisation=org_a) for _ in range(5)]
    ServiceDelivery.objects.bulk_create(
        ServiceDelivery(
            survivor=s, domain="housing", organisation=org_a, date=DAY0 + timedelta(days=d)
        )
        for s in survivors
        for d in (0, 3)
    )
    service_order.refresh_all(batch=2)  # three batches, the last open-ended
    later = ServiceDelivery.objects.filter(date=DAY0 + timedelta(days=3))
    assert sorted(later.values_list("previous_date", flat=True)) == [DAY0] * 5
    assert ServiceDelivery.objects.filter(date=DAY0, previous_date__isnull=True).count() == 5
