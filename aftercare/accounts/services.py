"""Operations on accounts: acting as a membership, creating organisations and users."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from aftercare.accounts.models import Membership, Organisation, Team, User
from aftercare.accounts.policy import Action, can
from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditEvent, AuditEventQuerySet
from aftercare.core.notices import Notice
from aftercare.core.notify import notify_users
from aftercare.core.policy import Actor


def actor_for(user: User, organisation_key: str | None = None) -> Actor:
    """The actor for `user` in the organisation named by id or slug, else their first one.

    A key naming an organisation the user does not belong to falls back to no organisation
    rather than to another one, so a forged header or session value grants nothing.
    """
    memberships = user.active_membership_list()
    if organisation_key:
        chosen = [
            m
            for m in memberships
            if str(m.organisation_id) == str(organisation_key)
            or m.organisation.slug == organisation_key
        ]
        if not chosen:
            return Actor(user=user, organisation=None, role=None)
        membership = chosen[0]
    elif memberships:
        membership = memberships[0]
    else:
        return Actor(user=user, organisation=None, role=None)
    return Actor(
        user=user,
        organisation=membership.organisation,
        role=Role(membership.role),
        clinical=membership.clinical,
    )


def audit_trail(actor: Actor) -> AuditEventQuerySet:
    """The active organisation's audit trail, for those who may read it (admins and supervisors);
    nothing for anyone else."""
    if not can(actor, Action.VIEW_AUDIT):
        return AuditEvent.objects.none()
    return AuditEvent.objects.of_organisation(actor.organisation_id)


def notify_members(
    organisation: Organisation, roles: Iterable[str], message: Notice, link: str = ""
) -> int:
    """Notify the active members of `organisation` holding one of `roles`; returns how many."""
    members = Membership.objects.filter(
        organisation=organisation, role__in=list(roles), is_active=True, user__is_active=True
    ).select_related("user")
    return notify_users((m.user for m in members), message, link, organisation=organisation)


class AccountError(Exception):
    pass


@transaction.atomic
def add_user(
    username: str,
    password: str,
    organisation: Organisation,
    role: Role,
    *,
    email: str = "",
    two_factor_exempt: bool = False,
) -> User:
    """Create a user with one membership, or add a membership to an existing user."""
    if two_factor_exempt and settings.PRODUCTION:
        raise AccountError("--no-2fa is refused in production mode")
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    if created:
        user.set_password(password)
        user.two_factor_exempt = two_factor_exempt
        user.save()
    Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role, "is_active": True}
    )
    return user


@transaction.atomic
def set_team(organisation: Organisation, name: str, usernames: list[str]) -> Team:
    """Create the team `name` of `organisation` (or find it) with exactly these members.

    Only active members of the organisation join: a team never reaches into another one.
    """
    name = name.strip()
    if not name:
        raise AccountError("a team needs a name")
    members = list(
        User.objects.filter(
            username__in=usernames,
            memberships__organisation=organisation,
            memberships__is_active=True,
        ).distinct()
    )
    unknown = sorted(set(usernames) - {user.username for user in members})
    if unknown:
        raise AccountError(f"not active members of {organisation.slug}: {', '.join(unknown)}")
    team, _created = Team.objects.get_or_create(organisation=organisation, name=name)
    team.members.set(members)
    return team
