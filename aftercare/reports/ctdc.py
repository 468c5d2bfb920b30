"""The anonymised export in the Counter Trafficking Data Collaborative's layout (../shared/CTDC.md).

One row per survivor who consented to `anonymised_reporting`, with no identifier, case code,
organisation, region or date finer than a year. Then k-anonymity over the quasi-identifiers
(gender, ageBroad, citizenship, CountryOfExploitation, yearOfRegistration and the exploitation
type, `typeOfExploitConcatenated`):

1. **Generalise.** Rows whose combination is shared by fewer than k rows have their
   quasi-identifiers recoded to CTDC's missing code `-99`, one at a time in `GENERALISE`
   order (ageBroad, then CountryOfExploitation, then citizenship). After each step every row
   is counted again; a combination that reaches k rows is kept whole. A combination that has
   reached k only ever gains rows, so it stays at k or more.
2. **Suppress.** Rows still in a combination of fewer than k rows are left out.

Rows are sorted by their values, so their order says nothing about when a case was opened.
The companion note says how many consenting survivors there were, how many rows were
generalised and how many suppressed.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings

from aftercare.cases.care import survivors_with_consent
from aftercare.cases.models import (
    ConsentPurpose,
    ExploitationType,
    Gender,
    MeansOfControl,
    RecruiterRelation,
)
from aftercare.core.routers import on_replica
from aftercare.reports import bands

COLUMNS = ["yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatus", "majorityStatusAtExploit", "majorityEntry", "citizenship", "meansOfControlDebtBondage", "meansOfControlTakesEarnings", "meansOfControlRestrictsFinancialAccess", "meansOfControlThreats", "meansOfControlPsychologicalAbuse", "meansOfControlPhysicalAbuse", "meansOfControlSexualAbuse", "meansOfControlFalsePromises", "meansOfControlPsychoactiveSubstances", "meansOfControlRestrictsMovement", "meansOfControlRestrictsMedicalCare", "meansOfControlExcessiveWorkingHours", "meansOfControlUsesChildren", "meansOfControlThreatOfLawEnforcement", "meansOfControlWithholdsNecessities", "meansOfControlWithholdsDocuments", "meansOfControlOther", "meansOfControlNotSpecified", "meansOfControlConcatenated", "isForcedLabour", "isSexualExploit", "isOtherExploit", "isSexAndLabour", "isForcedMarriage", "isForcedMilitary", "isOrganRemoval", "isSlaveryAndPractices", "typeOfExploitConcatenated", "typeOfLabourAgriculture", "typeOfLabourAquafarming", "typeOfLabourBegging", "typeOfLabourConstruction", "typeOfLabourDomesticWork", "typeOfLabourHospitality", "typeOfLabourIllicitActivities", "typeOfLabourManufacturing", "typeOfLabourMiningOrDrilling", "typeOfLabourPeddling", "typeOfLabourTransportation", "typeOfLabourOther", "typeOfLabourNotSpecified", "typeOfLabourConcatenated", "typeOfSexProstitution", "typeOfSexPornography", "typeOfSexRemoteInteractiveServices", "typeOfSexPrivateSexualServices", "typeOfSexConcatenated", "isAbduction", "RecruiterRelationship", "CountryOfExploitation", "recruiterRelationIntimatePartner", "recruiterRelationFriend", "recruiterRelationFamily", "recruiterRelationOther", "recruiterRelationUnknown"]

MISSING = "-99"
DATASOURCE = "Case management"
QUASI_IDENTIFIERS = ("gender", "ageBroad", "citizenship", "CountryOfExploitation", "yearOfRegistration", "typeOfExploitConcatenated")
GENERALISE = ("ageBroad", "CountryOfExploitation", "citizenship")

GENDER = {Gender.WOMAN: "Female", Gender.MAN: "Male", Gender.TRANSGENDER: "Transgender/NonConforming", Gender.UNKNOWN: "Unknown"}

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
LABOUR_SECTORS = [c for c in COLUMNS if c.startswith("typeOfLabour") and c not in ("typeOfLabourNotSpecified", "typeOfLabourConcatenated")]
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
RECRUITER_FLAGS = ["recruiterRelationIntimatePartner", "recruiterRelationFriend", "recruiterRelationFamily",
                   "recruiterRelationOther", "recruiterRelationUnknown"]
SOURCE_FIELDS = ("created_at", "gender", "year_of_birth", "nationality", "country_of_exploitation",
                 "exploitation_types", "means_of_control", "recruiter_relation")


def _flag(on: bool) -> int:
    return 1 if on else 0


def _concatenated(row: dict, names: Iterable[str]) -> str:
    return ";".join(name for name in names if row[name] == 1)


def _country(code: str) -> str:
    code = (code or "").strip().upper()
    return code if len(code) == 2 and code.isalpha() else MISSING


def ctdc_row(source: dict) -> dict:
    """One survivor's profile (the `SOURCE_FIELDS` values) in CTDC's columns and coding."""
    year = source["created_at"].year
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
    ordered = ["isForcedLabour", "isSexualExploit", "isOtherExploit", "isSexAndLabour", "isForcedMarriage",
               "isForcedMilitary", "isOrganRemoval", "isSlaveryAndPractices"]
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
    row["typeOfLabourNotSpecified"] = MISSING if not kinds else _flag(E.LABOUR in kinds and not domestic)
    row["typeOfLabourConcatenated"] = _concatenated(row, [*LABOUR_SECTORS, "typeOfLabourNotSpecified"])
    for column in SEX_TYPES:
        row[column] = MISSING if not kinds or E.SEXUAL in kinds else 0  # the form of sexual exploitation is not recorded
    row["typeOfSexConcatenated"] = _concatenated(row, SEX_TYPES)

    row["isAbduction"] = MISSING  # not recorded in Aftercare
    relation = RECRUITER.get(source["recruiter_relation"])
    row["RecruiterRelationship"] = relation[0] if relation else MISSING
    row["CountryOfExploitation"] = _country(source["country_of_exploitation"])
    for column in RECRUITER_FLAGS:
        row[column] = _flag(relation[1] == column) if relation else MISSING
    return {column: row[column] for column in COLUMNS}


@dataclass
class Export:
    rows: list[dict]
    k: int
    consenting: int
    generalised: int
    suppressed: int

    def note(self) -> str:
        return (
            f"CTDC anonymised export, k = {self.k}. Survivors who consented to anonymised reporting: "
            f"{self.consenting}. Rows published: {len(self.rows)}. Rows with a quasi-identifier generalised to "
            f"-99: {self.generalised}. Rows suppressed: {self.suppressed}. Quasi-identifiers: "
            f"{', '.join(QUASI_IDENTIFIERS)}; every combination of them occurs at least {self.k} times."
        )


def key(row: dict) -> tuple:
    return tuple(str(row[name]) for name in QUASI_IDENTIFIERS)


def anonymise(rows: Sequence[dict], k: int) -> Export:
    """Generalise, then suppress, until every quasi-identifier combination has at least k rows."""
    rows = [dict(row) for row in rows]
    generalised: set[int] = set()
    for step in range(len(GENERALISE) + 1):
        sizes = Counter(key(row) for row in rows)
        small = [i for i, row in enumerate(rows) if sizes[key(row)] < k]
        if not small or step == len(GENERALISE):
            break
        for i in small:
            if rows[i][GENERALISE[step]] != MISSING:
                rows[i][GENERALISE[step]] = MISSING
                generalised.add(i)
    sizes = Counter(key(row) for row in rows)
    kept = [i for i, row in enumerate(rows) if sizes[key(row)] >= k]
    published = sorted((rows[i] for i in kept), key=lambda row: tuple(str(row.get(c, "")) for c in COLUMNS))
    return Export(
        rows=published, k=k, consenting=len(rows),
        generalised=len(generalised & set(kept)), suppressed=len(rows) - len(kept),
    )


@on_replica
def build(scope, k: int | None = None) -> Export:
    """The export for a reporting scope: only survivors whose newest decision grants anonymised reporting."""
    k = settings.AFTERCARE_CTDC_K if k is None else k
    consenting = survivors_with_consent(scope.survivors(), ConsentPurpose.ANONYMISED_REPORTING)
    rows = [ctdc_row(source) for source in consenting.values(*SOURCE_FIELDS).order_by().iterator(chunk_size=2000)]
    return anonymise(rows, max(1, k))


def to_csv(export: Export) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(export.rows)
    return out.getvalue()
