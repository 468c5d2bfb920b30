"""A case worker's whole day in a browser, as issue 16 walked it: intake, consent, needs, a goal,
a referral, the partner accepts and records a service, and the survivor rates it in her portal.

Walked at desktop width and on a 360 px phone. Every page is checked with axe-core and watched
for console errors, each step must be reachable from the page before it (no dead end: links and
buttons only, no typed addresses except the sign-in pages), and the clicks are counted so the
closing note can say what a day costs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django_otp.oath import TOTP

from aftercare.accounts.roles import Role
from tests.browser.fixtures import sign_in
from tests.conftest import current_code
from tests.factories import OrganisationFactory, ServiceFactory, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 360, "height": 740}


@dataclass
class Day:
    """The page, and what the walk cost: clicks (and key presses that submit) per step."""

    watched: object
    base: str
    viewport: dict
    clicks: dict[str, int] = field(default_factory=dict)
    last_codes: dict[str, str] = field(default_factory=dict)
    step: str = ""

    @property
    def page(self):
        return self.watched.page

    def begin(self, step: str) -> None:
        self.step = step
        self.clicks[step] = 0

    def click(self, locator) -> None:
        locator.click()
        self.clicks[self.step] += 1

    def no_sideways_scroll(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        viewport = self.page.evaluate("window.innerWidth")
        assert width <= viewport + 1, (
            f"{self.page.url} scrolls sideways at {viewport} px ({width} px wide)"
        )

    def check(self, name: str) -> None:
        self.no_sideways_scroll()
        self.watched.audit(f"day-{name}")
        self.page.set_viewport_size(
            self.viewport
        )  # the audit looks at both widths and leaves desktop
        no_codes = self.page.evaluate(r"""() => {
            const text = document.body.innerText;
            return (text.match(/\b[a-z]+_[a-z_]+\b/g) || []);
        }""")
        assert no_codes == [], f"{self.page.url} shows raw codes: {sorted(set(no_codes))}"


@pytest.fixture
def network(make_member):
    sender = OrganisationFactory(slug="sender", name="Ubuntu Aftercare", kind="ngo")
    receiver = OrganisationFactory(slug="clinic", name="Hillbrow Clinic", kind="hospital")
    ServiceFactory(organisation=receiver, domain="medical")
    people = {
        "worker": make_member(sender, Role.CASE_WORKER, "thandi"),
        "partner": make_member(receiver, Role.CASE_WORKER, "nurse.zodwa"),
    }
    devices = {user.username: totp_device(user) for user in people.values()}
    return {"sender": sender, "receiver": receiver, "devices": devices, **people}


def sign_in_for_the_day(day: Day, user, device) -> None:
    """Sign in (two clicks: Continue, Verify) as someone else: the last person's cookies go."""
    day.page.context.clear_cookies()
    code = current_code(device)
    if code == day.last_codes.get(user.username):
        # The same person signs in twice within one 30-second step: django-otp refuses a code used
        # once, and accepts the next step's (its tolerance), as an authenticator would show it.
        device.refresh_from_db()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + 1)
        code = f"{totp.token():06d}"
    day.last_codes[user.username] = code
    sign_in(day.page, day.base, user, device, code=code)
    day.clicks[day.step] += 2


def nav(day: Day, name: str) -> None:
    """Follow a link of the main navigation; on a phone it is folded behind the menu button."""
    menu = day.page.get_by_role("button", name="Menu")
    if menu.count() and menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        day.click(menu)
    day.click(day.page.get_by_role("navigation").get_by_role("link", name=name, exact=True).first)


def open_section(day: Day, summary: str) -> None:
    day.click(day.page.locator("summary", has_text=summary))


