"""In a real browser (headless Chromium): a survivor signs in, uses the portal, and leaves
with the quick-exit button; the neutral site replaces the page, the session is over, and
Back does not bring the plan back. Every portal page is checked with axe-core."""

from __future__ import annotations

import re

import pytest

from aftercare.cases import care
from tests.browser.fixtures import sign_in
from tests.conftest import actor
from tests.voice.conftest import use_voice_settings
from tests.voice.factories import ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEUTRAL = "https://www.example.org/weather"


@pytest.fixture(autouse=True)
def _voice_settings(settings):
    use_voice_settings(settings)


@pytest.fixture
def amara(portal_a, case_worker_a):
    care.add_goal(
        actor(case_worker_a),
        portal_a.survivor,
        {"domain": "employment", "description": "A job with a monthly wage"},
    )
    ServiceFactory(survivor=portal_a.survivor)
    return portal_a


def _neutral_site(page):
    """The test runs offline: the neutral site is answered by the browser itself."""
    page.context.route(
        re.compile(r"^https://www\.example\.org/.*"),
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body="<!doctype html><title>Weather</title><h1>Weather today</h1>",
        ),
    )


def sign_in_to_portal(page, base, portal):
    """The survivor's sign-in: her username or phone and her PIN (no second factor)."""
    page.goto(f"{base}/me/sign-in/")
    page.get_by_label("Username or phone number").fill(portal.user.username)
    page.get_by_label("PIN or password").fill(portal.pin)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/me/")


def test_quick_exit_replaces_the_page_and_ends_the_session(watched_page, live_server, amara):  # noqa: F811
    from playwright.sync_api import expect

    page = watched_page.page
    base = live_server.url
    _neutral_site(page)
    page.goto(f"{base}/me/sign-in/")
    watched_page.audit("voice-01-sign-in")
    sign_in_to_portal(page, base, amara)
    expect(page.get_by_text("A job with a monthly wage")).to_be_visible()
    watched_page.audit("voice-02-plan")
    for name, path in [
        ("consent", "/me/consent/"),
        ("referrals", "/me/referrals/"),
        ("data", "/me/my-information/"),
        ("rate", "/me/rate/"),
    ]:
        page.get_by_role("navigation", name="Portal").get_by_role("link").filter(
            has_text=re.compile(".")
        ).first.wait_for()
        page.goto(f"{base}{path}")
        expect(page.locator("#quick-exit")).to_be_visible()
        watched_page.audit(f"voice-03-{name}")
    service = amara.survivor.services.get()
    page.goto(f"{base}/me/rate/{service.pk}/")
    watched_page.audit("voice-04-rate-form")
    page.goto(f"{base}/me/")
    history_before = page.evaluate("history.length")

    page.locator("#quick-exit").click()
    page.wait_for_url(NEUTRAL)
    _signed_out_on_the_server()
    expect(page.locator("h1")).to_have_text("Weather today")
    assert page.evaluate("history.length") == history_before  # replaced, not added

    page.go_back()
    page.wait_for_load_state()
    assert "A job with a monthly wage" not in page.content()
    page.goto(f"{base}/me/")
    expect(page).to_have_url(re.compile(r"/me/sign-in/$"))
    watched_page.assert_accessible()
    assert watched_page.console_errors() == []


def _signed_out_on_the_server(seconds: float = 10.0) -> None:
    """The page leaves at once and the sign-out beacon goes on in the background: coming back
    before it is done would race it. Wait until the server has ended the session."""
    import time

    from django.contrib.sessions.models import Session

    give_up = time.monotonic() + seconds
    while Session.objects.exists():
        assert time.monotonic() < give_up, "the quick exit did not end the session"
        time.sleep(0.05)


def test_three_escapes_leave_too(watched_page, live_server, amara):  # noqa: F811
    page = watched_page.page
    base = live_server.url
    _neutral_site(page)
    sign_in_to_portal(page, base, amara)
    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL)
    _signed_out_on_the_server()
    page.goto(f"{base}/me/")
    assert page.url.endswith("/me/sign-in/")


def test_the_portal_fits_a_small_phone(watched_page, live_server, amara):  # noqa: F811
    page = watched_page.page
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in_to_portal(page, live_server.url, amara)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    box = page.locator("#quick-exit").bounding_box()
    assert box["height"] >= 44 and box["y"] < 80


def test_the_performance_page_is_accessible_and_draws_without_script(
    watched_page, live_server, coordinator, org_a, org_b
):  # noqa: F811
    from datetime import date

    from playwright.sync_api import expect

    from tests.voice.factories import DutyBearerFactory, rate

    last_year = date(date.today().year - 1, 5, 1)
    rate(org_a, 4, n=7, period=last_year)
    rate(org_b, 3, n=6, period=last_year)
    rate(DutyBearerFactory(organisation=org_a, name="Nurse Thembi"), 5, n=5, period=last_year)
    page = watched_page.page
    base = live_server.url
    sign_in(page, base, coordinator)
    page.goto(f"{base}/voice/performance/")
    expect(page.locator("table svg")).to_have_count(3)
    watched_page.audit("voice-05-performance")
    page.get_by_role("link", name="Organisation A").click()
    expect(page.locator("h1")).to_have_text("Organisation A")
    watched_page.audit("voice-06-performance-subject")
    page.goto(f"{base}/voice/duty-bearers/")
    watched_page.audit("voice-07-duty-bearers")
    watched_page.assert_accessible()
    assert watched_page.console_errors() == []


def test_a_case_worker_creates_the_portal_account_and_a_feedback_code(
    watched_page, live_server, case_worker_a, survivor_a
):  # noqa: F811
    from playwright.sync_api import expect

    ServiceFactory(survivor=survivor_a)
    page = watched_page.page
    base = live_server.url
    sign_in(page, base, case_worker_a)
    page.goto(f"{base}/cases/{survivor_a.pk}/")
    page.get_by_role("link", name="Portal and feedback").click()
    watched_page.audit("voice-08-case-portal")
    page.get_by_label("PIN", exact=True).fill("840275")
    page.get_by_role("button", name="Create portal account").click()
    expect(page.get_by_text("840275")).to_be_visible()
    watched_page.audit("voice-09-case-portal-created")
    page.get_by_role("button", name="Issue code").click()
    expect(page.get_by_text("Feedback code for the survivor")).to_be_visible()
    watched_page.audit("voice-10-feedback-code")
    watched_page.assert_accessible()
    assert watched_page.console_errors() == []
