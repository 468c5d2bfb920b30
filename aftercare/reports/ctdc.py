"""The anonymised export in the Counter Trafficking Data Collaborative's layout (docs: CTDC.md).

One row per survivor who consented to `anonymised_reporting`, with no identifier, case code,
organisation, region or date finer than a year. Then k-anonymity over every column: each
column can narrow a group for someone who knows a survivor, so a group is a set of identical
rows and each published row has at least k - 1 twins.

1. **Generalise, group by group.** Eight generalisation hierarchies (age: band, then only
   Adult/Minor, then nothing; recruiter; means of control; year; citizenship; country of
   exploitation; gender; exploitation) span a lattice of levels. Its nodes are visited from the
   least detail lost to the most; at each, the rows not yet published are recoded to it and
   every group of at least k identical rows is published there (local recoding, as ARX does
   it: one group keeps its age band while another gives up its country).
2. **Suppress.** Rows that reach k at no node are left out.

Missing and generalised values are CTDC's code -99: the number in a numeric column (flags,
year), the text in a text column, so that each column keeps one type in a workbook. Rows are
sorted by their values, so their order says nothing about when a case was opened. The companion
note says how many consenting survivors there were, how many rows and cells were generalised and
how many rows suppressed.

How it stays fast and small (issue 18, item 6; docs/BENCHMARKS.md, "CTDC export"): the database
counts the consenting survivors by profile; each profile is coded from parts computed once per
value (`coded`) into a tuple, and identical tuples are one distinct row with the sum of their
counts, which is all the search and the file need (identical rows move together). A row that
reaches k as recorded is published as it is; for the rest each hierarchy's values at each level
are numbered once, so a node's groups are found by adding numbers, not by recoding rows. The
writers write each distinct row's line once and repeat it.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
import math
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC
from operator import add, itemgetter, mul, not_

from django.conf import settings
from django.db.models import Count, TextField
from django.db.models.functions import Cast, ExtractYear

from aftercare.cases.care import survivors_with_consent
from aftercare.cases.models import (
    ConsentPurpose,
    ExploitationType,
    Gender,
    MeansOfControl,
    RecruiterRelation,
)
from aftercare.core.routers import on_replica, room_to_sort
from aftercare.core.stats import bands

COLUMNS = [
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "majorityStatusAtExploit",
    "majorityEntry",
    "citizenship",
    "meansOfControlDebtBondage",
    "meansOfControlTakesEarnings",
    "meansOfControlRestrictsFinancialAccess",
    "meansOfControlThreats",
    "meansOfControlPsychologicalAbuse",
    "meansOfControlPhysicalAbuse",
    "meansOfControlSexualAbuse",
    "meansOfControlFalsePromises",
    "meansOfControlPsychoactiveSubstances",
    "meansOfControlRestrictsMovement",
    "meansOfControlRestrictsMedicalCare",
    "meansOfControlExcessiveWorkingHours",
    "meansOfControlUsesChildren",
    "meansOfControlThreatOfLawEnforcement",
    "meansOfControlWithholdsNecessities",
    "meansOfControlWithholdsDocuments",
    "meansOfControlOther",
    "meansOfControlNotSpecified",
    "meansOfControlConcatenated",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "isSlaveryAndPractices",
    "typeOfExploitConcatenated",
    "typeOfLabourAgriculture",
    "typeOfLabourAquafarming",
    "typeOfLabourBegging",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfLabourIllicitActivities",
    "typeOfLabourManufacturing",
    "typeOfLabourMiningOrDrilling",
    "typeOfLabourPeddling",
    "typeOfLabourTransportation",
    "typeOfLabourOther",
    "typeOfLabourNotSpecified",
    "typeOfLabourConcatenated",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "typeOfSexRemoteInteractiveServices",
    "typeOfSexPrivateSexualServices",
    "typeOfSexConcatenated",
    "isAbduction",
    "RecruiterRelationship",
    "CountryOfExploitation",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
    "recruiterRelationUnknown",
]

MISSING = "-99"
DATASOURCE = "Case management"

GENDER = {
    Gender.WOMAN: "Female",
    Gender.MAN: "Male",
    Gender.TRANSGENDER: "Transgender/NonConforming",
    Gender.UNKNOWN: "Unknown",
}

# CTDC flag ← the Aftercare means of control that set it. Flags no Aftercare value sets are
# written 0 when means of control were recorded (we asked and it was not named) and -99 when not.
MEANS = {
    "meansOfControlDebtBondage": {MeansOfControl.DEBT_BONDAGE},
    "meansOfControlTakesEarnings": {MeansOfControl.TAKES_EARNINGS},
    "meansOfControlRestrictsFinancialAccess": set(),
    "meansOfControlThreats": {MeansOfControl.THREATS, MeansOfControl.THREATS_TO_FAMILY},
    "meansOfControlPsychologicalAbuse": set(),
    "meansOfControlPhysicalAbuse": {MeansOfControl.PHYSICAL_VIOLENCE},
    "meansOfControlSexualAbuse": {MeansOfControl.SEXUAL_VIOLENCE},
    "meansOfControlFalsePromises": {MeansOfControl.FALSE_PROMISES},
    "meansOfControlPsychoactiveSubstances": {MeansOfControl.PSYCHOACTIVE_SUBSTANCES},
    "meansOfControlRestrictsMovement": {MeansOfControl.RESTRICTS_MOVEMENT},
    "meansOfControlRestrictsMedicalCare": set(),
    "meansOfControlExcessiveWorkingHours": {MeansOfControl.EXCESSIVE_WORKING_HOURS},
    "meansOfControlUsesChildren": set(),
    "meansOfControlThreatOfLawEnforcement": set(),
    "meansOfControlWithholdsNecessities": {MeansOfControl.WITHHOLDS_NECESSITIES},
    "meansOfControlWithholdsDocuments": {MeansOfControl.WITHHOLDS_DOCUMENTS},
    "meansOfControlOther": {MeansOfControl.OTHER},
}
E = ExploitationType
EXPLOITATION = {
    "isForcedLabour": {E.LABOUR, E.DOMESTIC_SERVITUDE},
    "isSexualExploit": {E.SEXUAL},
    "isOtherExploit": {E.CRIMINAL, E.OTHER},
    "isForcedMarriage": {E.FORCED_MARRIAGE},
    "isForcedMilitary": set(),
    "isOrganRemoval": {E.ORGAN_REMOVAL},
    "isSlaveryAndPractices": set(),
}
LABOUR_SECTORS = [
    c
    for c in COLUMNS
    if c.startswith("typeOfLabour")
    and c not in ("typeOfLabourNotSpecified", "typeOfLabourConcatenated")
]
SEX_TYPES = [c for c in COLUMNS if c.startswith("typeOfSex") and c != "typeOfSexConcatenated"]
R = RecruiterRelation
RECRUITER = {
    R.INTIMATE_PARTNER: ("Intimate Partner", "recruiterRelationIntimatePartner"),
    R.FRIEND: ("Friend", "recruiterRelationFriend"),
    R.FAMILY: ("Family", "recruiterRelationFamily"),
    R.EMPLOYER: ("Other", "recruiterRelationOther"),
    R.STRANGER: ("Other", "recruiterRelationOther"),
    R.OTHER: ("Other", "recruiterRelationOther"),
    R.UNKNOWN: ("Unknown", "recruiterRelationUnknown"),
}
RECRUITER_FLAGS = [
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
    "recruiterRelationUnknown",
]
SOURCE_FIELDS = (
    "created_at",
    "gender",
    "year_of_birth",
    "nationality",
    "country_of_exploitation",
    "exploitation_types",
    "means_of_control",
    "recruiter_relation",
)


# The profile's lists, stored as JSON (read as text by `build`).
JSON_SOURCE_FIELDS = ("exploitation_types", "means_of_control")


@functools.cache
def _listed(text: str | None) -> frozenset:
    """A JSON list as the set of its values (None, JSON null and [] alike: none)."""
    return frozenset(json.loads(text) or ()) if text else frozenset()


def _flag(on: bool) -> int:
    return 1 if on else 0


def _concatenated(row: dict, names: Iterable[str]) -> str:
    return ";".join(name for name in names if row[name] == 1)


def _country(code: str) -> str:
    code = (code or "").strip().upper()
    return code if len(code) == 2 and code.isalpha() else MISSING


def _typed(row: dict, columns: Sequence[str]) -> tuple:
    """The values of `columns`, each column one type: a flag column's missing code is the
    number -99."""
    return tuple(
        MISSING_NUMBER if column in NUMERIC and row[column] == MISSING else row[column]
        for column in columns
    )


# A survivor's row is made of parts, each read from one or two of the profile's fields: the age
# from the year and the year of birth, the means of control from their set, and so on. Profiles
# share parts far more than they share rows, so each part is coded once per value (`_memoised`)
# and a row is the parts put together, a tuple in the order of COLUMNS.
MEANS_PART = tuple(
    COLUMNS[
        COLUMNS.index("meansOfControlDebtBondage") : COLUMNS.index("meansOfControlConcatenated") + 1
    ]
)
EXPLOITATION_PART = tuple(
    COLUMNS[COLUMNS.index("isForcedLabour") : COLUMNS.index("typeOfSexConcatenated") + 1]
)


def _memoised(function):
    """`function` of hashable arguments, computed once for each."""
    cache: dict = {}

    def once(*args):
        try:
            return cache[args]
        except KeyError:
            value = cache[args] = function(*args)
            return value

    once.cache = cache
    return once


@_memoised
def _age_part(year: int, year_of_birth: int | None) -> tuple:
    age = bands.age_in(year, year_of_birth)
    minor = age is not None and age < 18
    return (
        bands.age_band(age) or MISSING,
        MISSING if age is None else ("Minor" if minor else "Adult"),
        # Exploitation and entry came before registration: a minor then was a minor before.
        "Minor" if minor else MISSING,
        "Minor" if minor else MISSING,
    )


@_memoised
def _means_part(means: frozenset) -> tuple:
    row: dict = {}
    for column, values in MEANS.items():
        row[column] = _flag(bool(means & values)) if means else MISSING
    row["meansOfControlNotSpecified"] = _flag(not means)
    row["meansOfControlConcatenated"] = _concatenated(row, [*MEANS, "meansOfControlNotSpecified"])
    return _typed(row, MEANS_PART)


@_memoised
def _exploitation_part(kinds: frozenset) -> tuple:
    row: dict = {}
    labour = bool(kinds & EXPLOITATION["isForcedLabour"])
    for column, values in EXPLOITATION.items():
        row[column] = _flag(bool(kinds & values)) if kinds else MISSING
    row["isSexAndLabour"] = _flag(labour and E.SEXUAL in kinds) if kinds else MISSING
    ordered = [
        "isForcedLabour",
        "isSexualExploit",
        "isOtherExploit",
        "isSexAndLabour",
        "isForcedMarriage",
        "isForcedMilitary",
        "isOrganRemoval",
        "isSlaveryAndPractices",
    ]
    row["typeOfExploitConcatenated"] = _concatenated(row, ordered)

    # Aftercare records the sector only for domestic servitude; other labour is "not specified".
    domestic = E.DOMESTIC_SERVITUDE in kinds
    for column in LABOUR_SECTORS:
        if not kinds:
            row[column] = MISSING
        elif column == "typeOfLabourDomesticWork":
            row[column] = _flag(domestic)
        else:
            row[column] = MISSING if labour and (E.LABOUR in kinds) else 0
    row["typeOfLabourNotSpecified"] = (
        MISSING if not kinds else _flag(E.LABOUR in kinds and not domestic)
    )
    row["typeOfLabourConcatenated"] = _concatenated(
        row, [*LABOUR_SECTORS, "typeOfLabourNotSpecified"]
    )
    for column in SEX_TYPES:
        row[column] = (
            MISSING if not kinds or E.SEXUAL in kinds else 0
        )  # the form of sexual exploitation is not recorded
    row["typeOfSexConcatenated"] = _concatenated(row, SEX_TYPES)
    return _typed(row, EXPLOITATION_PART)


@_memoised
def _recruiter_part(relation: str) -> tuple[str, tuple]:
    """RecruiterRelationship, and the recruiter flags (CountryOfExploitation comes between)."""
    coded = RECRUITER.get(relation)
    flags = {column: _flag(coded[1] == column) if coded else MISSING for column in RECRUITER_FLAGS}
    return (coded[0] if coded else MISSING), _typed(flags, RECRUITER_FLAGS)


_country_part = _memoised(_country)


def coded(
    year: int,
    gender: str,
    year_of_birth: int | None,
    nationality: str,
    country_of_exploitation: str,
    exploitation_types,
    means_of_control,
    recruiter_relation: str,
) -> tuple:
    """One survivor's profile in CTDC's columns and coding: the values in the order of COLUMNS."""
    relation, flags = _recruiter_part(recruiter_relation)
    return (
        year,
        DATASOURCE,
        GENDER.get(gender, "Unknown"),
        *_age_part(year, year_of_birth),
        _country_part(nationality),
        *_means_part(frozenset(means_of_control or ())),
        *_exploitation_part(frozenset(exploitation_types or ())),
        MISSING_NUMBER,  # isAbduction: not recorded in Aftercare
        relation,
        _country_part(country_of_exploitation),
        *flags,
    )


def ctdc_row(source: dict) -> dict:
    """One survivor's profile (the `SOURCE_FIELDS` values) in CTDC's columns and coding."""
    year = source["year"] if "year" in source else source["created_at"].year
    return dict(
        zip(
            COLUMNS,
            coded(
                year,
                source["gender"],
                source["year_of_birth"],
                source["nationality"],
                source["country_of_exploitation"],
                source["exploitation_types"],
                source["means_of_control"],
                source["recruiter_relation"],
            ),
            strict=True,
        )
    )


# Every column can narrow a group: an adversary who knows a survivor's age, gender, nationality,
# year, exploitation, means of control or recruiter can look for them in any of them. So the
# quasi-identifiers are all the columns, and a group is a set of identical rows.
QUASI_IDENTIFIERS = tuple(COLUMNS)
NUMERIC = {
    "yearOfRegistration",
    *(
        c
        for c in COLUMNS
        if c.startswith(("meansOfControl", "is", "typeOf", "recruiterRelation"))
        and not c.endswith("Concatenated")
    ),
}
MISSING_NUMBER = -99
EXPLOITATION_COLUMNS = [c for c in COLUMNS if c.startswith(("is", "typeOf")) and c != "isAbduction"]
MEANS_COLUMNS = [c for c in COLUMNS if c.startswith("meansOfControl")]
RECRUITER_COLUMNS = ["RecruiterRelationship", *RECRUITER_FLAGS]


def _missing(column: str):
    return MISSING_NUMBER if column in NUMERIC else MISSING


def _blank(row: dict, columns) -> None:
    for column in columns:
        row[column] = _missing(column)


def _age(row: dict, level: int) -> None:
    if level >= 1:
        row["ageBroad"] = MISSING  # majorityStatus (Adult/Minor) stays: the coarser step of the age
    if level >= 2:
        _blank(row, ("majorityStatus", "majorityStatusAtExploit", "majorityEntry"))


def _means(row: dict, level: int) -> None:
    if level:  # as if not recorded
        _blank(row, MEANS_COLUMNS)
        row["meansOfControlNotSpecified"] = 1
        row["meansOfControlConcatenated"] = "meansOfControlNotSpecified"


def _exploitation(row: dict, level: int) -> None:
    if level:
        _blank(row, EXPLOITATION_COLUMNS)
        for column in EXPLOITATION_COLUMNS:
            if column.endswith("Concatenated"):
                row[column] = ""


def _one(column: str):
    def generalise(row: dict, level: int) -> None:
        if level:
            row[column] = _missing(column)

    return generalise


@dataclass(frozen=True)
class Hierarchy:
    """A generalisation hierarchy: level 0 is the value as recorded, the last is nothing left.
    `weights[level]` is the detail a researcher loses at that level."""

    name: str
    columns: tuple[str, ...]  # the columns it recodes, and no other hierarchy does
    apply: object
    weights: tuple[int, ...]


# The generalisation hierarchies of the lattice, and what each step costs a researcher.
HIERARCHIES = (
    Hierarchy(
        "age",
        ("ageBroad", "majorityStatus", "majorityStatusAtExploit", "majorityEntry"),
        _age,
        (0, 1, 3),
    ),
    Hierarchy(
        "recruiter",
        tuple(RECRUITER_COLUMNS),
        lambda row, level: level and _blank(row, RECRUITER_COLUMNS),
        (0, 1),
    ),
    Hierarchy("means of control", tuple(MEANS_COLUMNS), _means, (0, 2)),
    Hierarchy("year", ("yearOfRegistration",), _one("yearOfRegistration"), (0, 2)),
    Hierarchy("citizenship", ("citizenship",), _one("citizenship"), (0, 2)),
    Hierarchy(
        "country of exploitation", ("CountryOfExploitation",), _one("CountryOfExploitation"), (0, 2)
    ),
    Hierarchy("gender", ("gender",), _one("gender"), (0, 3)),
    Hierarchy("exploitation", tuple(EXPLOITATION_COLUMNS), _exploitation, (0, 4)),
)
UNRECODED = tuple(c for c in COLUMNS if not any(c in h.columns for h in HIERARCHIES))


def _level_values(row: dict, hierarchy: Hierarchy, level: int) -> tuple:
    recoded = dict(row)
    if level:
        hierarchy.apply(recoded, level)
    return tuple(recoded.get(c) for c in hierarchy.columns)


def lattice() -> list[tuple[int, ...]]:
    """Every combination of levels but the bottom (as recorded, tried first on its own) and the
    top (a row with nothing left), least detail lost first."""
    nodes = list(itertools.product(*(range(len(h.weights)) for h in HIERARCHIES)))
    nodes.remove(tuple(len(h.weights) - 1 for h in HIERARCHIES))
    nodes.remove(tuple(0 for _h in HIERARCHIES))
    return sorted(nodes, key=lambda node: (loss(node), sum(1 for level in node if level), node))


def loss(node: tuple[int, ...]) -> int:
    return sum(h.weights[level] for h, level in zip(HIERARCHIES, node, strict=True))


def generalise(row: dict, node: tuple[int, ...]) -> dict:
    out = dict(row)
    for hierarchy, level in zip(HIERARCHIES, node, strict=True):
        if level:
            hierarchy.apply(out, level)
    return out


class Rows(Sequence):
    """The published rows as dicts (column to value), one per survivor, in the file's order:
    made as they are read from the distinct rows, never all held."""

    def __init__(self, published: list[tuple[tuple, int]]):
        self._published = published
        self._ends = list(itertools.accumulate(n for _row, n in published))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return dict(zip(COLUMNS, self._published[bisect_right(self._ends, index)][0], strict=True))

    def __iter__(self) -> Iterator[dict]:
        for row, n in self._published:
            as_dict = dict(zip(COLUMNS, row, strict=True))
            for _copy in range(n):
                yield as_dict

    def __eq__(self, other) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


@dataclass
class Export:
    """`published`: each distinct published row (its values in the order of COLUMNS) with how
    many survivors it stands for, in the file's order. `rows` reads them one per survivor."""

    published: list[tuple[tuple, int]]
    k: int
    consenting: int
    generalised: int
    suppressed: int
    cells_generalised: int = 0

    @functools.cached_property
    def rows(self) -> Rows:
        return Rows(self.published)

    def values(self) -> Iterator[tuple]:
        """The rows as tuples in the order of COLUMNS, one per survivor, for a writer."""
        for row, n in self.published:
            yield from itertools.repeat(row, n)

    def note(self) -> str:
        return (
            f"CTDC anonymised export, k = {self.k}. Survivors who consented to anonymised "
            f"reporting: {self.consenting}. Rows published: {len(self.rows)}. Rows with "
            f"some values generalised to -99: {self.generalised} ({self.cells_generalised} "
            f"cells). Rows suppressed: {self.suppressed}. Quasi-identifiers: every column; "
            f"every published row is identical to at least {self.k - 1} others. "
            "Generalisation is chosen group by group (a search over the generalisation "
            f"lattice of {', '.join(h.name for h in HIERARCHIES)}), least detail lost first."
        )


