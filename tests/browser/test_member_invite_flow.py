"""An organisation admin invites a member on the web; the invitee opens the one-time link, sets a
password, enrols an authenticator and signs in (issue 16). Each page is checked with axe-core and
screenshotted at desktop and phone width."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from aftercare.accounts.roles import Role
from tests.browser.fixtures import sign_in
from tests.browser.test_sign_in_flow import sign_in_with_password
from tests.conftest import current_code
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    totp_device,
)

pytestmark = pytest.mark.browser

NEW_PASSWORD = "plum orchard lantern 42"  # noqa: S105


@pytest.fixture
def admin(db):
    organisation = OrganisationFactory(slug="members-browser", name="Ikhaya Shelter")
    user = UserFactory(username="admin_browser")
    MembershipFactory(user=user, organisation=organisation, role=Role.ADMIN)
    return user, totp_device(user)


def test_admin_invites_and_the_invitee_sets_password_enrols_and_signs_in(
    watched_page, live_server, admin
):
    from playwright.sync_api import expect

    user, device = admin
    page = watched_page.page
    base = live_server.url

    sign_in(page, base, user, device)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    expect(page.locator("h1")).to_have_text("Members")
    watched_page.audit("members-01-list")

    page.get_by_role("link", name="Invite a member").click()
    page.get_by_label("Username").fill("new_field_worker")
    page.get_by_label("E-mail").fill("field@example.org")
    page.get_by_label("Role").select_option("field_worker")
    watched_page.audit("members-02-invite")
    page.get_by_role("button", name="Invite").click()
    expect(page.locator("h1")).to_have_text("Invitation made")
    link = page.get_by_label("The link, shown only this once").input_value()
    watched_page.audit("members-03-invited")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    page.goto(f"{base}/accounts/members/")
    expect(page.locator("#main")).to_contain_text("new_field_worker")
    page.get_by_role("button", name="Sign out").click()

    page.goto(f"{base}{path}")
    expect(page.locator("h1")).to_have_text("Set up your account")
    watched_page.audit("members-04-invitation")
    page.get_by_label("Choose a password").fill("short")
    page.get_by_label("The same password again").fill("short")
    page.get_by_role("button", name="Set password").click()
    expect(page.locator(".field .error").first).to_be_visible()
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("The same password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()

    expect(page.locator("h1")).to_have_text("Set up two-factor sign-in")
    watched_page.audit("members-05-enrol")
    enrolling = TOTPDevice.objects.get(user__username="new_field_worker", confirmed=False)
    page.get_by_label("Code from the app").fill(current_code(enrolling))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator("h1")).to_have_text("Your recovery codes")
    page.get_by_role("link", name="I have kept them safe").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.get_by_role("button", name="Sign out").click()

    # The link worked once.
    page.goto(f"{base}{path}")
    expect(page.locator("h1")).to_have_text("This link no longer works")

    # A fresh sign-in with the new password and the authenticator.
    TOTPDevice.objects.filter(user__username="new_field_worker").update(last_t=-1)
    sign_in_with_password(page, base, "new_field_worker", NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/$"))
    page.get_by_label("Code").fill(
        current_code(TOTPDevice.objects.get(user__username="new_field_worker"))
    )
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator(".org-badge")).to_contain_text("Field worker")

    expected = (
        "the server responded with a status of 400",
        "the server responded with a status of 404",
    )
    assert watched_page.console_errors(allow=expected) == [], (
        "the browser console reported problems"
    )
    watched_page.assert_accessible()
