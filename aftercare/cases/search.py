"""Finding a case by part of its code or by part, or a misspelling, of the survivor's name.

Names are encrypted, so the database cannot compare them. Instead, when a survivor's case is
saved, `store_keys` writes a handful of keyed tokens per folded name word (HMACs under the
blind-index key, `aftercare.core.crypto.blind_index`) into `SearchKey`:

- `w` the whole word, for short names ("Li") and exact words;
- `t` each of its trigrams ("mok", "oko", ...), so any fragment of three letters or more is
  found: all the fragment's trigrams are among the word's;
- `d` the word and, for words of five letters or more, the word with each one letter left
  out (a deletion neighbourhood): a query that differs by one letter left out, added,
  replaced or two neighbours swapped shares one of these ("Mokena" / "Mokoena",
  "Asha" / "Aisha");
- `p` its Metaphone code (jellyfish, already used by the duplicate check), for spellings
  that sound alike.

A query is folded the same way, its keys computed, and one indexed query fetches which of
the caller's cases hold which of those keys: each key row carries the organisation holding
the case, so the query reads the organisation's rows by (organisation, key) and never its
caseload. Nothing is decrypted and the table holds no name: without the key an HMAC cannot be
read back. A case shared with a partner by a referral is found by name only if the survivor
agreed to share her identity with it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import jellyfish
from django.db import models, transaction
from django.db.models import Count, Q

from aftercare.accounts.policy import Action, Actor, can
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases import names
from aftercare.cases.access import identity_shared_ids
from aftercare.cases.models import SearchKey, Survivor
from aftercare.core import crypto

# Words this long or longer get the one-letter-left-out keys (shorter ones would match
# too many other names: "ana" without a letter is "an", "aa" or "na").
NEAR_MIN = 5
# A name search is a way to find a person, not to list a caseload: the best this many.
MAX_NAME_MATCHES = 500
# A code fragment shorter than this would match most cases.
CODE_MIN = 3
_CODE_CHARS = re.compile(r"[^A-Z0-9-]")

# How much each way of matching one query word counts towards a case's rank.
EXACT, FRAGMENT, NEAR, SOUNDS_LIKE = 5, 4, 3, 2
# The kinds of a word's keys (`_WordQuery.score_counts`).
KINDS = ("exact", "grams", "near", "sounds")


def _key(kind: str, value: str) -> str:
    return crypto.blind_index(f"search|{kind}|{value}")


def trigrams(word: str) -> set[str]:
    return {word[i : i + 3] for i in range(len(word) - 2)}


def near_forms(word: str) -> set[str]:
    """The word, and if it is long enough, the word with each one letter left out."""
    forms = {word}
    if len(word) >= NEAR_MIN:
        forms |= {word[:i] + word[i + 1 :] for i in range(len(word))}
    return forms


def _phonetic(word: str) -> str:
    return jellyfish.metaphone(word) if len(word) >= 3 and word.isalpha() else ""


def word_keys(word: str) -> set[str]:
    """Every key stored for one folded name word."""
    keys = {_key("w", word)}
    keys |= {_key("t", gram) for gram in trigrams(word)}
    keys |= {_key("d", form) for form in near_forms(word)}
    if code := _phonetic(word):
        keys.add(_key("p", code))
    return keys


def name_keys(given: str | None, family: str | None) -> set[str]:
    """The keys of a survivor's name (given and family names, each word on its own)."""
    return {key for word in names.words(given, family) for key in word_keys(word)}


def store_keys(survivor: Survivor) -> None:
    """Replace the survivor's search keys; called by the services that save a name. An
    anonymised case gets none (so a search needs no look at the case to leave it out)."""
    with transaction.atomic():
        SearchKey.objects.filter(survivor=survivor).delete()
        if survivor.anonymised_at is None:
            SearchKey.objects.bulk_create(
                SearchKey(survivor=survivor, organisation_id=survivor.organisation_id, key=key)
                for key in name_keys(survivor.given_name, survivor.family_name)
            )


