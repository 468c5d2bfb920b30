"""An organisation admin's members: invite, change role, reset the second factor, deactivate.

Every operation acts only inside the actor's own organisation: a member of another
organisation is never found (404), and a role without Action.MANAGE_MEMBERS is refused (403)
before anything is looked up. A role that grants access to cases (ROLES_NEEDING_APPROVAL) is
given only when a supervisor of the same organisation, who is neither the person who asked
nor the member concerned, approves it. Every change is written to the audit trail; the
invitation token never is (only its hash is stored anywhere).
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from aftercare.accounts import identity
from aftercare.accounts.models import (
    ApiToken,
    ApprovalStatus,
    Invitation,
    MemberApproval,
    Membership,
    User,
)
from aftercare.accounts.policy import ALLOWED, Action, Actor, require
from aftercare.accounts.roles import STAFF_ROLES, Role
from aftercare.accounts.services import notify_members
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.errors import DomainError, TransitionNotAllowed
from aftercare.core.notices import Notice, choice
from aftercare.core.notify import email_notice, notify_user

INVITATION_HOURS = 72

# Roles that let their holder read survivors' cases, or the code and first name a referral
# carries: giving one needs a supervisor's approval. Derived from the policy table, so a role
# that gains case access there needs approval here without anyone remembering to add it.
ROLES_NEEDING_APPROVAL = frozenset(ALLOWED[Action.VIEW_CASES] | ALLOWED[Action.VIEW_REFERRALS])
# Survivors' portal accounts are linked from their case (aftercare.voice), not invited here.
INVITABLE_ROLES = [role for role in Role if role in STAFF_ROLES]


class MemberState:
    ACTIVE = "active"
    INVITED = "invited"
    AWAITING_APPROVAL = "awaiting_approval"
    INACTIVE = "inactive"


def needs_approval(role: str) -> bool:
    return Role(role) in ROLES_NEEDING_APPROVAL


# --- reading -------------------------------------------------------------------------------


def members_of(actor: Actor) -> QuerySet[Membership]:
    """The actor's organisation's memberships, with what the list shows, in a fixed number of
    queries."""
    require(actor, Action.MANAGE_MEMBERS)
    return (
        Membership.objects.filter(organisation_id=actor.organisation_id)
        .exclude(role=Role.SURVIVOR)
        .select_related("user", "invitation")
        .annotate(
            second_factor=Exists(
                TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)
            )
        )
        .prefetch_related(
            Prefetch(
                "approvals",
                queryset=MemberApproval.objects.filter(status=ApprovalStatus.PENDING),
                to_attr="pending_approvals",
            )
        )
        .order_by("user__username")
    )


def member_of(actor: Actor, membership_id) -> Membership:
    """One member of the actor's organisation; 404 for any other, whoever holds it."""
    members = members_of(actor)
    try:
        key = uuid.UUID(str(membership_id))
    except ValueError:
        raise Http404 from None
    membership = members.filter(pk=key).first()
    if membership is None:
        raise Http404
    return membership


def state_of(membership: Membership) -> str:
    if membership.is_active:
        return MemberState.ACTIVE
    pending = getattr(membership, "pending_approvals", None)
    if pending is None:
        pending = list(membership.approvals.filter(status=ApprovalStatus.PENDING))
    invitation = (
        getattr(membership, "invitation", None) if hasattr(membership, "invitation") else None
    )
    if invitation is not None and invitation.accepted_at is None and invitation.revoked_at is None:
        return MemberState.INVITED
    if any(a.kind == MemberApproval.Kind.INVITATION for a in pending):
        return MemberState.AWAITING_APPROVAL
    return MemberState.INACTIVE


def pending_approval(membership: Membership) -> MemberApproval | None:
    """The role asked for that waits for a supervisor (an invitation's or a change's), if any."""
    pending = getattr(membership, "pending_approvals", None)
    if pending is None:
        pending = list(membership.approvals.filter(status=ApprovalStatus.PENDING))
    return next(iter(pending), None)


