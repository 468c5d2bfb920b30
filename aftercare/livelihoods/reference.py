"""The network's reference data: wage standards per region and currency, and exchange rates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, can, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.errors import DomainError, TransitionNotAllowed
from aftercare.livelihoods.models import ExchangeRate, WageStandard
from aftercare.livelihoods.money import clean_amount

STANDARD_FIELDS = (
    "region",
    "kind",
    "currency",
    "period",
    "hours_per_week",
    "days_per_week",
    "valid_from",
    "source",
)


def may_read(actor: Actor) -> bool:
    return can(actor, Action.VIEW_LIVELIHOODS) or can(actor, Action.MANAGE_WAGE_STANDARDS)


def require_read(actor: Actor) -> None:
    if not can(actor, Action.MANAGE_WAGE_STANDARDS):
        require(actor, Action.VIEW_LIVELIHOODS)


def wage_standards(actor: Actor):
    require_read(actor)
    return WageStandard.objects.select_related("region").order_by(
        "region__path", "kind", "-valid_from"
    )


def exchange_rates(actor: Actor):
    require_read(actor)
    return ExchangeRate.objects.order_by("base", "quote", "-valid_from")


@transaction.atomic
def add_wage_standard(actor: Actor, data: Mapping[str, Any]) -> WageStandard:
    """A new figure from a date. Earlier checks keep the standard they were made against."""
    require(actor, Action.MANAGE_WAGE_STANDARDS)
    values = {f: data[f] for f in STANDARD_FIELDS if f in data}
    values["amount"] = clean_amount(data["amount"], values["currency"])
    try:
        with transaction.atomic():
            standard = WageStandard.objects.create(created_by=actor.user, **values)
    except IntegrityError as exc:
        raise TransitionNotAllowed(
            _("This region already has that standard in %(currency)s from that date.")
            % {"currency": values["currency"]},
            field="valid_from",
        ) from exc
    record(actor, AuditAction.CREATE, standard, fields=[*values, "amount"])
    return standard


@transaction.atomic
def add_exchange_rate(actor: Actor, data: Mapping[str, Any]) -> ExchangeRate:
    require(actor, Action.MANAGE_WAGE_STANDARDS)
    if data["base"] == data["quote"]:
        raise DomainError(_("A rate is between two different currencies."), field="quote")
    if data["rate"] <= 0:
        raise DomainError(_("Enter a rate above zero."), field="rate")
    try:
        with transaction.atomic():
            rate = ExchangeRate.objects.create(
                base=data["base"],
                quote=data["quote"],
                rate=data["rate"],
                valid_from=data["valid_from"],
                source=data.get("source", ""),
                created_by=actor.user,
            )
    except IntegrityError as exc:
        raise TransitionNotAllowed(
            _("That rate is already on record for that date."), field="valid_from"
        ) from exc
    record(actor, AuditAction.CREATE, rate, fields=["base", "quote", "rate", "valid_from"])
    return rate
