"""The mapping is the one source: docs/HTCDS.md is written from it, and it accounts for every field
of the form."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aftercare.cli import ALIASES
from aftercare.interop import doc, mapping
from tests.interop.test_capture import the_form

# The core fields of the standard's field reference and toolkits, by table.
CORE = {
    "org_": [
        "Name",
        "Type",
        "ShippingCountry",
        "ShippingCity",
        "ShippingState",
        "ShippingStreet",
        "ShippingPostalCode",
        "ShippingLatitude",
        "ShippingLongitude",
        "Phone",
    ],
    "prs_": [
        "Salutation",
        "FirstName",
        "SecondName",
        "Birthdate",
        "Gender",
        "Deceased",
        "Nationality",
        "Title",
        "Email",
        "HomePhone",
        "MobilePhone",
        "MailingCity",
        "MailingCountry",
        "MailingState",
        "MailingStreet",
        "MailingPostalCode",
        "MailingLongitude",
        "MailingLatitude",
    ],
    "vic_": [
        "TraffickingStatus",
        "TraffickingStatusDecisionMakingOrg",
        "RecruitmentWebsitesAndApps",
        "MethodOfRecruitment",
        "LocationOfRecruitment",
        "MethodsOfControl",
        "ForcedLabourIndustry",
        "TypeOfExploitation",
        "TypeOfSexExploitation",
        "LocationOfExploitation",
        "ExploitationWebsitesAndApps",
        "Vulnerabilities",
        "DetailsOfVulnerabilities",
    ],
    "cas_": [
        "Status",
        "ReferringOrganisation",
        "IncomingReferralDate",
        "ReferringPrimaryCaseWorker",
        "ReasonForIncomingReferral",
        "IncomingReferralDetails",
        "ReferredOrganisation",
        "ReferredPrimaryCaseWorker",
        "ReasonForOutgoingReferral",
        "OutgoingReferralDate",
        "OutgoingReferralDetails",
        "ReasonForCaseClosure",
    ],
    "con_": ["Consent"],
    "cco_": ["CommentBody"],
    "hte_": [
        "Type",
        "Date",
        "Country",
        "City",
        "State",
        "Street",
        "PostalCode",
        "Latitude",
        "Longitude",
        "Description",
    ],
    "spl_": ["Type", "Objectives", "ActionPlan", "PlannedEndDate", "ActualEndDate"],
}


def accounted() -> set[str]:
    names = {
        name
        for fields in mapping.SHEETS.values()
        for item in fields
        for name in (item.name, *item.aliases)
    }
    return names | {item.name for item in mapping.NOT_HELD}


def test_docs_htcds_md_is_written_from_the_mapping():
    assert doc.DOC_PATH.read_text(encoding="utf-8") == doc.render(), "run `aftercare htcds-doc`"
    call_command("htcds_doc", "--check")
    assert ALIASES["htcds-doc"] == "htcds_doc"


def test_the_check_fails_when_the_doc_is_out_of_step(tmp_path, monkeypatch):
    monkeypatch.setattr(doc, "DOC_PATH", tmp_path / "HTCDS.md")
    (tmp_path / "HTCDS.md").write_text("stale")
    with pytest.raises(CommandError):
        call_command("htcds_doc", "--check")


def test_every_core_field_is_mapped_or_said_not_held():
    missing = [
        prefix + name
        for prefix, names in CORE.items()
        for name in names
        if prefix + name not in accounted()
    ]
    assert not missing


def test_every_question_of_the_standards_xlsform_is_mapped_or_said_not_held():
    questions, choices, _version = the_form()
    names = {mapping.norm(n) for n in accounted()} | mapping.FORM_META
    assert not [name for _kind, name in questions if mapping.norm(name) not in names]


def test_every_choice_of_the_xlsform_reads_into_aftercare():
    _questions, choices, _version = the_form()
    for list_name, picklist in (
        ("gender", mapping.GENDER),
        ("typeofexploitation", mapping.EXPLOITATION),
        ("methodsofcontrol", mapping.METHODS_OF_CONTROL),
        ("status", mapping.CASE_STATUS),
        ("consent", mapping.CONSENT),
    ):
        assert [v for v in choices[list_name] if picklist.from_htcds(v) is None] == [], list_name


def test_every_aftercare_code_has_one_htcds_value_or_an_exact_column():
    for picklist in (
        mapping.GENDER,
        mapping.EXPLOITATION,
        mapping.METHODS_OF_CONTROL,
        mapping.CASE_STATUS,
    ):
        for code, value in picklist.pairs:
            assert picklist.from_htcds(value) == code or picklist.refine, (picklist.name, code)
