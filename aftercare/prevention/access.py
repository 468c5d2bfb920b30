"""Fetching prevention records for an actor: their own organisation's, else a 404.

A record of another organisation is "not found", never "forbidden", so its existence does
not leak; a role without prevention work gets 403 before anything is looked up.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.http import Http404

from aftercare.accounts.policy import Action, Actor, require
from aftercare.core.ids import parse_uuid
from aftercare.network.models import Region


def get_visible(
    actor: Actor,
    model: type[models.Model],
    pk,
    *,
    action: Action = Action.VIEW_PREVENTION,
    for_update: bool = False,
    queryset: models.QuerySet | None = None,
):
    """The record `pk` (or the record itself, fetched again) of `model` if the actor may take
    `action` and it is their organisation's."""
    require(actor, action)
    require(actor, Action.VIEW_PREVENTION)
    key = parse_uuid(getattr(pk, "pk", pk))
    if key is None:
        raise Http404
    records = (queryset if queryset is not None else model.objects.all()).visible_to(actor)
    if for_update:
        records = records.select_for_update()
    try:
        return records.get(pk=key)
    except model.DoesNotExist as exc:
        raise Http404 from exc


def regions_for(organisation) -> models.QuerySet[Region]:
    """The places an organisation's prevention work can be in: its country, below the country."""
    return (
        Region.objects.filter(country=organisation.country)
        .exclude(level="country")
        .order_by("path")
    )


def resolve_region(key) -> Region | None:
    """A region by id or code."""
    if isinstance(key, Region):
        return key
    text = str(key or "").strip()
    if not text:
        return None
    try:
        return Region.objects.filter(pk=uuid.UUID(text)).first()
    except ValueError:
        return Region.objects.filter(code=text).first()
