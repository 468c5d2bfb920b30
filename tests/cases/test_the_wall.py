"""One wall around the survivor's record (issue 13): the four leaks an attacker found, each
reproduced, and the rules that close them: what a partner sees, who refers whom, when a case
may change hands, and what a duplicate check may tell."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditEvent
from aftercare.cases import care
from aftercare.cases.access import ALL_SECTIONS, PARTNER_ALWAYS, Section, access_case
from aftercare.cases.models import Survivor
from aftercare.core.errors import ConsentRequired, TransitionNotAllowed
from aftercare.referrals import services as referrals
from aftercare.referrals.models import Referral
from tests.conftest import actor, member
from tests.factories import SurvivorFactory
from tests.interop.test_import import HEADERS, LABELS, workbook

pytestmark = pytest.mark.django_db

SECRET = {
    "family_name": "Zwelithini",
    "phone": "0825550123",
    "address": "12 Hidden Lane",
    "id_number": "8001015009087",
}


@pytest.fixture
def held(org_a, case_worker_a):
    survivor = SurvivorFactory(organisation=org_a, given_name="Lindiwe", **SECRET)
    worker = actor(case_worker_a)
    care.record_consent(
        worker,
        survivor,
        purpose="service_delivery",
        granted=True,
        method="written",
        notes="CONSENTNOTE",
    )
    care.record_consent(worker, survivor, purpose="referral", granted=True, method="written")
    care.add_goal(worker, survivor, {"domain": "housing", "description": "A room of my own"})
    return survivor


def share(case_worker_a, case_worker_b, survivor, org_b, sections, **kwargs) -> Referral:
    referral = referrals.refer_survivor(
        actor(case_worker_a),
        survivor,
        org_b,
        ["housing"],
        "shelter",
        shared_sections=sections,
        **kwargs,
    )
    referrals.transition(actor(case_worker_b), referral.pk, "accept")
    return referral


# 1. Identity through the edit form ---------------------------------------------------------


def test_partner_without_identity_cannot_open_the_edit_form(
    web_login, held, case_worker_a, case_worker_b, org_b
):
    share(case_worker_a, case_worker_b, held, org_b, ["needs", "plan"])
    response = web_login(case_worker_b).get(f"/cases/{held.pk}/edit/")
    assert response.status_code in (403, 404)
    body = response.content.decode()
    assert not any(value in body for value in SECRET.values())


def test_partner_with_identity_still_cannot_edit_the_holders_profile(
    web_login, held, case_worker_a, case_worker_b, org_b
):
    share(case_worker_a, case_worker_b, held, org_b, ["identity", "needs"])
    client = web_login(case_worker_b)
    assert client.get(f"/cases/{held.pk}/edit/").status_code == 403
    assert (
        client.post(f"/cases/{held.pk}/edit/", {"family_name": "Changed", "version": 1}).status_code
        == 403
    )
    held.refresh_from_db()
    assert held.family_name == SECRET["family_name"]


# 2. Consents and plan through the API -------------------------------------------------------


def test_partner_api_answers_what_the_page_shows(
    api, web_login, held, case_worker_a, case_worker_b, org_b
):
    share(case_worker_a, case_worker_b, held, org_b, ["needs", "plan"])
    client = api.as_user(case_worker_b)
    consents = client.get(f"/api/v1/survivors/{held.pk}/consents")
    assert consents.status_code == 403 and "CONSENTNOTE" not in consents.content.decode()
    assert (
        client.get(f"/api/v1/survivors/{held.pk}/goals").status_code == 200
    )  # the plan was shared
    page = web_login(case_worker_b).get(f"/cases/{held.pk}/").content.decode()
    assert "A room of my own" in page and 'id="consent"' not in page and "CONSENTNOTE" not in page


def test_partner_without_the_plan_gets_no_goals(api, held, case_worker_a, case_worker_b, org_b):
    share(case_worker_a, case_worker_b, held, org_b, ["needs"])
    response = api.as_user(case_worker_b).get(f"/api/v1/survivors/{held.pk}/goals")
    assert response.status_code == 403 and "A room of my own" not in response.content.decode()


def test_partner_sees_exactly_the_shared_sections_and_what_partners_always_see(
    held, case_worker_a, case_worker_b, org_b
):
    share(case_worker_a, case_worker_b, held, org_b, ["needs", "risk"])
    case = access_case(actor(case_worker_b), held.pk)
    assert case.sections == {Section.NEEDS, Section.RISK} | PARTNER_ALWAYS
    assert access_case(actor(case_worker_a), held.pk).sections == ALL_SECTIONS
    with pytest.raises(PermissionDenied):
        access_case(actor(case_worker_b), held.pk, section=Section.NEEDS, write=True)
    assert (
        access_case(actor(case_worker_b), held.pk, section=Section.SERVICES, write=True).relation
        == "partner"
    )


# 3. A referral source moves any case of her organisation ----------------------------------


@pytest.fixture
def npa(make_member):
    from tests.factories import OrganisationFactory

    office = OrganisationFactory(slug="npa", kind="prosecutor")
    return (
        office,
        make_member(office, Role.REFERRAL_SOURCE, "prosecutor"),
        make_member(office, Role.REFERRAL_SOURCE, "colleague"),
    )


def test_referral_source_refers_only_people_she_brought_in(web_login, api, npa, org_b):
    office, prosecutor, colleague = npa
    mine = referrals.refer_new_person(
        actor(prosecutor), {"given_name": "Nomsa"}, org_b, ["legal"], "x", consent_given=True
    ).survivor
    theirs = referrals.refer_new_person(
        actor(colleague), {"given_name": "Thabo"}, org_b, ["legal"], "x", consent_given=True
    ).survivor
    held_by_office = SurvivorFactory(organisation=office)
    assert list(referrals.referable_cases(actor(prosecutor))) == [mine]
    client = web_login(prosecutor)
    for other in (theirs, held_by_office):
        response = client.get(f"/referrals/new/{other.pk}/")
        assert response.status_code == 404 and other.case_code not in response.content.decode()
        with pytest.raises(Http404):
            referrals.refer_survivor(
                actor(prosecutor), other, org_b, ["legal"], "again", emergency_justification="now"
            )
    api_response = api.as_user(prosecutor).post(
        "/api/v1/referrals",
        {
            "survivor": str(theirs.pk),
            "to_organisation": str(org_b.pk),
            "domains": ["legal"],
            "reason": "x",
        },
        format="json",
    )
    assert api_response.status_code == 400


def test_accepting_a_referral_never_moves_the_case(
    web_login, held, case_worker_a, case_worker_b, org_a, org_b
):
    share(
        case_worker_a,
        case_worker_b,
        held,
        org_b,
        ["needs", "plan", "identity", "risk", "legal", "services"],
    )
    held.refresh_from_db()
    assert held.organisation_id == org_a.pk
    assert web_login(case_worker_a).get(f"/cases/{held.pk}/").status_code == 200


def test_a_transfer_needs_her_consent_to_it(held, case_worker_a, org_b):
    with pytest.raises(ConsentRequired):
        referrals.refer_survivor(
            actor(case_worker_a), held, org_b, ["housing"], "move", transfer=True
        )


def test_a_transfer_happens_once_accepted_and_approved_by_the_holders_supervisor(
    web_login, held, case_worker_a, case_worker_b, org_a, org_b
):
    care.record_consent(
        actor(case_worker_a),
        held,
        purpose="transfer",
        granted=True,
        method="written",
        organisation=org_b,
    )
    referral = share(case_worker_a, case_worker_b, held, org_b, ["needs"], transfer=True)
    held.refresh_from_db()
    assert held.organisation_id == org_a.pk  # accepted, not yet approved
    with pytest.raises(PermissionDenied):
        referrals.approve_transfer(
            actor(case_worker_a), referral.pk
        )  # a case worker does not approve
    with pytest.raises(PermissionDenied):
        referrals.approve_transfer(
            actor(member(org_b, Role.SUPERVISOR)), referral.pk
        )  # nor the receiver
    supervisor = member(org_a, Role.SUPERVISOR)
    page = web_login(supervisor).get(f"/referrals/{referral.pk}/").content.decode()
    assert f"/referrals/{referral.pk}/transfer/approve/" in page
    assert (
        web_login(supervisor).post(f"/referrals/{referral.pk}/transfer/approve/").status_code == 302
    )
    held.refresh_from_db()
    assert held.organisation_id == org_b.pk
    assert AuditEvent.objects.filter(case_id=held.pk, fields=["organisation"]).exists()
    with pytest.raises(TransitionNotAllowed):
        referrals.approve_transfer(actor(supervisor), referral.pk)


def test_a_withdrawn_transfer_consent_stops_the_transfer(
    held, case_worker_a, case_worker_b, org_a, org_b
):
    worker = actor(case_worker_a)
    care.record_consent(
        worker, held, purpose="transfer", granted=True, method="written", organisation=org_b
    )
    referral = share(case_worker_a, case_worker_b, held, org_b, ["needs"], transfer=True)
    care.record_consent(
        worker, held, purpose="transfer", granted=False, method="verbal", organisation=org_b
    )
    referrals.approve_transfer(actor(member(org_a, Role.SUPERVISOR)), referral.pk)
    assert Survivor.objects.get(pk=held.pk).organisation_id == org_a.pk


def test_a_supervisor_asking_for_a_transfer_approves_it_herself(held, case_worker_b, org_a, org_b):
    supervisor = actor(member(org_a, Role.SUPERVISOR))
    care.record_consent(
        supervisor, held, purpose="transfer", granted=True, method="written", organisation=org_b
    )
    referral = referrals.refer_survivor(supervisor, held, org_b, ["housing"], "move", transfer=True)
    referrals.transition(actor(case_worker_b), referral.pk, "accept")
    assert Survivor.objects.get(pk=held.pk).organisation_id == org_b.pk


# 4. The import dry run is an oracle ---------------------------------------------------------


def test_the_htcds_dry_run_says_nothing_of_other_organisations(api, org_a, case_worker_b, org_b):
    SurvivorFactory(
        organisation=org_b, given_name="Zawadi", family_name="Invented", year_of_birth=None
    )
    from aftercare.cases import duplicates

    duplicates.store_tokens(Survivor.objects.get(organisation=org_b))
    client = api.as_user(member(org_a, Role.CASE_WORKER))
    row = ["Zawadi", "Invented", "Feminine", "KE", "ForcedLabour", "DebtBondage", "Active", "TRUE"]
    response = client.post(
        "/api/v1/imports/htcds",
        {"file": SimpleUploadedFile("c.xlsx", workbook([row], HEADERS, LABELS))},
    )
    assert response.status_code == 200, response.content
    assert response.json()["possible_duplicates"] == 0
    twice = client.post(
        "/api/v1/imports/htcds",
        {"file": SimpleUploadedFile("c.xlsx", workbook([row, row], HEADERS, LABELS))},
    )
    assert twice.json()["possible_duplicates"] == 1  # the file's own repeat, as intake would say


# And the rest ---------------------------------------------------------------------------------


def test_the_holders_supervisor_sees_a_partners_reads_and_changes_in_the_case_trail(
    web_login, held, case_worker_a, case_worker_b, org_a, org_b
):
    share(case_worker_a, case_worker_b, held, org_b, ["needs"])
    partner = web_login(case_worker_b)
    partner.get(f"/cases/{held.pk}/")
    partner.post(f"/cases/{held.pk}/notes/", {"text": "seen today", "sensitivity": "general"})
    supervisor = member(org_a, Role.SUPERVISOR)
    page = web_login(supervisor).get(
        f"/cases/{held.pk}/panels/history/", headers={"HX-Request": "true"}
    )
    trail = [(e.actor_username, e.action) for e in page.context["audit_events"]]
    assert ("cw_b", "read") in trail and ("cw_b", "create") in trail
    from aftercare.cases.sections import case_audit_trail

    partner_supervisor = access_case(actor(member(org_b, Role.SUPERVISOR)), held.pk)
    assert {e.organisation_id for e in case_audit_trail(partner_supervisor)} == {
        org_b.pk
    }  # only its own side


def test_staff_pages_and_api_answers_with_survivor_data_are_never_stored(
    web_login, api, held, case_worker_a
):
    client = web_login(case_worker_a)
    for url in (
        f"/cases/{held.pk}/",
        "/cases/",
        f"/risk/{held.pk}/",
        f"/livelihoods/cases/{held.pk}/",
        "/referrals/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    assert (
        "no-store"
        in api.as_user(case_worker_a).get(f"/api/v1/survivors/{held.pk}")["Cache-Control"]
    )


def test_a_referrals_outcome_is_kept_encrypted_and_not_copied_into_the_audit_trail(
    held, case_worker_a, case_worker_b, org_b
):
    referral = share(case_worker_a, case_worker_b, held, org_b, ["needs"])
    referrals.transition(
        actor(case_worker_b), referral.pk, "complete", text="Moved in with her aunt in Soweto"
    )
    assert not AuditEvent.objects.filter(reason__contains="Soweto").exists()
    assert Referral.objects.get(pk=referral.pk).outcome == "Moved in with her aunt in Soweto"
