"""Every language but English has a complete catalogue that the compiled .mo matches.

The tests are parametrised over settings.LANGUAGES, so adding a language without its catalogue,
or a string to the source without translating it everywhere, fails here.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

import aftercare

LOCALE_ROOT = Path(settings.LOCALE_PATHS[0])
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
# The plural rule of each language as the Unicode CLDR gives it, written as gettext's
# Plural-Forms: Hindi, Bengali and isiZulu count 0 with 1 (n > 1), Swahili does not (n != 1).
PLURAL_FORMS = {code: str(get_plural(code)) for code in TRANSLATED}

SOURCE_DIR = Path(aftercare.__file__).resolve().parent
# Names under which code marks strings stored as data and translated when shown (label_text).
NOOP_MARKERS = {"gettext_noop", "N_"}
# What a translation must carry over unchanged: %(name)s, %s, %%, {name}, and HTML tags.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr%]|\{\w*\}|</?[a-zA-Z][a-zA-Z0-9]*")
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


def _po_file(code: str) -> Path:
    return LOCALE_ROOT / code / "LC_MESSAGES" / "django.po"


_PARSED: dict[str, list[Entry]] = {}


def catalogue(code: str) -> list[Entry]:
    """The parsed catalogue of `code`; fails saying what to do when the language has none."""
    po_file = _po_file(code)
    assert po_file.exists(), (
        f"{code!r} is in settings.LANGUAGES but {po_file.relative_to(LOCALE_ROOT.parent)} is "
        f"missing: add {code} to LOCALES in the Makefile, run `make messages` and translate it"
    )
    if code not in _PARSED:
        _PARSED[code] = parse_po(po_file.read_text(encoding="utf-8"))
    return _PARSED[code]


@pytest.fixture
def po_entries() -> list[Entry]:
    return catalogue("hi")


@pytest.fixture(autouse=True)
def _restore_language():
    """The locale middleware activates another language in this thread; later tests expect
    English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _header(entries: list[Entry]) -> dict[str, str]:
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    pairs = (line.split(":", 1) for line in header.msgstr[0].splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def _key(entry: Entry) -> tuple[str | None, str, str | None]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def test_settings_offer_the_five_languages():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "hi", "bn", "sw", "zu"]
    for code in TRANSLATED:
        info = translation.get_language_info(code)
        assert info["code"] == code and info["name_local"], code


# A date, a long date-time's clock, and a large number as each language writes them (CLDR).
LOCALE_FORMATS = {
    "en": ("March 5, 2026", "03/05/2026", "1,234,567.5"),
    "hi": ("5 मार्च 2026", "05-03-2026", "12,34,567.5"),
    "bn": ("5 মার্চ, 2026", "5 মার্চ, 2026", "12,34,567.5"),
    "sw": ("5 Machi 2026", "05/03/2026", "1,234,567.5"),
    "zu": ("Mashi 5, 2026", "2026-03-05", "1,234,567.5"),
}


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_dates_and_numbers_follow_the_locale(code):
    from datetime import date

    from django.utils.formats import date_format, number_format

    long_date, short_date, number = LOCALE_FORMATS[code]
    with translation.override(code):
        assert translation.get_language() == code
        assert date_format(date(2026, 3, 5)) == long_date
        assert date_format(date(2026, 3, 5), "SHORT_DATE_FORMAT") == short_date
        assert number_format(1234567.5, 1, force_grouping=True) == number


def test_month_and_weekday_names_for_languages_django_lacks_are_current():
    """isiZulu's month and weekday names come from CLDR (`aftercare cldr-dates`), as Django has
    none."""
    from aftercare.core.management.commands import cldr_dates

    assert cldr_dates.languages_without_django_catalogue() == ["zu"]
    for code in cldr_dates.languages_without_django_catalogue():
        po, mo = cldr_dates.rendered(code)
        folder = cldr_dates.cldr_root() / code / "LC_MESSAGES"
        assert (folder / "django.po").read_bytes() == po, (
            f"{code}: run `aftercare cldr-dates` (make messages)"
        )
        with (folder / "django.mo").open(
            "rb"
        ) as committed:  # compilemessages may have rewritten it
            assert (
                gettext.GNUTranslations(committed)._catalog
                == gettext.GNUTranslations(BytesIO(mo))._catalog
            ), f"{code}: run `aftercare cldr-dates` (make messages)"
    with translation.override("zu"):
        from datetime import date

        from django.utils.formats import date_format

        assert date_format(date(2026, 3, 5), "l, j F Y") == "ULwesine, 5 Mashi 2026"