def anonymise(rows: Iterable[dict | tuple], k: int, counts: Sequence[int] | None = None) -> Export:
    """Local recoding over the generalisation lattice, then suppression.

    The nodes of the lattice (one level per hierarchy) are visited from the least detail lost to
    the most. At each node the rows not yet published are generalised to it and grouped by their
    whole row; every group of at least k identical rows is published at that node. The rest go
    on to the next node, where they may reach k with others. A group is so generalised only as
    far as it must be, group by group. Rows that reach k at no node are suppressed. Every
    published row is then identical (in all columns) to at least k - 1 others.

    A row is a dict of column to value, or a tuple of the values in the order of COLUMNS.
    `counts[i]`, when given, says how many survivors share row i (identical rows always move
    together through the lattice, so each distinct row is searched once with the sum of its
    counts; the result is the same as for the rows repeated, which `Export.rows` reads).
    """
    distinct: dict[tuple, int] = {}
    given = counts is not None
    for row, n in zip(rows, counts if given else itertools.repeat(1), strict=given):
        values = row if isinstance(row, tuple) else _values(row)
        distinct[values] = distinct.get(values, 0) + n
    return _search(distinct, k)


_ALL_COLUMNS = itemgetter(*COLUMNS)


def _values(row: dict) -> tuple:
    try:
        return _ALL_COLUMNS(row)
    except KeyError:
        return tuple(row.get(c) for c in COLUMNS)


