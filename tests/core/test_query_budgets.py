"""Every page and list endpoint stays within its query budget (tests/query_budgets.py), with
a case whose history is long and a second organisation it was referred to."""

import os

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from aftercare.accounts import members
from aftercare.accounts.models import ApiToken
from aftercare.accounts.roles import Role
from aftercare.livelihoods.models import Cohort
from aftercare.referrals.models import Referral
from tests.cases.test_query_counts import give_history
from tests.conftest import actor, current_code, member
from tests.factories import PartnerEmployerFactory, SurvivorFactory, totp_device
from tests.query_budgets import BUDGETS

pytestmark = pytest.mark.django_db


def give_at_risk_history(worker, n: int):
    """A person at risk with n of everything (training, jobs, housing, household support), and
    n more people at risk: her page and the lists must not grow with them."""
    from datetime import timedelta

    from django.utils import timezone

    from aftercare.atrisk import services as atrisk
    from aftercare.livelihoods import households, training

    today = timezone.localdate()
    person = {
        "given_name": "Budget",
        "year_of_birth": 2004,
        "gender": "woman",
        "consents_to_enrolment": True,
        "consents_to_data_use": True,
        "consent_method": "verbal",
    }
    others = [atrisk.register(worker, person) for _ in range(n)]
    home = households.register_household(worker, {"members": 3, "children": 1})
    beneficiary = atrisk.register(worker, {**person, "household": home})
    programme = training.add_programme(
        worker,
        {"name": "Budget course", "trade": "tailoring", "kind": "training", "duration_weeks": 4},
    )
    employer = PartnerEmployerFactory(name="Budget Ltd", added_by_organisation=worker.organisation)
    for i in range(n):
        cohort = training.add_cohort(
            worker, programme, {"name": f"C{i}", "start_date": today - timedelta(days=90)}
        )
        atrisk.enrol_training(
            worker, beneficiary, {"cohort": cohort, "enrolled_on": today - timedelta(days=80)}
        )
        atrisk.place_in_job(
            worker, beneficiary, {"employer": employer, "role": "Cutter", "start_date": today}
        )
        atrisk.house(worker, beneficiary, {"kind": "hostel", "start": today - timedelta(days=i)})
        households.give_support(worker, home, {"kind": "food", "given_on": today})
    assert others
    return beneficiary


@pytest.fixture
def world(org_a, org_b):
    cache.clear()
    worker = member(org_a, Role.CASE_WORKER, "budget_worker")
    supervisor = member(org_a, Role.SUPERVISOR, "budget_supervisor")
    coordinator = member(org_a, Role.NETWORK_COORDINATOR, "budget_coordinator")
    others = {
        role: member(org_a, getattr(Role, name), f"budget_{role}")
        for role, name in (
            ("me_officer", "ME_OFFICER"),
            ("field_worker", "FIELD_WORKER"),
            ("referral_source", "REFERRAL_SOURCE"),
        )
    }
    admin = member(org_a, Role.ADMIN, "budget_admin")
    for n in range(4):  # members in every state, some with a change awaiting approval
        invited = members.invite(actor(admin), username=f"budget_invited{n}", role=Role.CASE_WORKER)
        if n % 2:
            members.accept_invitation(
                invited.link.rstrip("/").rsplit("/", 1)[1], "plum orchard lantern 42"
            )
        member(org_a, Role.FIELD_WORKER, f"budget_field{n}")
    survivor = SurvivorFactory(organisation=org_a)
    SurvivorFactory.create_batch(5, organisation=org_a)
    give_history(actor(worker), survivor, org_b, 4)
    beneficiary = give_at_risk_history(actor(worker), 4)
    cohort = Cohort.objects.filter(programme__name="Budget course").first()
    return {
        "users": {
            "worker": worker,
            "supervisor": supervisor,
            "coordinator": coordinator,
            "admin": admin,
            **others,
        },
        "values": {
            "survivor": survivor.pk,
            "referral": Referral.objects.filter(survivor=survivor).first().pk,
            "organisation": org_b.slug,
            "beneficiary": beneficiary.pk,
            "programme": cohort.programme_id,
            "cohort": cohort.pk,
            "household": beneficiary.household_id,
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


def client_of(world, who: str):
    """A signed-out browser ("anonymous"), a web session of a role, or "api:" and a role's
    token."""
    if who == "anonymous":
        return Client()
    user = world["users"][who.removeprefix("api:")]
    return token_client(user) if who.startswith("api:") else signed_in(user)


def _cases():
    for path, who, budget in BUDGETS:
        yield pytest.param(path, who, budget, id=f"{who} {path}")


@pytest.mark.parametrize(("path", "who", "budget"), list(_cases()))
def test_query_budget(world, settings, path, who, budget, assert_queries):
    settings.AFTERCARE_BENCH_FLOOR = True
    values = dict(world["values"])
    if path.startswith("/api/"):
        values["organisation"] = world["org_b"].pk
    url = path.format(**values)
    client = client_of(world, who)
    client.get(url)  # warm: caches that any request fills
    with assert_queries(budget) as captured:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        print(f"BUDGET {len(captured):3d} {who} {path}")
        if os.environ.get("SHOW_SQL"):
            print("\n".join("   " + q["sql"][:400] for q in captured))
    # A read writes at most its audit event: one INSERT, its own single transaction (no session
    # UPDATE and COMMIT any more, no other write).
    writes = [
        q["sql"]
        for q in captured
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert len(writes) <= 1 and all('"audit_auditevent"' in sql for sql in writes), writes