def walk_the_day(day: Day, network) -> None:
    from playwright.sync_api import expect

    page = day.page
    day.begin("intake")
    sign_in_for_the_day(day, network["worker"], network["devices"]["thandi"])
    day.check("01-dashboard")
    nav(day, "Cases")
    day.click(page.get_by_role("link", name="New intake"))
    page.get_by_label("Given name").fill("Asha")
    page.get_by_label("Family name").fill("Mokoena")
    page.get_by_label("Year of birth").fill("2004")
    day.check("02-intake")
    day.click(page.get_by_role("button", name="Open case"))
    expect(page.locator("h1")).to_contain_text("AC-")
    day.check("03-case")
    case_url = page.url

    day.begin("consent")
    open_section(day, "Record a consent decision")
    form = page.locator("form[action$='/consent/']")
    form.get_by_label(re.compile("purpose", re.I)).select_option(
        label="Referral to other organisations"
    )
    day.click(form.get_by_label("Gives consent"))
    form.get_by_label("How it was given").select_option(label="Verbal, witnessed")
    day.click(page.get_by_role("button", name="Record decision"))
    expect(page.get_by_role("status").or_(page.locator(".alert--success")).first).to_be_visible()

    day.begin("needs")
    open_section(day, "New needs assessment")
    page.locator("form[action$='/needs/']").get_by_label("Medical care").select_option(label="High")
    day.click(page.get_by_role("button", name="Save assessment"))

    day.begin("goal")
    open_section(day, "Add a goal")
    form = page.locator("form[action$='/goals/']")
    form.get_by_label(re.compile("domain", re.I)).select_option(label="Medical care")
    form.get_by_label(re.compile("description|goal", re.I)).first.fill(
        "See a doctor about the cough"
    )
    day.click(page.get_by_role("button", name="Add goal"))
    expect(page.get_by_text("See a doctor about the cough")).to_be_visible()

    day.begin("referral")
    day.click(page.get_by_role("link", name="Refer to another organisation"))
    medical = page.get_by_label(re.compile(r"^Medical care"))
    expect(medical).to_be_checked()  # pre-selected from the needs assessment
    expect(page.get_by_role("radio", name=re.compile(network["sender"].name))).to_have_count(
        0
    )  # not ourselves
    expect(page.get_by_label(re.compile("Emergency without her consent"))).to_have_count(
        0
    )  # she consented
    day.click(page.get_by_role("radio", name=re.compile(network["receiver"].name)))
    page.get_by_label("Reason for referral").fill("Needs a doctor this week")
    day.check("04-referral-form")
    day.click(page.get_by_role("button", name="Send referral"))
    expect(page.locator("main")).to_contain_text(network["receiver"].name)
    day.check("05-referral-sent")

    day.begin("partner accepts")
    sign_in_for_the_day(day, network["partner"], network["devices"]["nurse.zodwa"])
    nav(day, "Referrals")
    day.click(page.get_by_role("link", name=re.compile("AC-")).first)
    day.check("06-referral-received")
    day.click(page.get_by_role("button", name="Accept"))
    day.check("07-referral-accepted")

    day.begin("service")
    day.click(page.get_by_role("link", name="Open the case"))
    open_section(day, "Record a service")
    page.locator("form[action$='/services/']").get_by_label(
        re.compile("domain", re.I)
    ).select_option(label="Medical care")
    day.click(page.get_by_role("button", name="Save service"))
    expect(page.locator("#services table")).to_contain_text("Medical care")
    day.check("08-service")

    day.begin("portal account")
    sign_in_for_the_day(day, network["worker"], network["devices"]["thandi"])
    page.goto(case_url)
    day.click(page.get_by_role("link", name="Portal and feedback"))
    page.get_by_label("Username").fill("asha.m")
    page.get_by_label("PIN").fill("482915")
    day.click(page.get_by_role("button", name="Create portal account"))
    day.check("09-portal-account")

    day.begin("rating")
    page.context.clear_cookies()
    page.goto(f"{day.base}/me/sign-in/")
    page.get_by_label("Username or phone number").fill("asha.m")
    page.get_by_label("PIN or password").fill("482915")
    day.click(page.get_by_role("button", name="Sign in"))
    page.wait_for_url(f"{day.base}/me/")
    day.click(page.get_by_role("link", name=re.compile("Rate", re.I)).first)
    day.click(page.get_by_role("link", name="Rate", exact=True).first)
    day.check("10-rate-form")
    for group in page.locator("fieldset").all():
        radios = group.get_by_role("radio")
        if radios.count():
            day.click(radios.last)
    day.click(page.get_by_role("button", name="Send my rating"))
    expect(page.locator("main")).to_contain_text(re.compile("Thank", re.I))
    day.check("11-rated")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_case_workers_day_from_intake_to_the_survivors_rating(
    watched_page, live_server, network, viewport
):
    watched_page.page.set_viewport_size(viewport)
    day = Day(watched=watched_page, base=live_server.url, viewport=viewport)
    walk_the_day(day, network)
    print("clicks per step:", day.clicks, "total", sum(day.clicks.values()))
    watched_page.assert_accessible()
    assert watched_page.console_errors() == []
