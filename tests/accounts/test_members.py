"""Members on the web and in the API (issue 16): an organisation admin invites, changes roles,
resets second factors and deactivates leavers; roles that see cases wait for a supervisor.

Every action is tried by an admin of another organisation (404) and by a lower role (403)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from aftercare.accounts import members
from aftercare.accounts.models import (
    ApiToken,
    ApprovalStatus,
    Invitation,
    MemberApproval,
    Membership,
    User,
)
from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditEvent
from aftercare.core.models import Notification
from tests.conftest import actor, current_code, member
from tests.factories import PASSWORD, totp_device

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum orchard lantern 42"  # noqa: S105


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def people(org_a, org_b):
    return {
        "admin": member(org_a, Role.ADMIN, "admin_a"),
        "admin2": member(org_a, Role.ADMIN, "admin2_a"),
        "supervisor": member(org_a, Role.SUPERVISOR, "sup_a"),
        "supervisor2": member(org_a, Role.SUPERVISOR, "sup2_a"),
        "worker": member(org_a, Role.CASE_WORKER, "worker_a"),
        "field": member(org_a, Role.FIELD_WORKER, "field_a"),
        "admin_b": member(org_b, Role.ADMIN, "admin_b"),
        "supervisor_b": member(org_b, Role.SUPERVISOR, "sup_b"),
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or totp_device(user)
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1
    )  # the same code again: a new sign-in, not a replay
    device.refresh_from_db()
    assert client.post("/accounts/two-factor/", {"code": current_code(device)}).status_code == 302
    return client


def token(user, api_client):
    raw, _ = ApiToken.issue(user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return api_client


def membership(user, org) -> Membership:
    return Membership.objects.get(user=user, organisation=org)


def invite_link(client, username, role, email="") -> str:
    response = client.post(
        "/accounts/members/invite/", {"username": username, "role": role, "email": email}
    )
    assert response.status_code == 200, response.content
    match = re.search(
        r'value="(https?://[^"]+/accounts/invitation/[^"]+/)"', response.content.decode()
    )
    assert match, "the one-time link is shown to the admin"
    return match.group(1)


def path_of(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


# --- the list ------------------------------------------------------------------------------


def test_the_admin_sees_their_members_with_role_state_second_factor_and_last_sign_in(people, org_a):
    totp_device(people["worker"])
    people["worker"].last_login = timezone.now()
    people["worker"].save()
    page = signed_in(people["admin"]).get("/accounts/members/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("admin_a", "sup_a", "worker_a", "field_a"):
        assert name in html
    assert "admin_b" not in html and "sup_b" not in html
    assert "Field worker" in html and "Not set up" in html and "Never" in html


def test_members_are_in_the_navigation_of_admins_only(people):
    assert "/accounts/members/" in signed_in(people["admin"]).get("/dashboard/").content.decode()
    assert (
        "/accounts/members/" not in signed_in(people["worker"]).get("/dashboard/").content.decode()
    )
    assert (
        "/accounts/member-approvals/"
        in signed_in(people["supervisor"]).get("/dashboard/").content.decode()
    )


@pytest.mark.parametrize("who", ["worker", "supervisor", "field"])
def test_lower_roles_are_refused_the_members_pages(people, who):
    client = signed_in(people[who])
    assert client.get("/accounts/members/").status_code == 403
    assert client.get("/accounts/members/invite/").status_code == 403
    assert (
        client.post(
            "/accounts/members/invite/", {"username": "x1", "role": "field_worker"}
        ).status_code
        == 403
    )
    assert not User.objects.filter(username="x1").exists()


@pytest.mark.parametrize("action", ["role", "reset-second-factor", "deactivate"])
def test_an_admin_of_another_organisation_gets_404_and_a_lower_role_403(people, org_a, action):
    totp_device(people["field"])
    target = membership(people["field"], org_a)
    data = {"role": Role.ME_OFFICER} if action == "role" else {}
    url = f"/accounts/members/{target.pk}/{action}/"
    assert signed_in(people["admin_b"]).post(url, data).status_code == 404
    assert signed_in(people["worker"]).post(url, data).status_code == 403
    assert signed_in(people["supervisor"]).post(url, data).status_code == 403
    target.refresh_from_db()
    assert target.is_active and target.role == Role.FIELD_WORKER
    assert TOTPDevice.objects.filter(user=people["field"]).exists()


# --- inviting ------------------------------------------------------------------------------


def test_invite_without_case_access_end_to_end(people, org_a, django_capture_on_commit_callbacks):
    admin = signed_in(people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        link = invite_link(admin, "new_field", Role.FIELD_WORKER, email="new@example.org")
    raw = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get(membership__user__username="new_field")
    assert invitation.token_hash == Invitation.hash(raw) and raw not in invitation.token_hash
    assert invitation.expires_at - timezone.now() > timedelta(hours=71)
    # Stored nowhere: not in the audit trail, not in a notification.
    assert not AuditEvent.objects.filter(reason__contains=raw).exists()
    assert not AuditEvent.objects.filter(object_label__contains=raw).exists()
    assert not Notification.objects.filter(link__contains=raw).exists()
    # E-mailed once, with the link and in words.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.org"]
    assert path_of(link) in mail.outbox[0].body and "Field worker" in mail.outbox[0].body
    # Unusable until the link is used.
    user = User.objects.get(username="new_field")
    assert not user.is_active and not user.has_usable_password()
    assert not membership(user, org_a).is_active

    invitee = Client()
    page = invitee.get(path_of(link))
    assert page.status_code == 200 and "new_field" in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"
    refused = invitee.post(
        path_of(link), {"password": "12345678901", "password_again": "12345678901"}
    )
    assert refused.status_code == 400 and "entirely numeric" in refused.content.decode()
    done = invitee.post(path_of(link), {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/two-factor/set-up/"
    user.refresh_from_db()
    assert user.is_active and user.check_password(NEW_PASSWORD)
    assert membership(user, org_a).is_active
    # The staff role needs a second factor before any page opens.
    assert invitee.get("/dashboard/")["Location"] == "/accounts/two-factor/"
    enrol = invitee.get("/accounts/two-factor/set-up/")
    assert enrol.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert (
        invitee.post("/accounts/two-factor/set-up/", {"code": current_code(device)}).status_code
        == 200
    )
    assert invitee.get("/dashboard/").status_code == 200
    # Single use.
    assert Client().get(path_of(link)).status_code == 404
    assert (
        Client()
        .post(path_of(link), {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
        .status_code
        == 404
    )


def test_an_expired_or_unknown_link_does_not_work(people, org_a):
    link = invite_link(signed_in(people["admin"]), "late_one", Role.ME_OFFICER)
    Invitation.objects.filter(membership__user__username="late_one").update(
        expires_at=timezone.now()
    )
    assert Client().get(path_of(link)).status_code == 404
    assert (
        Client()
        .post(path_of(link), {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
        .status_code
        == 404
    )
    assert not User.objects.get(username="late_one").is_active
    assert Client().get("/accounts/invitation/not-a-token/").status_code == 404


def test_a_username_already_taken_is_refused_with_a_message(people):
    response = signed_in(people["admin"]).post(
        "/accounts/members/invite/", {"username": "WORKER_A", "role": "me_officer"}
    )
    assert response.status_code == 400 and "taken" in response.content.decode()


def test_inviting_into_a_case_role_waits_for_a_supervisor(people, org_a):
    link = invite_link(signed_in(people["admin"]), "new_worker", Role.CASE_WORKER)
    approval = MemberApproval.objects.get(membership__user__username="new_worker")
    assert approval.status == ApprovalStatus.PENDING
    assert Notification.objects.filter(
        user=people["supervisor"], key="members.approval_needed"
    ).exists()
    assert not Notification.objects.filter(
        user=people["worker"], key="members.approval_needed"
    ).exists()
    invitee = Client()
    invitee.post(path_of(link), {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    user = User.objects.get(username="new_worker")
    assert user.is_active and not membership(user, org_a).is_active
    assert invitee.get("/cases/").status_code == 403  # no role yet: nothing to see

    # Neither the admin who asked nor another organisation's supervisor may decide.
    url = f"/accounts/member-approvals/{approval.pk}/approve/"
    assert signed_in(people["admin"]).post(url).status_code == 403
    assert signed_in(people["supervisor_b"]).post(url).status_code == 404
    assert signed_in(people["worker"]).post(url).status_code == 403
    assert signed_in(people["supervisor"]).post(url).status_code == 302
    assert membership(user, org_a).is_active
    approval.refresh_from_db()
    assert (
        approval.status == ApprovalStatus.APPROVED and approval.decided_by == people["supervisor"]
    )
    # Now the account is a case worker's, behind the second factor.
    assert invitee.get("/cases/")["Location"] == "/accounts/two-factor/"


def test_an_invitation_approved_before_it_is_used_starts_when_used(people, org_a):
    sent = members.invite(actor(people["admin"]), username="early", role=Role.SUPERVISOR)
    approval = MemberApproval.objects.get(membership=sent.membership)
    members.decide(actor(people["supervisor"]), approval.pk, True)
    assert not membership(sent.membership.user, org_a).is_active
    members.accept_invitation(sent.link.rstrip("/").rsplit("/", 1)[1], NEW_PASSWORD)
    assert membership(sent.membership.user, org_a).is_active


def test_a_rejected_invitation_revokes_the_link(people, org_a):
    sent = members.invite(actor(people["admin"]), username="refused", role=Role.ADMIN)
    approval = MemberApproval.objects.get(membership=sent.membership)
    response = signed_in(people["supervisor"]).post(
        f"/accounts/member-approvals/{approval.pk}/reject/"
    )
    assert response.status_code == 302
    assert Client().get(path_of(sent.link)).status_code == 404
    assert not membership(sent.membership.user, org_a).is_active
    assert Notification.objects.filter(user=people["admin"], key="members.rejected").exists()


# --- approving -----------------------------------------------------------------------------


def test_nobody_approves_their_own_request_or_their_own_role(people, org_a):
    # An admin asks; later the same person is a supervisor: still not theirs to approve.
    change = members.change_role(
        actor(people["admin2"]), membership(people["field"], org_a).pk, Role.CASE_WORKER
    )
    own = membership(people["admin2"], org_a)
    Membership.objects.filter(pk=own.pk).update(role=Role.SUPERVISOR)
    cache.clear()
    response = signed_in(people["admin2"]).post(
        f"/accounts/member-approvals/{change.approval.pk}/approve/"
    )
    assert response.status_code == 403
    # A supervisor promoted to admin cannot approve it themselves.
    promotion = members.change_role(
        actor(people["admin"]), membership(people["supervisor"], org_a).pk, Role.ADMIN
    )
    response = signed_in(people["supervisor"]).post(
        f"/accounts/member-approvals/{promotion.approval.pk}/approve/"
    )
    assert response.status_code == 403
    assert membership(people["supervisor"], org_a).role == Role.SUPERVISOR
    page = signed_in(people["supervisor"]).get("/accounts/member-approvals/").content.decode()
    assert "Another supervisor must decide" in page
    # Another supervisor can.
    assert (
        signed_in(people["supervisor2"])
        .post(f"/accounts/member-approvals/{promotion.approval.pk}/approve/")
        .status_code
        == 302
    )
    assert membership(people["supervisor"], org_a).role == Role.ADMIN


def test_a_decided_approval_cannot_be_decided_again(people, org_a):
    change = members.change_role(
        actor(people["admin"]), membership(people["field"], org_a).pk, Role.CASE_WORKER
    )
    members.decide(actor(people["supervisor"]), change.approval.pk, False)
    from aftercare.core.errors import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        members.decide(actor(people["supervisor2"]), change.approval.pk, True)
    assert membership(people["field"], org_a).role == Role.FIELD_WORKER


# --- role changes --------------------------------------------------------------------------


def test_a_role_without_case_access_takes_effect_at_once(people, org_a):
    target = membership(people["worker"], org_a)
    worker = signed_in(people["worker"])
    assert worker.get("/cases/").status_code == 200
    response = signed_in(people["admin"]).post(
        f"/accounts/members/{target.pk}/role/", {"role": Role.ME_OFFICER}
    )
    assert response.status_code == 302
    assert membership(people["worker"], org_a).role == Role.ME_OFFICER
    assert worker.get("/cases/").status_code == 403  # the cached identity was invalidated
    event = AuditEvent.objects.filter(object_id=str(target.pk)).first()
    assert event.actor_username == "admin_a" and "case_worker -> me_officer" in event.reason


def test_a_role_with_case_access_waits_and_shows_as_pending(people, org_a):
    target = membership(people["field"], org_a)
    admin = signed_in(people["admin"])
    admin.post(f"/accounts/members/{target.pk}/role/", {"role": Role.CASE_WORKER})
    assert membership(people["field"], org_a).role == Role.FIELD_WORKER
    assert "awaiting approval" in admin.get("/accounts/members/").content.decode()
    approval = MemberApproval.objects.get(membership=target, status=ApprovalStatus.PENDING)
    assert approval.previous_role == Role.FIELD_WORKER and approval.requested_by == people["admin"]
    signed_in(people["supervisor"]).post(f"/accounts/member-approvals/{approval.pk}/approve/")
    assert membership(people["field"], org_a).role == Role.CASE_WORKER
    reasons = list(
        AuditEvent.objects.filter(object_id=str(target.pk)).values_list("reason", flat=True)
    )
    assert any("awaiting" in r for r in reasons) and any("approved" in r for r in reasons)


def test_the_only_admin_cannot_demote_or_deactivate_themselves(people, org_a):
    members.deactivate(actor(people["admin"]), membership(people["admin2"], org_a).pk)
    admin = signed_in(people["admin"])
    own = membership(people["admin"], org_a)
    admin.post(f"/accounts/members/{own.pk}/role/", {"role": Role.ME_OFFICER})
    admin.post(f"/accounts/members/{own.pk}/deactivate/")
    own.refresh_from_db()
    assert own.is_active and own.role == Role.ADMIN
    assert "only admin" in admin.get("/accounts/members/").content.decode()


# --- second factor, leavers ----------------------------------------------------------------


def test_reset_second_factor_removes_devices_and_ends_sessions(people, org_a, api):
    worker = signed_in(people["worker"])
    assert worker.get("/cases/").status_code == 200
    StaticDevice.objects.create(user=people["worker"], name="recovery", confirmed=True)
    api_client = token(people["worker"], api)
    target = membership(people["worker"], org_a)
    assert (
        signed_in(people["admin"])
        .post(f"/accounts/members/{target.pk}/reset-second-factor/")
        .status_code
        == 302
    )
    assert not TOTPDevice.objects.filter(user=people["worker"]).exists()
    assert not StaticDevice.objects.filter(user=people["worker"]).exists()
    assert worker.get("/cases/")["Location"].startswith("/accounts/sign-in/")
    assert api_client.get("/api/v1/me").status_code == 401
    # At the next sign-in they must enrol again.
    again = Client()
    again.post("/accounts/sign-in/", {"username": "worker_a", "password": PASSWORD})
    assert again.get("/accounts/two-factor/")["Location"] == "/accounts/two-factor/set-up/"
    assert AuditEvent.objects.filter(object_id=str(target.pk), action="two_factor").exists()


def test_deactivating_a_leaver_ends_sessions_and_tokens(people, org_a, api):
    worker = signed_in(people["worker"])
    assert worker.get("/cases/").status_code == 200
    api_client = token(people["worker"], api)
    sessions = Session.objects.count()
    target = membership(people["worker"], org_a)
    assert (
        signed_in(people["admin"]).post(f"/accounts/members/{target.pk}/deactivate/").status_code
        == 302
    )
    target.refresh_from_db()
    assert not target.is_active
    assert not User.objects.get(pk=people["worker"].pk).is_active
    assert worker.get("/cases/")["Location"].startswith("/accounts/sign-in/")
    assert api_client.get("/api/v1/me").status_code == 401
    assert not ApiToken.objects.live().filter(user=people["worker"]).exists()
    assert Session.objects.count() < sessions + 1
    assert (
        Client()
        .post("/accounts/sign-in/", {"username": "worker_a", "password": PASSWORD})
        .status_code
        == 401
    )
    event = AuditEvent.objects.get(object_id=str(target.pk), fields=["is_active"])
    assert event.actor_username == "admin_a" and event.organisation_id == org_a.pk


def test_a_leaver_who_is_a_member_elsewhere_keeps_that_membership(people, org_a, org_b):
    Membership.objects.create(user=people["worker"], organisation=org_b, role=Role.CASE_WORKER)
    members.deactivate(actor(people["admin"]), membership(people["worker"], org_a).pk)
    assert User.objects.get(pk=people["worker"].pk).is_active
    assert membership(people["worker"], org_b).is_active


# --- the API -------------------------------------------------------------------------------


def test_api_lists_invites_changes_and_deactivates(people, org_a, api):
    client = token(people["admin"], api)
    listed = client.get("/api/v1/members")
    assert listed.status_code == 200
    usernames = {row["username"] for row in listed.json()["results"]}
    assert "worker_a" in usernames and "admin_b" not in usernames
    row = next(r for r in listed.json()["results"] if r["username"] == "worker_a")
    assert set(row) >= {"id", "role", "active", "state", "second_factor", "last_sign_in"}

    made = client.post(
        "/api/v1/members", {"username": "api_new", "role": "case_worker"}, format="json"
    )
    assert made.status_code == 201, made.json()
    assert made.json()["state"] == "invited" and made.json()["pending_role"] == "case_worker"
    assert "/accounts/invitation/" in made.json()["invitation_link"]
    bad = client.post("/api/v1/members", {"username": "", "role": "survivor"}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"username", "role"}

    field = membership(people["field"], org_a)
    changed = client.patch(f"/api/v1/members/{field.pk}", {"role": "me_officer"}, format="json")
    assert changed.status_code == 200 and changed.json()["role"] == "me_officer"
    pending = client.patch(f"/api/v1/members/{field.pk}", {"role": "supervisor"}, format="json")
    assert pending.json()["role"] == "me_officer" and pending.json()["pending_role"] == "supervisor"

    approvals = token(people["supervisor"], api).get("/api/v1/member-approvals")
    assert approvals.status_code == 200 and approvals.json()["count"] == 2
    approval_id = pending.json()["pending_approval"]
    assert (
        token(people["admin"], api)
        .post(f"/api/v1/member-approvals/{approval_id}/approve")
        .status_code
        == 403
    )
    assert (
        token(people["supervisor_b"], api)
        .post(f"/api/v1/member-approvals/{approval_id}/approve")
        .status_code
        == 404
    )
    decided = token(people["supervisor"], api).post(
        f"/api/v1/member-approvals/{approval_id}/approve"
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert (
        token(people["supervisor"], api)
        .post(f"/api/v1/member-approvals/{approval_id}/reject")
        .status_code
        == 409
    )
    assert membership(people["field"], org_a).role == Role.SUPERVISOR

    client = token(people["admin"], api)
    worker = membership(people["worker"], org_a)
    assert client.post(f"/api/v1/members/{worker.pk}/reset-second-factor").status_code == 200
    gone = client.patch(f"/api/v1/members/{worker.pk}", {"active": False}, format="json")
    assert (
        gone.status_code == 200
        and gone.json()["active"] is False
        and gone.json()["state"] == "inactive"
    )
    assert client.post(f"/api/v1/members/{worker.pk}/deactivate").status_code == 409


def test_api_keeps_an_admin(people, org_a, api):
    members.deactivate(actor(people["admin2"]), membership(people["admin"], org_a).pk)
    client = token(people["admin2"], api)
    own = membership(people["admin2"], org_a)
    assert client.post(f"/api/v1/members/{own.pk}/deactivate").status_code == 409
    assert (
        client.patch(f"/api/v1/members/{own.pk}", {"role": "me_officer"}, format="json").status_code
        == 409
    )


@pytest.mark.parametrize(
    "method,suffix,body",
    [
        ("get", "", None),
        ("patch", "", {"role": "me_officer"}),
        ("post", "/reset-second-factor", None),
        ("post", "/deactivate", None),
    ],
)
def test_api_other_organisation_404_lower_role_403(people, org_a, api, method, suffix, body):
    target = membership(people["field"], org_a)
    url = f"/api/v1/members/{target.pk}{suffix}"

    def call(client):
        return (
            getattr(client, method)(url, body, format="json")
            if body
            else getattr(client, method)(url)
        )
        assert call(token(people["admin_b"], api)).status_code == 404
        for who in ("worker", "supervisor"):
            assert call(token(people[who], api)).status_code == 403
        assert token(people["worker"], api).get("/api/v1/members").status_code == 403
        assert (
            token(people["worker"], api)
            .post("/api/v1/members", {"username": "zz", "role": "me_officer"}, format="json")
            .status_code
            == 403
        )

    assert token(people["admin_b"], api).get("/api/v1/member-approvals").status_code == 403
    target.refresh_from_db()
    assert target.is_active and target.role == Role.FIELD_WORKER
