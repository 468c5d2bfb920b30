"""In Chromium: a case worker opens a case's Livelihood section and page, a product's sales,
and the to-do list; a survivor opens her own money page. Every page is checked with axe-core,
screenshotted (screenshots/livelihoods-*), and watched for console errors, where the strict
Content-Security-Policy would report any inline script or style it refused."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.livelihoods import enterprise, placements, savings
from aftercare.livelihoods.models import PayPeriod
from aftercare.livelihoods.months import add_months, month_start
from aftercare.voice.models import SurvivorAccount
from tests.browser.fixtures import sign_in
from tests.conftest import member
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def livelihood(worker, org_a, jhb_survivor, employer, za_standards):
    today = timezone.localdate()
    placements.place(
        worker,
        jhb_survivor,
        {
            "employer": employer,
            "role": "Machinist",
            "start_date": month_start(add_months(today, -6)),
            "hours_per_week": Decimal(45),
            "wage_amount": Decimal("7600"),
            "currency": "ZAR",
            "pay_period": PayPeriod.MONTHLY,
        },
    )
    placements.place(
        worker,
        jhb_survivor,
        {
            "employer": employer,
            "role": "Weekend waitress",
            "start_date": today - timedelta(days=45),
            "hours_per_week": Decimal(16),
            "days_per_week": Decimal(2),
            "wage_amount": Decimal("25"),
            "currency": "ZAR",
            "pay_period": PayPeriod.HOURLY,
        },
    )
    bags = enterprise.add_product(
        worker,
        {"name": "Shweshwe tote bag", "makers": [jhb_survivor], "maker_percent": Decimal(70)},
    )
    for back in (4, 2, 1):
        enterprise.record_sale(
            worker,
            bags,
            channel="market",
            quantity=3,
            unit_price=Decimal("185"),
            currency="ZAR",
            sold_on=add_months(today, -back).replace(day=10),
        )
    for amount in ("400", "400", "350"):
        savings.record_entry(
            worker, jhb_survivor, kind="deposit", amount=Decimal(amount), currency="ZAR"
        )
    return {"product": bags}


def test_case_worker_sees_the_livelihood_record(
    watched_page, live_server, case_worker_a, jhb_survivor, livelihood
):
    from playwright.sync_api import expect

    page, base = watched_page.page, live_server.url
    sign_in(page, base, case_worker_a)

    page.goto(f"{base}/cases/{jhb_survivor.pk}/#livelihood")
    section = page.locator("#livelihood")
    expect(section.get_by_role("heading", name="Livelihood")).to_be_visible()
    expect(section.locator("svg.chart__svg polyline")).to_have_count(1)
    expect(section.get_by_text("Below the minimum wage")).to_be_visible()  # R25 an hour
    watched_page.audit("livelihoods-01-case-section")

    page.goto(f"{base}/livelihoods/cases/{jhb_survivor.pk}/")
    expect(page.locator("h1")).to_contain_text("Livelihood")
    expect(page.locator("#savings").get_by_text("1,150.00 ZAR").first).to_be_visible()
    watched_page.audit("livelihoods-02-case-page")

    page.goto(f"{base}/livelihoods/products/{livelihood['product'].pk}/")
    expect(page.locator("#sales tbody tr")).to_have_count(3)
    watched_page.audit("livelihoods-03-product")

    page.goto(f"{base}/livelihoods/")
    watched_page.audit("livelihoods-04-to-do")

    assert watched_page.console_errors() == [], "the browser console reported problems"
    watched_page.assert_accessible()


def test_survivor_sees_her_money(watched_page, live_server, org_a, jhb_survivor, livelihood):
    from playwright.sync_api import expect

    user = member(org_a, Role.SURVIVOR, "thandeka")
    SurvivorAccount.objects.create(user=user, survivor=jhb_survivor)
    page, base = watched_page.page, live_server.url
    page.goto(f"{base}/me/sign-in/")
    page.get_by_label(re.compile("name|phone", re.I)).first.fill(user.username)
    page.get_by_label(re.compile("PIN|password", re.I)).first.fill(PASSWORD)
    page.get_by_role("button").filter(has_text=re.compile("Sign in", re.I)).first.click()
    page.wait_for_url(re.compile(r"/me/$"))
    page.get_by_role("link", name="My money").click()
    expect(page.locator("h1")).to_have_text("My money")
    expect(page.get_by_text("1,165.50 ZAR")).to_be_visible()  # 70% of 3 × 3 × 185 = 1,165.50
    watched_page.audit("livelihoods-05-portal-money")
    # The portal's pages name no icon, so Chromium asks for /favicon.ico once, on the first page.
    favicon = ("/me/sign-in/: Failed to load resource: the server responded with a status of 404",)
    assert watched_page.console_errors(allow=favicon) == [], "the browser console reported problems"
    watched_page.assert_accessible()
