"""A case worker refers from a partner's directory profile ("Refer here"), the form guided by her
needs; the partner accepts. Each page is checked with axe at 1366 px and 360 px, screenshotted,
and watched for console errors (a refused inline script under the CSP shows there)."""

from __future__ import annotations

import re

import pytest

from aftercare.accounts.roles import Role
from aftercare.cases import care
from tests.browser.fixtures import sign_in
from tests.conftest import actor
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    ServiceFactory,
    SurvivorFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def network(db):
    jhb = RegionFactory(code="za-jhb", name="Johannesburg")
    ours = OrganisationFactory(slug="ikhaya", name="Ikhaya Shelter", country="ZA")
    partner = OrganisationFactory(
        slug="thuthuzela", name="Thuthuzela House", country="ZA", languages=["zu"]
    )
    partner.regions_served.add(jhb)
    ServiceFactory(organisation=partner, domain="housing")
    ServiceFactory(organisation=partner, domain="legal")
    ServiceFactory(organisation=ours, domain="housing")
    worker = UserFactory(username="cw_refer")
    MembershipFactory(user=worker, organisation=ours, role=Role.CASE_WORKER)
    receiver = UserFactory(username="cw_receive")
    MembershipFactory(user=receiver, organisation=partner, role=Role.CASE_WORKER)
    survivor = SurvivorFactory(
        organisation=ours, given_name="Lindiwe", family_name="Mokoena", region=jhb, languages=["zu"]
    )
    care.record_consent(actor(worker), survivor, purpose="referral", granted=True, method="verbal")
    care.assess_needs(actor(worker), survivor, {"housing": "urgent", "legal": "medium"})
    return {"worker": worker, "receiver": receiver, "survivor": survivor, "partner": partner}


def test_refer_here_from_the_directory_to_acceptance(watched_page, live_server, network):
    from playwright.sync_api import expect

    page, base = watched_page.page, live_server.url
    sign_in(page, base, network["worker"])

    page.goto(f"{base}/network/thuthuzela/")
    page.get_by_role("link", name="Refer here").click()
    expect(page.locator("h1")).to_have_text("Refer to Thuthuzela House")
    watched_page.audit("ref-01-refer-here")

    page.get_by_role("link", name=re.compile(network["survivor"].case_code)).click()
    expect(page.get_by_label("Thuthuzela House")).to_be_checked()
    expect(page.get_by_label(re.compile(r"^Safe housing — need: urgent"))).to_be_checked()
    expect(page.get_by_label(re.compile(r"^Legal support — need: medium"))).to_be_checked()
    expect(page.locator("#partners")).not_to_contain_text("Ikhaya Shelter")
    expect(page.locator("#partners")).to_contain_text("serves Johannesburg")
    expect(page.locator("textarea[name=emergency_justification]")).to_have_count(0)
    watched_page.audit("ref-02-guided-form")

    # Ticking another service ranks the partners again (htmx) and keeps the one chosen.
    with page.expect_response(re.compile(r"ranking=1")):
        page.get_by_label("Dental care").check()
    expect(page.get_by_label("Thuthuzela House")).to_be_checked()

    page.get_by_label("Dental care").uncheck()
    page.get_by_label("Reason for referral").fill("Needs a safe bed tonight and a lawyer")
    page.get_by_role("button", name="Send referral").click()
    expect(page.locator(".messages, [role=status], .alert").first).to_contain_text(
        "Referral sent to Thuthuzela House"
    )
    expect(page.locator("body")).to_contain_text("SAST")
    watched_page.audit("ref-03-sent")

    page.context.clear_cookies()
    sign_in(page, base, network["receiver"])
    page.goto(f"{base}/referrals/?direction=incoming")
    page.get_by_role("link", name=network["survivor"].case_code).click()
    expect(page.locator("body")).to_contain_text("Accept or decline by")
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("body")).to_contain_text(
        "Referral accepted. Lindiwe's case is now shared with you"
    )
    watched_page.audit("ref-04-accepted")

    errors = watched_page.console_errors()
    assert errors == [], "\n".join(errors)
    watched_page.assert_accessible()
