"""Staff pages on a 360 px phone (issue 16): the demo case worker and the network coordinator open
the dashboard, the case list, a case, the directory and the reports. On each page nothing scrolls
sideways, the header's navigation is folded behind a menu button, tables read as cards and the
text of every chart is drawn at 11 px or more. At 1366 px the same pages show the navigation and
real tables. A needs assessment saved on the phone says so next to the needs, on screen.
"""

from __future__ import annotations

import time

import pytest

from aftercare.accounts.models import User
from aftercare.demo import network as demo
from aftercare.network.taxonomy import ServiceDomain
from tests.browser.fixtures import SCREENSHOTS, sign_in

pytestmark = pytest.mark.browser

PHONE, DESKTOP = {"width": 360, "height": 740}, {"width": 1366, "height": 900}

LAYOUT = """() => {
  const texts = [...document.querySelectorAll('svg.chart__svg text')]
    .filter((t) => t.getClientRects().length);
  const sizes = texts.map((t) => {
    const m = t.getScreenCTM();
    return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
  });
  const cell = document.querySelector('table.table tbody td[data-label]:not([data-label=""])');
  return {
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    chartTexts: texts.length, smallestChartText: sizes.length ? Math.min(...sizes) : null,
    tables: document.querySelectorAll('table.table tbody td').length,
    cellDisplay: cell ? getComputedStyle(cell).display : null,
    cellLabel: cell ? getComputedStyle(cell, '::before').content : null,
  };
}"""


@pytest.fixture
def demo_network(transactional_db, settings):
    settings.AXES_ENABLED = False
    _risk_instrument_as_migrated()
    demo.load(survivor_target=30)


def _risk_instrument_as_migrated() -> None:
    """The demo needs the risk instrument and measures that migrations write; a transactional
    test that ran earlier flushed them, so they are written again as the migrations do."""
    import importlib

    from django.apps import apps

    from aftercare.risk.models import Instrument

    if Instrument.objects.filter(active=True).exists():
        return
    for module, function in (
        ("0002_instrument_v1", "create_v1"),
        ("0003_measures_v1", "create_measures"),
        ("0005_instrument_v2", "create_v2"),
    ):
        getattr(importlib.import_module(f"aftercare.risk.migrations.{module}"), function)(
            apps, None
        )


def sign_in_as(page, base: str, username: str):
    """A person of the demo network, with the demo password and her authenticator."""
    sign_in(page, base, User.objects.get(username=username), password=demo.DEMO_PASSWORD)


def check_phone(page, name: str, *, cards: bool = True) -> dict:
    from playwright.sync_api import expect

    layout = page.evaluate(LAYOUT)
    page.screenshot(path=str(SCREENSHOTS / f"phone-{name}-360.png"), full_page=True)
    assert layout["scrollWidth"] <= layout["innerWidth"], f"{name} scrolls sideways: {layout}"
    button = page.get_by_role("button", name="Menu")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#topmenu")).to_be_hidden()
    if cards and layout["tables"]:
        assert layout["cellDisplay"] not in (None, "table-cell"), (
            f"{name}: table cells are not cards: {layout}"
        )
        assert layout["cellLabel"] not in (None, "none", "normal"), (
            f"{name}: a card cell has no label: {layout}"
        )
    if layout["chartTexts"]:
        assert layout["smallestChartText"] >= 11, (
            f"{name}: chart text drawn at {layout['smallestChartText']:.1f} px"
        )
    return layout


def check_desktop(page, name: str):
    from playwright.sync_api import expect

    layout = page.evaluate(LAYOUT)
    page.screenshot(path=str(SCREENSHOTS / f"phone-{name}-1366.png"), full_page=True)
    assert layout["scrollWidth"] <= layout["innerWidth"], (
        f"{name} scrolls sideways at 1366 px: {layout}"
    )
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.locator("nav.mainnav")).to_be_visible()
    assert layout["cellDisplay"] in (None, "table-cell"), (
        f"{name}: tables are cards on a desktop: {layout}"
    )