def approvals_for(actor: Actor) -> QuerySet[MemberApproval]:
    """The pending changes a supervisor of this organisation may approve or reject."""
    require(actor, Action.APPROVE_MEMBERS)
    return (
        MemberApproval.objects.filter(
            membership__organisation_id=actor.organisation_id, status=ApprovalStatus.PENDING
        )
        .select_related("membership__user", "requested_by")
        .order_by("requested_at")
    )


# --- inviting ------------------------------------------------------------------------------


@dataclass
class InvitationSent:
    membership: Membership
    link: str  # shown once to the admin; never stored
    approval: MemberApproval | None
    emailed: bool


@transaction.atomic
def invite(actor: Actor, *, username: str, role: str, email: str = "") -> InvitationSent:
    """Create the account (unusable until the link is used), its membership and a one-time link."""
    require(actor, Action.MANAGE_MEMBERS)
    username = (username or "").strip()
    if not username:
        raise DomainError(_("Give a username."), field="username")
    try:
        User.username_validator(username)
    except DjangoValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="username") from None
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("That username is taken. Choose another."), field="username")
    try:
        role = Role(role)
    except ValueError:
        raise DomainError(_("Choose a role."), field="role") from None
    if role not in INVITABLE_ROLES:
        raise DomainError(_("Survivors' portal accounts are opened from their case."), field="role")
    user = User(username=username, email=(email or "").strip(), is_active=False)
    user.set_unusable_password()
    user.save()
    membership = Membership.objects.create(
        user=user, organisation_id=actor.organisation_id, role=role, is_active=False
    )
    raw = secrets.token_urlsafe(32)
    Invitation.objects.create(
        membership=membership,
        token_hash=Invitation.hash(raw),
        created_by=actor.user,
        expires_at=timezone.now() + timedelta(hours=INVITATION_HOURS),
    )
    approval = None
    if needs_approval(role):
        approval = MemberApproval.objects.create(
            membership=membership,
            kind=MemberApproval.Kind.INVITATION,
            role=role,
            requested_by=actor.user,
        )
        _ask_supervisors(actor, membership, role)
    path = reverse("accounts:invitation", kwargs={"token": raw})
    link = f"{settings.AFTERCARE_BASE_URL}{path}"
    emailed = False
    if user.email:
        email_notice(
            user.email,
            Notice(
                "members.invitation",
                {
                    "org": actor.organisation.name,
                    "role": choice(Role, role),
                    "hours": INVITATION_HOURS,
                },
            ),
            link=path,
        )
        emailed = True
    record(
        actor,
        AuditAction.CREATE,
        membership,
        label=username,
        fields=["role"],
        reason=f"invited as {role}"
        + (", awaiting a supervisor's approval" if approval else "")
        + (", link e-mailed" if emailed else ""),
    )
    return InvitationSent(membership=membership, link=link, approval=approval, emailed=emailed)


def invitation_for(raw: str) -> Invitation | None:
    """The invitation this token opens, if it still may be used; the token itself is never looked
    up."""
    if not raw or len(raw) > 100:
        return None
    invitation = (
        Invitation.objects.filter(token_hash=Invitation.hash(raw))
        .select_related("membership__user", "membership__organisation")
        .first()
    )
    if (
        invitation is None
        or not invitation.usable
        or not invitation.membership.organisation.is_active
    ):
        return None
    return invitation


@transaction.atomic
def accept_invitation(raw: str, password: str) -> User:
    """Set the invitee's password and use the link up; the membership starts now unless it waits
    for a supervisor's approval. The second factor is enrolled next, before any staff page opens
    (aftercare.accounts.middleware.RequireTwoFactorMiddleware)."""
    found = invitation_for(raw)
    if found is None:
        raise TransitionNotAllowed(
            _("This invitation link no longer works. Ask your organisation's admin for a new one.")
        )
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if not invitation.usable:
        raise TransitionNotAllowed(
            _("This invitation link no longer works. Ask your organisation's admin for a new one.")
        )
    membership = found.membership
    user = membership.user
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    waiting = (
        membership.approvals.filter(kind=MemberApproval.Kind.INVITATION)
        .exclude(status=ApprovalStatus.APPROVED)
        .exists()
    )
    if not waiting:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    identity.forget(user.pk)
    record(
        user,
        AuditAction.UPDATE,
        membership,
        label=user.username,
        fields=["password"],
        organisation_id=membership.organisation_id,
        reason="invitation accepted" + (", awaiting a supervisor's approval" if waiting else ""),
    )
    return user


