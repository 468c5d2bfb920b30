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
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import ExtractYear

from aftercare.cases.care import survivors_with_consent
from aftercare.cases.models import (
    ConsentPurpose,
    ExploitationType,
    Gender,
    MeansOfControl,
    RecruiterRelation,
)
from aftercare.core.routers import on_replica
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


def _flag(on: bool) -> int:
    return 1 if on else 0


def _concatenated(row: dict, names: Iterable[str]) -> str:
    return ";".join(name for name in names if row[name] == 1)


def _country(code: str) -> str:
    code = (code or "").strip().upper()
    return code if len(code) == 2 and code.isalpha() else MISSING


def ctdc_row(source: dict) -> dict:
    """One survivor's profile (the `SOURCE_FIELDS` values) in CTDC's columns and coding."""
    year = source["year"] if "year" in source else source["created_at"].year
    age = bands.age_in(year, source["year_of_birth"])
    minor = age is not None and age < 18
    row: dict = {
        "yearOfRegistration": year,
        "Datasource": DATASOURCE,
        "gender": GENDER.get(source["gender"], "Unknown"),
        "ageBroad": bands.age_band(age) or MISSING,
        "majorityStatus": MISSING if age is None else ("Minor" if minor else "Adult"),
        # Exploitation and entry came before registration: a minor then was a minor before.
        "majorityStatusAtExploit": "Minor" if minor else MISSING,
        "majorityEntry": "Minor" if minor else MISSING,
        "citizenship": _country(source["nationality"]),
    }
    means = set(source["means_of_control"] or [])
    for column, values in MEANS.items():
        row[column] = _flag(bool(means & values)) if means else MISSING
    row["meansOfControlNotSpecified"] = _flag(not means)
    row["meansOfControlConcatenated"] = _concatenated(row, [*MEANS, "meansOfControlNotSpecified"])

    kinds = set(source["exploitation_types"] or [])
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

    row["isAbduction"] = MISSING  # not recorded in Aftercare
    relation = RECRUITER.get(source["recruiter_relation"])
    row["RecruiterRelationship"] = relation[0] if relation else MISSING
    row["CountryOfExploitation"] = _country(source["country_of_exploitation"])
    for column in RECRUITER_FLAGS:
        row[column] = _flag(relation[1] == column) if relation else MISSING
    # One type per column: a flag column holds numbers, so its missing code is the number -99.
    return {
        column: MISSING_NUMBER if column in NUMERIC and row[column] == MISSING else row[column]
        for column in COLUMNS
    }


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


@dataclass
class Export:
    rows: list[dict]
    k: int
    consenting: int
    generalised: int
    suppressed: int
    cells_generalised: int = 0

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


def anonymise(rows: Sequence[dict], k: int, counts: Sequence[int] | None = None) -> Export:
    """Local recoding over the generalisation lattice, then suppression.

    The nodes of the lattice (one level per hierarchy) are visited from the least detail lost to
    the most. At each node the rows not yet published are generalised to it and grouped by their
    whole row; every group of at least k identical rows is published at that node. The rest go
    on to the next node, where they may reach k with others. A group is so generalised only as
    far as it must be, group by group. Rows that reach k at no node are suppressed. Every
    published row is then identical (in all columns) to at least k - 1 others.

    `counts[i]`, when given, says how many survivors share row i (identical rows always move
    together, so `build` passes each profile once with its count; the result is the same as for
    the rows repeated, which `Export.rows` holds).
    """
    weight = counts if counts is not None else [1] * len(rows)
    # Each row's values for each hierarchy at each of its levels, computed once: a node's key is
    # then a tuple of these pieces, one per hierarchy, with the columns no hierarchy recodes.
    # Each piece is numbered (interned), so that grouping hashes small tuples of integers.
    numbers: dict[tuple, int] = {}
    pieces = [
        [
            tuple(
                numbers.setdefault((h, _level_values(row, hierarchy, level)), len(numbers))
                for level in range(len(hierarchy.weights))
            )
            for h, hierarchy in enumerate(HIERARCHIES)
        ]
        for row in rows
    ]
    fixed = [
        numbers.setdefault(("fixed", tuple(row.get(c) for c in UNRECODED)), len(numbers))
        for row in rows
    ]
    remaining = list(range(len(rows)))
    chosen: list[tuple[int, tuple[int, ...]]] = []
    bottom = tuple(0 for _h in HIERARCHIES)
    if k <= 1:
        chosen, remaining = [(i, bottom) for i in remaining], []
    for node in [bottom, *lattice()] if remaining else []:
        groups: dict[tuple, list[int]] = defaultdict(list)
        for i in remaining:
            groups[(fixed[i], *(pieces[i][h][level] for h, level in enumerate(node)))].append(i)
        taken = set()
        for members in groups.values():
            if sum(weight[i] for i in members) >= k:
                chosen.extend((i, node) for i in members)
                taken.update(members)
        remaining = [i for i in remaining if i not in taken]
        if sum(weight[i] for i in remaining) < k:
            break
    published = [(i, generalise(rows[i], node)) for i, node in chosen]
    changed = [
        (weight[i], sum(1 for c, v in row.items() if v != rows[i].get(c))) for i, row in published
    ]
    ordered = sorted(
        ((row, weight[i]) for i, row in published),
        key=lambda pair: tuple(str(pair[0].get(c, "")) for c in COLUMNS),
    )
    consenting = sum(weight)
    publishing = sum(n for n, _cells in changed)
    return Export(
        rows=[row for row, n in ordered for _copy in range(n)],
        k=k,
        consenting=consenting,
        generalised=sum(n for n, cells in changed if cells),
        suppressed=consenting - publishing,
        cells_generalised=sum(n * cells for n, cells in changed),
    )


@on_replica
def build(scope, k: int | None = None) -> Export:
    """The export for a reporting scope: only survivors whose newest decision grants anonymised
    reporting."""
    k = settings.AFTERCARE_CTDC_K if k is None else k
    consenting = survivors_with_consent(scope.survivors(), ConsentPurpose.ANONYMISED_REPORTING)
    # One row per profile with how many survivors share it, grouped by the database: the export
    # needs only the registration year of `created_at`, and many survivors share a profile, so a
    # worker holds one row per profile instead of one per survivor (issue 18, docs/BENCHMARKS.md).
    profiles = (
        consenting.order_by()
        .annotate(year=ExtractYear("created_at", tzinfo=UTC))
        .values("year", *(f for f in SOURCE_FIELDS if f != "created_at"))
        .annotate(n=Count("pk"))
    )
    rows, counts = [], []
    for profile in profiles.iterator(chunk_size=2000):
        counts.append(profile.pop("n"))
        rows.append(ctdc_row(profile))
    return anonymise(rows, max(1, k), counts)


def to_csv(export: Export) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(export.rows)
    return out.getvalue()


def write_csv(export: Export, out, block: int = 2000) -> None:
    """The same CSV, UTF-8, to a binary file (a sealed export's) a block of rows at a time."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for start in range(0, len(export.rows), block):
        writer.writerows(export.rows[start : start + block])
        out.write(text.getvalue().encode("utf-8"))
        text.seek(0)
        text.truncate()
    out.write(text.getvalue().encode("utf-8"))
