"""People's names folded to one comparable form, for search and duplicate checks.

A name is typed by different people in different scripts and spellings: "Aïsha", "AISHA",
"आशा", "আশা". `fold` turns each into lower-case ASCII letters and digits separated by single
spaces, so that a keyed token (an HMAC, see `aftercare.core.crypto.blind_index`) of the folded
form is the same whoever typed it.

Transliteration is anyascii's (Devanagari, Bengali, Arabic, Cyrillic, ... to Latin letters,
character by character). It is a reading aid, not a romanisation standard: "आशा" folds to
"asa", not "asha", so a Devanagari name matches its Latin spelling through the misspelling
and phonetic keys of `aftercare.cases.search`, not always exactly.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_NOT_LETTERS = re.compile(r"[^a-z0-9]+")


def fold(text: str | None) -> str:
    """`"  Aïsha  MOKOENA-Dlamini "` → `"aisha mokoena dlamini"`; `""` for nothing.

    NFKC first (so anyascii sees composed characters and full-width forms as letters),
    anyascii for other scripts and accents, then NFKD with combining marks removed for any
    letter anyascii kept, case folding, and every run of non-letters made one space.
    """
    if not text:
        return ""
    ascii_text = anyascii(unicodedata.normalize("NFKC", str(text)))
    decomposed = unicodedata.normalize("NFKD", ascii_text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_LETTERS.sub(" ", stripped.casefold()).split())


def words(*parts: str | None) -> list[str]:
    """The folded words of a name given in parts (given name, family name), in order."""
    return [word for part in parts for word in fold(part).split()]
