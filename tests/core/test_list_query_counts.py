"""The notifications page and the audit trail cost a fixed number of queries, however long they
are: the same for few and many, and within the page's budget (tests/query_budgets.py)."""

import pytest

from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.notices import Notice
from aftercare.core.notify import notify_user
from tests.conftest import actor
from tests.factories import SurvivorFactory
from tests.query_budgets import budget_of

pytestmark = pytest.mark.django_db


def queries(assert_queries, budget: int, client, url: str) -> int:
    with assert_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def test_notifications_page_query_count_does_not_grow_with_notifications(
    web_login, case_worker_a, org_a, assert_queries
):
    # Measured here: one more than the table's, which test_query_budgets measures on a warmed page.
    budget = budget_of("/notifications/", "worker") + 1
    client = web_login(case_worker_a)
    for i in range(2):
        notify_user(
            case_worker_a,
            Notice("referral.expired", {"code": f"AC-{i}", "org": "B"}),
            "/cases/",
            org_a,
        )
    few = queries(assert_queries, budget, client, "/notifications/")
    for i in range(12):
        notify_user(case_worker_a, Notice("cases.import.done", {"n": i}), "/cases/", org_a)
    assert queries(assert_queries, budget, client, "/notifications/") == few


def test_audit_trail_query_count_does_not_grow_with_events(
    web_login, make_member, case_worker_a, org_a, assert_queries
):
    budget = budget_of("/audit/", "supervisor")
    supervisor = make_member(org_a, Role.SUPERVISOR, "sup_a")
    client = web_login(supervisor)
    worker = actor(case_worker_a)
    for survivor in SurvivorFactory.create_batch(2, organisation=org_a):
        record(worker, AuditAction.READ, survivor)
    few = queries(assert_queries, budget, client, "/audit/")
    for survivor in SurvivorFactory.create_batch(12, organisation=org_a):
        record(worker, AuditAction.READ, survivor)
    assert queries(assert_queries, budget, client, "/audit/") == few
