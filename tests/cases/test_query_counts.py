"""The caseload and the case page cost a fixed number of queries, however much a case holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftercare.cases import care
from aftercare.referrals import services as referrals
from aftercare.risk import services as risk
from tests.conftest import actor
from tests.factories import SurvivorFactory

pytestmark = pytest.mark.django_db


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def give_history(worker, survivor, org_b, times: int):
    care.record_consent(worker, survivor, purpose="service_delivery", granted=True, method="written")
    care.record_consent(worker, survivor, purpose="referral", granted=True, method="written")
    for i in range(times):
        care.assess_needs(worker, survivor, {"housing": "high"})
        care.add_goal(worker, survivor, {"domain": "employment", "description": f"goal {i}", "responsible_organisation": worker.organisation})
        care.record_service(worker, survivor, {"domain": "housing", "organisation": worker.organisation, "date": timezone.localdate()})
        care.write_note(worker, survivor, text=f"note {i}", sensitivity="general")
        care.review_plan(worker, survivor, reviewed_on=timezone.localdate(), outcome="ok", survivor_took_part=True)
        risk.assess_risk(worker, survivor, {"no_income": True, "unstable_housing": i % 2 == 0})
        referrals.refer_survivor(worker, survivor, org_b, ["housing"], f"r{i}")


def test_caseload_query_count_does_not_grow_with_rows(web_login, case_worker_a, org_a):
    client = web_login(case_worker_a)
    SurvivorFactory.create_batch(3, organisation=org_a)
    few = count(client, "/cases/?order=risk&scope=all")
    SurvivorFactory.create_batch(40, organisation=org_a)
    many = count(client, "/cases/?order=risk&scope=all")
    assert many == few, f"{few} queries for 3 cases, {many} for 43"


def test_case_page_query_count_does_not_grow_with_history(web_login, case_worker_a, org_a, org_b):
    client = web_login(case_worker_a)
    worker = actor(case_worker_a)
    small, large = SurvivorFactory(organisation=org_a), SurvivorFactory(organisation=org_a)
    give_history(worker, small, org_b, 1)
    give_history(worker, large, org_b, 6)
    assert count(client, f"/cases/{large.pk}/") == count(client, f"/cases/{small.pk}/")


def test_caseload_api_query_count_is_fixed(api, case_worker_a, org_a):
    client = api.as_user(case_worker_a)
    SurvivorFactory.create_batch(3, organisation=org_a)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/survivors?risk_level=high")
    SurvivorFactory.create_batch(30, organisation=org_a)
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/survivors?risk_level=high")
    assert len(many) == len(few)
