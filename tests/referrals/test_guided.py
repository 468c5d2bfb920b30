"""The guided referral: needs choose the services, the directory ranks the partners (never
one's own organisation), "refer here" from a profile, the override only without consent,
deadlines in the organisation's time zone, and each move said in words."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.accounts.zones import organisation_zone_name, zone_for_country
from aftercare.audit.models import AuditEvent
from aftercare.cases import care
from aftercare.referrals import services
from aftercare.referrals.models import Referral
from tests.conftest import actor, member
from tests.factories import OrganisationFactory, RegionFactory, ServiceFactory, SurvivorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jhb(db):
    za = RegionFactory(code="za", name="South Africa", level="country")
    gp = RegionFactory(code="za-gp", name="Gauteng", level="province", parent=za)
    return RegionFactory(code="za-gp-johannesburg", name="Johannesburg", parent=gp)


@pytest.fixture
def assessed(case_worker_a, survivor_a, jhb):
    """Her case: in Johannesburg, speaks isiZulu, consents to referral; housing urgent, legal
    medium, medical assessed as no need."""
    survivor_a.region, survivor_a.languages = jhb, ["zu"]
    survivor_a.save()
    worker = actor(case_worker_a)
    care.record_consent(worker, survivor_a, purpose="referral", granted=True, method="verbal")
    care.assess_needs(
        worker, survivor_a, {"housing": "urgent", "legal": "medium", "medical": "none"}
    )
    return survivor_a


@pytest.fixture
def partners(org_a, org_b, jhb):
    """org_b: housing in Johannesburg, isiZulu, serves women, beds free. far: housing elsewhere.
    org_a (our own) offers housing in Johannesburg too. legal_only: legal, no housing."""
    org_b.languages, org_b.populations = ["zu"], ["women"]
    org_b.save()
    org_b.regions_served.add(jhb)
    ServiceFactory(
        organisation=org_b,
        domain="housing",
        beds_total=10,
        beds_available=3,
        capacity_updated_at=timezone.now(),
    )
    far = OrganisationFactory(slug="far", name="Far Away House")
    far.regions_served.add(RegionFactory(code="ke", name="Kenya", level="country", country="KE"))
    ServiceFactory(organisation=far, domain="housing")
    org_a.regions_served.add(jhb)
    ServiceFactory(organisation=org_a, domain="housing")
    legal_only = OrganisationFactory(slug="lawyers", name="Lawyers for Women")
    ServiceFactory(organisation=legal_only, domain="legal")
    return {"near": org_b, "far": far, "legal": legal_only}


def checked_domains(html: str) -> set[str]:
    return set(re.findall(r'name="domains" value="([a-z_]+)" id="[^"]+" checked', html))


# The services come from her needs ------------------------------------------------------------


def test_needs_assessment_pre_selects_the_services_with_a_need(
    web_login, case_worker_a, assessed, partners
):
    html = web_login(case_worker_a).get(f"/referrals/new/{assessed.pk}/").content.decode()
    assert checked_domains(html) == {"housing", "legal"}
    assert "Safe housing — need: urgent" in html


def test_services_named_in_the_address_win_over_the_needs(
    web_login, case_worker_a, assessed, partners
):
    html = (
        web_login(case_worker_a)
        .get(f"/referrals/new/{assessed.pk}/?domain=medical")
        .content.decode()
    )
    assert checked_domains(html) == {"medical"}


# Partners ranked by the directory ---------------------------------------------------------------


def test_partners_are_ranked_with_reasons_and_free_places_and_never_our_own(
    web_login, case_worker_a, org_a, assessed, partners
):
    response = web_login(case_worker_a).get(f"/referrals/new/{assessed.pk}/")
    ranked = [m.organisation_id for m in response.context["partners"]]
    assert org_a.pk not in ranked
    assert ranked.index(partners["near"].pk) < ranked.index(partners["far"].pk)
    near = response.context["partners"][0]
    assert near.organisation_id == partners["near"].pk
    assert "offers safe housing" in near.reasons
    assert any(r.startswith("serves Johannesburg") for r in near.reasons)
    assert "serves women" in near.reasons
    assert any(r.startswith("speaks ") for r in near.reasons)
    assert "3 beds free" in near.reasons
    html = response.content.decode()
    assert "3 free places" in html
    assert f'value="{org_a.pk}"' not in html


def test_htmx_reranks_for_the_services_ticked(web_login, case_worker_a, assessed, partners):
    response = web_login(case_worker_a).get(
        f"/referrals/new/{assessed.pk}/?ranking=1&domains=legal", HTTP_HX_REQUEST="true"
    )
    assert [m.organisation_id for m in response.context["partners"]] == [partners["legal"].pk]
    assert b"<html" not in response.content


def test_posting_ones_own_organisation_is_refused_on_the_page(
    web_login, case_worker_a, org_a, assessed, partners
):
    response = web_login(case_worker_a).post(
        f"/referrals/new/{assessed.pk}/",
        {
            "to_organisation": str(org_a.pk),
            "domains": ["housing"],
            "reason": "x",
            "shared_sections": ["needs"],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["to_organisation"]
    assert not Referral.objects.exists()


def test_ones_own_organisation_is_refused_by_the_service_and_the_api(
    api, case_worker_a, org_a, assessed
):
    from aftercare.core.errors import DomainError

    with pytest.raises(DomainError):
        services.refer_survivor(actor(case_worker_a), assessed, org_a, ["housing"], "x")
    response = api.as_user(case_worker_a).post(
        "/api/v1/referrals",
        {
            "survivor": str(assessed.pk),
            "to_organisation": str(org_a.pk),
            "domains": ["housing"],
            "reason": "x",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "to_organisation" in response.json()["errors"]
    assert not Referral.objects.exists()


def test_sending_from_the_guided_form_says_when_they_will_answer_in_our_zone(
    web_login, case_worker_a, assessed, partners
):
    client = web_login(case_worker_a)
    response = client.post(
        f"/referrals/new/{assessed.pk}/",
        {
            "to_organisation": str(partners["near"].pk),
            "domains": ["housing", "legal"],
            "reason": "Needs a bed",
            "shared_sections": ["needs"],
        },
        follow=True,
    )
    referral = Referral.objects.get()
    text = response.content.decode()
    assert f"Referral sent to {partners['near'].name}. They will answer by" in text
    assert "SAST" in text
    local = timezone.localtime(referral.respond_by, timezone=ZoneInfo("Africa/Johannesburg"))
    assert local.strftime("%H:%M") + " SAST" in text


# The emergency override -----------------------------------------------------------------------


def test_emergency_override_is_not_offered_when_she_consented(
    web_login, case_worker_a, assessed, partners
):
    html = web_login(case_worker_a).get(f"/referrals/new/{assessed.pk}/").content.decode()
    assert 'name="emergency_justification"' not in html


def test_emergency_override_is_offered_when_her_consent_is_missing(
    web_login, case_worker_a, survivor_a, partners
):
    html = web_login(case_worker_a).get(f"/referrals/new/{survivor_a.pk}/").content.decode()
    assert 'name="emergency_justification"' in html


def test_emergency_override_is_offered_for_a_partner_she_refused(
    web_login, case_worker_a, assessed, partners
):
    care.record_consent(
        actor(case_worker_a),
        assessed,
        purpose="referral",
        granted=False,
        method="verbal",
        organisation=partners["near"],
    )
    client = web_login(case_worker_a)
    assert (
        b'name="emergency_justification"'
        not in client.get(f"/referrals/new/{assessed.pk}/").content
    )
    chosen = client.get(f"/referrals/new/{assessed.pk}/?to={partners['near'].pk}").content.decode()
    assert 'name="emergency_justification"' in chosen


# Who may refer which case ---------------------------------------------------------------------


def test_another_organisations_case_cannot_be_referred(web_login, case_worker_b, survivor_a):
    assert web_login(case_worker_b).get(f"/referrals/new/{survivor_a.pk}/").status_code == 404


def test_a_partner_that_sees_a_shared_case_does_not_refer_it_on(
    web_login, case_worker_a, case_worker_b, assessed, partners
):
    referral = services.refer_survivor(
        actor(case_worker_a), assessed, partners["near"], ["housing"], "x"
    )
    services.transition(actor(case_worker_b), referral.pk, "accept")
    assert web_login(case_worker_b).get(f"/referrals/new/{assessed.pk}/").status_code == 404


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ME_OFFICER, Role.FIELD_WORKER])
def test_roles_that_do_not_refer_get_no_form(web_login, org_a, survivor_a, role):
    assert web_login(member(org_a, role)).get(f"/referrals/new/{survivor_a.pk}/").status_code in (
        403,
        404,
    )


def test_opening_the_form_is_audited_as_a_read_of_the_case(web_login, case_worker_a, assessed):
    web_login(case_worker_a).get(f"/referrals/new/{assessed.pk}/")
    assert AuditEvent.objects.filter(
        action="read", object_id=str(assessed.pk), reason="referral"
    ).exists()


def test_a_referral_source_refers_only_cases_she_opened(web_login, org_a, survivor_a):
    source = member(org_a, Role.REFERRAL_SOURCE)
    hers = SurvivorFactory(organisation=org_a, created_by=source)
    client = web_login(source)
    assert client.get(f"/referrals/new/{hers.pk}/").status_code == 200
    assert client.get(f"/referrals/new/{survivor_a.pk}/").status_code == 404


# "Refer here" from the directory ---------------------------------------------------------------


def test_profile_offers_refer_here_for_another_organisation_only(
    web_login, case_worker_a, org_a, org_b
):
    client = web_login(case_worker_a)
    assert b"/referrals/to/org-b/" in client.get("/network/org-b/").content
    assert b"/referrals/to/org-a/" not in client.get("/network/org-a/").content


def test_profile_offers_no_refer_here_to_a_role_that_does_not_refer(web_login, org_a, org_b):
    assert (
        b"/referrals/to/org-b/"
        not in web_login(member(org_a, Role.ADMIN)).get("/network/org-b/").content
    )


def test_refer_here_lists_our_cases_and_opens_the_form_with_that_partner(
    web_login, case_worker_a, assessed, survivor_b, partners
):
    client = web_login(case_worker_a)
    page = client.get("/referrals/to/org-b/")
    html = page.content.decode()
    link = f"/referrals/new/{assessed.pk}/?to={partners['near'].pk}"
    assert link in html
    assert survivor_b.case_code not in html
    form = client.get(link)
    assert form.context["chosen"] == partners["near"]
    assert f'value="{partners["near"].pk}" checked' in form.content.decode()


def test_refer_here_finds_a_case_by_part_of_its_code(
    web_login, case_worker_a, org_a, org_b, assessed
):
    other = SurvivorFactory(organisation=org_a, case_code="AC-ZZZ999")
    html = web_login(case_worker_a).get("/referrals/to/org-b/?code=zzz9").content.decode()
    assert other.case_code in html and assessed.case_code not in html


def test_refer_here_chosen_partner_not_offering_the_services_is_still_chosen(
    web_login, case_worker_a, assessed, partners
):
    response = web_login(case_worker_a).get(
        f"/referrals/new/{assessed.pk}/?to={partners['legal'].pk}&domain=housing"
    )
    assert response.context["chosen"] == partners["legal"]
    assert not response.context["chosen_listed"]
    assert f'value="{partners["legal"].pk}" checked' in response.content.decode()


def test_refer_here_for_a_referral_source_lists_only_her_own_cases(
    web_login, org_a, org_b, survivor_a
):
    source = member(org_a, Role.REFERRAL_SOURCE)
    hers = SurvivorFactory(organisation=org_a, created_by=source)
    html = web_login(source).get("/referrals/to/org-b/").content.decode()
    assert hers.case_code in html and survivor_a.case_code not in html
    assert "/referrals/new/?to=" in html  # or someone with no case yet


def test_refer_here_to_ones_own_organisation_is_404(web_login, case_worker_a):
    assert web_login(case_worker_a).get("/referrals/to/org-a/").status_code == 404


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ME_OFFICER, Role.NETWORK_COORDINATOR])
def test_refer_here_is_refused_to_roles_that_do_not_refer(web_login, org_a, org_b, role):
    assert web_login(member(org_a, role)).get("/referrals/to/org-b/").status_code == 403


def test_refer_here_never_shows_another_organisations_cases(
    web_login, case_worker_b, survivor_a, org_a
):
    OrganisationFactory(slug="org-c")
    html = web_login(case_worker_b).get("/referrals/to/org-c/").content.decode()
    assert survivor_a.case_code not in html


# Time zones ----------------------------------------------------------------------------------


def test_an_organisation_without_a_zone_uses_its_countrys():
    assert zone_for_country("ZA") == "Africa/Johannesburg"
    assert zone_for_country("IN") == "Asia/Kolkata"
    assert zone_for_country("US") == "America/New_York"
    assert zone_for_country("") == "UTC"
    assert organisation_zone_name(OrganisationFactory.build(country="KE")) == "Africa/Nairobi"
    assert (
        organisation_zone_name(OrganisationFactory.build(country="KE", time_zone="Asia/Dhaka"))
        == "Asia/Dhaka"
    )
    assert (
        organisation_zone_name(OrganisationFactory.build(country="KE", time_zone="Mars/Olympus"))
        == "Africa/Nairobi"
    )


def test_deadline_is_shown_in_each_sides_zone_with_the_zone_named(
    web_login, case_worker_a, case_worker_b, org_b, assessed
):
    org_b.country, org_b.time_zone = "IN", ""
    org_b.save()
    referral = services.refer_survivor(actor(case_worker_a), assessed, org_b, ["housing"], "x")
    Referral.objects.filter(pk=referral.pk).update(
        respond_by=datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    )
    sender = web_login(case_worker_a).get(f"/referrals/{referral.pk}/").content.decode()
    assert "4 Dec 2026 17:00 SAST" in sender
    assert "Waiting for" in sender and "4 Dec 17:00 SAST" in sender
    receiver = web_login(case_worker_b).get(f"/referrals/{referral.pk}/").content.decode()
    assert "4 Dec 2026 20:30 IST" in receiver
    assert "Accept or decline by 4 Dec 20:30 IST" in receiver
    inbox = web_login(case_worker_b).get("/referrals/?direction=incoming").content.decode()
    assert "4 Dec 20:30 IST" in inbox


# Each move in words ---------------------------------------------------------------------------


def test_accepting_on_the_page_says_the_case_is_shared_and_what_to_do(
    web_login, case_worker_a, case_worker_b, org_b, assessed
):
    referral = services.refer_survivor(actor(case_worker_a), assessed, org_b, ["housing"], "x")
    response = web_login(case_worker_b).post(
        f"/referrals/{referral.pk}/accept/", {"version": referral.version, "text": ""}, follow=True
    )
    text = response.content.decode()
    assert (
        "Referral accepted. Lindiwe&#x27;s case is now shared "
        "with you: record the first service when it starts."
    ) in text
    assert "Referral updated." not in text


@pytest.mark.parametrize(
    ("moves", "side", "expected"),
    [
        (
            ["decline"],
            "receiver",
            "Referral declined. Organisation A has been told why and can refer Lindiwe elsewhere.",
        ),
        (["accept", "start"], "receiver", "Work started."),
        (
            ["accept", "complete"],
            "receiver",
            "Referral completed. Organisation A has been told the outcome",
        ),
        (
            ["cancel"],
            "sender",
            "Referral cancelled. Organisation B has been told; it will not answer now.",
        ),
        (
            ["accept", "cancel"],
            "sender",
            "Referral cancelled. Organisation B has been told and no longer sees Lindiwe",
        ),
    ],
)
def test_each_move_says_what_happened_in_the_api_response(
    api, case_worker_a, case_worker_b, org_b, assessed, moves, side, expected
):
    referral = services.refer_survivor(actor(case_worker_a), assessed, org_b, ["housing"], "x")
    for action in moves[:-1]:
        services.transition(actor(case_worker_b), referral.pk, action)
    user = case_worker_b if side == "receiver" else case_worker_a
    response = api.as_user(user).post(
        f"/api/v1/referrals/{referral.pk}/{moves[-1]}",
        {"reason": "r", "outcome": "o"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["message"].startswith(expected)


def test_sending_through_the_api_says_when_they_will_answer(api, case_worker_a, org_b, assessed):
    response = api.as_user(case_worker_a).post(
        "/api/v1/referrals",
        {
            "survivor": str(assessed.pk),
            "to_organisation": str(org_b.pk),
            "domains": ["housing"],
            "reason": "x",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["message"].startswith(
        "Referral sent to Organisation B. They will answer by"
    )
    assert "SAST" in response.json()["message"]


def test_an_illegal_move_is_still_409(api, case_worker_a, case_worker_b, org_b, assessed):
    referral = services.refer_survivor(actor(case_worker_a), assessed, org_b, ["housing"], "x")
    assert (
        api.as_user(case_worker_b)
        .post(f"/api/v1/referrals/{referral.pk}/start", {}, format="json")
        .status_code
        == 409
    )


def test_approving_a_transfer_says_where_the_case_goes(
    web_login, org_a, case_worker_a, org_b, assessed
):
    care.record_consent(
        actor(case_worker_a),
        assessed,
        purpose="transfer",
        granted=True,
        method="written",
        organisation=org_b,
    )
    referral = services.refer_survivor(
        actor(case_worker_a), assessed, org_b, ["housing"], "x", transfer=True
    )
    supervisor = member(org_a, Role.SUPERVISOR)
    response = web_login(supervisor).post(
        f"/referrals/{referral.pk}/transfer/approve/", follow=True
    )
    assert (
        "Transfer approved. Lindiwe&#x27;s case moves "
        "to Organisation B once they accept the referral."
    ) in response.content.decode()


def test_reminder_window_unchanged(case_worker_a, org_b, assessed):
    referral = services.refer_survivor(actor(case_worker_a), assessed, org_b, ["housing"], "x")
    assert referral.respond_by - referral.created_at <= timedelta(hours=72)
