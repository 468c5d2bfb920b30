"""Screening survivors' comments for identifiers before anyone but the coordinator reads them.

A comment is kept as written (encrypted) for the coordinator, who decides what is quoted.
Everyone else only ever sees the wording the coordinator approved, which starts from the
redacted text below: phone numbers, e-mail addresses, links, long numbers (ID, case and
account numbers) and words that look like names are replaced by a bracketed word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
LINK = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
# Seven or more digits, allowing the spaces, dots, dashes and brackets people write numbers with.
PHONE = re.compile(r"\+?\(?\d[\d\s().-]{5,}\d")
LONG_NUMBER = re.compile(r"\b[A-Z]{0,3}-?\d{4,}\b", re.IGNORECASE)
# A capitalised word that does not start a sentence is likely a name (of a person or a place).
CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")
SENTENCE_END = ".!?:"
COMMON_CAPITALISED = frozenset(
    {
        "I",
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Dr",
        "Sir",
        "Madam",
        "God",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
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
        "English",
        "Hindi",
        "Bengali",
        "Swahili",
        "Zulu",
        "Thank",
        "Thanks",
        "Please",
        "Aftercare",
    }
)

# What each flag of a screened comment says, for the moderator (the flags are stored as codes).
FLAG_LABELS = {
    "email": gettext_lazy("e-mail address"),
    "link": gettext_lazy("link"),
    "phone": gettext_lazy("phone number"),
    "number": gettext_lazy("long number"),
    "name": gettext_lazy("known name"),
    "possible_name": gettext_lazy("likely name"),
}


@dataclass(frozen=True)
class Screened:
    text: str
    flags: list[str]


def screen(comment: str, *, names: Iterable[str] = (), allowed: Iterable[str] = ()) -> Screened:
    """Redact identifiers; `names` are known names to remove (the survivor's own), `allowed`
    words that may stay capitalised (the rated organisation's or duty bearer's name)."""
    text = " ".join(comment.split())
    flags: list[str] = []

    def sub(pattern: re.Pattern, replacement: str, flag: str) -> None:
        nonlocal text
        text, count = pattern.subn(replacement, text)
        if count:
            flags.append(flag)

    sub(EMAIL, _("[e-mail]"), "email")
    sub(LINK, _("[link]"), "link")
    sub(PHONE, _("[phone number]"), "phone")
    sub(LONG_NUMBER, _("[number]"), "number")
    for name in {part for full in names for part in (full or "").split() if len(part) > 1}:
        pattern = re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE)
        sub(pattern, _("[name]"), "name")
    keep = COMMON_CAPITALISED | {word for phrase in allowed for word in (phrase or "").split()}

    def maybe_name(match: re.Match) -> str:
        word, before = match.group(0), match.string[: match.start()].rstrip()
        if word in keep or not before or before[-1] in SENTENCE_END:
            return word
        flags.append("possible_name")
        return _("[name]")

    text = CAPITALISED.sub(maybe_name, text)
    return Screened(text=text, flags=sorted(set(flags)))
