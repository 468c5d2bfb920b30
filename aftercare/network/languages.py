"""Languages an organisation works in, as BCP 47 primary subtags.

That is the ISO 639-1 code where one exists (``en``, ``hi``, ``zu``) and the ISO 639-3 code
for a language without one (Karamojong is ``kdj``, Sepedi ``nso``). The list holds the
languages of the networks Aftercare serves; add a line here for a new one.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from aftercare.core import names

LANGUAGES: dict[str, str] = {
    "af": _("Afrikaans"),
    "am": _("Amharic"),
    "ar": _("Arabic"),
    "bn": _("Bengali"),
    "en": _("English"),
    "es": _("Spanish"),
    "fr": _("French"),
    "gu": _("Gujarati"),
    "hi": _("Hindi"),
    "kdj": _("Karamojong"),
    "km": _("Khmer"),
    "lg": _("Luganda"),
    "mr": _("Marathi"),
    "my": _("Burmese"),
    "ne": _("Nepali"),
    "nr": _("Southern Ndebele"),
    "nso": _("Sepedi"),
    "om": _("Oromo"),
    "pt": _("Portuguese"),
    "so": _("Somali"),
    "ss": _("Swati"),
    "st": _("Sesotho"),
    "sw": _("Swahili"),
    "ta": _("Tamil"),
    "te": _("Telugu"),
    "th": _("Thai"),
    "tl": _("Tagalog"),
    "tn": _("Setswana"),
    "ts": _("Xitsonga"),
    "ur": _("Urdu"),
    "ve": _("Tshivenda"),
    "vi": _("Vietnamese"),
    "xh": _("isiXhosa"),
    "zh": _("Chinese"),
    "zu": _("isiZulu"),
}


def language_choices() -> list[tuple[str, str]]:
    """(code, name) sorted by the name in the current language; a callable for form choices."""
    return sorted(((code, str(name)) for code, name in LANGUAGES.items()), key=lambda item: item[1])


def language_name(code: str, language: str | None = None) -> str:
    """`"zu"` → "isiZulu" in English, "ইসিজুলু" in Bengali: the name listed here (translated with
    the interface) first, then CLDR's for a code not listed, else the code itself."""
    if not code:
        return ""
    language = names.reader_language(language)
    with translation.override(language):
        if code in LANGUAGES:
            return str(LANGUAGES[code])
    return names.cldr_language_name(code, language) or code


def language_names(codes, language: str | None = None) -> str:
    """`["en", "zu"]` → "English, isiZulu" in the reader's language."""
    return ", ".join(language_name(code, language) for code in codes or [])
