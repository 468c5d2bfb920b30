"""The CTDC anonymised export: the layout of docs/CTDC.md column for column, its coding,
consent, k-anonymity on generated data, and no identifier anywhere in the file."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from datetime import date

import pytest

from aftercare.audit.models import AuditEvent
from aftercare.reports import ctdc
from tests.conftest import member
from tests.factories import SurvivorFactory
from tests.reports.conftest import LOWER_ROLES, at, consent

pytestmark = pytest.mark.django_db

# Copied from docs/CTDC.md, in its order.
EXPECTED_COLUMNS = [
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
AGE_BANDS = {
    "0--8",
    "9--17",
    "18--20",
    "21--23",
    "24--26",
    "27--29",
    "30--38",
    "39--47",
    "48+",
    "-99",
}


def read(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def header(response):
    return next(csv.reader(io.StringIO(response.content.decode())))


def test_the_columns_are_the_ctdc_layout_in_order():
    assert ctdc.COLUMNS == EXPECTED_COLUMNS
    assert len(ctdc.COLUMNS) == 63


def test_one_survivor_is_coded_as_the_layout_says():
    row = ctdc.ctdc_row(
        {
            "created_at": at(date(2025, 3, 1)),
            "gender": "woman",
            "year_of_birth": 2009,
            "nationality": "mz",
            "country_of_exploitation": "ZA",
            "exploitation_types": ["sexual", "labour"],
            "means_of_control": ["debt_bondage", "threats_to_family"],
            "recruiter_relation": "intimate_partner",
        }
    )
    assert list(row) == EXPECTED_COLUMNS
    assert row["yearOfRegistration"] == 2025 and row["Datasource"] == "Case management"
    assert row["gender"] == "Female" and row["ageBroad"] == "9--17"  # 2025 - 2009 = 16
    assert (
        row["majorityStatus"] == "Minor"
        and row["majorityStatusAtExploit"] == "Minor"
        and row["majorityEntry"] == "Minor"
    )
    assert row["citizenship"] == "MZ" and row["CountryOfExploitation"] == "ZA"
    assert row["meansOfControlDebtBondage"] == 1 and row["meansOfControlThreats"] == 1
    assert row["meansOfControlPhysicalAbuse"] == 0 and row["meansOfControlNotSpecified"] == 0
    assert row["meansOfControlConcatenated"] == "meansOfControlDebtBondage;meansOfControlThreats"
    assert (
        row["isForcedLabour"],
        row["isSexualExploit"],
        row["isSexAndLabour"],
        row["isForcedMarriage"],
    ) == (1, 1, 1, 0)
    assert row["typeOfExploitConcatenated"] == "isForcedLabour;isSexualExploit;isSexAndLabour"
    assert row["typeOfLabourNotSpecified"] == 1 and row["typeOfLabourAgriculture"] == -99
    assert row["typeOfLabourDomesticWork"] == 0
    assert row["typeOfSexProstitution"] == -99 and row["typeOfSexConcatenated"] == ""
    assert row["RecruiterRelationship"] == "Intimate Partner"
    assert row["recruiterRelationIntimatePartner"] == 1 and row["recruiterRelationFamily"] == 0
    assert row["isAbduction"] == -99  # a number in a numeric column


def test_unknown_values_are_coded_minus_99():
    row = ctdc.ctdc_row(
        {
            "created_at": at(date(2025, 3, 1)),
            "gender": "unknown",
            "year_of_birth": None,
            "nationality": "",
            "country_of_exploitation": "",
            "exploitation_types": [],
            "means_of_control": [],
            "recruiter_relation": "",
        }
    )
    assert (
        row["gender"] == "Unknown" and row["ageBroad"] == "-99" and row["majorityStatus"] == "-99"
    )
    assert row["citizenship"] == "-99" and row["CountryOfExploitation"] == "-99"
    assert row["meansOfControlDebtBondage"] == -99 and row["meansOfControlNotSpecified"] == 1
    assert row["meansOfControlConcatenated"] == "meansOfControlNotSpecified"
    assert row["isForcedLabour"] == -99 and row["typeOfExploitConcatenated"] == ""
    assert row["recruiterRelationUnknown"] == -99 and row["RecruiterRelationship"] == "-99"


def test_an_adult_domestic_worker_is_coded_by_sector():
    row = ctdc.ctdc_row(
        {
            "created_at": at(date(2024, 1, 5)),
            "gender": "man",
            "year_of_birth": 1970,
            "nationality": "KE",
            "country_of_exploitation": "OM",
            "exploitation_types": ["domestic_servitude"],
            "means_of_control": ["other"],
            "recruiter_relation": "employer",
        }
    )
    assert (
        row["ageBroad"] == "48+"
        and row["majorityStatus"] == "Adult"
        and row["majorityStatusAtExploit"] == "-99"
    )
    assert row["typeOfLabourDomesticWork"] == 1 and row["typeOfLabourAgriculture"] == 0
    assert (
        row["typeOfLabourNotSpecified"] == 0
        and row["typeOfLabourConcatenated"] == "typeOfLabourDomesticWork"
    )
    assert row["typeOfSexProstitution"] == 0 and row["isSexualExploit"] == 0
    assert row["RecruiterRelationship"] == "Other" and row["recruiterRelationOther"] == 1


def make_population(org, n: int, seed: int = 7):
    """Survivors over few enough profiles that most groups reach k, and a tail that does not."""
    rng = random.Random(seed)
    survivors = []
    for i in range(n):
        common = i < int(n * 0.8)
        survivor = SurvivorFactory(
            organisation=org,
            gender=rng.choice(["woman", "man"])
            if common
            else rng.choice(["woman", "man", "transgender", "unknown"]),
            year_of_birth=rng.choice([2000, 1995]) if common else rng.randint(1960, 2015),
            nationality=rng.choice(["ZA", "MZ"])
            if common
            else rng.choice(["ZA", "MZ", "ZW", "LS", "MW", "BD"]),
            country_of_exploitation="ZA" if common else rng.choice(["ZA", "AE", "OM", "MY"]),
            exploitation_types=rng.choice([["sexual"], ["labour"]])
            if common
            else rng.choice(
                [
                    ["sexual"],
                    ["labour"],
                    ["domestic_servitude"],
                    ["forced_marriage"],
                    ["sexual", "labour"],
                ]
            ),
            means_of_control=rng.choice([[], ["debt_bondage"], ["threats", "physical_violence"]]),
            created_at=at(date(2025, rng.randint(1, 12), 1)),
        )
        survivors.append(survivor)
    return survivors


def test_k_anonymity_holds_on_generated_data_and_only_consenting_survivors_count(
    api, coordinator, org_a, settings
):
    settings.AFTERCARE_CTDC_K = 10
    survivors = make_population(org_a, 260)
    consenting = []
    for i, survivor in enumerate(survivors):
        if i % 10 == 3:
            continue  # never asked
        if i % 10 == 7:
            consent(survivor, True, when=at(date(2025, 1, 1)))
            consent(
                survivor, False, when=at(date(2025, 6, 1))
            )  # withdrew later: the newest decision counts
            continue
        consent(survivor, True)
        consenting.append(survivor)
    response = api.as_user(coordinator).get("/api/v1/exports/ctdc.csv")
    assert response.status_code == 200
    assert header(response) == EXPECTED_COLUMNS
    rows = read(response)
    groups = Counter(tuple(row.values()) for row in rows)  # every column narrows a group
    assert rows and min(groups.values()) >= 10
    assert int(response["X-Aftercare-CTDC-Consenting"]) == len(consenting) == 208
    assert int(response["X-Aftercare-CTDC-Rows"]) == len(rows)
    assert len(rows) + int(response["X-Aftercare-CTDC-Suppressed"]) == len(consenting)
    assert "suppressed" in response["X-Aftercare-CTDC-Note"]
    for row in rows:
        assert row["ageBroad"] in AGE_BANDS and row["Datasource"] == "Case management"
        assert row["gender"] in {"Female", "Male", "Transgender/NonConforming", "Unknown", "-99"}


def test_no_identifier_or_case_code_appears(api, coordinator, org_a, settings):
    settings.AFTERCARE_CTDC_K = 2
    survivors = make_population(org_a, 40, seed=3)
    for survivor in survivors:
        consent(survivor)
    body = api.as_user(coordinator).get("/api/v1/exports/ctdc.csv").content.decode()
    assert len(body.splitlines()) > 1
    for survivor in survivors:
        for secret in (
            survivor.case_code,
            survivor.family_name,
            str(survivor.pk),
            survivor.organisation.slug,
        ):
            assert secret not in body
    assert "Nomvula" not in body  # the factory's given name


def profile(year_of_birth=2005, nationality="ZA", **extra):
    return ctdc.ctdc_row(
        {
            "created_at": at(date(2025, 3, 1)),
            "gender": "woman",
            "year_of_birth": year_of_birth,
            "nationality": nationality,
            "country_of_exploitation": "ZA",
            "exploitation_types": ["sexual"],
            "means_of_control": [],
            "recruiter_relation": "",
            **extra,
        }
    )


def test_generalisation_is_chosen_group_by_group():
    rows = [profile() for _ in range(4)] + [profile(2003) for _ in range(2)] + [profile(1970, "BD")]
    export = ctdc.anonymise(rows, k=3)
    # The four 18--20 rows stand as they are. The two 21--23 rows and the BD row reach 3 only
    # once their age band and citizenship are given up; they keep Adult, the country, the rest.
    assert export.suppressed == 0 and export.generalised == 3 and export.cells_generalised == 6
    kept = [r for r in export.rows if r["ageBroad"] == "18--20"]
    recoded = [r for r in export.rows if r["ageBroad"] == "-99"]
    assert len(kept) == 4 and all(r["citizenship"] == "ZA" for r in kept)
    assert len(recoded) == 3 and all(
        (
            r["citizenship"],
            r["majorityStatus"],
            r["CountryOfExploitation"],
            r["typeOfExploitConcatenated"],
        )
        == ("-99", "Adult", "ZA", "isSexualExploit")
        for r in recoded
    )
    assert min(Counter(tuple(r.values()) for r in export.rows).values()) >= 3


def test_a_group_that_cannot_reach_k_is_suppressed():
    export = ctdc.anonymise([profile(1980, "KE", gender="man")], k=2)
    assert export.rows == [] and export.suppressed == 1


def test_a_column_outside_ctdcs_six_still_splits_a_group():
    """majorityStatus, the means of control or the recruiter narrow a group as much as the age."""
    rows = [profile() for _ in range(3)] + [profile(recruiter_relation="family")]
    export = ctdc.anonymise(rows, k=2)
    assert min(Counter(tuple(r.values()) for r in export.rows).values()) >= 2
    assert export.suppressed + len(export.rows) == 4
    assert not any(r["RecruiterRelationship"] == "Family" for r in export.rows)


@pytest.mark.parametrize("role", LOWER_ROLES)
def test_lower_roles_may_not_export(api, org_a, role):
    assert api.as_user(member(org_a, role)).get("/api/v1/exports/ctdc.csv").status_code == 403


def test_a_supervisor_exports_only_the_organisations_cases_and_it_is_audited(
    api, supervisor_a, org_a, org_b, settings
):
    settings.AFTERCARE_CTDC_K = 1
    consent(SurvivorFactory(organisation=org_a, nationality="ZA"))
    consent(SurvivorFactory(organisation=org_b, nationality="MW"))
    response = api.as_user(supervisor_a).get("/api/v1/exports/ctdc.csv")
    assert [row["citizenship"] for row in read(response)] == ["ZA"]
    event = AuditEvent.objects.get(object_type="reports.ctdc")
    assert event.action == "export" and event.actor_username == "sup_a"
