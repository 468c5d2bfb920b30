"""Languages an organisation works in, as BCP 47 primary subtags.

That is the ISO 639-1 code where one exists (``en``, ``hi``, ``zu``) and the ISO 639-3 code
for a language without one (Karamojong is ``kdj``, Sepedi ``nso``). The list holds the
languages of the networks Aftercare serves; add a line here for a new one.
"""

from django.utils.translation import gettext_lazy as _

from aftercare.core.names import language_name as named

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


def language_name(code: str) -> str:
    """The name in the reader's language; a code not listed here is named from CLDR."""

    return named(code)
