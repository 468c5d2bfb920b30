"""Who sees and records a person at risk: her organisation alone (no referral shares her); case
roles read, case workers and supervisors record. Another organisation gets 404, a lower role
403."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from aftercare.accounts.policy import Action, Actor, require
from aftercare.atrisk.models import Beneficiary
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.ids import get_by_id


def beneficiaries(actor: Actor) -> QuerySet[Beneficiary]:
    require(actor, Action.VIEW_CASES)
    return Beneficiary.objects.visible_to(actor).select_related("region", "household")


def get_beneficiary(actor: Actor, beneficiary_id, *, reason: str = "") -> Beneficiary:
    """One of the actor's organisation's, the read audited; 404 for any other."""
    found = get_by_id(beneficiaries(actor), beneficiary_id, "No such person")
    record(actor, AuditAction.READ, found, reason=reason)
    return found


def beneficiary_to_record(actor: Actor, beneficiary_id) -> Beneficiary:
    require(actor, Action.EDIT_CASE)
    return get_beneficiary(actor, beneficiary_id)


def require_own(actor: Actor, beneficiary: Beneficiary) -> None:
    """The second wall, in the operations themselves: the role, and her organisation only."""
    require(actor, Action.EDIT_CASE)
    if beneficiary.organisation_id != actor.organisation_id:
        raise Http404("No such person")
