"""The duty-bearer registry: people and offices survivors meet, kept by case staff."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership
from aftercare.accounts.policy import Action, Actor, can, require
from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.errors import DomainError, StaleVersion
from aftercare.network.models import Region
from aftercare.voice.models import DutyBearer, DutyBearerKind

FIELDS = ("name", "kind", "organisation", "region", "is_active")


def visible_duty_bearers(
    actor: Actor,
    *,
    q: str = "",
    kind: str = "",
    region: Region | None = None,
    organisation_id=None,
    include_inactive: bool = False,
):
    """The registry is shared by the whole network; survivors and outsiders see none of it."""
    if not can(actor, Action.VIEW_DUTY_BEARERS):
        return DutyBearer.objects.none()
    bearers = DutyBearer.objects.select_related("organisation", "region", "organisation__region")
    if not include_inactive:
        bearers = bearers.filter(is_active=True)
    if q.strip():
        bearers = bearers.filter(
            Q(name__icontains=q.strip()) | Q(organisation__name__icontains=q.strip())
        )
    if kind:
        bearers = bearers.filter(kind=kind)
    if region is not None:
        bearers = bearers.filter(
            Q(region__path__startswith=region.path)
            | Q(region__isnull=True, organisation__region__path__startswith=region.path)
        )
    if organisation_id:
        bearers = bearers.filter(organisation_id=organisation_id)
    return bearers


def get_duty_bearer(actor: Actor, duty_bearer_id) -> DutyBearer:
    try:
        return visible_duty_bearers(actor, include_inactive=True).get(
            pk=uuid.UUID(str(duty_bearer_id))
        )
    except (ValueError, DutyBearer.DoesNotExist) as exc:
        raise Http404("No such duty bearer") from exc


def can_edit(actor: Actor, bearer: DutyBearer) -> bool:
    """Its registering organisation's case staff, or the network coordinator, may change an
    entry."""

    if not can(actor, Action.MANAGE_DUTY_BEARERS):
        return False
    return (
        actor.role == Role.NETWORK_COORDINATOR or bearer.registered_by_id == actor.organisation_id
    )


def _validate(data: Mapping[str, Any]) -> None:
    if not (data.get("name") or "").strip():
        raise DomainError(_("Give a name or an office."), field="name")
    if data.get("kind") not in DutyBearerKind.values:
        raise DomainError(_("Choose a kind."), field="kind")
    if not data.get("organisation") and not data.get("region"):
        raise DomainError(
            _("Link the duty bearer to an organisation or a region."), field="organisation"
        )


def _require_own_organisation(actor: Actor, data: Mapping[str, Any]) -> None:
    """Case staff add people of their own organisation (or of a region), or of an organisation
    of the network that has no members in Aftercare (a clinic, a police station) and so cannot
    keep its own entries; never of another member organisation. The network coordinator, who
    keeps the registry, links one to any organisation."""

    organisation = data.get("organisation")
    if organisation is None or actor.role == Role.NETWORK_COORDINATOR:
        return
    organisation_id = getattr(organisation, "pk", organisation)
    if (
        organisation_id != actor.organisation_id
        and Membership.objects.filter(organisation_id=organisation_id, is_active=True).exists()
    ):
        raise DomainError(
            _("Add duty bearers of your own organisation only."), field="organisation"
        )


@transaction.atomic
def add_duty_bearer(actor: Actor, data: Mapping[str, Any]) -> DutyBearer:
    require(actor, Action.MANAGE_DUTY_BEARERS)
    _validate(data)
    _require_own_organisation(actor, data)
    bearer = DutyBearer.objects.create(
        registered_by=actor.organisation,
        **{f: data[f] for f in FIELDS if f in data and f != "is_active"},
    )
    record(actor, AuditAction.CREATE, bearer, fields=[f for f in FIELDS if f in data])
    return bearer


@transaction.atomic
def update_duty_bearer(
    actor: Actor, bearer: DutyBearer, data: Mapping[str, Any], version: int
) -> DutyBearer:
    require(actor, Action.MANAGE_DUTY_BEARERS)
    if not can_edit(actor, bearer):
        raise Http404("No such duty bearer")
    merged = {f: data.get(f, getattr(bearer, f)) for f in FIELDS}
    _validate(merged)
    if "organisation" in data and data["organisation"] != bearer.organisation:
        _require_own_organisation(actor, data)
    changed = [f for f in FIELDS if f in data and getattr(bearer, f) != data[f]]
    for name in changed:
        setattr(bearer, name, data[name])
    if (
        DutyBearer.objects.filter(pk=bearer.pk, version=version).update(
            **{f: getattr(bearer, f) for f in changed}, version=version + 1
        )
        != 1
    ):
        raise StaleVersion(
            _("Someone else changed this entry; reload to see the changes."), field="version"
        )
    bearer.version = version + 1
    record(actor, AuditAction.UPDATE, bearer, fields=changed)
    return bearer