# --- changing ------------------------------------------------------------------------------


def _other_active_admins(membership: Membership) -> bool:
    return (
        Membership.objects.filter(
            organisation_id=membership.organisation_id,
            role=Role.ADMIN,
            is_active=True,
            user__is_active=True,
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def _keep_an_admin(membership: Membership) -> None:
    if (
        membership.is_active
        and membership.role == Role.ADMIN
        and not _other_active_admins(membership)
    ):
        raise TransitionNotAllowed(
            _("This is the organisation's only admin. Make someone else admin first."), field="role"
        )


def _locked(actor: Actor, membership_id) -> Membership:
    """The member, checked as `member_of`, then locked for the change."""
    membership = member_of(actor, membership_id)
    locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    locked.pending_approvals = membership.pending_approvals
    return locked


@dataclass
class RoleChange:
    membership: Membership
    approval: MemberApproval | None  # set when the change waits for a supervisor


@transaction.atomic
def change_role(actor: Actor, membership_id, role: str) -> RoleChange:
    """Give a member another role: at once, or once a supervisor approves it if it grants case
    access."""
    membership = _locked(actor, membership_id)
    try:
        role = Role(role)
    except ValueError:
        raise DomainError(_("Choose a role."), field="role") from None
    if role not in INVITABLE_ROLES:
        raise DomainError(_("Survivors' portal accounts are opened from their case."), field="role")
    if not membership.is_active:
        raise TransitionNotAllowed(_("Only an active member's role can be changed."), field="role")
    if role == membership.role:
        raise DomainError(_("The member already has that role."), field="role")
    if role != Role.ADMIN:
        _keep_an_admin(membership)
    MemberApproval.objects.filter(
        membership=membership, status=ApprovalStatus.PENDING, kind=MemberApproval.Kind.ROLE_CHANGE
    ).update(status=ApprovalStatus.CANCELLED, decided_by=actor.user, decided_at=timezone.now())
    previous = membership.role
    if needs_approval(role):
        approval = MemberApproval.objects.create(
            membership=membership,
            kind=MemberApproval.Kind.ROLE_CHANGE,
            role=role,
            previous_role=previous,
            requested_by=actor.user,
        )
        _ask_supervisors(actor, membership, role)
        record(
            actor,
            AuditAction.UPDATE,
            membership,
            label=membership.user.username,
            fields=["role"],
            reason=f"role change {previous} -> {role} asked for, awaiting a supervisor's approval",
        )
        return RoleChange(membership, approval)
    membership.role = role
    membership.save(update_fields=["role"])
    identity.forget(membership.user_id)
    record(
        actor,
        AuditAction.UPDATE,
        membership,
        label=membership.user.username,
        fields=["role"],
        reason=f"role {previous} -> {role}",
    )
    return RoleChange(membership, None)


def end_sessions(user: User) -> int:
    """End every web session of this user (database and cache), so that nobody stays signed in."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for row in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(row.get_decoded().get("_auth_user_id", "")) == str(user.pk):
            store(session_key=row.session_key).delete()
            ended += 1
    identity.forget(user.pk)
    return ended


def _revoke_tokens(user: User) -> int:
    return ApiToken.objects.live().filter(user=user).update(revoked_at=timezone.now())


@transaction.atomic
def reset_second_factor(actor: Actor, membership_id) -> Membership:
    """Remove the member's authenticator and recovery codes: they enrol again at their next sign-in.

    Their sessions end and their API tokens are revoked, since a reset usually means a lost
    phone."""
    membership = _locked(actor, membership_id)
    user = membership.user
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    end_sessions(user)
    _revoke_tokens(user)
    identity.forget(user.pk)
    record(
        actor,
        AuditAction.TWO_FACTOR,
        membership,
        label=user.username,
        reason="second factor reset by an admin; sessions ended, API tokens revoked",
    )
    return membership


@transaction.atomic
def deactivate(actor: Actor, membership_id) -> Membership:
    """A leaver: the membership ends, their sessions end, their API tokens stop working, an unused
    invitation and any change awaiting approval are withdrawn."""
    membership = _locked(actor, membership_id)
    if not membership.is_active and state_of(membership) == MemberState.INACTIVE:
        raise TransitionNotAllowed(_("This member is already inactive."))
    _keep_an_admin(membership)
    now = timezone.now()
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    Invitation.objects.filter(
        membership=membership, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    MemberApproval.objects.filter(membership=membership, status=ApprovalStatus.PENDING).update(
        status=ApprovalStatus.CANCELLED, decided_by=actor.user, decided_at=now
    )
    user = membership.user
    if not Membership.objects.filter(user=user, is_active=True).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
    revoked = _revoke_tokens(user)
    end_sessions(user)
    record(
        actor,
        AuditAction.UPDATE,
        membership,
        label=user.username,
        fields=["is_active"],
        reason=f"deactivated; sessions ended, {revoked} API token(s) revoked",
    )
    return membership


# --- approving -----------------------------------------------------------------------------


@transaction.atomic
def decide(actor: Actor, approval_id, approve: bool) -> MemberApproval:
    """A supervisor approves or rejects a role that grants case access. Nobody decides on a change
    they asked for or on their own role, whatever other role they hold."""
    require(actor, Action.APPROVE_MEMBERS)
    try:
        key = uuid.UUID(str(approval_id))
    except ValueError:
        raise Http404 from None
    approval = (
        MemberApproval.objects.select_for_update()
        .select_related("membership__user")
        .filter(pk=key, membership__organisation_id=actor.organisation_id)
        .first()
    )
    if approval is None:
        raise Http404
    if approval.status != ApprovalStatus.PENDING:
        raise TransitionNotAllowed(_("This change was already decided or withdrawn."))
    membership = approval.membership
    if approval.requested_by_id == actor.user.pk:
        raise PermissionDenied(_("You cannot approve or reject a change you asked for."))
    if membership.user_id == actor.user.pk:
        raise PermissionDenied(_("You cannot approve or reject a change to your own role."))
    now = timezone.now()
    if approve:
        if approval.kind == MemberApproval.Kind.ROLE_CHANGE:
            if not membership.is_active:
                raise TransitionNotAllowed(_("The member is no longer active."))
            if approval.role != Role.ADMIN:
                _keep_an_admin(membership)
            membership.role = approval.role
            membership.save(update_fields=["role"])
        else:
            accepted = Invitation.objects.filter(
                membership=membership, accepted_at__isnull=False
            ).exists()
            if accepted and membership.user.is_active:
                membership.is_active = True
                membership.save(update_fields=["is_active"])
        approval.status = ApprovalStatus.APPROVED
    else:
        if approval.kind == MemberApproval.Kind.INVITATION:
            Invitation.objects.filter(membership=membership, revoked_at__isnull=True).update(
                revoked_at=now
            )
        approval.status = ApprovalStatus.REJECTED
    approval.decided_by = actor.user
    approval.decided_at = now
    approval.save(update_fields=["status", "decided_by", "decided_at"])
    identity.forget(membership.user_id)
    record(
        actor,
        AuditAction.UPDATE,
        membership,
        label=membership.user.username,
        fields=["role"],
        reason=f"{approval.get_kind_display().lower()} as {approval.role} {approval.status}",
    )
    if approval.requested_by is not None:
        notify_user(
            approval.requested_by,
            Notice(
                f"members.{approval.status}",
                {"member": membership.user.username, "role": choice(Role, approval.role)},
            ),
            link=reverse("accounts:members"),
            organisation=actor.organisation,
        )
    return approval


def _ask_supervisors(actor: Actor, membership: Membership, role: str) -> None:
    notify_members(
        actor.organisation,
        [Role.SUPERVISOR],
        Notice(
            "members.approval_needed",
            {"member": membership.user.username, "role": choice(Role, role)},
        ),
        link=reverse("accounts:member_approvals"),
    )