def _take(columns: Sequence[int]):
    """The values of `columns` of a row, as a tuple."""
    if len(columns) == 1:
        (column,) = columns
        return lambda row: (row[column],)
    return itemgetter(*columns)


def _gather(values: Sequence, indices: Sequence[int]) -> Sequence:
    """values[i] for each i of `indices`, in C."""
    if len(indices) == 1:
        return (values[indices[0]],)
    return itemgetter(*indices)(values)


class _Tail:
    """The distinct rows that do not reach k as recorded, ready for the search: for each
    hierarchy and level each row's values as a small number (the same values, the same
    number), computed once, and for each combination of levels of the first and of the other
    hierarchies a number per row that stands for all of them together (`half`). A node's group
    of a row is then the pair of its two halves' numbers, made one (`keys`): two lookups per
    row and node instead of recoding 63 values.

    The numbers of a row's values are digits of one number in a mixed radix (as many values
    as a hierarchy has as recorded), so a half is a sum, made in C; when that number would not
    fit in 64 bits, the halves are numbered through a dict instead."""

    SPLIT = 4  # age, recruiter, means of control, year | the other four
    LIMIT = 2**62  # the largest number of a row's values that a half may hold

    def __init__(self, rows: list[tuple]):
        self.rows = rows
        position = {c: i for i, c in enumerate(COLUMNS)}
        fixed = _take([position[c] for c in UNRECODED])
        numbers: dict[tuple, int] = {}
        self.fixed = [numbers.setdefault(fixed(row), len(numbers)) for row in rows]
        # levels[h][level][i]: the number of row i's values in hierarchy h at that level;
        # outcome[h][level][j]: the values and the cells changed, for level-0 values number j.
        self.columns = [[position[c] for c in h.columns] for h in HIERARCHIES]
        self.levels: list[list[list[int]]] = []
        self.outcome: list[list[list[tuple[tuple, int]]]] = []
        for hierarchy, columns in zip(HIERARCHIES, self.columns, strict=True):
            take = _take(columns)
            own: dict[tuple, int] = {}
            recorded = [own.setdefault(take(row), len(own)) for row in rows]
            levels, outcome = [recorded], [[(values, 0) for values in own]]
            for level in range(1, len(hierarchy.weights)):
                ids: dict[tuple, int] = {}
                by_recorded, recoded = [], []
                for values in own:
                    at_level = _level_values(
                        dict(zip(hierarchy.columns, values, strict=True)), hierarchy, level
                    )
                    by_recorded.append(ids.setdefault(at_level, len(ids)))
                    changed = sum(1 for a, b in zip(at_level, values, strict=True) if a != b)
                    recoded.append((at_level, changed))
                levels.append(_gather(by_recorded, recorded) if recorded else ())
                outcome.append(recoded)
            self.levels.append(levels)
            self.outcome.append(outcome)
        self.halves: dict[tuple[int, tuple[int, ...]], array] = {}
        self.recorded = [levels[0] for levels in self.levels]
        # The place value of each hierarchy's digit, the columns no hierarchy recodes first.
        radix = [len(numbers)] + [len(outcome[0]) for outcome in self.outcome]
        self.scale = [math.prod(radix[h + 1 :]) for h in range(len(radix))]
        self.arithmetic = math.prod(radix) < self.LIMIT

    def half(self, which: int, levels: tuple[int, ...]) -> array:
        """A number per row for its values in the half's hierarchies at `levels` (the first half
        with the columns no hierarchy recodes), made on first use."""
        try:
            return self.halves[which, levels]
        except KeyError:
            pass
        start = 0 if which == 0 else self.SPLIT
        columns = [self.fixed] if which == 0 else []
        columns += [self.levels[start + h][level] for h, level in enumerate(levels)]
        if self.arithmetic:
            scales = self.scale[:1] if which == 0 else []
            scales += self.scale[1 + start : 1 + start + len(levels)]
            digits = [
                map(mul, column, itertools.repeat(scale))
                for column, scale in zip(columns, scales, strict=True)
            ]
            numbers = array("q", functools.reduce(lambda a, b: map(add, a, b), digits))
        else:
            ids: dict[tuple, int] = {}
            keys = zip(*columns, strict=True)
            numbers = array("q", (ids.setdefault(key, len(ids)) for key in keys))
        self.halves[which, levels] = numbers
        return numbers

    def keys(self, node: tuple[int, ...], members: list[int]) -> list[int]:
        """Each member's group at `node`, as one number."""
        first = _gather(self.half(0, node[: self.SPLIT]), members)
        second = _gather(self.half(1, node[self.SPLIT :]), members)
        if self.arithmetic:
            return list(map(add, first, second))
        return list(map(add, map(mul, first, itertools.repeat(len(self.rows))), second))

    def generalised(self, i: int, node: tuple[int, ...]) -> tuple[tuple, int]:
        """Row i at `node`, and how many of its cells that changed."""
        row, cells = list(self.rows[i]), 0
        for h, level in enumerate(node):
            if level:
                values, changed = self.outcome[h][level][self.recorded[h][i]]
                for column, value in zip(self.columns[h], values, strict=True):
                    row[column] = value
                cells += changed
        return tuple(row), cells


