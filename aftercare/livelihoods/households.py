"""Household livelihood support for vulnerable families, with or without a survivor on record.

A household belongs to the organisation that registered it; no other organisation sees it.
Its contact person's name is encrypted; the household is known by a code.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.models import Survivor
from aftercare.cases.services import CODE_ALPHABET
from aftercare.core.errors import DomainError
from aftercare.core.ids import get_by_id
from aftercare.livelihoods.models import Household, HouseholdFollowUp, HouseholdSupport
from aftercare.livelihoods.money import clean_amount

HOUSEHOLD_FIELDS = ("region", "contact_name", "members", "children", "vulnerability")


def households(actor: Actor):
    require(actor, Action.VIEW_LIVELIHOODS)
    return Household.objects.visible_to(actor).select_related("region", "survivor")


def get_household(actor: Actor, household_id, *, reason: str = "") -> Household:
    """One household of the actor's organisation, the read audited; 404 for any other."""
    household = get_by_id(households(actor), household_id, "No such household")
    record(actor, AuditAction.READ, household, reason=reason)
    return household


def _survivor(actor: Actor, survivor: Survivor | None) -> Survivor | None:
    if survivor is not None and survivor.organisation_id != actor.organisation_id:
        raise DomainError(_("Link only a case your organisation holds."), field="survivor")
    return survivor


@transaction.atomic
def register_household(actor: Actor, data: Mapping[str, Any]) -> Household:
    require(actor, Action.RECORD_LIVELIHOOD)
    values = {f: data[f] for f in HOUSEHOLD_FIELDS if f in data}
    if values.get("children", 0) > values.get("members", 0):
        raise DomainError(_("More children than people in the household."), field="children")
    survivor = _survivor(actor, data.get("survivor"))
    for attempt in range(5):
        code = "HH-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(7))
        try:
            with transaction.atomic():
                household = Household.objects.create(
                    code=code,
                    organisation=actor.organisation,
                    survivor=survivor,
                    created_by=actor.user,
                    **values,
                )
            break
        except IntegrityError:
            if attempt == 4:
                raise
    record(actor, AuditAction.CREATE, household, fields=[*values, "survivor"])
    return household


def _value(data: Mapping[str, Any]) -> dict:
    amount, currency = data.get("value"), data.get("currency") or ""
    if amount in (None, ""):
        return {"value": None, "currency": currency}
    return {"value": clean_amount(amount, currency, field="value"), "currency": currency}


@transaction.atomic
def give_support(actor: Actor, household: Household, data: Mapping[str, Any]) -> HouseholdSupport:
    require(actor, Action.RECORD_LIVELIHOOD)
    if household.organisation_id != actor.organisation_id:
        raise Http404("No such household")
    if data["given_on"] > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="given_on")
    support = HouseholdSupport.objects.create(
        household=household,
        kind=data["kind"],
        given_on=data["given_on"],
        description=data.get("description", ""),
        recorded_by=actor.user,
        **_value(data),
    )
    record(actor, AuditAction.UPDATE, household, fields=["support"])
    return support


@transaction.atomic
def follow_up(actor: Actor, household: Household, data: Mapping[str, Any]) -> HouseholdFollowUp:
    require(actor, Action.RECORD_LIVELIHOOD)
    if household.organisation_id != actor.organisation_id:
        raise Http404("No such household")
    if data["visited_on"] > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="visited_on")
    support = data.get("support")
    if support is not None and support.household_id != household.pk:
        raise DomainError(_("That support was given to another household."), field="support")
    next_visit = data.get("next_visit")
    if next_visit and next_visit < data["visited_on"]:
        raise DomainError(_("The next visit comes after this one."), field="next_visit")
    row = HouseholdFollowUp.objects.create(
        household=household,
        support=support,
        visited_on=data["visited_on"],
        situation=data["situation"],
        note=data.get("note", ""),
        next_visit=next_visit,
        recorded_by=actor.user,
    )
    record(actor, AuditAction.UPDATE, household, fields=["follow_up"])
    return row
