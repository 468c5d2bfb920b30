"""`aftercare cldr-dates`: month and weekday names for the languages Django has no catalogue for.

Django words dates with its own catalogue (django.utils.dates); it has none for isiZulu, so a
date would read "March 5, 2026" in an isiZulu page. This writes, from the Unicode CLDR through
Babel, a small catalogue of those names for every language in settings.LANGUAGES that Django
lacks, into aftercare/locale_cldr/<code>/LC_MESSAGES (the second of LOCALE_PATHS), .po and .mo.
`make messages` runs it; the files are committed, and tests/core/test_i18n.py checks they are
current.
"""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import babel
import django
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

GENERATED = datetime(
    2026, 1, 1, tzinfo=UTC
)  # fixed, so that the files change only when the names do
DJANGO_LOCALE = Path(django.__file__).resolve().parent / "conf" / "locale"
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_AP = [
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def cldr_root() -> Path:
    return Path(settings.LOCALE_PATHS[1])


def languages_without_django_catalogue() -> list[str]:
    return [
        code
        for code, _name in settings.LANGUAGES
        if code != "en"
        and not (DJANGO_LOCALE / translation.to_locale(code) / "LC_MESSAGES" / "django.mo").exists()
    ]


def catalogue(code: str) -> Catalog:
    """Django's date msgids, with CLDR's words for them in `code`."""
    locale = Locale.parse(translation.to_locale(code))
    catalog = Catalog(
        locale=locale,
        project="Aftercare",
        version=f"CLDR {babel.__version__}",
        copyright_holder="Aftercare contributors",
        msgid_bugs_address="",
        header_comment=(
            f"# Month and weekday names in {locale.english_name} for Django's dates, from "
            "the Unicode CLDR.\n# Written by `aftercare cldr-dates`; do not edit by hand.\n"
        ),
        creation_date=GENERATED,
        revision_date=GENERATED,
        last_translator="Aftercare contributors",
        language_team=locale.english_name,
        fuzzy=False,
    )
    months, months_alt = locale.months["format"], locale.months["stand-alone"]
    for number, name in enumerate(MONTHS, start=1):
        catalog.add(name, months["wide"][number])
        catalog.add(name, months_alt["wide"][number], context="alt. month")
        catalog.add(name[:3].lower(), months["abbreviated"][number].lower())
        catalog.add(MONTHS_AP[number - 1], months["abbreviated"][number], context="abbrev. month")
    days = locale.days["format"]
    for number, name in enumerate(WEEKDAYS):
        catalog.add(name, days["wide"][number])
        catalog.add(name[:3], days["abbreviated"][number])
    return catalog


def rendered(code: str) -> tuple[bytes, bytes]:
    po, mo = BytesIO(), BytesIO()
    write_po(
        po, catalogue(code), width=0, omit_header=False, sort_output=True, include_lineno=False
    )
    write_mo(mo, catalogue(code))
    return po.getvalue(), mo.getvalue()


class Command(BaseCommand):
    help = "Write the CLDR month and weekday names for the languages Django has no catalogue for."

    def handle(self, *args, **options):
        for code in languages_without_django_catalogue():
            po, mo = rendered(code)
            folder = cldr_root() / code / "LC_MESSAGES"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "django.po").write_bytes(po)
            (folder / "django.mo").write_bytes(mo)
            self.stdout.write(f"{folder / 'django.po'}")
