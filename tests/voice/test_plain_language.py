"""What survivors read (the portal, the rating form, the feedback-code page, SMS replies) is plain
language at a primary-school reading level: short sentences, common words.

The reading level is the Flesch-Kincaid grade, with syllables counted by the usual vowel-group
rule; it is rough for one word, so it is checked on average and on every longer message.
"""

from __future__ import annotations

import ast
import re
import statistics
from pathlib import Path

import aftercare

SOURCE = Path(aftercare.__file__).resolve().parent
TEMPLATES = [
    *sorted((SOURCE / "voice/templates/voice/portal").glob("*.html")),
    SOURCE / "livelihoods/templates/livelihoods/portal_earnings.html",
]
PYTHON = [SOURCE / f"voice/{name}.py" for name in ("views/portal", "portal", "sms")]
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
# Words a survivor should not have to know; say what happens instead.
JARGON = re.compile(
    r"\b(anonymous|anonymi[sz]ed|aggregate|duty bearer|quoted|k-anonym\w*|referred)\b",
    re.IGNORECASE,
)


def survivor_messages() -> set[str]:
    texts: set[str] = set()
    for path in TEMPLATES:
        source = path.read_text(encoding="utf-8")
        texts |= set(re.findall(r'{%\s*translate\s+"((?:[^"\\]|\\.)*)"', source))
        for block in re.findall(
            r"{%\s*blocktranslate[^%]*%}(.*?){%\s*(?:plural|endblocktranslate)", source, re.S
        ):
            texts.add(re.sub(r"{{\s*[\w.]+\s*}}", "it", block))
    for path in PYTHON:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in GETTEXT
                and node.args
                and isinstance(node.args[-1 if node.func.id.startswith("p") else 0], ast.Constant)
            ):
                texts.add(str(node.args[1 if node.func.id.startswith("p") else 0].value))
    from aftercare.voice.ratings import dimension_questions

    return texts | {str(question) for question in dimension_questions().values()}


def _syllables(word: str) -> int:
    word = word.lower()
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", re.sub(r"^y", "", word))))


def _plain(text: str) -> str:
    """Placeholders, tags and quoted examples are not read as words."""
    return re.sub(r"%\(\w+\)[sd]|<[^>]+>|“[^”]*”", "", text)


def sentences(text: str) -> list[list[str]]:
    parts = re.split(r"[.!?:;](?:\s|$)", _plain(text))
    return [words for part in parts if (words := re.findall(r"[A-Za-z’']+", part))]


def grade(text: str) -> float:
    parts = sentences(text)
    words = [w for part in parts for w in part]
    if not words:
        return 0.0
    return 0.39 * len(words) / len(parts) + 11.8 * sum(map(_syllables, words)) / len(words) - 15.59


def test_the_extraction_finds_the_survivor_facing_messages():
    messages = survivor_messages()
    assert len(messages) > 80
    assert {
        "Quick exit",
        "Did you feel safe?",
        "Send my rating",
        "Thank you. We got your rating. The people you rated will not know it was you.",
    } <= messages
    assert (
        "Tell us how you were treated. Nobody you rate will "
        "know it was you. We only show ratings in groups."
    ) in messages


def test_survivor_facing_text_reads_at_primary_school_level():
    messages = survivor_messages()
    mean = statistics.mean(grade(text) for text in messages)
    assert mean <= 6, (
        f"mean Flesch-Kincaid grade {mean:.1f}: write shorter sentences with common words"
    )
    hard = sorted(
        (round(grade(text), 1), text)
        for text in messages
        if len(re.findall(r"\w+", _plain(text))) >= 8 and grade(text) > 9
    )
    assert not hard, f"messages above grade 9: {hard}"


def test_no_sentence_is_long_and_no_word_is_jargon():
    long = [
        text for text in survivor_messages() if any(len(words) > 22 for words in sentences(text))
    ]
    assert not long, f"sentences over 22 words: {long}"
    jargon = sorted(text for text in survivor_messages() if JARGON.search(_plain(text)))
    assert not jargon, f"say what happens instead of: {jargon}"


def test_the_grade_tells_hard_from_plain():
    assert grade("Did you feel safe?") < 3
    assert (
        grade(
            "Notwithstanding the aforementioned considerations, "
            "anonymised aggregate statistics are disseminated."
        )
        > 15
    )
