"""Names of countries and languages in the reader's language.

django-countries translates country names into some forty languages but not Hindi, Bengali,
Swahili or isiZulu; the Unicode CLDR (through Babel) names every country and most languages
in all of them. English keeps django-countries' names, which the rest of the product uses.
Language names come from the catalogue first (aftercare.network.languages, translated with
the rest of the interface), then from CLDR, then the code itself.
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


def _reader_language(language: str | None) -> str:
    return (language or translation.get_language() or "en").split("-")[0]


def country_name(code: str, language: str | None = None) -> str:
    """`"ZA"` → "South Africa", "দক্ষিণ আফ্রিকা", "Afrika Kusini", "iNingizimu Afrika"; "" for ""."""
    if not code:
        return ""
    code = str(code).upper()
    language = _reader_language(language)
    if language != "en" and (locale := _cldr(language)) is not None and (name := locale.territories.get(code)):
        return name
    with translation.override(language):
        return str(countries.name(code)) or code


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Every country as (code, name in the reader's language), sorted by that name."""
    language = _reader_language(language)
    return sorted(((code, country_name(code, language)) for code in countries.countries), key=lambda item: item[1])


def language_name(code: str, language: str | None = None) -> str:
    """`"zu"` → "isiZulu" in English, "ইসিজুলু" in Bengali; an unknown code by CLDR, else itself."""
    from aftercare.network.languages import LANGUAGES

    if not code:
        return ""
    language = _reader_language(language)
    with translation.override(language):
        if code in LANGUAGES:
            return str(LANGUAGES[code])
    locale = _cldr(language)
    return (locale.languages.get(code) if locale is not None else None) or code


def language_names(codes, language: str | None = None) -> str:
    """`["en", "zu"]` → "English, isiZulu" in the reader's language."""
    return ", ".join(language_name(code, language) for code in codes or [])