def read_to_the_end(page) -> None:
    """Scroll down as a reader does, so panels read when revealed (the case page's risk and
    livelihood charts, htmx `revealed`) are there. htmx looks for revealed panels every 200 ms at
    wherever the page is then, so the reader scrolls less than a screen at a time and pauses
    longer than that; a panel still unrevealed at the end (passed between two looks) is scrolled
    back to, as a reader would. The strict CSP refuses the string predicates of
    wait_for_function (eval), so the page is asked in turns through evaluate. Up to 30 s: on a
    loaded machine a panel's request can take seconds."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        state = page.evaluate("""() => ({
            end: window.scrollY + window.innerHeight >= document.body.scrollHeight - 2,
            waiting: document.querySelectorAll('[hx-trigger=revealed], .htmx-request').length,
        })""")
        if state["end"] and not state["waiting"]:
            return
        if state["end"]:
            page.evaluate("""() => document.querySelector(
                '[hx-trigger=revealed]:not([data-hx-revealed])')?.scrollIntoView()""")
        else:
            page.mouse.wheel(0, 400)
        page.wait_for_timeout(250)
    raise AssertionError(f"{page.url}: panels still loading after scrolling to the end")


def visit(page, base: str, pages: list[str]) -> dict[str, dict]:
    """Each page at 360 px, then at 1366 px; the phone's layout of each."""
    seen = {}
    for path in pages:
        page.set_viewport_size(PHONE)
        page.goto(base + path)
        read_to_the_end(page)
        seen[path] = check_phone(page, path.strip("/").replace("/", "-")[:40] or "home")
        page.set_viewport_size(DESKTOP)
        page.reload()
        check_desktop(page, path.strip("/").replace("/", "-")[:40] or "home")
    return seen


def test_a_case_worker_and_the_coordinator_work_on_a_phone(watched_page, live_server, demo_network):
    from playwright.sync_api import expect

    page, base = watched_page.page, live_server.url
    SCREENSHOTS.mkdir(exist_ok=True)
    sign_in_as(page, base, "cw.thandi")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/cases/")
    case = page.locator("table.table tbody a[href^='/cases/']").first.get_attribute("href")
    seen = visit(page, base, ["/dashboard/", "/cases/", case, "/network/"])
    assert seen["/cases/"]["tables"] and seen[case]["chartTexts"], seen

    # The menu opens and closes from its button, and says which it is.
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/dashboard/")
    button = page.get_by_role("button", name="Menu")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.locator("nav.mainnav").get_by_role("link", name="Cases")).to_be_visible()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#topmenu")).to_be_hidden()

    # A needs assessment saved on the phone: the message is next to the needs, on screen, and
    # focused.
    page.goto(base + case + "#needs")
    page.locator("#needs summary").click()
    selects = page.locator("#needs form select")
    # The form is read when the section is opened (casefile.forms_on_open): wait until it is in.
    expect(selects).to_have_count(len(ServiceDomain), timeout=30_000)
    values = selects.evaluate_all("(els) => els.map((e) => e.value)")
    # The demo assessed four domains; the others start as "not assessed", none as "None".
    assert len(values) == len(ServiceDomain) and values.count("") == len(ServiceDomain) - 4, values
    assert "none" not in values, values
    selects.nth(values.index("")).select_option("high")
    page.locator("#needs form").get_by_role("button", name="Save assessment").click()
    message = page.locator("#needs [role=status]")
    expect(message).to_contain_text("Needs assessment saved.")
    expect(message).to_be_in_viewport()
    expect(message).to_be_focused()
    assert page.locator("main > [role=status]").count() == 0

    # The network coordinator, on the same demo network (the transactional test database keeps
    # the risk instrument of the migrations for one test only), reads the reports.
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    sign_in_as(page, base, "coord.lerato")
    seen = visit(page, base, ["/dashboard/", "/network/", "/reports/"])
    assert seen["/reports/"]["chartTexts"] >= 20, seen["/reports/"]
    assert watched_page.console_errors() == [], "the browser console reported problems"
