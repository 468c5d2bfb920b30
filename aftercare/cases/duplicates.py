"""Possible-duplicate detection across the network, without revealing anything.

At intake we compute keyed tokens (HMAC, see core.crypto.blind_index) of the normalised
name and of two phonetic codes of it (Soundex and Metaphone, from jellyfish), each with the
year of birth. Another case with a shared token is a possible match. The caller learns only
where the match is (their organisation, or elsewhere in the network), never which record.
"""

from __future__ import annotations

from dataclasses import dataclass

import jellyfish

from aftercare.cases.models import DuplicateToken, Survivor
from aftercare.core import crypto


def _forms(given: str, family: str) -> list[str]:
    given, family = crypto.normalise(given), crypto.normalise(family)
    if not given:
        return []
    forms = [f"n:{given} {family}"]
    for name, code in (("s", jellyfish.soundex), ("m", jellyfish.metaphone)):
        g = code(given)
        f = code(family) if family else ""
        forms.append(f"{name}:{g} {f}")
        if family:
            forms.append(f"{name}:{f} {g}")  # given and family names swapped
    return forms


def tokens(given: str, family: str, year_of_birth: int | None, *, spread: int = 0) -> set[str]:
    """Tokens for one name; with `spread`, also for birth years that far either side."""
    years = (
        ["?"]
        if year_of_birth is None
        else [str(year_of_birth + d) for d in range(-spread, spread + 1)]
    )
    return {
        crypto.blind_index(f"{form}|{year}") for form in _forms(given, family) for year in years
    }


def store_tokens(survivor: Survivor) -> None:
    DuplicateToken.objects.filter(survivor=survivor).delete()
    DuplicateToken.objects.bulk_create(
        DuplicateToken(survivor=survivor, token=t)
        for t in tokens(survivor.given_name, survivor.family_name, survivor.year_of_birth)
    )


@dataclass(frozen=True)
class PossibleDuplicate:
    in_own_organisation: bool
    elsewhere_in_network: bool

    @property
    def found(self) -> bool:
        return self.in_own_organisation or self.elsewhere_in_network


def _live_tokens():
    """Tokens of cases that can still match: an anonymised case matches no one."""
    return DuplicateToken.objects.filter(survivor__anonymised_at__isnull=True)


def _where(organisation_id, orgs: set) -> PossibleDuplicate:
    return PossibleDuplicate(
        in_own_organisation=organisation_id in orgs,
        elsewhere_in_network=bool(orgs - {organisation_id}),
    )


def check(
    organisation_id, given: str, family: str, year_of_birth: int | None, *, exclude=None
) -> PossibleDuplicate:
    """Where a likely match exists; the records themselves are never returned."""
    candidates = tokens(given, family, year_of_birth, spread=1)
    matches = _live_tokens().filter(token__in=candidates)
    if exclude is not None:
        matches = matches.exclude(survivor=exclude)
    return _where(
        organisation_id,
        set(matches.values_list("survivor__organisation_id", flat=True).distinct()[:50]),
    )


def check_many(
    organisation_id, people: list[tuple[str, str, int | None]]
) -> list[PossibleDuplicate]:
    """`check` for people about to be opened in order in one organisation (a spreadsheet's rows):
    each is also matched with those before it, as their intake would find them. One query per
    500 tokens rather than one per person."""
    candidates = [tokens(given, family, year, spread=1) for given, family, year in people]
    wanted = sorted(set().union(*candidates))
    orgs_by_token: dict[str, set] = {}
    for start in range(0, len(wanted), 500):
        rows = _live_tokens().filter(token__in=wanted[start : start + 500])
        for token, org in rows.values_list("token", "survivor__organisation_id").distinct():
            orgs_by_token.setdefault(token, set()).add(org)
    found, earlier = [], set()
    for (given, family, year), candidate in zip(people, candidates, strict=True):
        orgs = set().union(*(orgs_by_token.get(token, set()) for token in candidate))
        if candidate & earlier:
            orgs.add(organisation_id)
        earlier |= tokens(given, family, year)
        found.append(_where(organisation_id, orgs))
    return found


@dataclass(frozen=True)
class Matches:
    """What intake may show before saving: the actor's own organisation's matching cases (the
    actor may open them anyway), and only whether a partner may know her, never which one."""

    # Survivor rows of the actor's organisation, identifiers other than the given name not loaded
    own: list
    elsewhere_in_network: bool

    @property
    def found(self) -> bool:
        return bool(self.own) or self.elsewhere_in_network


def possible_matches(actor, given: str, family: str, year_of_birth: int | None) -> Matches:
    """The possible matches of a person about to be opened, nothing written. Two queries."""
    candidates = tokens(given, family, year_of_birth, spread=1)
    rows = set(
        _live_tokens()
        .filter(token__in=candidates)
        .values_list("survivor_id", "survivor__organisation_id")
        .distinct()[:200]
    )
    own_ids = [survivor for survivor, org in rows if org == actor.organisation_id]
    own = []
    if own_ids:
        own = list(
            Survivor.objects.owned_by(actor)
            .counted()
            .filter(pk__in=own_ids)
            .only(
                "id",
                "case_code",
                "given_name",
                "year_of_birth",
                "status",
                "created_at",
                "organisation_id",
            )
            .order_by("-created_at")[:20]
        )
    return Matches(
        own=own, elsewhere_in_network=any(org != actor.organisation_id for _survivor, org in rows)
    )
