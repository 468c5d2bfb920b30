"""A case worker signs in with a password and a TOTP code, opens the caseload, switches to Hindi.

Every page visited is checked with axe-core (serious and critical violations fail), screenshotted
at desktop and phone width into screenshots/, and watched for console errors: the site sends a
strict Content-Security-Policy, so a refused inline script or style shows up there as a bug.
"""

from __future__ import annotations

import re

import pytest

from aftercare.accounts.roles import Role
from aftercare.cases.models import CaseStatus
from tests.conftest import current_code
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    SurvivorFactory,
    UserFactory,
    totp_device,
)

pytestmark = pytest.mark.browser

GENERIC_SIGN_IN_ERROR = "The username or password is not right."


@pytest.fixture
def case_worker(db):
    organisation = OrganisationFactory(slug="shelter-browser", name="Ikhaya Shelter")
    user = UserFactory(username="cw_browser")
    MembershipFactory(user=user, organisation=organisation, role=Role.CASE_WORKER)
    device = totp_device(user)
    for status, given, family in [
        (CaseStatus.INTAKE, "Thandi", "Nkosi"),
        (CaseStatus.ACTIVE, "Priya", "Das"),
        (CaseStatus.ACTIVE, "Grace", "Achieng"),
        (CaseStatus.STABLE, "Rekha", "Mondal"),
    ]:
        SurvivorFactory(  # her caseload: "My cases" is what the case list opens on
            organisation=organisation,
            status=status,
            given_name=given,
            family_name=family,
            assigned_worker=user,
        )
    return user, device


def sign_in_with_password(page, base_url: str, username: str, password: str):
    page.goto(f"{base_url}/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_case_worker_signs_in_with_two_factor_and_switches_to_hindi(
    watched_page, live_server, case_worker
):
    from playwright.sync_api import expect

    user, device = case_worker
    page = watched_page.page
    base = live_server.url

    page.goto(f"{base}/accounts/sign-in/")
    expect(page.locator("h1")).to_have_text("Sign in")
    watched_page.audit("01-sign-in")

    sign_in_with_password(page, base, user.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/$"))
    watched_page.audit("02-two-factor")

    # An empty code is refused by the form before any device is tried (no throttling).
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".field .error")).to_have_text("This field is required.")
    expect(page.get_by_label("Code")).to_have_attribute("aria-invalid", "true")
    watched_page.audit("02-two-factor-empty-code")

    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("h1")).to_have_text("Dashboard")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    watched_page.audit("03-dashboard")

    page.goto(f"{base}/cases/")
    expect(page.locator("h1")).to_have_text("Cases")
    expect(page.locator("table.table tbody tr")).to_have_count(4)
    watched_page.audit("04-cases")

    page.goto(f"{base}/dashboard/")
    # Choosing a language sends the form at once (aftercare.js); the button is there without JS.
    with page.expect_navigation():
        page.select_option("#lang-switch", "hi")
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    watched_page.audit("05-dashboard-hindi")

    assert watched_page.console_errors() == [], "the browser console reported problems"
    watched_page.assert_accessible()


def test_wrong_password_and_unknown_user_get_the_same_generic_error(
    watched_page, live_server, case_worker
):
    from playwright.sync_api import expect

    user, _ = case_worker
    page = watched_page.page
    base = live_server.url

    sign_in_with_password(page, base, user.username, "not the password at all")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/$"))
    expect(page.get_by_role("alert")).to_have_text(GENERIC_SIGN_IN_ERROR)
    known_user_card = page.locator(".auth-card").inner_text()
    watched_page.audit("06-sign-in-error")

    sign_in_with_password(page, base, "nobody_by_this_name", "not the password at all")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/$"))
    expect(page.get_by_role("alert")).to_have_text(GENERIC_SIGN_IN_ERROR)
    assert page.locator(".auth-card").inner_text() == known_user_card
    assert page.get_by_label("Password").input_value() == ""

    # The failed sign-in answers 401, which Chromium logs as a failed resource load.
    expected = ("the server responded with a status of 401",)
    assert watched_page.console_errors(allow=expected) == [], (
        "the browser console reported problems"
    )
    watched_page.assert_accessible()
