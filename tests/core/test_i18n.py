"""Hindi: the catalogue is complete, the compiled .mo matches it, and the web switches to it."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

import aftercare

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "hi" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

SOURCE_DIR = Path(aftercare.__file__).resolve().parent
# Names under which code marks strings stored as data and translated when shown (label_text).
NOOP_MARKERS = {"gettext_noop", "N_"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)


def _unquote(text: str) -> str:
    body = text.strip()
    assert body.startswith('"') and body.endswith('"'), f"not a quoted .po string: {text!r}"
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), body[1:-1])


def parse_po(text: str) -> list[Entry]:
    """A small .po reader: keywords, continuation lines, flags; obsolete (#~) entries skipped."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None

    def start(lineno: int) -> Entry:
        nonlocal entry
        if entry is None or entry.msgstr:
            entry = Entry(line=lineno)
            entries.append(entry)
        return entry

    def append(keyword: str, index: int | None, value: str) -> None:
        assert entry is not None
        if keyword == "msgstr":
            entry.msgstr[index or 0] = entry.msgstr.get(index or 0, "") + value
        else:
            setattr(entry, keyword, (getattr(entry, keyword) or "") + value)

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            start(lineno).flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
        if match:
            keyword, index = match.group(1), match.group(2)
            if keyword in ("msgctxt", "msgid"):
                start(lineno)
            target = (keyword, int(index) if index is not None else None)
            append(keyword, target[1], _unquote(match.group(3)))
        else:
            assert target is not None, f"line {lineno}: unexpected {raw!r}"
            append(target[0], target[1], _unquote(line))
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_FILE.exists(), f"{PO_FILE} is missing: run `make messages`"
    return parse_po(PO_FILE.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _restore_language():
    """The locale middleware activates Hindi in this thread; later tests expect English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _header(entries: list[Entry]) -> dict[str, str]:
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    pairs = (line.split(":", 1) for line in header.msgstr[0].splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def test_header_names_hindi_utf8_and_two_plural_forms(po_entries):
    header = _header(po_entries)
    assert header["Language"] == "hi"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert header["Project-Id-Version"].startswith("Aftercare")
    assert header["Last-Translator"] == "Aftercare contributors"


def test_every_message_is_translated_and_none_is_fuzzy(po_entries):
    messages = [e for e in po_entries if e.msgid]
    assert len(messages) > 100, "the catalogue looks truncated"
    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    untranslated = [e.msgid for e in messages if not e.msgstr or not all(e.msgstr.values())]
    wrong_plural_count = [e.msgid for e in messages if e.msgid_plural and sorted(e.msgstr) != [0, 1]]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not untranslated, f"untranslated entries: {untranslated}"
    assert not wrong_plural_count, f"plural entries need msgstr[0] and msgstr[1]: {wrong_plural_count}"


def test_translations_keep_every_placeholder(po_entries):
    for entry in (e for e in po_entries if e.msgid):
        for index, msgstr in entry.msgstr.items():
            source = entry.msgid_plural if (index and entry.msgid_plural) else entry.msgid
            expected = set(PLACEHOLDER.findall(entry.msgid) + PLACEHOLDER.findall(source))
            assert set(PLACEHOLDER.findall(msgstr)) == expected, (entry.msgid, msgstr)


def test_compiled_catalogue_matches_the_po(po_entries):
    assert MO_FILE.exists(), f"{MO_FILE} is missing: run `make messages`"
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info().get("language") == "hi"
    stale = []
    for entry in (e for e in po_entries if e.msgid):
        if entry.msgid_plural is None:
            got = (
                compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt is not None
                else compiled.gettext(entry.msgid)
            )
            if got != entry.msgstr[0]:
                stale.append(entry.msgid)
            continue
        for n, index in ((1, 0), (2, 1)):
            got = (
                compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                if entry.msgctxt is not None
                else compiled.ngettext(entry.msgid, entry.msgid_plural, n)
            )
            if got != entry.msgstr[index]:
                stale.append(f"{entry.msgid} [{index}]")
    assert not stale, f"django.mo is older than django.po (run `make messages`): {stale}"


def _marked_as_data(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in NOOP_MARKERS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def test_labels_seeded_as_data_are_in_the_catalogue(po_entries):
    """Seeded labels (instruments, measures) are marked with N_ = gettext_noop.

    `makemessages` only knows the name `gettext_noop`, so `make messages` must still bring
    the N_ strings into the catalogue; otherwise Hindi users see them in English.
    """
    msgids = {e.msgid for e in po_entries if e.msgctxt is None}
    missing = {
        f"{path.relative_to(SOURCE_DIR)}: {text}"
        for path in SOURCE_DIR.rglob("*.py")
        if "N_(" in (source := path.read_text(encoding="utf-8")) or "gettext_noop(" in source
        for text in _marked_as_data(path)
        if text not in msgids
    }
    assert not missing, f"strings marked for translation but missing from django.po: {sorted(missing)}"


def _hindi(po_entries, msgid: str) -> str:
    return next(e.msgstr[0] for e in po_entries if e.msgid == msgid and e.msgctxt is None)


@pytest.mark.django_db
def test_sign_in_page_in_hindi_from_the_language_cookie(client, po_entries):
    english = client.get("/accounts/sign-in/").content.decode()
    assert 'lang="en"' in english and ">Sign in<" in english

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    response = client.get("/accounts/sign-in/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="hi"' in page
    assert f"<h1>{_hindi(po_entries, 'Sign in')}</h1>" in page
    assert ">Sign in<" not in page


@pytest.mark.django_db
def test_set_language_switches_a_signed_in_case_workers_dashboard(
    client, web_login, case_worker_a, po_entries
):
    web_login(case_worker_a)
    before = client.get("/").content.decode()
    assert 'lang="en"' in before and "<h1>Dashboard</h1>" in before

    switched = client.post("/i18n/setlang/", {"language": "hi", "next": "/"})
    assert switched.status_code == 302
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "hi"

    after = client.get("/")
    assert after.status_code == 200
    page = after.content.decode()
    assert 'lang="hi"' in page
    assert f"<h1>{_hindi(po_entries, 'Dashboard')}</h1>" in page
    assert _hindi(po_entries, "Sign out") in page
    assert "<h1>Dashboard</h1>" not in page
