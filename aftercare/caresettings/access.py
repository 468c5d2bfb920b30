"""How care settings reach a case: where she lives stays with the organisation holding her case
(`cases.access.held_case`); the care-setting roles read and record."""

from __future__ import annotations

from aftercare.accounts.policy import Action, Actor
from aftercare.cases.access import held_case
from aftercare.cases.models import Survivor


def case_to_read(actor: Actor, survivor_id) -> Survivor:
    """The case, if the actor's organisation holds it: 403 for a role without the right, 404
    for a case the actor may not know about, 403 for a partner organisation."""
    return held_case(actor, survivor_id, Action.VIEW_CARE_SETTINGS, reason="care settings")


def case_to_record(actor: Actor, survivor_id) -> Survivor:
    return held_case(actor, survivor_id, Action.RECORD_CARE_SETTING, reason="care settings")
