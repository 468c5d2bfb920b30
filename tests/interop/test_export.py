"""Exporting cases in HTCDS: only visible, consenting cases, only what the caller may see,
audited."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditAction, AuditEvent
from tests.conftest import member
from tests.factories import ConsentFactory, GoalFactory, ReferralFactory, SurvivorFactory

pytestmark = pytest.mark.django_db


def consent(survivor, purpose="referral", granted=True):
    return ConsentFactory(survivor=survivor, purpose=purpose, granted=granted, method="verbal")


def cases_of(response) -> list[dict]:
    return json.loads(response.content)["cases"]


def test_only_cases_whose_survivor_consented_to_sharing_are_exported(
    api, org_a, supervisor_a, survivor_a
):
    consent(survivor_a)
    withdrawn = SurvivorFactory(organisation=org_a, given_name="Withdrawn")
    consent(withdrawn)
    consent(withdrawn, granted=False)
    reporting_only = SurvivorFactory(organisation=org_a, given_name="Reporting")
    consent(reporting_only, "anonymised_reporting")
    response = api.as_user(supervisor_a).get("/api/v1/exports/htcds.json")
    assert response.status_code == 200
    assert [c["prs_FirstName"] for c in cases_of(response)] == ["Lindiwe"]
    assert response["X-Aftercare-Left-Out"] == "2"


def test_another_organisations_cases_are_never_exported(api, supervisor_a, survivor_a, survivor_b):
    consent(survivor_a)
    consent(survivor_b)
    response = api.as_user(supervisor_a).get(
        f"/api/v1/exports/htcds.json?ids={survivor_a.pk},{survivor_b.pk}"
    )
    assert [c["aft_CaseCode"] for c in cases_of(response)] == [survivor_a.case_code]
    assert (
        survivor_b.case_code.encode() not in response.content and b"Amina" not in response.content
    )


@pytest.mark.parametrize(
    "role",
    [
        Role.CASE_WORKER,
        Role.REFERRAL_SOURCE,
        Role.ME_OFFICER,
        Role.NETWORK_COORDINATOR,
        Role.SURVIVOR,
        Role.FIELD_WORKER,
    ],
)
def test_lower_roles_may_not_export(api, org_a, survivor_a, role):
    consent(survivor_a)
    client = api.as_user(member(org_a, role))
    for path in ("/api/v1/exports/htcds.xlsx", "/api/v1/exports/htcds.json"):
        assert client.get(path).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_each_exported_case_is_an_export_event_in_its_audit_trail(api, supervisor_a, survivor_a):
    consent(survivor_a)
    response = api.as_user(supervisor_a).get("/api/v1/exports/htcds.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.object_id, event.actor_username, event.reason) == (
        str(survivor_a.pk),
        supervisor_a.username,
        "HTCDS export (xlsx)",
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Cases"]
    assert [cell.value for cell in sheet[3]][4] == "Lindiwe"


def test_a_partner_sees_no_identifiers_or_plan_the_survivor_did_not_share(
    api, org_a, org_b, survivor_a
):
    consent(survivor_a)
    survivor_a.phone = "+27 82 000 0000"
    survivor_a.save()
    GoalFactory(survivor=survivor_a, domain="housing", description="A safe room")
    ReferralFactory(
        survivor=survivor_a,
        from_organisation=org_a,
        to_organisation=org_b,
        reason="housing",
        domains=["housing"],
        shared_sections=["needs"],
        status="accepted",
        respond_by="2030-01-01T00:00:00Z",
    )
    partner = member(org_b, Role.SUPERVISOR)
    [case] = cases_of(api.as_user(partner).get("/api/v1/exports/htcds.json"))
    assert case["aft_CaseCode"] == survivor_a.case_code and case["prs_Gender"] == "Feminine"
    assert (case["prs_FirstName"], case["prs_MobilePhone"], case["con_Consent"], case["spl"]) == (
        "",
        "",
        "",
        [],
    )
    owner = member(org_a, Role.SUPERVISOR)
    [own] = cases_of(api.as_user(owner).get("/api/v1/exports/htcds.json"))
    assert (own["prs_FirstName"], own["aft_ConsentReferral"], own["cas_ReferredOrganisation"]) == (
        "Lindiwe",
        "TRUE",
        "Organisation B",
    )
    assert own["spl"][0]["spl_Objectives"] == "A safe room"


def test_the_export_page_serves_the_workbook(web_login, supervisor_a, survivor_a):
    consent(survivor_a)
    client = web_login(supervisor_a)
    assert client.get("/interop/htcds/").status_code == 200
    response = client.get("/interop/htcds/export.json")
    assert response.status_code == 200 and b"Lindiwe" in response.content
