"""In a browser: a case worker narrows the directory as she types, opens a profile; an admin
updates capacity. Every page is checked with axe-core at desktop and phone width and watched
for console errors (a refused inline script or style under the strict CSP shows up there).
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from aftercare.accounts.roles import Role
from tests.browser.fixtures import sign_in
from tests.factories import OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def network(za_regions, org_a, make_member):
    shelter = OrganisationFactory(
        slug="ikhaya",
        name="Ikhaya Safe House",
        kind="shelter",
        region=za_regions.jhb,
        populations=["women", "girls"],
        languages=["en", "zu"],
        street_address="7 Hidden Lane",
    )
    shelter.regions_served.set([za_regions.gp])
    ServiceFactory(
        organisation=shelter,
        domain="housing",
        beds_total=12,
        beds_available=3,
        capacity_updated_at=timezone.now(),
    )
    clinic = OrganisationFactory(slug="clinic", name="Durban Clinic", kind="hospital")
    clinic.regions_served.set([za_regions.durban])
    ServiceFactory(organisation=clinic, domain="medical")
    ServiceFactory(organisation=org_a, domain="housing", beds_total=5, beds_available=0)
    return {
        "case_worker": make_member(org_a, Role.CASE_WORKER, "cw_dir"),
        "admin": make_member(org_a, Role.ADMIN, "admin_dir"),
    }


def test_case_worker_filters_the_directory_as_she_types(watched_page, live_server, network):
    from playwright.sync_api import expect

    page, base = watched_page.page, live_server.url
    sign_in(page, base, network["case_worker"])

    page.goto(f"{base}/network/")
    expect(page.locator("h1")).to_have_text("Partner directory")
    expect(page.locator("#directory-results .card")).to_have_count(3)
    watched_page.audit("network-01-directory")

    page.get_by_label("Name", exact=True).press_sequentially("ikh")
    expect(page.locator("#directory-results .card")).to_have_count(1)
    expect(page.locator("#directory-results")).to_contain_text("Ikhaya Safe House")
    page.get_by_label("Name", exact=True).fill("")

    page.get_by_label("Service", exact=True).select_option("housing")
    page.get_by_label("Region", exact=True).fill("za-gp-johannesburg")
    page.get_by_label("Region", exact=True).press("Enter")
    expect(page.locator("#directory-results")).to_contain_text("serves Gauteng (province)")
    expect(page.locator("#directory-results")).to_contain_text("3 beds free")
    watched_page.audit("network-02-directory-filtered")

    page.get_by_role("link", name="Ikhaya Safe House").click()
    expect(page.locator("h1")).to_have_text("Ikhaya Safe House")
    expect(page.locator("main")).not_to_contain_text("7 Hidden Lane")
    watched_page.audit("network-03-profile")

    assert watched_page.console_errors() == [], "the browser console reported problems"
    watched_page.assert_accessible()


def test_admin_updates_capacity(watched_page, live_server, network, org_a):
    from playwright.sync_api import expect

    page, base = watched_page.page, live_server.url
    sign_in(page, base, network["admin"])

    page.goto(f"{base}/network/{org_a.slug}/")
    page.get_by_role("link", name="Update capacity").click()
    expect(page.locator("h1")).to_have_text("Update capacity")
    watched_page.audit("network-04-capacity")
    page.get_by_label("Beds free").fill("2")
    page.get_by_role("button", name="Save capacity").click()
    expect(page.locator("main")).to_contain_text("Capacity saved.")
    expect(page.locator("main")).to_contain_text("2 of 5")

    page.goto(f"{base}/network/{org_a.slug}/edit/")
    watched_page.audit("network-05-edit-profile")

    assert watched_page.console_errors() == [], "the browser console reported problems"
    watched_page.assert_accessible()
