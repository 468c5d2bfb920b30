"""Every livelihood endpoint: 404 across organisations, 403 for roles below it, 401 signed out."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.livelihoods import education, enterprise, households, placements, training
from aftercare.livelihoods.models import PayPeriod, TrainingProgramme
from tests.conftest import member
from tests.livelihoods.conftest import LOWER_ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(worker, org_a, jhb_survivor, employer, za_standards):
    """One of everything in organisation A, on A's case."""
    today = timezone.localdate()
    job = placements.place(
        worker,
        jhb_survivor,
        {
            "employer": employer,
            "role": "Cook",
            "start_date": today - timedelta(days=40),
            "hours_per_week": Decimal(40),
            "wage_amount": Decimal("8000"),
            "currency": "ZAR",
            "pay_period": PayPeriod.MONTHLY,
        },
    )
    programme = TrainingProgramme.objects.create(
        provider=org_a, name="Sewing", trade="tailoring", duration_weeks=12
    )
    cohort = training.add_cohort(
        worker, programme, {"name": "2026 intake", "start_date": today - timedelta(days=30)}
    )
    enrolment = training.enrol(worker, jhb_survivor, cohort)
    school = education.enrol_in_school(
        worker,
        jhb_survivor,
        {
            "school_name": "Hillbrow Secondary",
            "level": "secondary",
            "grade": "Grade 9",
            "enrolled_on": today - timedelta(days=90),
        },
    )
    product = enterprise.add_product(worker, {"name": "Tote bag", "makers": [jhb_survivor]})
    household = households.register_household(worker, {"members": 5, "children": 3})
    return {
        "survivor": jhb_survivor,
        "job": job,
        "programme": programme,
        "enrolment": enrolment,
        "school": school,
        "product": product,
        "household": household,
    }


def scoped_endpoints(h) -> list[tuple[str, str]]:
    """(method, path) of every endpoint on something organisation A holds."""
    s = f"/api/v1/survivors/{h['survivor'].pk}"
    return [
        ("get", f"{s}/placements"),
        ("post", f"{s}/placements"),
        ("get", f"{s}/placements/{h['job'].pk}"),
        ("patch", f"{s}/placements/{h['job'].pk}"),
        ("post", f"{s}/placements/{h['job'].pk}/follow-ups/1"),
        ("get", f"{s}/savings"),
        ("post", f"{s}/savings"),
        ("get", f"{s}/income"),
        ("post", f"{s}/income"),
        ("get", f"{s}/earnings"),
        ("get", f"{s}/economic-outcomes"),
        ("get", f"{s}/training"),
        ("post", f"{s}/training"),
        ("patch", f"{s}/training/{h['enrolment'].pk}"),
        ("post", f"{s}/training/{h['enrolment'].pk}/attendance"),
        ("get", f"{s}/education"),
        ("post", f"{s}/education"),
        ("patch", f"{s}/education/{h['school'].pk}"),
        ("post", f"{s}/education/{h['school'].pk}/terms"),
        ("post", f"{s}/education/{h['school'].pk}/progressions"),
        ("get", f"{s}/school-supplies"),
        ("post", f"{s}/school-supplies"),
        ("get", f"{s}/social-protection"),
        ("post", f"{s}/social-protection"),
        ("post", f"/api/v1/products/{h['product'].pk}/batches"),
        ("get", f"/api/v1/products/{h['product'].pk}/sales"),
        ("post", f"/api/v1/products/{h['product'].pk}/sales"),
        ("get", f"/api/v1/households/{h['household'].pk}"),
        ("post", f"/api/v1/households/{h['household'].pk}/support"),
        ("post", f"/api/v1/households/{h['household'].pk}/follow-ups"),
    ]


NETWORK_ENDPOINTS = [
    ("get", "/api/v1/employers"),
    ("post", "/api/v1/employers"),
    ("get", "/api/v1/training-programmes"),
    ("post", "/api/v1/training-programmes"),
    ("get", "/api/v1/products"),
    ("post", "/api/v1/products"),
    ("get", "/api/v1/households"),
    ("post", "/api/v1/households"),
]


def call(client, method, path):
    return getattr(client, method)(path, {}, format="json")


def test_the_same_role_in_another_organisation_gets_404_for_everything_a_holds(
    api, held, case_worker_b
):
    client = api.as_user(case_worker_b)
    for method, path in scoped_endpoints(held):
        response = call(client, method, path)
        assert response.status_code == 404, (method, path, response.status_code)
        assert "errors" in response.json()


