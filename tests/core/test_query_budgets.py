"""Every page and list endpoint stays within its query budget (tests/query_budgets.py), with
a case whose history is long and a second organisation it was referred to."""

import os

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from aftercare.accounts.models import ApiToken
from aftercare.accounts.roles import Role
from aftercare.referrals.models import Referral
from tests.cases.test_query_counts import give_history
from tests.conftest import actor, current_code, member
from tests.factories import SurvivorFactory, totp_device
from tests.query_budgets import BUDGETS, CASE_PAGE_BUDGET

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org_a, org_b):
    cache.clear()
    worker = member(org_a, Role.CASE_WORKER, "budget_worker")
    supervisor = member(org_a, Role.SUPERVISOR, "budget_supervisor")
    coordinator = member(org_a, Role.NETWORK_COORDINATOR, "budget_coordinator")
    survivor = SurvivorFactory(organisation=org_a)
    SurvivorFactory.create_batch(5, organisation=org_a)
    give_history(actor(worker), survivor, org_b, 4)
    return {
        "users": {"worker": worker, "supervisor": supervisor, "coordinator": coordinator},
        "values": {
            "survivor": survivor.pk,
            "referral": Referral.objects.filter(survivor=survivor).first().pk,
            "organisation": org_b.slug,
        },
        "org_b": org_b,
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    device = totp_device(user)
    assert client.post("/accounts/two-factor/", {"code": current_code(device)}).status_code == 302
    client.get("/bench/floor")  # the first request after sign-in fills the identity cache
    return client


def token_client(user) -> APIClient:
    client = APIClient()
    raw, _ = ApiToken.issue(user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _cases():
    for path, who, budget in BUDGETS:
        marks = []
        if path == "/cases/{survivor}/" and budget == CASE_PAGE_BUDGET:
            # The target: 35 today (tests/cases/test_case_page_budget.py holds that), 15 once the
            # risk, wellbeing and livelihood panels are read only when opened.
            marks = [pytest.mark.xfail(reason="the case page's 15-query target is not met yet (35)", strict=True)]
        yield pytest.param(path, who, budget, id=f"{who} {path}", marks=marks)


@pytest.mark.parametrize(("path", "who", "budget"), list(_cases()))
def test_query_budget(world, settings, path, who, budget):
    settings.AFTERCARE_BENCH_FLOOR = True
    values = dict(world["values"])
    if path.startswith("/api/"):
        values["organisation"] = world["org_b"].pk
    url = path.format(**values)
    role = who.removeprefix("api:")
    user = world["users"][role]
    client = token_client(user) if who.startswith("api:") else signed_in(user)
    client.get(url)  # warm: caches that any request fills
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    print(f"BUDGET {len(captured):3d} {who} {path}")
    if os.environ.get("SHOW_SQL"):
        print("\n".join("   " + q["sql"][:400] for q in captured))
    assert len(captured) <= budget, "\n".join(q["sql"][:300] for q in captured)
    # A read writes at most its audit event: one INSERT, its own single transaction (no session
    # UPDATE and COMMIT any more, no other write).
    writes = [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) <= 1 and all('"audit_auditevent"' in sql for sql in writes), writes
