"""People's words, not codes (issue 16): every staff page of the demo network, signed in as each
demo role, and the survivor portal, hold no snake_case value ("in_progress", "family_reintegration")
and no bare language or region code ("en, zu", "za-gp-johannesburg") in what a person reads.

The pages are reached the way a person reaches them: from the GET routes of the URLconf (the same
walk as tests/test_route_matrix.py) that need no id, then every same-site link those pages show,
a few of each route, so case pages, referrals, profiles and reports are read with real demo data.
Only the visible text is scanned (and the attributes a person reads or hears: title, alt,
aria-label, placeholder); tags, scripts, styles, class names and form values are not. Text inside
<code> is a machine identifier shown on purpose (an indicator's code for the API), so it is left
out.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve
from django_otp.plugins.otp_totp.models import TOTPDevice

from aftercare.accounts.models import User
from aftercare.accounts.roles import Role
from aftercare.demo import network as demo
from aftercare.network.languages import LANGUAGES
from aftercare.network.models import Region
from tests.conftest import current_code
from tests.test_route_matrix import walk

pytestmark = pytest.mark.django_db

SNAKE = re.compile(r"(?<![\w./@:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@-])")
PRODUCT_LANGUAGES = {code for code, _name in django_settings.LANGUAGES}
# Language codes that are also English words ("am", "my", "so") are only flagged standing alone.
WORDLIKE = {
    "am",
    "my",
    "so",
    "ne",
    "om",
    "es",
    "te",
    "th",
    "ta",
    "tl",
    "ve",
    "st",
    "ss",
    "ts",
    "tn",
    "nr",
    "lg",
    "km",
}
SKIP_ROUTES = {
    "accounts:logout",
    "voice:sign_out",
    "voice:quick_exit",
    "set_language",
    "voice:language",
    "accounts:switch_organisation",
    "core:metrics",
    "core:health",
    "core:ready",
    "core:bench_floor",
    "prevention:service_worker",
    "prevention:manifest",
    "prevention:capture_status",
}
PER_ROUTE = 2  # distinct URLs read per route name and user: enough to meet the varied records
VISIBLE_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder"}


class VisibleText(HTMLParser):
    """The text nodes and human-facing attributes of a page, and its same-site links."""

    SKIPPED = {"script", "style", "template", "code", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.SKIPPED:
            self._skip += 1
        if tag == "a" and attrs.get("href") and not attrs.get("download"):
            self.links.append(attrs["href"])
        for name in VISIBLE_ATTRIBUTES & attrs.keys():
            if attrs[name]:
                self.chunks.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append(data.strip())


def codes_in(chunks: list[str], region_codes: set[str]) -> list[str]:
    """Each chunk of text that shows a code where a person expects a word."""
    found = []
    every_language = set(LANGUAGES) | PRODUCT_LANGUAGES
    anywhere = every_language - WORDLIKE
    language_token = re.compile(
        r"(?<![\w'’-])(" + "|".join(sorted(anywhere, key=len, reverse=True)) + r")(?![\w'’-])"
    )
    region_token = re.compile(
        r"(?<![\w-])("
        + "|".join(sorted((c for c in region_codes if "-" in c), key=len, reverse=True))
        + r")(?![\w-])"
    )
    for chunk in chunks:
        for match in SNAKE.finditer(chunk):
            found.append(f"snake_case {match.group(0)!r} in {chunk[:120]!r}")
        parts = [p.strip() for p in re.split(r"[,;/·]", chunk) if p.strip()]
        if parts and all(p in every_language or p in region_codes for p in parts):
            found.append(f"bare code {chunk[:120]!r}")
            continue
        for match in language_token.finditer(chunk):
            found.append(f"language code {match.group(0)!r} in {chunk[:120]!r}")
        for match in region_token.finditer(chunk):
            found.append(f"region code {match.group(0)!r} in {chunk[:120]!r}")
    return found


def signed_in(username: str) -> Client:
    client = Client()
    user = User.objects.get(username=username)
    client.force_login(user)
    if user.needs_two_factor:
        device = TOTPDevice.objects.get(user=user)
        response = client.post("/accounts/two-factor/", {"code": current_code(device)})
        assert response.status_code == 302, f"{username} did not pass the second factor"
    return client


def start_urls() -> list[str]:
    """Every GET page of the URLconf that needs no id (the API and machine routes aside)."""
    urls = []
    for name, route in walk(get_resolver().url_patterns):
        if name.startswith("api:") or name in SKIP_ROUTES or "<" in route or "^" in route:
            continue
        urls.append("/" + route)
    return urls


def route_name(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def crawl(
    client: Client, starts: list[str], region_codes: set[str]
) -> tuple[dict[str, list[str]], set[str]]:
    """Read the pages from `starts` and the links they show; {url: codes found}, route names
    read."""
    queue, seen, per_route, findings, read = list(starts), set(), Counter(), {}, set()
    while queue:
        url = urldefrag(queue.pop(0))[0]
        if url in seen or not url.startswith("/"):
            continue
        seen.add(url)
        name = route_name(url)
        if (
            name is None
            or name in SKIP_ROUTES
            or name.startswith("api:")
            or per_route[name] >= PER_ROUTE
        ):
            continue
        per_route[name] += 1
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        read.add(name)
        page = VisibleText()
        page.feed(response.content.decode())
        found = codes_in(page.chunks, region_codes)
        if found:
            findings[url] = found
        queue.extend(
            link for link in page.links if link.startswith("/") and not link.startswith("//")
        )
    return findings, read


@pytest.fixture
def demo_network(settings):
    settings.AXES_ENABLED = False
    demo.load(survivor_target=40)
    return set(Region.objects.values_list("code", flat=True))


def test_the_scanner_finds_codes_and_lets_words_through():
    regions = {"za-gp-johannesburg", "za"}
    assert codes_in(["Languages:", "en, zu"], regions)
    assert codes_in(["for family_reintegration"], regions)
    assert codes_in(["Johannesburg (za-gp-johannesburg)"], regions)
    assert codes_in(["Shared once accepted: needs, plan", "in_progress"], regions)
    assert not codes_in(
        [
            "English, isiZulu",
            "Family reintegration",
            "In progress",
            "my case is so good",
            "AC-7KQ2M",
            "cw.thandi",
            "I've read it",
            "/api/v1/survivors",
        ],
        regions,
    )


def test_staff_pages_of_the_demo_network_show_words_not_codes(demo_network):
    """One demo network, read by every staff role of it in turn (loading it once per role would
    take minutes)."""
    report = []
    for login in (login for login in demo.DEMO_LOGINS if login.role != Role.SURVIVOR):
        findings, read = crawl(signed_in(login.username), ["/", *start_urls()], demo_network)
        assert "core:dashboard" in read and "network:directory" in read, (
            login.username,
            sorted(read),
        )
        if login.role in (Role.CASE_WORKER, Role.SUPERVISOR, Role.ADMIN):
            assert {"cases:list", "cases:detail", "referrals:list", "referrals:detail"} <= read, (
                sorted(read)
            )
        report += [
            f"{login.username} {url}: {line}"
            for url, lines in findings.items()
            for line in lines[:5]
        ]
    assert not report, f"{len(report)} codes shown:\n" + "\n".join(report[:80])


def test_the_survivor_portal_shows_words_not_codes(demo_network):
    client = Client()
    client.force_login(User.objects.get(username="survivor.amara"))
    findings, read = crawl(client, ["/me/"], demo_network)
    assert "voice:portal" in read and len(read) >= 4, sorted(read)
    report = [f"{url}: {line}" for url, lines in findings.items() for line in lines[:5]]
    assert not report, "\n".join(report[:60])