def _totals(keys: Sequence[int], weights: Sequence[int], total: int) -> dict[int, int]:
    """Each key's sum of weights (`total` in all). Rows in the search weigh less than k each,
    so when the keys repeated by their weights are not many more than the rows, Counter
    counts them in C; else a loop over the rows adds them up."""
    if total <= 4 * len(keys):
        return Counter(itertools.chain.from_iterable(map(itertools.repeat, keys, weights)))
    totals: dict[int, int] = {}
    get = totals.get
    for key, n in zip(keys, weights, strict=True):
        totals[key] = get(key, 0) + n
    return totals


def _search(distinct: dict[tuple, int], k: int) -> Export:
    """`anonymise` over distinct rows with their counts. As recorded (the bottom of the
    lattice), a group of identical rows is one distinct row: it is published if its count
    reaches k. The rest (the tail) is searched node by node."""
    published: dict[tuple, int] = {}
    consenting = generalised = cells_generalised = 0
    tail, weight = [], []
    for row, n in distinct.items():
        consenting += n
        if n >= k or k <= 1:
            published[row] = published.get(row, 0) + n
        else:
            tail.append(row)
            weight.append(n)
    left = sum(weight)
    if left >= k:
        search = _Tail(tail)
        remaining = list(range(len(tail)))
        for node in lattice():
            if left < k:
                break
            keys = search.keys(node, remaining)
            totals = _totals(keys, _gather(weight, remaining), left)
            if max(totals.values()) < k:
                continue
            reached = set(itertools.compress(totals.keys(), map(k.__le__, totals.values())))
            hit = list(map(reached.__contains__, keys))
            taken = list(itertools.compress(remaining, hit))
            remaining = list(itertools.compress(remaining, map(not_, hit)))
            for i in taken:
                n = weight[i]
                row, cells = search.generalised(i, node)
                published[row] = published.get(row, 0) + n
                left -= n
                if cells:
                    generalised += n
                    cells_generalised += n * cells
    ordered = sorted(published.items(), key=lambda pair: tuple(map(str, pair[0])))
    return Export(
        published=ordered,
        k=k,
        consenting=consenting,
        generalised=generalised,
        suppressed=consenting - sum(published.values()),
        cells_generalised=cells_generalised,
    )


