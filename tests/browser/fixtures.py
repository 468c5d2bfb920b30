"""Fixtures for the browser tests: headless Debian Chromium driven by Playwright's sync API.

The tests need `/usr/bin/chromium` (Debian's package; Playwright's own browser download is
not used) and axe-core from `npm install`. Without them the tests skip, saying why, unless
`AFTERCARE_REQUIRE_BROWSER=1` is set (CI sets it), in which case they fail.

Loaded for the whole suite by tests/conftest.py (`pytest_plugins`), so that the browser tests
share one Playwright instance; do not import these fixtures elsewhere. Every browser test lives
in tests/browser/; `sign_in` below is the one way a test signs a member of staff in.

Playwright's sync API runs an event loop in the test thread, so Django's guard against
synchronous database calls from async code has to be relaxed for these tests.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.factories import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO_ROOT / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
BLOCKING_IMPACTS = ("serious", "critical")

_skip_reasons: list[str] = []

# axe-core only marks an aria-describedby or aria-labelledby that points at no element as
# "needs review"; a help text that is never announced is a real bug, so look for it here.
DANGLING_IDREFS = """() => {
  const nodes = [];
  for (const el of document.querySelectorAll('[aria-describedby], [aria-labelledby]')) {
    for (const attr of ['aria-describedby', 'aria-labelledby']) {
      const ids = (el.getAttribute(attr) || '').split(/\\s+/).filter(Boolean);
      const missing = ids.filter((id) => !document.getElementById(id));
      if (missing.length) {
        const target = el.id ? '#' + el.id : el.tagName.toLowerCase();
        nodes.push({target: [target], html: el.outerHTML.slice(0, 200),
                    failureSummary: attr + ' points at missing id(s): ' + missing.join(' ')});
      }
    }
  }
  return nodes.length ? [{id: 'aftercare-dangling-idref', impact: 'serious', nodes,
    help: 'aria-describedby and aria-labelledby must point at elements on the page',
    helpUrl: 'https://www.w3.org/TR/wai-aria-1.2/#aria-describedby'}] : [];
}"""


def _missing_prerequisites() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} is missing (apt-get install chromium)")
    if not AXE_SCRIPT.exists():
        missing.append(f"{AXE_SCRIPT.relative_to(REPO_ROOT)} is missing (npm install)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package is missing (make install-dev)")
    return missing


def _skip_or_fail(reason: str):
    if os.environ.get("AFTERCARE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"AFTERCARE_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    if reason not in _skip_reasons:
        _skip_reasons.append(reason)
    pytest.skip(reason)


def pytest_terminal_summary(terminalreporter):
    if _skip_reasons:
        terminalreporter.write_sep("-", "browser tests skipped")
        for reason in _skip_reasons:
            terminalreporter.write_line(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def chromium():
    missing = _missing_prerequisites()
    if missing:
        _skip_or_fail("; ".join(missing))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def axe_source(chromium) -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


@dataclass
class Watched:
    """A page plus everything it reported on the console, and the accessibility findings."""

    page: object
    axe_source: str = field(repr=False)
    console: list[str] = field(default_factory=list)
    violations: dict[str, list[dict]] = field(default_factory=dict, repr=False)
    minor: dict[str, list[dict]] = field(default_factory=dict, repr=False)

    def console_errors(self, allow: tuple[str, ...] = ()) -> list[str]:
        return [line for line in self.console if not any(text in line for text in allow)]

    def audit(self, name: str):
        """Run axe-core on the current page at desktop and phone width and save screenshots.

        The strict CSP forbids inline script, so axe goes in through the DevTools protocol
        (page.evaluate), which the policy does not apply to; a <script> tag would be refused.
        """
        page = self.page
        SCREENSHOTS.mkdir(exist_ok=True)
        for width_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width_name}.png"), full_page=True)
            if not page.evaluate("typeof window.axe === 'object'"):
                page.evaluate(self.axe_source)
            results = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
            violations = results["violations"] + page.evaluate(DANGLING_IDREFS)
            for violation in violations:
                bucket = self.violations if violation["impact"] in BLOCKING_IMPACTS else self.minor
                found = bucket.setdefault(f"{name} ({width_name}, {page.url})", [])
                if violation["id"] not in {v["id"] for v in found}:
                    found.append(violation)
        page.set_viewport_size(DESKTOP)

    def assert_accessible(self):
        if self.minor:
            print(
                "axe-core findings below 'serious' (not failing):\n" + format_violations(self.minor)
            )
        if self.violations:
            pytest.fail(
                "axe-core found serious or critical accessibility violations:\n"
                + format_violations(self.violations),
                pytrace=False,
            )


def format_violations(by_page: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in by_page.items():
        lines.append(f"== {where}")
        for v in violations:
            lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"][:10]:
                lines.append(f"    - {json.dumps(node['target'])}: {node['html'][:160]}")
                summary = (node.get("failureSummary") or "").replace("\n", " ")
                if summary:
                    lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture
def watched_page(chromium, axe_source, live_server):
    context = chromium.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    watched = Watched(page=page, axe_source=axe_source)
    page.on(
        "console",
        lambda msg: (
            watched.console.append(f"console.{msg.type} at {page.url}: {msg.text}")
            if msg.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda exc: watched.console.append(f"uncaught error at {page.url}: {exc}"))
    try:
        yield watched
    finally:
        context.close()


def sign_in(
    page, base: str, user, device=None, *, password: str = PASSWORD, code: str | None = None
) -> None:
    """Sign a member of staff in as she does it: username and password, then her authenticator's
    code, until her dashboard opens.

    `device` is her authenticator (her confirmed one, or a new one, when not given); `code` is the
    code to type when not the current one (someone signing in twice within one 30-second step).
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import current_code
    from tests.factories import totp_device

    if code is None:  # her authenticator exists before she signs in, or she is sent to enrol one
        device = device or TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or totp_device(user)
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    if code is None:
        code = current_code(device)
    page.get_by_label("Code").and_(page.get_by_role("textbox")).fill(code)
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
