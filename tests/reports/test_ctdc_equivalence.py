"""The CTDC export's output, pinned: the file the former implementation wrote (rows as dicts,
every value recoded again at every node of the lattice) for generated data, as a SHA-256 of
the CSV, of the workbook's cell values and the note's figures. The faster implementation must
write the same bytes; if a change of coding or of the search is meant, the pins change with it
(and the change says why). Then the properties the pins stand for: every published group of
identical rows has at least k rows, and published plus suppressed is every consenting survivor.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from aftercare.accounts.services import actor_for
from aftercare.cases.counting import NETWORK, scope_for
from aftercare.cases.models import (
    Consent,
    ExploitationType,
    MeansOfControl,
    RecruiterRelation,
    Survivor,
)
from aftercare.demo import synthetic
from aftercare.reports import builders, ctdc
from tests.reports.conftest import at

GENDERS = ["woman", "man", "transgender", "unknown", ""]
NATIONALITIES = ["ZA", "MZ", "ZW", "za", " LS ", "BD", "", "XYZ", "1A", "KE", "MW"]
COUNTRIES = ["ZA", "AE", "OM", "MY", "", "in", "KE"]


def _sample(rng: random.Random, values, most: int) -> list[str]:
    return rng.sample(list(values), rng.randint(0, most))


def source(rng: random.Random, common: bool) -> dict:
    """One survivor's profile: a common one (few values, so groups reach k as recorded) or one
    of the tail (any value, so groups reach k only higher up the lattice, or never)."""
    if common:
        return {
            "year": rng.choice([2024, 2025]),
            "gender": rng.choice(["woman", "man"]),
            "year_of_birth": rng.choice([2000, 1996, 2008]),
            "nationality": rng.choice(["ZA", "MZ"]),
            "country_of_exploitation": "ZA",
            "exploitation_types": rng.choice([["sexual"], ["labour"], []]),
            "means_of_control": rng.choice([[], ["debt_bondage"], ["threats", "other"]]),
            "recruiter_relation": rng.choice(["", "friend", "unknown"]),
        }
    return {
        "year": rng.randint(2019, 2026),
        "gender": rng.choice(GENDERS),
        "year_of_birth": rng.choice([None, rng.randint(1950, 2022)]),
        "nationality": rng.choice(NATIONALITIES),
        "country_of_exploitation": rng.choice(COUNTRIES),
        "exploitation_types": _sample(rng, ExploitationType.values, 3),
        "means_of_control": _sample(rng, MeansOfControl.values, 3),
        "recruiter_relation": rng.choice(["", "bogus", *RecruiterRelation.values]),
    }


def profiles(n: int, seed: int) -> tuple[list[dict], list[int]]:
    rng = random.Random(seed)
    rows, counts = [], []
    for _ in range(n):
        rows.append(ctdc.ctdc_row(source(rng, rng.random() < 0.6)))
        counts.append(rng.choice([1, 1, 1, 2, 3, 7]))
    return rows, counts


def sha(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def written(export) -> bytes:
    out = io.BytesIO()
    ctdc.write_csv(export, out, block=97)  # a block that does not divide the rows
    return out.getvalue()


def figures(export) -> tuple[int, ...]:
    return (
        len(export.rows),
        export.consenting,
        export.generalised,
        export.cells_generalised,
        export.suppressed,
    )


def assert_k_anonymous(body: str, k: int) -> None:
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ctdc.COLUMNS
    groups = Counter(tuple(row) for row in rows[1:])
    assert not groups or min(groups.values()) >= k


# k -> (rows, consenting, rows generalised, cells generalised, suppressed), SHA-256 of the CSV;
# written by the former implementation for `profiles(1500, seed=2026)`.
PINNED_PROFILES = {
    1: ((3573, 3573, 0, 0, 0), "e833db384c8c2655aac1edd21045272f5fb40b33935edce8a3b40da30de751ca"),
    2: (
        (3572, 3573, 426, 9568, 1),
        "e0582455f2230db04178b6709ecc626b570416e2addae216068030fe917c00f6",
    ),
    5: (
        (3572, 3573, 1367, 29188, 1),
        "b7ea91f672f8facbc944971f05bb4562b7f88083b8364d09b780ee8b0ee4ac42",
    ),
    10: (
        (3558, 3573, 2560, 55669, 15),
        "373d8ab276386f567c628ebc345c5f9dcf6c255987cee098ff5b46aa9973deb9",
    ),
    40: (
        (3539, 3573, 3524, 81760, 34),
        "d3feede61e0c0d834519ef5d63cefddf0aba6a759fb18c814c21471e2f2b8de5",
    ),
}


@pytest.mark.parametrize("k", sorted(PINNED_PROFILES))
def test_the_export_of_generated_profiles_is_the_pinned_file(k):
    rows, counts = profiles(1500, seed=2026)
    export = ctdc.anonymise(rows, k, counts)
    body = ctdc.to_csv(export)
    assert (figures(export), sha(body)) == PINNED_PROFILES[k]
    assert written(export) == body.encode("utf-8")
    assert_k_anonymous(body, k)
    assert len(export.rows) + export.suppressed == export.consenting == sum(counts)


def test_the_search_numbers_groups_the_same_when_their_number_would_not_fit(monkeypatch):
    """Groups are numbered through a dict when one number for all a row's values would not fit
    in 64 bits: the same file."""
    rows, counts = profiles(1500, seed=2026)
    monkeypatch.setattr(ctdc._Tail, "LIMIT", 0)
    export = ctdc.anonymise(rows, 10, counts)
    assert (figures(export), sha(ctdc.to_csv(export))) == PINNED_PROFILES[10]


def test_repeated_rows_give_the_same_file_as_counts():
    rows, counts = profiles(300, seed=11)
    repeated = [row for row, n in zip(rows, counts, strict=True) for _ in range(n)]
    with_counts, without = ctdc.anonymise(rows, 5, counts), ctdc.anonymise(repeated, 5)
    assert figures(with_counts) == figures(without)
    assert ctdc.to_csv(with_counts) == ctdc.to_csv(without)


def test_the_rows_are_the_csvs_rows_as_dicts():
    rows, counts = profiles(300, seed=12)
    export = ctdc.anonymise(rows, 3, counts)
    body = list(csv.DictReader(io.StringIO(ctdc.to_csv(export))))
    assert len(body) == len(export.rows)
    assert [{c: str(v) for c, v in row.items()} for row in export.rows] == body
    assert all(list(row) == ctdc.COLUMNS for row in export.rows)
    as_list = list(export.rows)
    assert export.rows == as_list and export.rows[-1] == as_list[-1]
    assert (
        export.rows[5:9] == as_list[5:9]
        and export.rows[len(as_list) // 2] == as_list[len(as_list) // 2]
    )
    assert list(export.values()) == [tuple(row.values()) for row in as_list]


def population(org, n: int, seed: int) -> None:
    """`n` survivors made by the demo's synthetic machinery, registered on fixed dates (the
    export would otherwise change with today's date) and with means of control and recruiters
    (which the synthetic survivors lack); three in four consent, one in ten withdrew."""
    rng = random.Random(seed)
    survivors = []
    for survivor in synthetic.generate(rng, [org], {}, n):
        year = rng.randint(2022, 2025)
        survivor.created_at = datetime(year, rng.randint(1, 12), 3, tzinfo=UTC)
        age = max(9, min(60, int(rng.gauss(22, 7))))  # as the synthetic ages, from a fixed year
        survivor.year_of_birth = None if rng.random() < 0.1 else year - age
        if rng.random() < 0.3:
            survivor.means_of_control = _sample(rng, MeansOfControl.values, 2)
        if rng.random() < 0.4:
            survivor.recruiter_relation = rng.choice(RecruiterRelation.values)
        survivors.append(survivor)
    Survivor.objects.bulk_create(survivors)
    decisions = []
    for i, survivor in enumerate(survivors):
        if i % 4 == 3:
            continue
        decisions.append(
            Consent(
                survivor=survivor,
                purpose="anonymised_reporting",
                granted=True,
                method="written",
                recorded_at=at(date(2021, 1, 1)),
            )
        )
        if i % 10 == 1:
            decisions.append(
                Consent(
                    survivor=survivor,
                    purpose="anonymised_reporting",
                    granted=False,
                    method="written",
                    recorded_at=at(date(2021, 6, 1)),
                )
            )
    Consent.objects.bulk_create(decisions)


def cell_values(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return repr(
        [(name, list(workbook[name].iter_rows(values_only=True))) for name in workbook.sheetnames]
    )


# The export job's files for `population(org_a, 600, seed=5)` at k = 3 (AFTERCARE_CTDC_K):
# figures, SHA-256 of the CSV and of the workbook's cell values (with their types: -99 the
# number in a numeric column, "-99" the text in a text column), as the former implementation
# wrote them.
PINNED_FILES = (
    (418, 420, 405, 5803, 2),
    "640bafcdd047e72098a73e677c1deacddcbb5097c792586778e1102f7b773201",
    "da6fd169c9a84c2c18bdfefe447a55de95cdfbed1738dc67d0f257a5a14e915d",
)


@pytest.mark.django_db
def test_the_export_files_of_the_database_are_the_pinned_ones(coordinator, org_a, settings):
    settings.AFTERCARE_CTDC_K = 3
    population(org_a, 600, seed=5)
    actor = actor_for(coordinator, None)
    export = ctdc.build(scope_for(actor, NETWORK))
    csv_file = builders.ctdc_file(actor, {"scope": NETWORK}, "csv")
    workbook = builders.ctdc_file(actor, {"scope": NETWORK}, "xlsx")
    body = csv_file.as_bytes()
    assert body == ctdc.to_csv(export).encode("utf-8")
    assert csv_file.rows == workbook.rows == len(export.rows)
    assert (figures(export), sha(body), sha(cell_values(workbook.as_bytes()))) == PINNED_FILES
    assert_k_anonymous(body.decode("utf-8"), 3)