@pytest.mark.parametrize("role", LOWER_ROLES)
def test_roles_without_access_get_403_everywhere(api, held, org_a, role):
    client = api.as_user(member(org_a, role))
    endpoints = [
        *scoped_endpoints(held),
        *NETWORK_ENDPOINTS,
        ("get", f"/api/v1/training-programmes/{held['programme'].pk}/cohorts"),
        ("post", f"/api/v1/training-programmes/{held['programme'].pk}/cohorts"),
    ]
    if role != Role.NETWORK_COORDINATOR:  # the coordinator keeps the wage standards
        endpoints += [
            ("get", "/api/v1/wage-standards"),
            ("post", "/api/v1/wage-standards"),
            ("get", "/api/v1/exchange-rates"),
            ("post", "/api/v1/exchange-rates"),
        ]
    for method, path in endpoints:
        response = call(client, method, path)
        assert response.status_code == 403, (role, method, path, response.status_code)


def test_an_admin_may_read_but_not_record(api, held, org_a):
    client = api.as_user(member(org_a, Role.ADMIN))
    for method, path in scoped_endpoints(held):
        expected = 200 if method == "get" else 403
        assert call(client, method, path).status_code == expected, (method, path)


def test_case_staff_may_not_keep_wage_standards_or_rates(api, case_worker_a):
    client = api.as_user(case_worker_a)
    assert client.get("/api/v1/wage-standards").status_code == 200
    assert call(client, "post", "/api/v1/wage-standards").status_code == 403
    assert call(client, "post", "/api/v1/exchange-rates").status_code == 403


def test_only_the_provider_adds_cohorts(api, held, case_worker_b):
    response = call(
        api.as_user(case_worker_b),
        "post",
        f"/api/v1/training-programmes/{held['programme'].pk}/cohorts",
    )
    assert response.status_code == 403


def test_lists_show_only_the_organisations_own_products_and_households(api, held, case_worker_b):
    client = api.as_user(case_worker_b)
    assert client.get("/api/v1/products").json()["count"] == 0
    assert client.get("/api/v1/households").json()["count"] == 0


def test_a_case_shared_by_referral_does_not_show_its_livelihood_record(
    api, held, worker, case_worker_b, org_b
):
    from aftercare.cases import care
    from aftercare.referrals import services as referrals
    from tests.conftest import actor

    survivor = held["survivor"]
    care.record_consent(
        worker, survivor, purpose="service_delivery", granted=True, method="written"
    )
    care.record_consent(worker, survivor, purpose="referral", granted=True, method="verbal")
    referral = referrals.refer_survivor(worker, survivor, org_b, ["employment"], "Job search")
    referrals.transition(actor(case_worker_b), referral.pk, "accept")
    client = api.as_user(case_worker_b)
    assert client.get(f"/api/v1/survivors/{survivor.pk}").status_code == 200
    response = client.get(f"/api/v1/survivors/{survivor.pk}/placements")
    assert (
        response.status_code == 403
        and "not agreed to share" in response.json()["errors"]["non_field_errors"][0]
    )
    assert call(client, "post", f"/api/v1/survivors/{survivor.pk}/savings").status_code == 403


def test_signed_out_callers_get_401(client, held):
    assert client.get(f"/api/v1/survivors/{held['survivor'].pk}/placements").status_code == 401
    assert client.get("/api/v1/employers").status_code == 401


def test_a_survivor_sees_her_own_livelihood_with_her_token(api, held, org_a):
    from aftercare.voice.models import SurvivorAccount

    user = member(org_a, Role.SURVIVOR, "thandeka")
    SurvivorAccount.objects.create(user=user, survivor=held["survivor"])
    enterprise.record_sale(
        placements_actor(held),
        held["product"],
        channel="market",
        quantity=2,
        unit_price=Decimal("75"),
        currency="ZAR",
        sold_on=date.today(),
    )
    response = api.as_user(user).get("/api/v1/me/livelihood")
    assert response.status_code == 200
    body = response.json()
    assert body["earnings_totals"] == {"ZAR": "150.00"}
    assert body["jobs"][0]["employer"] == "Rosebank Hotel"
    # Staff have no "own livelihood".
    assert (
        api.as_user(member(org_a, Role.CASE_WORKER)).get("/api/v1/me/livelihood").status_code == 403
    )


def test_a_survivor_without_a_portal_account_is_refused(api, org_a):
    assert api.as_user(member(org_a, Role.SURVIVOR)).get("/api/v1/me/livelihood").status_code == 403


def placements_actor(held):
    from aftercare.accounts.services import actor_for

    return actor_for(held["job"].created_by, str(held["job"].organisation_id))