@pytest.mark.parametrize("code", TRANSLATED)
def test_header_names_the_language_and_its_plural_forms_and_asks_for_review(code):
    header = _header(catalogue(code))
    assert header["Language"] == code
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Plural-Forms"] == PLURAL_FORMS[code]
    assert header["Project-Id-Version"].startswith("Aftercare")
    assert header["Last-Translator"] == "Aftercare contributors"
    first_comment = _po_file(code).read_text(encoding="utf-8").split("msgid", 1)[0].lower()
    assert "native speaker" in first_comment and "pending" in first_comment, (
        f"{code}: say in the header that a native speaker's review is pending"
    )


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(code):
    messages = [e for e in catalogue(code) if e.msgid]
    assert len(messages) > 100, "the catalogue looks truncated"
    nplurals = int(re.search(r"nplurals=(\d+)", PLURAL_FORMS[code]).group(1))
    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    untranslated = [e.msgid for e in messages if not e.msgstr or not all(e.msgstr.values())]
    wrong_plural_count = [
        e.msgid for e in messages if e.msgid_plural and sorted(e.msgstr) != list(range(nplurals))
    ]
    assert not fuzzy, f"{code}: fuzzy entries: {fuzzy}"
    assert not untranslated, f"{code}: untranslated entries: {untranslated}"
    assert not wrong_plural_count, (
        f"{code}: plural entries need msgstr[0..{nplurals - 1}]: {wrong_plural_count}"
    )


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_every_placeholder_and_tag(code):
    lost = []
    for entry in (e for e in catalogue(code) if e.msgid):
        for index, msgstr in entry.msgstr.items():
            source = entry.msgid_plural if (index and entry.msgid_plural) else entry.msgid
            got = Counter(PLACEHOLDER.findall(msgstr))
            if entry.msgid_plural:  # a form may name the count that the English form leaves out
                expected = set(PLACEHOLDER.findall(entry.msgid) + PLACEHOLDER.findall(source))
                if set(got) != expected:
                    lost.append((entry.msgid, index, msgstr))
            elif got != Counter(PLACEHOLDER.findall(source)):
                lost.append((entry.msgid, index, msgstr))
    assert not lost, f"{code}: placeholders or tags differ: {lost}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_compiled_catalogue_matches_the_po(code):
    entries = catalogue(code)
    mo_file = _po_file(code).with_suffix(".mo")
    assert mo_file.exists(), f"{mo_file} is missing: run `make messages`"
    with mo_file.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info().get("language") == code
    stale = []
    for entry in (e for e in entries if e.msgid):
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
    assert not stale, f"{code}: django.mo is older than django.po (run `make messages`): {stale}"


@pytest.fixture(scope="module")
def source_msgids(tmp_path_factory) -> set[tuple[str | None, str, str | None]]:
    """The messages the source marks today, extracted by `makemessages` from a copy of the tree."""
    if shutil.which("xgettext") is None:
        pytest.fail(
            "GNU gettext (xgettext) is needed to check the "
            "catalogues against the source: apt-get install gettext"
        )
    copy = tmp_path_factory.mktemp("source") / "aftercare"
    shutil.copytree(
        SOURCE_DIR, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.mo", "*.po")
    )
    (copy / "locale").mkdir()
    here = Path.cwd()
    os.chdir(copy)
    try:
        with override_settings(LOCALE_PATHS=[]):
            call_command("makemessages", locale=["xx"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(here)
    extracted = parse_po(
        (copy / "locale" / "xx" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    )
    return {_key(e) for e in extracted if e.msgid}


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogue_has_every_message_of_the_source_and_no_other(code, source_msgids):
    have = {_key(e) for e in catalogue(code) if e.msgid}
    missing, extra = source_msgids - have, have - source_msgids
    assert not missing, (
        f"{code}: messages in the source missing from django.po "
        f"(run `make messages`): {sorted(map(str, missing))}"
    )
    assert not extra, (
        f"{code}: messages no longer in the source (run `make messages`): {sorted(map(str, extra))}"
    )


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


@pytest.mark.parametrize("code", TRANSLATED)
def test_labels_seeded_as_data_are_in_the_catalogue(code):
    """Seeded labels (instruments, measures) are marked with N_ = gettext_noop.

    `makemessages` only knows the name `gettext_noop`, so `make messages` must still bring
    the N_ strings into every catalogue; otherwise readers see them in English.
    """
    msgids = {e.msgid for e in catalogue(code) if e.msgctxt is None}
    missing = {
        f"{path.relative_to(SOURCE_DIR)}: {text}"
        for path in SOURCE_DIR.rglob("*.py")
        if "N_(" in (source := path.read_text(encoding="utf-8")) or "gettext_noop(" in source
        for text in _marked_as_data(path)
        if text not in msgids
    }
    assert not missing, (
        f"strings marked for translation but missing from django.po: {sorted(missing)}"
    )


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