def profiles(scope):
    """The consenting survivors of `scope` grouped by profile, counted: rows of `coded`'s
    arguments with the two lists as their JSON text, then the count. Read them inside
    `room_to_sort`."""
    consenting = survivors_with_consent(scope.survivors(), ConsentPurpose.ANONYMISED_REPORTING)
    # One row per profile with how many survivors share it, grouped by the database: the export
    # needs only the registration year of `created_at`, and many survivors share a profile, so a
    # worker holds one row per profile instead of one per survivor (issue 18, docs/BENCHMARKS.md).
    # Profiles that differ in what the export does not show (the year of birth within an age
    # band, a country code's case) are then one distinct row with the sum of their counts.
    # The two lists are read as their JSON text and each distinct text decoded once: decoding
    # them row by row (Django's JSONField) was a quarter of the build at 100,000 survivors.
    as_text = {f"{name}_text": Cast(name, TextField()) for name in JSON_SOURCE_FIELDS}
    fields = [
        f"{f}_text" if f in JSON_SOURCE_FIELDS else f for f in SOURCE_FIELDS if f != "created_at"
    ]
    return (
        consenting.order_by()
        .annotate(year=ExtractYear("created_at", tzinfo=UTC), **as_text)
        .values("year", *fields)
        .annotate(n=Count("pk"))
        .values_list("year", *fields, "n")
    )


