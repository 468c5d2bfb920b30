"""Staff pages: a case's portal account, the duty-bearer registry, performance, moderation.

Each rule is tried from another organisation and from a lower role."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.voice.models import DutyBearer, GoodPractice, Rating, SurvivorAccount
from tests.conftest import member
from tests.factories import ConsentFactory, ReferralFactory
from tests.voice.factories import DutyBearerFactory, ServiceFactory, rate

pytestmark = pytest.mark.django_db

LAST_YEAR = date(timezone.localdate().year - 1, 6, 1)


# A case's portal account ---------------------------------------------------------------------


def test_the_case_worker_links_a_portal_account_and_sees_the_pin_once(
    web_login, case_worker_a, survivor_a
):
    browser = web_login(case_worker_a)
    page = browser.post(
        f"/voice/cases/{survivor_a.pk}/account/", {"username": "", "pin": "", "phone": "0825550199"}
    )
    assert page.status_code == 200
    pin = page.context["shown_pin"]
    assert re.fullmatch(r"\d{6}", pin) and pin in page.content.decode()
    account = SurvivorAccount.objects.get(survivor=survivor_a)
    assert account.user.memberships.get().role == Role.SURVIVOR
    assert account.user.has_usable_password() is False
    assert pin not in browser.get(f"/voice/cases/{survivor_a.pk}/").content.decode()


def test_a_second_account_for_the_same_case_is_refused(web_login, case_worker_a, portal_a):
    response = web_login(case_worker_a).post(
        f"/voice/cases/{portal_a.survivor.pk}/account/", {"username": "again"}
    )
    assert response.status_code == 400
    assert SurvivorAccount.objects.count() == 1


def test_another_organisation_cannot_see_or_link_the_case(web_login, case_worker_b, survivor_a):
    browser = web_login(case_worker_b)
    assert browser.get(f"/voice/cases/{survivor_a.pk}/").status_code == 404
    assert browser.post(f"/voice/cases/{survivor_a.pk}/account/", {}).status_code == 404
    assert not SurvivorAccount.objects.exists()


def test_an_organisation_the_case_is_shared_with_cannot_link_an_account(
    web_login, case_worker_a, case_worker_b, survivor_a, org_a, org_b
):
    ConsentFactory(survivor=survivor_a, purpose="referral", granted=True, method="written")
    ReferralFactory(
        survivor=survivor_a,
        from_organisation=org_a,
        to_organisation=org_b,
        domains=["housing"],
        reason="bed",
        status="accepted",
        respond_by=timezone.now(),
    )
    response = web_login(case_worker_b).post(f"/voice/cases/{survivor_a.pk}/account/", {})
    assert response.status_code == 403
    assert not SurvivorAccount.objects.exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.REFERRAL_SOURCE, Role.ME_OFFICER])
def test_a_lower_role_cannot_link_an_account(web_login, org_a, survivor_a, role):
    response = web_login(member(org_a, role)).post(f"/voice/cases/{survivor_a.pk}/account/", {})
    assert response.status_code in (403, 404)
    assert not SurvivorAccount.objects.exists()


def test_a_new_pin_and_closing_the_account(web_login, case_worker_a, portal_a, client):
    browser = web_login(case_worker_a)
    page = browser.post(f"/voice/cases/{portal_a.survivor.pk}/account/pin/", {"pin": "274619"})
    assert page.context["shown_pin"] == "274619"
    browser.post(f"/voice/cases/{portal_a.survivor.pk}/account/close/")
    portal_a.account.refresh_from_db()
    assert not portal_a.account.is_active
    assert (
        client.post("/me/sign-in/", {"identifier": "amara", "secret": "274619"}).status_code == 401
    )


def test_the_case_page_links_to_the_portal_and_feedback_page(web_login, case_worker_a, survivor_a):
    html = web_login(case_worker_a).get(f"/cases/{survivor_a.pk}/").content.decode()
    assert f"/voice/cases/{survivor_a.pk}/" in html


def test_the_survivors_comments_show_on_the_case_voice_page(
    web_login, case_worker_a, survivor_client, portal_a
):
    from aftercare.cases import care
    from tests.conftest import actor

    goal = care.add_goal(
        actor(case_worker_a), portal_a.survivor, {"domain": "housing", "description": "A room"}
    )
    survivor_client(portal_a).post(
        f"/me/goals/{goal.pk}/comment/", {"text": "Near the taxi rank please"}
    )
    html = web_login(case_worker_a).get(f"/voice/cases/{portal_a.survivor.pk}/").content.decode()
    assert "Near the taxi rank please" in html


# The duty-bearer registry
# --------------------------------------------------------------------------


def test_case_staff_add_a_duty_bearer_on_the_page(web_login, case_worker_a, org_a):
    browser = web_login(case_worker_a)
    response = browser.post(
        "/voice/duty-bearers/new/",
        {
            "name": "Panchayat member, Ward 4",
            "kind": "panchayat_member",
            "organisation": str(org_a.pk),
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    bearer = DutyBearer.objects.get()
    assert bearer.registered_by == org_a
    assert "Panchayat member, Ward 4" in browser.get("/voice/duty-bearers/").content.decode()


def test_another_organisation_cannot_edit_an_entry_it_did_not_register(
    web_login, case_worker_b, org_a
):
    bearer = DutyBearerFactory(organisation=org_a)
    browser = web_login(case_worker_b)
    assert browser.get(f"/voice/duty-bearers/{bearer.pk}/").status_code == 404
    response = browser.post(
        f"/voice/duty-bearers/{bearer.pk}/",
        {"name": "Renamed", "kind": "lawyer", "organisation": str(org_a.pk), "version": 1},
    )
    assert response.status_code == 404
    bearer.refresh_from_db()
    assert bearer.name != "Renamed"


@pytest.mark.parametrize("role", [Role.REFERRAL_SOURCE, Role.ME_OFFICER])
def test_a_lower_role_cannot_add_duty_bearers(web_login, org_a, role):
    browser = web_login(member(org_a, role))
    assert browser.get("/voice/duty-bearers/").status_code == 200
    assert (
        browser.post(
            "/voice/duty-bearers/new/",
            {"name": "X", "kind": "lawyer", "organisation": str(org_a.pk)},
        ).status_code
        == 403
    )


def test_survivors_do_not_see_the_registry_page(survivor_client, portal_a):
    assert survivor_client(portal_a).get("/voice/duty-bearers/").status_code == 403


def test_a_stale_edit_loses_nothing(web_login, case_worker_a, org_a):
    bearer = DutyBearerFactory(organisation=org_a, registered_by=org_a, name="Old name")
    browser = web_login(case_worker_a)
    data = {
        "name": "First",
        "kind": "health_worker",
        "organisation": str(org_a.pk),
        "is_active": "on",
        "version": 1,
    }
    assert browser.post(f"/voice/duty-bearers/{bearer.pk}/", data).status_code == 302
    assert (
        browser.post(f"/voice/duty-bearers/{bearer.pk}/", {**data, "name": "Second"}).status_code
        == 409
    )
    bearer.refresh_from_db()
    assert (bearer.name, bearer.version) == ("First", 2)


def test_the_coordinator_may_correct_any_entry(web_login, coordinator, org_a):
    bearer = DutyBearerFactory(organisation=org_a, registered_by=org_a)
    data = {
        "name": "Corrected",
        "kind": "health_worker",
        "organisation": str(org_a.pk),
        "is_active": "on",
        "version": 1,
    }
    assert web_login(coordinator).post(f"/voice/duty-bearers/{bearer.pk}/", data).status_code == 302


# Performance page ---------------------------------------------------------------------------------


@pytest.fixture
def rated(org_a, org_b):
    rate(
        org_a,
        4,
        n=6,
        period=LAST_YEAR,
        comment="Call 0825550101 they were kind",
        comment_status="pending",
        quote="Call [phone number] they were kind",
    )
    rate(org_b, 2, n=3, period=LAST_YEAR)
    return org_a


@pytest.mark.parametrize(
    "role", [Role.NETWORK_COORDINATOR, Role.ME_OFFICER, Role.SUPERVISOR, Role.ADMIN]
)
def test_the_performance_page_ranks_with_uncertainty(web_login, org_a, rated, role):
    page = web_login(member(org_a, role)).get("/voice/performance/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "Organisation A" in html and "Organisation B" not in html
    assert " style=" not in html and "<script>" not in html
    assert "1 more has fewer ratings than can be shown" in html


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.REFERRAL_SOURCE])
def test_lower_roles_cannot_open_the_performance_page(web_login, org_a, rated, role):
    browser = web_login(member(org_a, role))
    assert browser.get("/voice/performance/").status_code == 403
    assert browser.get(f"/voice/performance/{org_a.pk}/").status_code == 403


def test_a_survivor_cannot_open_the_performance_page(survivor_client, portal_a, rated):
    assert survivor_client(portal_a).get("/voice/performance/").status_code == 403


def test_a_withheld_subject_has_no_page(web_login, coordinator, rated, org_b):
    assert web_login(coordinator).get(f"/voice/performance/{org_b.pk}/").status_code == 404


# Moderation ---------------------------------------------------------------------------------------


def test_the_coordinator_screens_and_quotes_a_comment(web_login, coordinator, rated, org_a):
    browser = web_login(coordinator)
    queue = browser.get("/voice/moderation/").content.decode()
    assert "Call [phone number] they were kind" in queue
    pending = Rating.objects.filter(comment_status="pending").first()
    browser.post(
        f"/voice/moderation/{pending.pk}/",
        {"decision": "approve", "quote": "They were kind, call 0825550101"},
    )
    pending.refresh_from_db()
    assert (
        pending.comment_status == "approved"
        and pending.quote == "They were kind, call [phone number]"
    )
    subject_page = browser.get(f"/voice/performance/{org_a.pk}/").content.decode()
    assert "They were kind, call [phone number]" in subject_page


def test_a_rejected_comment_is_never_quoted(web_login, coordinator, rated, org_a):
    browser = web_login(coordinator)
    pending = Rating.objects.filter(comment_status="pending").first()
    browser.post(f"/voice/moderation/{pending.pk}/", {"decision": "reject"})
    assert "they were kind" not in browser.get(f"/voice/performance/{org_a.pk}/").content.decode()


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ME_OFFICER, Role.ADMIN])
def test_only_the_coordinator_reads_comments_before_screening(web_login, org_a, rated, role):
    browser = web_login(member(org_a, role))
    assert browser.get("/voice/moderation/").status_code == 403
    pending = Rating.objects.filter(comment_status="pending").first()
    assert (
        browser.post(f"/voice/moderation/{pending.pk}/", {"decision": "approve"}).status_code == 403
    )
    assert "0825550101" not in browser.get(f"/voice/performance/{org_a.pk}/").content.decode()


def test_the_coordinator_highlights_good_practice(web_login, coordinator, rated, org_a):
    browser = web_login(coordinator)
    browser.post(
        f"/voice/performance/{org_a.pk}/highlight/",
        {"text": "Peer supporters go to court with survivors"},
    )
    assert GoodPractice.objects.get().organisation == org_a
    assert "Peer supporters go to court" in browser.get("/voice/performance/").content.decode()


def test_a_supervisor_cannot_highlight(web_login, org_a, rated):
    response = web_login(member(org_a, Role.SUPERVISOR)).post(
        f"/voice/performance/{org_a.pk}/highlight/", {"text": "We are great"}
    )
    assert response.status_code == 403
    assert not GoodPractice.objects.exists()


def test_the_portal_rating_form_rates_the_organisation_or_a_duty_bearer(survivor_client, portal_a):
    service = ServiceFactory(survivor=portal_a.survivor)
    nurse = DutyBearerFactory(organisation=service.organisation, name="Nurse Thembi")
    browser = survivor_client(portal_a)
    form = {
        "subject": str(nurse.pk),
        "respect": 5,
        "timeliness": 4,
        "helpfulness": 4,
        "safety": 5,
        "information": 3,
    }
    assert browser.post(f"/me/rate/{service.pk}/", form).status_code == 302
    assert Rating.objects.get().duty_bearer == nurse
    page = browser.get(f"/me/rate/{service.pk}/").content.decode()
    assert "Nurse Thembi" not in page  # rated once; the organisation is still open
    assert browser.post(f"/me/rate/{service.pk}/", form).status_code == 400
    assert Rating.objects.count() == 1
