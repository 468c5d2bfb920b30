"""The livelihood API in the established style: 201 with the record, 400 with field errors,
409 for stale versions and state conflicts (overdraws, missing exchange rates)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from aftercare.livelihoods.models import SavingsEntry
from tests.livelihoods.conftest import usd_rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api, case_worker_a):
    return api.as_user(case_worker_a)


def placement_body(employer_row, **changes):
    body = {
        "employer": str(employer_row.pk),
        "role": "Housekeeper",
        "start_date": "2026-01-05",
        "hours_per_week": "45",
        "wage_amount": "5200",
        "currency": "ZAR",
        "pay_period": "monthly",
    }
    return {**body, **changes}


def test_a_placement_answers_with_its_flag_arithmetic_and_follow_ups(
    client, jhb_survivor, employer, za_standards
):
    response = client.post(
        f"/api/v1/survivors/{jhb_survivor.pk}/placements", placement_body(employer), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["fair_wage"]["status"] == "below_minimum" and body["fair_wage"]["flagged"] is True
    assert body["fair_wage"]["detail"]["hourly"] == "26.67"
    assert "below the minimum wage of 28.79 ZAR" in body["fair_wage"]["message"]
    assert body["wage_amount"] == "5200.00" and body["region"] == "za-gp-jhb"
    assert [f["months"] for f in body["follow_ups"]] == [1, 3, 6, 12]
    assert body["follow_ups"][0]["due_on"] == "2026-02-05"
    listed = client.get(f"/api/v1/survivors/{jhb_survivor.pk}/placements").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == body["id"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"wage_amount": "52.005"}, "wage_amount"),
        ({"currency": "RAND"}, "currency"),
        ({"pay_period": "yearly"}, "pay_period"),
        ({"hours_per_week": "0"}, "hours_per_week"),
        ({"employer": "00000000-0000-0000-0000-000000000000"}, "employer"),
        ({"end_date": "2025-12-01"}, "end_date"),
        ({"region": "nowhere"}, "region"),
    ],
)
def test_bad_placements_get_field_errors(client, jhb_survivor, employer, changes, field):
    response = client.post(
        f"/api/v1/survivors/{jhb_survivor.pk}/placements",
        placement_body(employer, **changes),
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_stale_version_is_refused_with_409(client, jhb_survivor, employer, za_standards):
    created = client.post(
        f"/api/v1/survivors/{jhb_survivor.pk}/placements", placement_body(employer), format="json"
    ).json()
    url = f"/api/v1/survivors/{jhb_survivor.pk}/placements/{created['id']}"
    first = client.patch(url, {"version": 1, "wage_amount": "8000"}, format="json")
    assert (
        first.status_code == 200
        and first.json()["fair_wage"]["status"] == "fair"
        and first.json()["version"] == 2
    )
    stale = client.patch(url, {"version": 1, "role": "Supervisor"}, format="json")
    assert stale.status_code == 409 and "version" in stale.json()["errors"]
    assert client.patch(url, {"role": "Supervisor"}, format="json").status_code == 400


def test_retention_is_recorded_once(client, jhb_survivor, employer, za_standards):
    start = (timezone.localdate() - timedelta(days=40)).isoformat()
    created = client.post(
        f"/api/v1/survivors/{jhb_survivor.pk}/placements",
        placement_body(employer, start_date=start),
        format="json",
    ).json()
    url = f"/api/v1/survivors/{jhb_survivor.pk}/placements/{created['id']}/follow-ups"
    assert (
        client.post(f"{url}/3", {"outcome": "retained"}, format="json").status_code == 409
    )  # not due yet
    assert client.post(f"{url}/2", {"outcome": "retained"}, format="json").status_code == 404
    left = client.post(f"{url}/1", {"outcome": "left"}, format="json")
    assert left.status_code == 400 and "left_reason" in left.json()["errors"]
    done = client.post(f"{url}/1", {"outcome": "retained", "note": "Doing well"}, format="json")
    assert done.status_code == 200 and done.json()["outcome"] == "retained"
    assert client.post(f"{url}/1", {"outcome": "retained"}, format="json").status_code == 409


def test_savings_over_the_api_refuses_an_overdraw_with_409(client, survivor_a):
    url = f"/api/v1/survivors/{survivor_a.pk}/savings"
    assert (
        client.post(
            url, {"kind": "deposit", "amount": "200", "currency": "KES"}, format="json"
        ).status_code
        == 201
    )
    refused = client.post(
        url, {"kind": "withdrawal", "amount": "250", "currency": "KES"}, format="json"
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "insufficient_balance"
    assert "cannot go below zero" in refused.json()["errors"]["amount"][0]
    ledger = client.get(url).json()
    assert ledger["balances"] == {"KES": "200.00"} and ledger["count"] == 1
    assert ledger["results"][0]["balance_after"] == "200.00"
    bad = client.post(url, {"kind": "deposit", "amount": "-3", "currency": "KES"}, format="json")
    assert bad.status_code == 400 and "amount" in bad.json()["errors"]
    assert SavingsEntry.objects.count() == 1


def test_economic_outcomes_refuse_to_mix_currencies_without_a_rate(
    client, worker, jhb_survivor, employer, za_standards
):
    client.post(
        f"/api/v1/survivors/{jhb_survivor.pk}/placements",
        placement_body(employer, start_date="2026-01-01", wage_amount="7500"),
        format="json",
    )
    income = client.post(
        f"/api/v1/survivors/{jhb_survivor.pk}/income",
        {"month": "2026-03-10", "source": "family", "amount": "40", "currency": "USD"},
        format="json",
    )
    assert income.status_code == 201 and income.json()["month"] == "2026-03"
    refused = client.get(f"/api/v1/survivors/{jhb_survivor.pk}/economic-outcomes")
    assert refused.status_code == 409
    assert (
        refused.json()["code"] == "rate_missing"
        and "USD and ZAR" in refused.json()["errors"]["currency"][0]
    )
    usd_rate("18.00")
    body = client.get(f"/api/v1/survivors/{jhb_survivor.pk}/economic-outcomes?months=24").json()
    assert body["currency"] == "ZAR"
    march = next(m for m in body["months"] if m["month"] == "2026-03")
    assert march["total"] == "8220.00" and march["by_currency"] == {
        "USD": "40.000",
        "ZAR": "7500.000",
    }
    assert march["living_wage"] == "7000.00" and march["at_or_above_living_wage"] is True
    assert body["self_sufficiency"]["self_sufficient"] is True
    assert body["self_sufficiency"]["living_wage"]["inherited"] is True
    assert (
        client.get(f"/api/v1/survivors/{jhb_survivor.pk}/economic-outcomes?months=x").status_code
        == 400
    )
    assert (
        client.get(f"/api/v1/survivors/{jhb_survivor.pk}/economic-outcomes?currency=XX").status_code
        == 400
    )


def test_a_sale_over_the_api_gives_each_maker_her_share(client, org_a):
    from tests.factories import SurvivorFactory

    makers = [SurvivorFactory(organisation=org_a) for _ in range(3)]
    product = client.post(
        "/api/v1/products",
        {"name": "Beaded necklace", "maker_percent": "80", "makers": [m.case_code for m in makers]},
        format="json",
    )
    assert product.status_code == 201, product.json()
    url = f"/api/v1/products/{product.json()['id']}"
    batch = client.post(
        f"{url}/batches",
        {
            "made_on": "2026-02-01",
            "quantity": 10,
            "makers": [
                {"case_code": makers[0].case_code, "weight": 5},
                {"case_code": makers[1].case_code, "weight": 3},
                {"case_code": makers[2].case_code, "weight": 2},
            ],
        },
        format="json",
    )
    assert batch.status_code == 201, batch.json()
    sale = client.post(
        f"{url}/sales",
        {
            "channel": "market",
            "quantity": 3,
            "unit_price": "99.99",
            "currency": "ZAR",
            "sold_on": "2026-02-14",
            "batch": batch.json()["id"],
        },
        format="json",
    )
    assert sale.status_code == 201, sale.json()
    body = sale.json()
    # 3 × 99.99 = 299.97; 80% = 239.98 (rounded half up from 239.976); the enterprise keeps 59.99.
    assert (body["total"], body["makers_part"], body["enterprise_part"]) == (
        "299.97",
        "239.98",
        "59.99",
    )
    shares = {s["case_code"]: s["amount"] for s in body["shares"]}
    # 239.98 in 5:3:2 → 119.99, 71.994→71.99, 47.996→48.00 (the leftover cent to the largest
    # remainder).
    assert shares == {
        makers[0].case_code: "119.99",
        makers[1].case_code: "71.99",
        makers[2].case_code: "48.00",
    }
    earnings = client.get(f"/api/v1/survivors/{makers[2].pk}/earnings").json()
    assert (
        earnings["totals"] == {"ZAR": "48.00"} and earnings["results"][0]["sale_total"] == "299.97"
    )


def test_an_unknown_maker_is_a_field_error(client, org_b):
    from tests.factories import SurvivorFactory

    stranger = SurvivorFactory(organisation=org_b)
    response = client.post(
        "/api/v1/products", {"name": "Bag", "makers": [stranger.case_code]}, format="json"
    )
    assert (
        response.status_code == 400 and stranger.case_code in response.json()["errors"]["makers"][0]
    )


def test_wage_standards_and_rates_are_kept_by_the_coordinator(api, org_a, za):
    from aftercare.accounts.roles import Role
    from tests.conftest import member

    client = api.as_user(member(org_a, Role.NETWORK_COORDINATOR))
    body = {
        "region": "za-gp",
        "kind": "living",
        "amount": "8100",
        "currency": "ZAR",
        "period": "monthly",
        "valid_from": "2026-04-01",
        "source": "Gauteng living wage study",
    }
    assert client.post("/api/v1/wage-standards", body, format="json").status_code == 201
    again = client.post("/api/v1/wage-standards", body, format="json")
    assert again.status_code == 409 and "valid_from" in again.json()["errors"]
    assert client.get("/api/v1/wage-standards").json()["count"] == 1
    same = client.post(
        "/api/v1/exchange-rates",
        {"base": "ZAR", "quote": "ZAR", "rate": "1", "valid_from": "2026-01-01"},
        format="json",
    )
    assert same.status_code == 400 and "quote" in same.json()["errors"]
    assert (
        client.post(
            "/api/v1/exchange-rates",
            {"base": "USD", "quote": "KES", "rate": "129.5", "valid_from": "2026-01-01"},
            format="json",
        ).status_code
        == 201
    )


def test_training_enrolment_attendance_and_certificate(client, worker, org_a, jhb_survivor):
    from aftercare.livelihoods import training
    from aftercare.livelihoods.models import TrainingProgramme

    programme = TrainingProgramme.objects.create(
        provider=org_a,
        name="Goldsmithing",
        trade="jewellery",
        duration_weeks=26,
        certification="Gem and Jewellery Skill Council",
    )
    cohort = training.add_cohort(
        worker, programme, {"name": "Kolkata 2026", "start_date": date(2026, 1, 5)}
    )
    url = f"/api/v1/survivors/{jhb_survivor.pk}/training"
    enrolled = client.post(url, {"cohort": str(cohort.pk)}, format="json")
    assert enrolled.status_code == 201
    assert client.post(url, {"cohort": str(cohort.pk)}, format="json").status_code == 409
    eid = enrolled.json()["id"]
    for day, present in (("2026-01-05", True), ("2026-01-06", False), ("2026-01-07", True)):
        assert (
            client.post(
                f"{url}/{eid}/attendance", {"date": day, "present": present}, format="json"
            ).status_code
            == 201
        )
    assert (
        client.post(
            f"{url}/{eid}/attendance", {"date": "2025-12-01", "present": True}, format="json"
        ).status_code
        == 400
    )
    done = client.patch(
        f"{url}/{eid}",
        {
            "version": 1,
            "status": "completed",
            "certificate_number": "GJ-2026-0042",
            "certificate_issued_on": "2026-01-09",
        },
        format="json",
    )
    assert done.status_code == 200, done.json()
    body = done.json()
    assert (body["status"], body["certificate_number"], body["present"], body["sessions"]) == (
        "completed",
        "GJ-2026-0042",
        2,
        3,
    )
    assert (
        client.patch(
            f"{url}/{eid}", {"version": 1, "status": "withdrawn"}, format="json"
        ).status_code
        == 409
    )


def test_school_enrolment_terms_and_progression(client, jhb_survivor):
    url = f"/api/v1/survivors/{jhb_survivor.pk}/education"
    created = client.post(
        url,
        {
            "school_name": "Malindi Girls' Secondary",
            "level": "secondary",
            "grade": "Form 1",
            "enrolled_on": "2025-01-06",
        },
        format="json",
    )
    assert created.status_code == 201
    eid = created.json()["id"]
    assert (
        client.post(
            f"{url}/{eid}/terms",
            {"year": 2025, "term": 1, "days_open": 60, "days_present": 54},
            format="json",
        ).status_code
        == 201
    )
    too_many = client.post(
        f"{url}/{eid}/terms",
        {"year": 2025, "term": 2, "days_open": 60, "days_present": 61},
        format="json",
    )
    assert too_many.status_code == 400 and "days_present" in too_many.json()["errors"]
    promoted = client.post(
        f"{url}/{eid}/progressions",
        {"year": 2025, "outcome": "promoted", "to_grade": "Form 2"},
        format="json",
    )
    assert promoted.status_code == 201
    assert (
        promoted.json()["grade"] == "Form 2"
        and promoted.json()["progressions"][0]["from_grade"] == "Form 1"
    )
    assert promoted.json()["terms"][0]["days_present"] == 54
    supplies = client.post(
        f"/api/v1/survivors/{jhb_survivor.pk}/school-supplies",
        {"provided_on": "2025-01-06", "items": "uniform, shoes", "value": "1500"},
        format="json",
    )
    assert supplies.status_code == 400  # a value needs its currency
    protection = client.post(
        f"/api/v1/survivors/{jhb_survivor.pk}/social-protection",
        {
            "programme": "Inua Jamii",
            "status": "enrolled",
            "since": "2025-02-01",
            "benefit_amount": "2000",
            "currency": "KES",
            "benefit_period": "monthly",
        },
        format="json",
    )
    assert protection.status_code == 201 and protection.json()["benefit_amount"] == "2000.00"


def test_a_household_without_a_survivor(client):
    created = client.post(
        "/api/v1/households",
        {
            "members": 6,
            "children": 4,
            "contact_name": "Mama Zawadi",
            "vulnerability": "No income since the father left",
        },
        format="json",
    )
    assert created.status_code == 201 and created.json()["code"].startswith("HH-")
    hid = created.json()["id"]
    support = client.post(
        f"/api/v1/households/{hid}/support",
        {"kind": "business_grant", "given_on": "2026-01-10", "value": "15000", "currency": "KES"},
        format="json",
    )
    assert support.status_code == 201
    visit = client.post(
        f"/api/v1/households/{hid}/follow-ups",
        {"visited_on": "2026-02-10", "situation": "better", "support": support.json()["id"]},
        format="json",
    )
    assert visit.status_code == 201
    detail = client.get(f"/api/v1/households/{hid}").json()
    assert (
        detail["support"][0]["kind"] == "business_grant"
        and detail["follow_ups"][0]["situation"] == "better"
    )
    bad = client.post("/api/v1/households", {"members": 2, "children": 3}, format="json")
    assert bad.status_code == 400 and "children" in bad.json()["errors"]


def test_the_openapi_schema_describes_the_livelihood_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/survivors/{survivor_id}/placements",
        "/api/v1/survivors/{survivor_id}/savings",
        "/api/v1/survivors/{survivor_id}/income",
        "/api/v1/survivors/{survivor_id}/economic-outcomes",
    ):
        assert path in schema["paths"], path