@on_replica
def build(scope, k: int | None = None) -> Export:
    """The export for a reporting scope: only survivors whose newest decision grants anonymised
    reporting."""
    k = settings.AFTERCARE_CTDC_K if k is None else k
    distinct: dict[tuple, int] = {}
    rows = profiles(scope)
    with room_to_sort(rows.db):
        for *head, kinds, means, recruiter, n in rows.iterator(chunk_size=2000):
            row = coded(*head, _listed(kinds), _listed(means), recruiter)
            distinct[row] = distinct.get(row, 0) + n
    return _search(distinct, max(1, k))


def _lines(export: Export) -> Iterator[tuple[str, int]]:
    """Each distinct row's CSV line (as csv.DictWriter writes it), with its count."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    for row, n in export.published:
        writer.writerow(row)
        yield text.getvalue(), n
        text.seek(0)
        text.truncate()


def _header() -> str:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerow(COLUMNS)
    return text.getvalue()


def to_csv(export: Export) -> str:
    return _header() + "".join(line * n for line, n in _lines(export))


def write_csv(export: Export, out, block: int = 2000) -> None:
    """The same CSV, UTF-8, to a binary file (a sealed export's) at most `block` rows at a time:
    each distinct row is written out once and repeated."""
    out.write(_header().encode("utf-8"))
    for line, n in _lines(export):
        data = line.encode("utf-8")
        full, rest = divmod(n, block)
        if full:
            chunk = data * block
            for _block in range(full):
                out.write(chunk)
        if rest:
            out.write(data * rest)
