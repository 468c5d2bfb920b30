"""The caseload and the case page cost a fixed number of queries, however much a case holds: the
same for a small and a large one, and within the page's budget (tests/query_budgets.py)."""

import pytest
from django.utils import timezone

from aftercare.cases import care
from aftercare.referrals import services as referrals
from aftercare.risk import services as risk
from tests.conftest import actor
from tests.factories import SurvivorFactory
from tests.query_budgets import CASE_PAGE_BUDGET, budget_of

pytestmark = pytest.mark.django_db


def count(assert_queries, budget: int, client, url) -> int:
    with assert_queries(budget) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def give_history(worker, survivor, org_b, times: int):
    care.record_consent(
        worker, survivor, purpose="service_delivery", granted=True, method="written"
    )
    care.record_consent(worker, survivor, purpose="referral", granted=True, method="written")
    for i in range(times):
        care.assess_needs(worker, survivor, {"housing": "high"})
        care.add_goal(
            worker,
            survivor,
            {
                "domain": "employment",
                "description": f"goal {i}",
                "responsible_organisation": worker.organisation,
            },
        )
        care.record_service(
            worker,
            survivor,
            {
                "domain": "housing",
                "organisation": worker.organisation,
                "date": timezone.localdate(),
            },
        )
        care.write_note(worker, survivor, text=f"note {i}", sensitivity="general")
        care.review_plan(
            worker,
            survivor,
            reviewed_on=timezone.localdate(),
            outcome="ok",
            survivor_took_part=True,
        )
        risk.assess_risk(worker, survivor, {"no_income": True, "unstable_housing": i % 2 == 0})
        referrals.refer_survivor(worker, survivor, org_b, ["housing"], f"r{i}")


def test_caseload_query_count_does_not_grow_with_rows(
    web_login, case_worker_a, org_a, assert_queries
):
    client = web_login(case_worker_a)
    budget = budget_of("/cases/?scope=all", "worker")
    SurvivorFactory.create_batch(3, organisation=org_a)
    few = count(assert_queries, budget, client, "/cases/?order=risk&scope=all")
    SurvivorFactory.create_batch(40, organisation=org_a)
    many = count(assert_queries, budget, client, "/cases/?order=risk&scope=all")
    assert many == few, f"{few} queries for 3 cases, {many} for 43"


def test_case_page_query_count_does_not_grow_with_history(
    web_login, case_worker_a, org_a, org_b, assert_queries
):
    client = web_login(case_worker_a)
    worker = actor(case_worker_a)
    small, large = SurvivorFactory(organisation=org_a), SurvivorFactory(organisation=org_a)
    give_history(worker, small, org_b, 1)
    give_history(worker, large, org_b, 6)
    assert count(assert_queries, CASE_PAGE_BUDGET, client, f"/cases/{large.pk}/") == count(
        assert_queries, CASE_PAGE_BUDGET, client, f"/cases/{small.pk}/"
    )


def test_caseload_api_query_count_is_fixed(api, case_worker_a, org_a, assert_queries):
    client = api.as_user(case_worker_a)
    budget = budget_of("/api/v1/survivors", "api:worker")
    SurvivorFactory.create_batch(3, organisation=org_a)
    with assert_queries(budget) as few:
        client.get("/api/v1/survivors?risk_level=high")
    SurvivorFactory.create_batch(30, organisation=org_a)
    with assert_queries(budget) as many:
        client.get("/api/v1/survivors?risk_level=high")
    assert len(many) == len(few)
