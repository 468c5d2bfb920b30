"""Synthetic survivors for the demo network and for benchmarks. Nobody here is real."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta

from django.utils import timezone

from aftercare.cases.models import CaseStatus, ExploitationType, Gender, IdentifiedBy, Survivor
from aftercare.cases.services import CODE_ALPHABET
from aftercare.core import crypto

NAMES = {
    "ZA": (
        [
            "Thandiwe",
            "Nomvula",
            "Lindiwe",
            "Zanele",
            "Ayanda",
            "Sipho",
            "Palesa",
            "Naledi",
            "Busisiwe",
            "Refilwe",
            "Mpho",
            "Lerato",
        ],
        [
            "Dlamini",
            "Nkosi",
            "Mokoena",
            "Khumalo",
            "Ndlovu",
            "Mahlangu",
            "Sithole",
            "Mthembu",
            "Zulu",
            "Molefe",
        ],
    ),
    "IN": (
        [
            "Priya",
            "Anjali",
            "Rekha",
            "Sunita",
            "Moumita",
            "Rina",
            "Shabnam",
            "Puja",
            "Lakshmi",
            "Arjun",
            "Sampa",
            "Mitali",
        ],
        [
            "Das",
            "Mondal",
            "Sardar",
            "Khatun",
            "Biswas",
            "Naskar",
            "Halder",
            "Shaikh",
            "Roy",
            "Ghosh",
        ],
    ),
    "KE": (
        [
            "Amina",
            "Fatuma",
            "Zawadi",
            "Neema",
            "Halima",
            "Mwanaisha",
            "Baraka",
            "Rehema",
            "Imani",
            "Saida",
        ],
        [
            "Mwangi",
            "Otieno",
            "Hassan",
            "Omondi",
            "Juma",
            "Wanjiru",
            "Kahindi",
            "Charo",
            "Katana",
            "Mohamed",
        ],
    ),
    "UG": (
        [
            "Akello",
            "Nakiru",
            "Lokiru",
            "Achia",
            "Nangiro",
            "Lomongin",
            "Apio",
            "Longora",
            "Nachap",
            "Aleper",
        ],
        [
            "Lokwang",
            "Lomuria",
            "Nakwang",
            "Ariko",
            "Loru",
            "Napeyok",
            "Lochoro",
            "Angella",
            "Achuka",
            "Lotee",
        ],
    ),
}
NATIONALITY_MIX = {
    "ZA": ["ZA", "ZA", "ZA", "MZ", "ZW", "LS", "MW"],
    "IN": ["IN", "IN", "IN", "BD", "NP"],
    "KE": ["KE", "KE", "KE", "TZ", "UG"],
    "UG": ["UG", "UG", "KE", "SS"],
}
STATUS_WEIGHTS = [
    (CaseStatus.INTAKE, 10),
    (CaseStatus.ACTIVE, 45),
    (CaseStatus.STABLE, 25),
    (CaseStatus.CLOSED, 20),
]
EXPLOITATION_WEIGHTS = [
    (ExploitationType.SEXUAL, 45),
    (ExploitationType.LABOUR, 25),
    (ExploitationType.DOMESTIC_SERVITUDE, 12),
    (ExploitationType.FORCED_MARRIAGE, 8),
    (ExploitationType.CRIMINAL, 5),
    (ExploitationType.ORGAN_REMOVAL, 1),
    (ExploitationType.OTHER, 4),
]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def new_code(rng: random.Random, used_codes: set[str]) -> str:
    """A case code not in `used_codes`, which it is then added to."""
    code = ""
    while not code or code in used_codes:
        code = "AC-" + "".join(rng.choice(CODE_ALPHABET) for _ in range(7))
    used_codes.add(code)
    return code


def synthetic_survivor(
    rng: random.Random, organisation, regions: Sequence, used_codes: set[str]
) -> Survivor:
    country = organisation.country if organisation.country in NAMES else "ZA"
    given_pool, family_pool = NAMES[country]
    gender = _weighted(
        rng, [(Gender.WOMAN, 70), (Gender.MAN, 22), (Gender.TRANSGENDER, 3), (Gender.UNKNOWN, 5)]
    )
    age = max(9, min(60, int(rng.gauss(22, 7))))
    today = timezone.now().date()
    birth = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
    kinds = {_weighted(rng, EXPLOITATION_WEIGHTS)}
    if rng.random() < 0.2:
        kinds.add(_weighted(rng, EXPLOITATION_WEIGHTS))
    code = new_code(rng, used_codes)
    given, family = rng.choice(given_pool), rng.choice(family_pool)
    survivor = Survivor(
        case_code=code,
        organisation=organisation,
        given_name=given,
        family_name=family,
        phone=(
            f"+{rng.randint(10, 99)} {rng.randint(100, 999)} "
            f"{rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        ),
        date_of_birth=birth if rng.random() < 0.6 else None,
        year_of_birth=birth.year,
        gender=gender,
        nationality=rng.choice(NATIONALITY_MIX.get(country, [country])),
        region=rng.choice(regions) if regions else None,
        exploitation_types=sorted(kinds),
        country_of_exploitation=country
        if rng.random() < 0.75
        else rng.choice(["AE", "OM", "MY", "IN", "ZA", "KE"]),
        identified_by=rng.choice(IdentifiedBy.values),
        status=_weighted(rng, STATUS_WEIGHTS),
        created_at=timezone.now()
        - timedelta(days=rng.randint(0, 3 * 365), minutes=rng.randint(0, 1440)),
    )
    survivor.name_index = crypto.blind_index(survivor.full_name)
    return survivor


def generate(
    rng: random.Random, organisations: Sequence, regions_by_organisation: dict, count: int
) -> Iterator[Survivor]:
    """Survivors for the demo, each in a region her organisation serves (`regions_by_organisation`:
    organisation id to its districts). Every existing code is loaded into a set, fine for hundreds.

    For large numbers use `generate_batches`, whose memory does not grow with the table.
    """
    used_codes = set(Survivor.objects.values_list("case_code", flat=True))
    for i in range(count):
        org = organisations[i % len(organisations)]
        yield synthetic_survivor(rng, org, regions_by_organisation.get(org.pk, []), used_codes)


def taken_codes(codes: Iterable[str], chunk: int = 500) -> set[str]:
    """Which of `codes` the database already holds (one indexed lookup per chunk)."""
    codes = list(codes)
    taken: set[str] = set()
    for start in range(0, len(codes), chunk):
        taken.update(
            Survivor.objects.filter(case_code__in=codes[start : start + chunk]).values_list(
                "case_code", flat=True
            )
        )
    return taken


def ensure_unique_codes(rng: random.Random, batch: Sequence[Survivor]) -> int:
    """Give a fresh code to each survivor whose code the database already holds; how many changed.

    Codes are 7 characters over a 30-letter alphabet (about 2.2e10), so at a million cases a
    batch of a thousand meets an existing code about once in twenty batches.
    """
    codes = {s.case_code for s in batch}
    changed = 0
    clashes = taken_codes(codes)
    while clashes:
        fresh: list[str] = []
        for survivor in batch:
            if survivor.case_code in clashes:
                survivor.case_code = new_code(rng, codes)  # `codes` keeps the clashes out
                fresh.append(survivor.case_code)
                changed += 1
        clashes = taken_codes(fresh)
    return changed


def generate_batches(
    rng: random.Random,
    organisations: Sequence,
    regions_by_country: dict,
    count: int,
    batch_size: int,
) -> Iterator[list[Survivor]]:
    """`count` survivors in lists of at most `batch_size`, spread round-robin over `organisations`.

    Codes are unique within a batch and checked against the database when the batch is
    made, so save each batch before asking for the next: memory stays one batch deep
    however large the table (no set of every existing code, as `generate` keeps).
    """
    made = 0
    while made < count:
        size = min(batch_size, count - made)
        codes: set[str] = set()
        batch = []
        for i in range(made, made + size):
            org = organisations[i % len(organisations)]
            batch.append(
                synthetic_survivor(rng, org, regions_by_country.get(org.country, []), codes)
            )
        ensure_unique_codes(rng, batch)
        made += size
        yield batch
