"""Whose prevention figures an actor may see in aggregate."""

from __future__ import annotations

import uuid

from aftercare.accounts.models import Organisation
from aftercare.accounts.policy import Action, Actor, require
from aftercare.accounts.roles import Role

NETWORK_ROLES = frozenset({Role.NETWORK_COORDINATOR, Role.ME_OFFICER})


def sees_network(actor: Actor) -> bool:
    return actor.role in NETWORK_ROLES


def indicator_scope(actor: Actor, key: str | None = None) -> Organisation | None:
    """The organisation whose indicators to show, or None for the whole network.

    The coordinator and M&E officers see the network or any one organisation; supervisors and
    admins only their own, and naming another is LookupError (a 404 to the caller).
    """
    require(actor, Action.VIEW_AGGREGATE_REPORTS)
    if not key:
        return None if sees_network(actor) else actor.organisation
    organisation = Organisation.objects.filter(slug=key).first()
    if organisation is None:
        try:
            organisation = Organisation.objects.filter(pk=uuid.UUID(str(key))).first()
        except ValueError:
            organisation = None
    if organisation is None or (
        not sees_network(actor) and organisation.pk != actor.organisation_id
    ):
        raise LookupError(key)
    return organisation