def store_keys_many(survivors: Iterable[Survivor]) -> None:
    """Keys for many new survivors at once, from the names they hold: for bulk loads (the demo
    network, `synth`)."""
    SearchKey.objects.bulk_create(
        (
            SearchKey(survivor_id=s.pk, organisation_id=s.organisation_id, key=key)
            for s in survivors
            if s.anonymised_at is None
            for key in name_keys(s.given_name, s.family_name)
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )


def move_keys(survivor_id, organisation_id) -> None:
    """The case's keys follow it to the organisation now holding it (a transfer); in the
    caller's transaction, with the case's own update."""
    SearchKey.objects.filter(survivor_id=survivor_id).update(organisation_id=organisation_id)


@dataclass(frozen=True)
class _WordQuery:
    word: str
    exact: str
    grams: frozenset[str]
    near: frozenset[str]
    sounds: str

    @classmethod
    def of(cls, word: str) -> _WordQuery:
        long_enough = len(word) >= 3
        return cls(
            word=word,
            exact=_key("w", word),
            grams=frozenset(_key("t", g) for g in trigrams(word)) if long_enough else frozenset(),
            near=frozenset(_key("d", f) for f in near_forms(word))
            if len(word) >= 4
            else frozenset(),
            sounds=_key("p", code) if (code := _phonetic(word)) else "",
        )

    def keys(self) -> set[str]:
        return {self.exact, *self.grams, *self.near} | ({self.sounds} if self.sounds else set())

    def score(self, held: set[str]) -> float:
        """How well a case holding the keys `held` matches this word; 0 for not at all."""
        return self.score_counts(
            exact=self.exact in held,
            grams=len(self.grams & held),
            near=bool(self.near & held),
            sounds=bool(self.sounds) and self.sounds in held,
        )

    def score_counts(self, *, exact: int, grams: int, near: int, sounds: int) -> float:
        """`score` from how many of each kind of this word's keys a case holds."""
        closeness = grams / len(self.grams) if self.grams else 0.0
        if exact:
            return EXACT
        if self.grams and grams == len(self.grams):
            return FRAGMENT
        if near:
            return NEAR + closeness
        if sounds:
            return SOUNDS_LIKE + closeness
        if self.grams and grams >= self.some_grams():
            return closeness
        return 0.0

    def some_grams(self) -> int:
        """How many of the word's trigrams a case must hold to match it by them alone."""
        return max(2, math.ceil(len(self.grams) * 0.6))

    def counted(self, i: int) -> tuple[dict[str, Count], Q]:
        """The aggregates that count, per case, the keys of each kind it holds of this word
        (`score_counts`, named by the word's position `i`), and the condition on them that
        `score` is not 0."""
        kinds = {
            "exact": [self.exact],
            "grams": sorted(self.grams),
            "near": sorted(self.near),
            "sounds": [self.sounds] if self.sounds else [],
        }
        counts = {
            f"{kind}_{i}": Count("pk", filter=Q(key__in=keys))
            for kind, keys in kinds.items()
            if keys
        }
        matches = Q(**{f"exact_{i}__gt": 0})
        for kind in ("near", "sounds"):
            if kinds[kind]:
                matches |= Q(**{f"{kind}_{i}__gt": 0})
        if self.grams:
            matches |= Q(**{f"grams_{i}__gte": min(len(self.grams), self.some_grams())})
        return counts, matches


def name_matches(actor: Actor, query: str) -> list[tuple[object, float]]:
    """(case id, rank) of the caller's cases whose name matches every word of `query`, best first.

    Scoped here, not only by the caller's queryset: a case the actor's organisation holds, or
    one shared with it together with the survivor's identity.
    """
    words = [_WordQuery.of(word) for word in dict.fromkeys(names.fold(query).split())]
    if not words or not can(actor, Action.VIEW_CASES):
        return []
    wanted = set().union(*(w.keys() for w in words))
    # Counted per case by the database, and only the cases that match every word returned: a
    # common name's trigrams are held by thousands of an organisation's cases, and reading
    # their keys into Python grew with the caseload (346 ms at 100,000 survivors, issue 18).
    counts: dict[str, Count] = {}
    matches = Q()
    for i, word in enumerate(words):
        counted, matched = word.counted(i)
        counts |= counted
        matches &= matched
    keys = SearchKey.objects.filter(key__in=wanted).order_by()
    # The organisation's rows by the (organisation, key, survivor) index, never joining its
    # caseload; the shared cases' by the (survivor, key) one. Anonymised and merged-away
    # cases hold no keys (`store_keys`, `anonymise`, `merge`), so nothing else is excluded.
    columns = ["survivor_id", *counts]
    rows = (
        keys.filter(organisation_id=actor.organisation_id)
        .values("survivor_id")
        .annotate(**counts)
        .filter(matches)
        .values_list(*columns)
    )
    if shared := identity_shared_ids(actor):
        theirs = keys.filter(survivor_id__in=shared).values("survivor_id").annotate(**counts)
        rows = rows.union(theirs.filter(matches).values_list(*columns), all=True)
    # A case in both parts (held here and still shared) holds the same keys in each.
    found = {survivor_id: dict(zip(counts, held, strict=True)) for survivor_id, *held in rows}
    ranked = []
    for survivor_id, row in found.items():
        scores = [
            w.score_counts(**{kind: row.get(f"{kind}_{i}", 0) for kind in KINDS})
            for i, w in enumerate(words)
        ]
        if all(scores):
            ranked.append((survivor_id, sum(scores)))
    ranked.sort(key=lambda item: -item[1])
    return ranked[:MAX_NAME_MATCHES]


def code_fragment(query: str) -> str:
    """The part of a query that can be a piece of a case code ("wtcg 6mq" → "WTCG6MQ")."""
    fragment = _CODE_CHARS.sub("", query.upper())
    return fragment if len(fragment.strip("-")) >= CODE_MIN else ""


@dataclass
class SearchResult:
    cases: models.QuerySet
    by_code: int = 0
    by_name: int = 0
    kinds: list[str] = field(default_factory=list)


def search(actor: Actor, cases: models.QuerySet, query: str) -> SearchResult:
    """Narrow `cases` (already the caller's visible cases) to those matching `query`, ranked:
    name matches by how well they match, then code matches, newest first.

    Audited as a list event of the caller with how many cases matched and how (code, name);
    the query text is never recorded.
    """
    fragment = code_fragment(query)
    ranked = name_matches(actor, query)
    ids = [pk for pk, _rank in ranked]
    condition = models.Q(pk__in=ids) if ids else models.Q(pk__in=[])
    by_code = 0
    if fragment:
        by_code = cases.filter(case_code__icontains=fragment).count()
        condition |= models.Q(case_code__icontains=fragment)
    order = (
        models.Case(
            *(models.When(pk=pk, then=models.Value(position)) for position, pk in enumerate(ids)),
            default=models.Value(len(ids)),
            output_field=models.IntegerField(),
        )
        if ids
        else models.Value(0, output_field=models.IntegerField())
    )
    narrowed = (
        cases.filter(condition)
        .annotate(search_rank=order)
        .order_by("search_rank", "-created_at", "id")
    )
    kinds = [kind for kind, count in (("code", by_code), ("name", len(ids))) if count]
    record(
        actor,
        AuditAction.LIST,
        object_type="cases.survivor",
        fields=["search", *kinds],
        label=f"search: {by_code} by code, {len(ids)} by name",
    )
    return SearchResult(narrowed, by_code=by_code, by_name=len(ids), kinds=kinds)
