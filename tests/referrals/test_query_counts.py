"""Referral lists cost a fixed number of queries, however many referrals they show: the same for
few and many, and within the list's budget (tests/query_budgets.py)."""

import pytest

from aftercare.cases import care
from aftercare.referrals import services as referrals
from tests.conftest import actor
from tests.factories import SurvivorFactory
from tests.query_budgets import budget_of

# The receiving organisation's page and list, measured here (not warmed): more than the table's,
# which test_query_budgets measures for the sender's case worker on a warmed page.
PAGE_BUDGET = {"outgoing": budget_of("/referrals/", "worker"), "incoming": 4}
API_BUDGET = {"outgoing": budget_of("/api/v1/referrals", "api:worker"), "incoming": 6}

pytestmark = pytest.mark.django_db


def refer(case_worker, org_a, org_b, how_many: int) -> None:
    worker = actor(case_worker)
    for i in range(how_many):
        survivor = SurvivorFactory(organisation=org_a)
        care.record_consent(worker, survivor, purpose="referral", granted=True, method="written")
        referrals.refer_survivor(worker, survivor, org_b, ["housing", "medical"], f"reason {i}")


def queries(assert_queries, budget: int, client, url: str) -> int:
    with assert_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


@pytest.mark.parametrize("direction", ["outgoing", "incoming"])
def test_referral_list_page_query_count_does_not_grow_with_referrals(
    web_login, case_worker_a, case_worker_b, org_a, org_b, direction, assert_queries
):
    viewer = case_worker_a if direction == "outgoing" else case_worker_b
    client = web_login(viewer)
    refer(case_worker_a, org_a, org_b, 2)
    few = queries(assert_queries, PAGE_BUDGET[direction], client, "/referrals/")
    refer(case_worker_a, org_a, org_b, 8)
    assert queries(assert_queries, PAGE_BUDGET[direction], client, "/referrals/") == few


@pytest.mark.parametrize("direction", ["outgoing", "incoming"])
def test_referral_list_api_query_count_does_not_grow_with_referrals(
    api, case_worker_a, case_worker_b, org_a, org_b, direction, assert_queries
):
    client = api.as_user(case_worker_a if direction == "outgoing" else case_worker_b)
    refer(case_worker_a, org_a, org_b, 2)
    few = queries(
        assert_queries, API_BUDGET[direction], client, f"/api/v1/referrals?direction={direction}"
    )
    refer(case_worker_a, org_a, org_b, 8)
    assert (
        queries(
            assert_queries,
            API_BUDGET[direction],
            client,
            f"/api/v1/referrals?direction={direction}",
        )
        == few
    )


def test_the_list_shows_each_referral_the_needs_of_the_latest_assessment(
    api, case_worker_a, case_worker_b, org_a, org_b
):
    worker = actor(case_worker_a)
    survivor = SurvivorFactory(organisation=org_a)
    care.assess_needs(worker, survivor, {"housing": "low", "medical": "low"})
    care.assess_needs(worker, survivor, {"housing": "urgent"})
    care.record_consent(worker, survivor, purpose="referral", granted=True, method="written")
    referral = referrals.refer_survivor(
        worker, survivor, org_b, ["housing", "medical"], "needs a safe place"
    )
    listed = (
        api.as_user(case_worker_b)
        .get("/api/v1/referrals?direction=incoming")
        .json()["results"][0]["summary"]
    )
    assert listed["needs"]["housing"] == "urgent" and listed["needs"]["medical"] != "low"
    assert listed == referrals.minimum_view(referral)
