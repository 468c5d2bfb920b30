"""The livelihood pages: the Livelihood section of the case page, the case's livelihood page
and its forms, the organisation's pages, the survivor's own earnings; who may see them."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.livelihoods import enterprise, income, placements, savings
from aftercare.livelihoods.models import PayPeriod, Placement, SavingsEntry
from tests.conftest import member
from tests.livelihoods.conftest import LOWER_ROLES

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "aftercare" / "livelihoods" / "templates"


def give_history(worker, survivor, employer, times: int):
    today = timezone.localdate()
    bags = enterprise.add_product(worker, {"name": f"Bag {times}", "makers": [survivor]})
    for i in range(times):
        placements.place(
            worker,
            survivor,
            {
                "employer": employer,
                "role": f"Job {i}",
                "start_date": today - timedelta(days=300 - 20 * i),
                "hours_per_week": Decimal(40),
                "wage_amount": Decimal("4000"),
                "currency": "ZAR",
                "pay_period": PayPeriod.MONTHLY,
            },
        )
        savings.record_entry(worker, survivor, kind="deposit", amount=Decimal(100), currency="ZAR")
        enterprise.record_sale(
            worker,
            bags,
            channel="market",
            quantity=1,
            unit_price=Decimal(50),
            currency="ZAR",
            sold_on=today - timedelta(days=30 * i),
        )
        income.record_income(
            worker,
            survivor,
            {
                "month": today - timedelta(days=31 * i),
                "source": "casual",
                "amount": Decimal(300),
                "currency": "ZAR",
            },
        )


def test_the_case_page_shows_the_livelihood_section_with_the_income_chart(
    web_login, case_worker_a, worker, jhb_survivor, employer, za_standards
):
    give_history(worker, jhb_survivor, employer, 2)
    client = web_login(case_worker_a)
    page = client.get(f"/cases/{jhb_survivor.pk}/").content.decode()
    assert 'id="livelihood"' in page and 'href="#livelihood"' in page
    assert (
        f'hx-get="/cases/{jhb_survivor.pk}/panels/livelihood/"' in page
    )  # read when opened (issue 18)
    panel = client.get(
        f"/cases/{jhb_survivor.pk}/panels/livelihood/", headers={"HX-Request": "true"}
    ).content.decode()
    assert "Monthly income from all sources" in panel
    assert "<svg" in panel and "<polyline" in panel and "living wage" in panel
    assert "Below the minimum wage" in panel  # R4,000 a month for 40 hours is R23.08 an hour


def test_the_case_page_cost_does_not_grow_with_the_livelihood_record(
    web_login, case_worker_a, worker, org_a, za, employer, za_standards, assert_queries
):
    from tests.factories import SurvivorFactory
    from tests.query_budgets import CASE_PAGE_BUDGET, budget_of

    small = SurvivorFactory(organisation=org_a, region=za["johannesburg"])
    large = SurvivorFactory(organisation=org_a, region=za["johannesburg"])
    give_history(worker, small, employer, 1)
    give_history(worker, large, employer, 6)
    client = web_login(case_worker_a)

    def count(url, budget):
        with assert_queries(budget) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    # Measured here: one more than the case page's budget, which test_case_page_budget measures
    # warmed.
    case_page = CASE_PAGE_BUDGET + 1
    assert count(f"/cases/{large.pk}/", case_page) == count(f"/cases/{small.pk}/", case_page)
    livelihood_budget = (
        budget_of("/livelihoods/cases/{survivor}/", "worker") + 1
    )  # the same, measured here
    assert count(f"/livelihoods/cases/{large.pk}/", livelihood_budget) == count(
        f"/livelihoods/cases/{small.pk}/", livelihood_budget
    )


def test_a_savings_overdraw_on_the_page_is_refused_with_the_message(
    web_login, case_worker_a, worker, survivor_a
):
    client = web_login(case_worker_a)
    savings.record_entry(worker, survivor_a, kind="deposit", amount=Decimal(100), currency="ZAR")
    response = client.post(
        f"/livelihoods/cases/{survivor_a.pk}/savings/",
        {"kind": "withdrawal", "amount": "150", "currency": "ZAR"},
        follow=True,
    )
    assert "cannot go below zero" in response.content.decode()
    assert SavingsEntry.objects.count() == 1


def test_recording_a_placement_on_the_page_flags_its_wage(
    web_login, case_worker_a, jhb_survivor, employer, za_standards
):
    client = web_login(case_worker_a)
    response = client.post(
        f"/livelihoods/cases/{jhb_survivor.pk}/placements/",
        {
            "employer": employer.pk,
            "role": "Cleaner",
            "start_date": "2026-01-05",
            "hours_per_week": "45",
            "days_per_week": "5",
            "wage_amount": "5200",
            "currency": "ZAR",
            "pay_period": "monthly",
        },
        follow=True,
    )
    page = response.content.decode()
    assert Placement.objects.get().fair_wage == "below_minimum"
    assert "Below the minimum wage" in page and "26.67 ZAR an hour" in page


def test_every_livelihood_page_renders_for_case_staff(
    web_login, case_worker_a, worker, jhb_survivor, employer, za_standards
):
    give_history(worker, jhb_survivor, employer, 1)
    from aftercare.livelihoods import households, training
    from aftercare.livelihoods.models import Product, TrainingProgramme

    programme = TrainingProgramme.objects.create(
        provider=worker.organisation, name="Sewing", trade="tailoring", duration_weeks=8
    )
    cohort = training.add_cohort(
        worker, programme, {"name": "March", "start_date": date(2026, 3, 2)}
    )
    household = households.register_household(worker, {"members": 4, "children": 2})
    client = web_login(case_worker_a)
    for url in (
        "/livelihoods/",
        f"/livelihoods/cases/{jhb_survivor.pk}/",
        "/livelihoods/programmes/",
        f"/livelihoods/programmes/{programme.pk}/",
        f"/livelihoods/cohorts/{cohort.pk}/",
        "/livelihoods/employers/",
        "/livelihoods/products/",
        f"/livelihoods/products/{Product.objects.get().pk}/",
        "/livelihoods/households/",
        f"/livelihoods/households/{household.pk}/",
        "/livelihoods/wage-standards/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "Livelihood" in page or url.endswith("wage-standards/")
        ids = re.findall(r'\bid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), (url, sorted({i for i in ids if ids.count(i) > 1}))


@pytest.mark.parametrize("role", LOWER_ROLES)
def test_lower_roles_are_refused_the_case_livelihood_page(
    client, web_login, org_a, survivor_a, role
):
    web_login(member(org_a, role))
    assert client.get(f"/livelihoods/cases/{survivor_a.pk}/").status_code == 403
    assert client.post(f"/livelihoods/cases/{survivor_a.pk}/savings/", {}).status_code == 403


def test_another_organisation_gets_404_for_a_case_and_a_household(
    web_login, case_worker_b, worker, survivor_a
):
    from aftercare.livelihoods import households

    household = households.register_household(worker, {"members": 3})
    client = web_login(case_worker_b)
    assert client.get(f"/livelihoods/cases/{survivor_a.pk}/").status_code == 404
    assert client.post(f"/livelihoods/cases/{survivor_a.pk}/savings/", {}).status_code == 404
    assert client.get(f"/livelihoods/households/{household.pk}/").status_code == 404


def test_the_coordinator_keeps_wage_standards_from_the_navigation(web_login, org_a, za):
    client = web_login(member(org_a, Role.NETWORK_COORDINATOR))
    home = client.get("/").content.decode()
    assert 'href="/livelihoods/wage-standards/"' in home and 'href="/livelihoods/"' not in home
    assert client.get("/livelihoods/").status_code == 302
    response = client.post(
        "/livelihoods/wage-standards/add/",
        {
            "region": za["country"].pk,
            "kind": "minimum",
            "amount": "28.79",
            "currency": "ZAR",
            "period": "hourly",
            "hours_per_week": "45",
            "days_per_week": "5",
            "valid_from": "2025-03-01",
        },
        follow=True,
    )
    assert "Wage standard added." in response.content.decode()


def test_the_survivor_sees_her_earnings_and_savings_in_the_portal(
    client, org_a, worker, jhb_survivor
):
    from aftercare.voice.models import SurvivorAccount

    user = member(org_a, Role.SURVIVOR, "thandeka")
    SurvivorAccount.objects.create(user=user, survivor=jhb_survivor)
    bags = enterprise.add_product(worker, {"name": "Shweshwe tote", "makers": [jhb_survivor]})
    enterprise.record_sale(
        worker,
        bags,
        channel="market",
        quantity=2,
        unit_price=Decimal("120"),
        currency="ZAR",
        sold_on=timezone.localdate(),
    )
    savings.record_entry(worker, jhb_survivor, kind="deposit", amount=Decimal("80"), currency="ZAR")
    client.force_login(user)
    page = client.get("/me/earnings/").content.decode()
    assert "Shweshwe tote" in page and "240.00 ZAR" in page and "80.00 ZAR" in page
    assert 'href="/me/earnings/"' in client.get("/me/").content.decode()


def test_templates_have_no_inline_script_or_style_and_translate_their_text():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        assert "<script" not in text and "style=" not in text and "<style" not in text, path.name
        assert "{% load i18n" in text, path.name
        # Visible words sit inside translate tags or come from data, never bare between tags.
        bare = re.findall(r">\s*([A-Za-z][A-Za-z ,.'’]{3,})\s*<", text)
        assert not bare, (path.name, bare)


def test_forms_repeated_per_row_have_ids_of_their_own(
    web_login, case_worker_a, worker, jhb_survivor, employer, za_standards
):
    from aftercare.livelihoods import education

    give_history(worker, jhb_survivor, employer, 2)
    for name in ("Yeoville Community School", "Hillbrow Secondary"):
        education.enrol_in_school(
            worker,
            jhb_survivor,
            {
                "school_name": name,
                "level": "secondary",
                "grade": "Grade 9",
                "enrolled_on": date(2025, 1, 15),
            },
        )
    page = web_login(case_worker_a).get(f"/livelihoods/cases/{jhb_survivor.pk}/").content.decode()
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_school_year_and_term_forms_default_to_the_grade_on_record(
    web_login, case_worker_a, worker, jhb_survivor
):
    from aftercare.livelihoods import education

    school = education.enrol_in_school(
        worker,
        jhb_survivor,
        {
            "school_name": "Yeoville Community School",
            "level": "secondary",
            "grade": "Grade 9",
            "enrolled_on": date(2025, 1, 15),
        },
    )
    client = web_login(case_worker_a)
    base = f"/livelihoods/cases/{jhb_survivor.pk}/school/{school.pk}"
    client.post(f"{base}/terms/", {"year": 2025, "term": 1, "days_open": 50, "days_present": 45})
    client.post(
        f"{base}/progression/", {"year": 2025, "outcome": "promoted", "to_grade": "Grade 10"}
    )
    school.refresh_from_db()
    assert school.grade == "Grade 10"
    assert (
        school.terms.get().grade == "Grade 9" and school.progressions.get().from_grade == "Grade 9"
    )
