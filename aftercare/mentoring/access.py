"""How mentoring reaches a case: only the organisation holding it sees or records a survivor's
mentors and leadership roles (`cases.access.held_case`); case roles read, case workers and
supervisors record."""

from __future__ import annotations

from aftercare.accounts.policy import Action, Actor
from aftercare.cases.access import held_case
from aftercare.cases.models import Survivor


def case_to_read(actor: Actor, survivor_id) -> Survivor:
    return held_case(actor, survivor_id, Action.VIEW_CASES, reason="mentoring")


def case_to_record(actor: Actor, survivor_id) -> Survivor:
    return held_case(actor, survivor_id, Action.EDIT_CASE, reason="mentoring")
