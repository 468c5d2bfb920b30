"""A supervisor reads the reports in a real browser: dashboard, gap map and a cell, indicators,
an export made in the background and downloaded. Every page is checked with axe-core, at
desktop and phone width, and the console must stay clean (the CSP refuses inline script and
style, so a chart that needed either would show up there)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.cases.models import NeedItem, NeedsAssessment
from aftercare.network.taxonomy import ServiceDomain
from tests.browser.fixtures import sign_in
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    ServiceDeliveryFactory,
    SurvivorFactory,
    UserFactory,
    totp_device,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def supervisor(db):
    country = RegionFactory(code="za", name="South Africa", level="country")
    province = RegionFactory(code="za-gp", name="Gauteng", level="province", parent=country)
    organisation = OrganisationFactory(
        slug="shelter-reports", name="Ikhaya Shelter", region=province
    )
    user = UserFactory(username="sup_browser")
    MembershipFactory(user=user, organisation=organisation, role=Role.SUPERVISOR)
    for i in range(12):
        survivor = SurvivorFactory(
            organisation=organisation,
            region=province,
            gender="woman" if i % 3 else "man",
            exploitation_types=["sexual"] if i % 2 else ["labour"],
        )
        assessment = NeedsAssessment.objects.create(survivor=survivor, organisation=organisation)
        NeedItem.objects.bulk_create(
            NeedItem(assessment=assessment, domain=d, level="urgent" if d == "housing" else "none")
            for d in ServiceDomain.values
        )
        ServiceDeliveryFactory(
            survivor=survivor,
            domain="mental_health",
            organisation=organisation,
            date=timezone.localdate() - timedelta(days=30 * (i % 6)),
        )
    return user, totp_device(user)


def test_a_supervisor_reads_the_reports_and_downloads_an_export(
    watched_page, live_server, supervisor
):
    from playwright.sync_api import expect

    user, device = supervisor
    page, base = watched_page.page, live_server.url
    sign_in(page, base, user, device)

    page.get_by_role("link", name="Reports", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Reports")
    expect(page.locator("svg.chart__svg").first).to_be_visible()
    watched_page.audit("reports-01-dashboard")

    page.get_by_role("link", name="Gap map").first.click()
    expect(page.locator("h1")).to_have_text("Gap map")
    page.get_by_role("link", name="South Africa").click()
    expect(page.locator("table.heat-table")).to_contain_text("Gauteng")
    watched_page.audit("reports-02-gap-map")
    page.locator("td.heat--no_provider a").first.click()
    expect(page.locator("h1")).to_contain_text("Gauteng")
    watched_page.audit("reports-03-gap-cell")

    page.goto(f"{base}/reports/indicators/")
    expect(page.locator("#ind-survivors_served")).to_contain_text("12")
    watched_page.audit("reports-04-indicators")

    page.goto(f"{base}/reports/exports/")
    watched_page.audit("reports-05-exports")
    form = page.locator("form.export-form").filter(
        has=page.locator("input[name=kind][value=caseload]")
    )
    form.get_by_role("button", name="Make the file").click()
    expect(page.locator("#export-status")).to_contain_text("Ready to download", timeout=20_000)
    watched_page.audit("reports-06-export-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download aftercare-caseload")).click()
    assert download.value.suggested_filename == "aftercare-caseload.csv"

    assert watched_page.console_errors() == [], "the browser console reported problems"
    watched_page.assert_accessible()
