"""Closed-loop referrals: consent, the state machine, who may move it, what each side sees."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditEvent
from aftercare.cases import care
from aftercare.cases import services as case_services
from aftercare.cases.models import Survivor
from aftercare.core.errors import ConsentRequired, DomainError, TransitionNotAllowed
from aftercare.core.models import Notification
from aftercare.referrals import services
from aftercare.referrals.models import Referral
from tests.conftest import actor
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ALL_ACTIONS = ["accept", "decline", "start", "complete", "cancel"]


@pytest.fixture
def consenting_survivor(case_worker_a, survivor_a):
    worker = actor(case_worker_a)
    care.record_consent(
        worker, survivor_a, purpose="service_delivery", granted=True, method="written"
    )
    care.record_consent(worker, survivor_a, purpose="referral", granted=True, method="verbal")
    return survivor_a


@pytest.fixture
def referral(case_worker_a, consenting_survivor, org_b, case_worker_b):
    return services.refer_survivor(
        actor(case_worker_a),
        consenting_survivor,
        org_b,
        ["housing", "legal"],
        "Needs a safe bed tonight",
    )


def move(user, referral, action, text="because"):
    return services.transition(actor(user), referral.pk, action, text=text)


# Making a referral ----------------------------------------------------------------------


def test_referral_without_consent_is_refused_and_nothing_is_written(
    case_worker_a, survivor_a, org_b
):
    with pytest.raises(ConsentRequired):
        services.refer_survivor(actor(case_worker_a), survivor_a, org_b, ["housing"], "x")
    assert not Referral.objects.exists()


def test_api_refusal_without_consent_is_409_with_a_clear_message(
    api, case_worker_a, survivor_a, org_b
):
    response = api.as_user(case_worker_a).post(
        "/api/v1/referrals",
        {
            "survivor": str(survivor_a.pk),
            "to_organisation": str(org_b.pk),
            "domains": ["housing"],
            "reason": "x",
        },
        format="json",
    )
    assert response.status_code == 409
    assert "consent" in str(response.json()["errors"]).lower()


def test_consent_withdrawn_for_that_organisation_blocks_the_referral(
    case_worker_a, consenting_survivor, org_b
):
    care.record_consent(
        actor(case_worker_a),
        consenting_survivor,
        purpose="referral",
        granted=False,
        method="verbal",
        organisation=org_b,
    )
    with pytest.raises(ConsentRequired):
        services.refer_survivor(actor(case_worker_a), consenting_survivor, org_b, ["housing"], "x")


def test_emergency_override_needs_a_justification_and_is_audited(case_worker_a, survivor_a, org_b):
    referral = services.refer_survivor(
        actor(case_worker_a),
        survivor_a,
        org_b,
        ["safety"],
        "Trafficker outside the shelter",
        emergency_justification=(
            "She is unconscious in hospital and the trafficker is looking for her"
        ),
    )
    assert referral.emergency_override
    event = AuditEvent.objects.get(action="create", object_id=str(referral.pk))
    assert "EMERGENCY OVERRIDE" in event.reason


def test_deadline_is_72_hours_or_24_when_a_referred_need_is_urgent(
    case_worker_a, consenting_survivor, org_b
):
    normal = services.refer_survivor(
        actor(case_worker_a), consenting_survivor, org_b, ["legal"], "x"
    )
    assert abs((normal.respond_by - normal.created_at) - timedelta(hours=72)) < timedelta(seconds=5)
    care.assess_needs(actor(case_worker_a), consenting_survivor, {"housing": "urgent"})
    urgent = services.refer_survivor(
        actor(case_worker_a), consenting_survivor, org_b, ["housing"], "x"
    )
    assert urgent.urgent and abs(
        (urgent.respond_by - urgent.created_at) - timedelta(hours=24)
    ) < timedelta(seconds=5)


@pytest.mark.parametrize(
    ("domains", "reason", "field"),
    [([], "x", "domains"), (["flying"], "x", "domains"), (["housing"], " ", "reason")],
)
def test_bad_referral_input_is_refused(
    case_worker_a, consenting_survivor, org_b, domains, reason, field
):
    with pytest.raises(DomainError) as error:
        services.refer_survivor(actor(case_worker_a), consenting_survivor, org_b, domains, reason)
    assert error.value.field == field


def test_cannot_refer_another_organisations_case(case_worker_b, consenting_survivor, org_a):
    with pytest.raises(Http404):
        services.refer_survivor(actor(case_worker_b), consenting_survivor, org_a, ["housing"], "x")


def test_receiver_is_notified_in_app_and_by_email(referral, case_worker_b, settings):
    assert Notification.objects.filter(
        user=case_worker_b, key="referral.new", params__code=referral.survivor.case_code
    ).exists()


def test_notification_email_names_no_one(
    case_worker_a, consenting_survivor, org_b, make_member, django_capture_on_commit_callbacks
):
    receiver = make_member(org_b, Role.CASE_WORKER)
    receiver.email = "receiver@example.org"
    receiver.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.refer_survivor(actor(case_worker_a), consenting_survivor, org_b, ["housing"], "x")
    assert mail.outbox, "the e-mail copy was not sent"
    body = mail.outbox[-1].body + mail.outbox[-1].subject
    assert consenting_survivor.case_code in body and "Lindiwe" not in body and "Mokoena" not in body


# The state machine ----------------------------------------------------------------------


def test_full_happy_path(referral, case_worker_a, case_worker_b):
    move(case_worker_b, referral, "accept")
    move(case_worker_b, referral, "start")
    done = move(case_worker_b, referral, "complete", "Placed at the shelter; legal aid booked")
    assert done.status == "completed" and done.outcome.startswith("Placed") and done.closed_at
    assert [e.to_status for e in done.events.all()] == [
        "sent",
        "accepted",
        "in_progress",
        "completed",
    ]


def test_decline_needs_a_reason(referral, case_worker_b):
    with pytest.raises(DomainError):
        move(case_worker_b, referral, "decline", "")
    declined = move(case_worker_b, referral, "decline", "No beds until March")
    assert (declined.status, declined.decline_reason) == ("declined", "No beds until March")


def test_complete_needs_an_outcome(referral, case_worker_b):
    move(case_worker_b, referral, "accept")
    with pytest.raises(DomainError):
        move(case_worker_b, referral, "complete", "")


ALLOWED = {
    "sent": {"accept", "decline", "cancel"},
    "accepted": {"start", "complete", "cancel"},
    "in_progress": {"complete", "cancel"},
    "declined": set(),
    "expired": set(),
    "completed": set(),
    "cancelled": set(),
}


@pytest.mark.parametrize("state", list(ALLOWED))
@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_every_transition_from_every_state(referral, case_worker_a, case_worker_b, state, action):
    Referral.objects.filter(pk=referral.pk).update(status=state)
    mover = case_worker_a if action == "cancel" else case_worker_b
    if action in ALLOWED[state]:
        assert move(mover, referral, action).status != state
    else:
        with pytest.raises(TransitionNotAllowed):
            move(mover, referral, action)
        assert Referral.objects.get(pk=referral.pk).status == state


def test_illegal_transition_is_409_in_the_api(api, referral, case_worker_b):
    client = api.as_user(case_worker_b)
    assert (
        client.post(
            f"/api/v1/referrals/{referral.pk}/decline", {"reason": "full"}, format="json"
        ).status_code
        == 200
    )
    response = client.post(f"/api/v1/referrals/{referral.pk}/accept", {}, format="json")
    assert response.status_code == 409 and "status" in response.json()["errors"]


@pytest.mark.parametrize("action", ["accept", "decline", "start", "complete"])
def test_only_the_receiver_accepts_declines_and_completes(api, referral, case_worker_a, action):
    response = api.as_user(case_worker_a).post(
        f"/api/v1/referrals/{referral.pk}/{action}", {"reason": "x", "outcome": "x"}, format="json"
    )
    assert response.status_code == 403
    assert Referral.objects.get(pk=referral.pk).status == "sent"


def test_only_the_sender_cancels(api, referral, case_worker_b):
    assert (
        api.as_user(case_worker_b)
        .post(f"/api/v1/referrals/{referral.pk}/cancel", {}, format="json")
        .status_code
        == 403
    )


def test_a_third_organisation_gets_404_for_everything(api, referral, make_member):
    outsider = make_member(OrganisationFactory(slug="org-c"), Role.SUPERVISOR)
    client = api.as_user(outsider)
    assert client.get(f"/api/v1/referrals/{referral.pk}").status_code == 404
    for action in ALL_ACTIONS:
        assert (
            client.post(
                f"/api/v1/referrals/{referral.pk}/{action}",
                {"reason": "x", "outcome": "x"},
                format="json",
            ).status_code
            == 404
        )
    assert client.get("/api/v1/referrals").json()["count"] == 0


@pytest.mark.parametrize(
    "role", [Role.ME_OFFICER, Role.NETWORK_COORDINATOR, Role.SURVIVOR, Role.ADMIN]
)
def test_lower_roles_of_the_receiver_cannot_accept(referral, org_b, make_member, role):
    user = make_member(org_b, role)
    with pytest.raises((PermissionDenied, Http404)):
        move(user, referral, "accept")


def test_stale_version_is_409(api, referral, case_worker_b):
    response = api.as_user(case_worker_b).post(
        f"/api/v1/referrals/{referral.pk}/accept", {"version": 7}, format="json"
    )
    assert response.status_code == 409


def test_lists_by_direction_and_status(api, referral, case_worker_a, case_worker_b):
    assert (
        api.as_user(case_worker_b).get("/api/v1/referrals?direction=incoming").json()["count"] == 1
    )
    assert (
        api.as_user(case_worker_b).get("/api/v1/referrals?direction=outgoing").json()["count"] == 0
    )
    assert (
        api.as_user(case_worker_a)
        .get("/api/v1/referrals?direction=outgoing&status=sent")
        .json()["count"]
        == 1
    )
    assert api.as_user(case_worker_a).get("/api/v1/referrals?status=bogus").status_code == 400


# Deadlines ------------------------------------------------------------------------------


def test_reminder_before_the_deadline_then_expiry_after_it(referral, case_worker_a, case_worker_b):
    soon = referral.respond_by - timedelta(hours=6)
    assert services.sweep(now=soon) == {"reminded": 1, "expired": 0}
    assert services.sweep(now=soon) == {"reminded": 0, "expired": 0}  # once only
    assert Notification.objects.filter(user=case_worker_b, key="referral.reminder").exists()
    late = referral.respond_by + timedelta(minutes=1)
    assert services.sweep(now=late) == {"reminded": 0, "expired": 1}
    expired = Referral.objects.get(pk=referral.pk)
    assert expired.status == "expired" and expired.closed_at
    assert Notification.objects.filter(user=case_worker_a, key="referral.expired").exists()


def test_an_answered_referral_never_expires(referral, case_worker_b):
    move(case_worker_b, referral, "accept")
    assert services.sweep(now=referral.respond_by + timedelta(days=3)) == {
        "reminded": 0,
        "expired": 0,
    }


# What each side sees --------------------------------------------------------------------


def test_receiver_sees_only_the_minimum_before_accepting(
    api, referral, case_worker_b, consenting_survivor
):
    client = api.as_user(case_worker_b)
    body = client.get(f"/api/v1/referrals/{referral.pk}").json()
    assert set(body["summary"]) == {
        "case_code",
        "first_name",
        "age_band",
        "is_minor",
        "languages",
        "needs",
        "reason",
    }
    assert body["summary"]["first_name"] == "Lindiwe" and "Mokoena" not in str(body)
    assert client.get(f"/api/v1/survivors/{consenting_survivor.pk}").status_code == 404


def test_after_acceptance_receiver_sees_what_was_shared_and_no_identity(
    api, referral, case_worker_b, consenting_survivor
):
    move(case_worker_b, referral, "accept")
    body = api.as_user(case_worker_b).get(f"/api/v1/survivors/{consenting_survivor.pk}").json()
    assert body["case_code"] == consenting_survivor.case_code
    assert body["given_name"] == "Lindiwe" and "family_name" not in body and "phone" not in body


def test_identity_shared_when_she_agreed(
    case_worker_a, consenting_survivor, org_b, case_worker_b, api
):
    referral = services.refer_survivor(
        actor(case_worker_a),
        consenting_survivor,
        org_b,
        ["housing"],
        "x",
        shared_sections=["identity", "needs"],
    )
    move(case_worker_b, referral, "accept")
    body = api.as_user(case_worker_b).get(f"/api/v1/survivors/{consenting_survivor.pk}").json()
    assert body["family_name"] == "Mokoena"


def test_case_page_for_the_receiver_hides_unshared_sections(
    web_login, referral, case_worker_b, consenting_survivor
):
    move(case_worker_b, referral, "accept")
    page = web_login(case_worker_b).get(f"/cases/{consenting_survivor.pk}/")
    assert page.status_code == 200
    assert (
        b'id="legal"' not in page.content
        and b'id="documents"' not in page.content
        and b'id="consent"' not in page.content
    )
    assert b'id="plan"' in page.content and b'id="needs"' in page.content


def test_receiver_cannot_change_the_holders_profile_or_consent(
    referral, case_worker_b, consenting_survivor
):
    move(case_worker_b, referral, "accept")
    with pytest.raises(Http404):
        case_services.update_survivor(
            actor(case_worker_b), consenting_survivor, {"phone": "1"}, consenting_survivor.version
        )
    with pytest.raises(PermissionDenied):
        care.record_consent(
            actor(case_worker_b),
            consenting_survivor,
            purpose="contact",
            granted=True,
            method="verbal",
        )


def test_receiver_records_a_service_it_delivered(
    referral, case_worker_b, consenting_survivor, org_b
):
    move(case_worker_b, referral, "accept")
    care.record_service(
        actor(case_worker_b),
        consenting_survivor,
        {"domain": "housing", "organisation": org_b, "date": timezone.localdate()},
    )
    assert consenting_survivor.services.filter(organisation=org_b).exists()


@pytest.mark.parametrize("closing", ["complete", "cancel"])
def test_access_ends_when_the_referral_closes(
    api, referral, case_worker_a, case_worker_b, consenting_survivor, closing
):
    move(case_worker_b, referral, "accept")
    assert (
        api.as_user(case_worker_b).get(f"/api/v1/survivors/{consenting_survivor.pk}").status_code
        == 200
    )
    move(case_worker_a if closing == "cancel" else case_worker_b, referral, closing, "done")
    assert (
        api.as_user(case_worker_b).get(f"/api/v1/survivors/{consenting_survivor.pk}").status_code
        == 404
    )
    # ...while the history stays in the audit trail.
    assert AuditEvent.objects.filter(
        object_id=str(consenting_survivor.pk), actor_username=case_worker_b.username, action="read"
    ).exists()


def test_declined_referral_shares_nothing(api, referral, case_worker_b, consenting_survivor):
    move(case_worker_b, referral, "decline", "full")
    assert (
        api.as_user(case_worker_b).get(f"/api/v1/survivors/{consenting_survivor.pk}").status_code
        == 404
    )


# The referral-source role ---------------------------------------------------------------


@pytest.fixture
def prosecutor(make_member):
    office = OrganisationFactory(slug="npa", kind="prosecutor")
    return make_member(office, Role.REFERRAL_SOURCE, "prosecutor")


def test_prosecutor_refers_someone_new_and_follows_the_outcome(
    api, prosecutor, org_b, case_worker_b, make_member
):
    client = api.as_user(prosecutor)
    created = client.post(
        "/api/v1/referrals",
        {
            "person": {"given_name": "Nomsa", "year_of_birth": 2001, "languages": ["zu"]},
            "consent_given": True,
            "consent_method": "verbal",
            "transfer_consent_given": True,
            "to_organisation": str(org_b.pk),
            "domains": ["housing", "vocational_training"],
            "reason": "Trial ended; nowhere to go",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    referral_id = created.json()["id"]
    move(case_worker_b, Referral.objects.get(pk=referral_id), "accept")
    survivor = Referral.objects.get(pk=referral_id).survivor
    assert survivor.organisation_id != org_b.pk  # accepting alone never moves a case
    supervisor = make_member(prosecutor.memberships.first().organisation, Role.SUPERVISOR)
    approved = api.as_user(supervisor).post(f"/api/v1/referrals/{referral_id}/approve-transfer")
    assert approved.status_code == 200, approved.json()
    survivor.refresh_from_db()
    assert survivor.organisation_id == org_b.pk  # she agreed and the supervisor approved: it moved
    assert api.as_user(case_worker_b).get(f"/api/v1/survivors/{survivor.pk}").status_code == 200
    status = client.get(f"/api/v1/referrals/{referral_id}").json()["status"]
    assert status == "accepted"


def test_prosecutor_referral_needs_her_consent(api, prosecutor, org_b):
    response = api.as_user(prosecutor).post(
        "/api/v1/referrals",
        {
            "person": {"given_name": "Nomsa"},
            "consent_given": False,
            "to_organisation": str(org_b.pk),
            "domains": ["housing"],
            "reason": "x",
        },
        format="json",
    )
    assert response.status_code == 409
    assert not Survivor.objects.exists()


def test_prosecutor_sees_nothing_else(api, prosecutor, referral, survivor_a):
    client = api.as_user(prosecutor)
    assert client.get("/api/v1/survivors").status_code == 403
    assert client.get(f"/api/v1/survivors/{survivor_a.pk}").status_code == 404
    assert client.get("/api/v1/referrals").json()["count"] == 0  # another organisation's referral
    assert client.get(f"/api/v1/referrals/{referral.pk}").status_code == 404


def test_prosecutor_sees_only_own_referrals_not_colleagues(api, prosecutor, org_b, make_member):
    colleague = make_member(prosecutor.memberships.first().organisation, Role.REFERRAL_SOURCE)
    for user in (prosecutor, colleague):
        services.refer_new_person(
            actor(user), {"given_name": "A"}, org_b, ["legal"], "x", consent_given=True
        )
    assert api.as_user(prosecutor).get("/api/v1/referrals").json()["count"] == 1


def test_prosecutor_uses_the_directory_and_referral_pages(web_login, prosecutor, referral):
    client = web_login(prosecutor)
    assert client.get("/network/").status_code == 200
    assert client.get("/referrals/").status_code == 200
    assert client.get("/referrals/new/").status_code == 200
    assert client.get("/cases/").status_code == 403


# Pages ------------------------------------------------------------------------------------


def test_receiver_accepts_on_the_page(web_login, referral, case_worker_b):
    client = web_login(case_worker_b)
    page = client.get(f"/referrals/{referral.pk}/")
    assert b"Accept" in page.content and b"Mokoena" not in page.content
    client.post(f"/referrals/{referral.pk}/accept/", {"version": referral.version, "text": ""})
    assert Referral.objects.get(pk=referral.pk).status == "accepted"


def test_case_worker_refers_from_the_case_page(
    web_login, case_worker_a, consenting_survivor, org_b
):
    client = web_login(case_worker_a)
    assert client.get(f"/referrals/new/{consenting_survivor.pk}/").status_code == 200
    response = client.post(
        f"/referrals/new/{consenting_survivor.pk}/",
        {
            "to_organisation": str(org_b.pk),
            "domains": ["legal"],
            "reason": "Court support",
            "shared_sections": ["needs"],
        },
    )
    assert response.status_code == 302
    assert Referral.objects.filter(survivor=consenting_survivor, to_organisation=org_b).exists()


def test_refer_page_for_someone_elses_case_is_404(web_login, case_worker_b, consenting_survivor):
    assert (
        web_login(case_worker_b).get(f"/referrals/new/{consenting_survivor.pk}/").status_code == 404
    )
