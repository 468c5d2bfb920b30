"""Names of countries and languages in the reader's language.

django-countries translates country names into some forty languages but not Hindi, Bengali,
Swahili or isiZulu; the Unicode CLDR (through Babel) names every country and most languages
in all of them. English keeps django-countries' names, which the rest of the product uses.
A language is named by the directory's catalogue first (aftercare.network.languages, translated
with the rest of the interface), then by CLDR here, then by its code.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils import translation
from django_countries import countries


@lru_cache(maxsize=32)
def _cldr(language: str) -> Locale | None:
    try:
        return Locale.parse(translation.to_locale(language))
    except (UnknownLocaleError, ValueError):
        return None


def reader_language(language: str | None) -> str:
    """The language asked for, else the active one, as its primary subtag ("pt-br" → "pt")."""
    return (language or translation.get_language() or "en").split("-")[0]


def country_name(code: str, language: str | None = None) -> str:
    """`"ZA"` → "South Africa", "দক্ষিণ আফ্রিকা", "Afrika Kusini", "iNingizimu Afrika"; "" for ""."""
    if not code:
        return ""
    code = str(code).upper()
    language = reader_language(language)
    if (
        language != "en"
        and (locale := _cldr(language)) is not None
        and (name := locale.territories.get(code))
    ):
        return name
    with translation.override(language):
        return str(countries.name(code)) or code


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Every country as (code, name in the reader's language), sorted by that name."""
    language = reader_language(language)
    return sorted(
        ((code, country_name(code, language)) for code in countries.countries),
        key=lambda item: item[1],
    )


def cldr_language_name(code: str, language: str | None = None) -> str:
    """CLDR's name for the language `code` in the reader's language; "" when CLDR has none."""
    locale = _cldr(reader_language(language))
    return (locale.languages.get(code) if locale is not None else None) or ""
