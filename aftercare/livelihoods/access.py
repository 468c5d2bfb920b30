"""How the livelihoods domain reaches a case: through `cases.access.access_case`, with the
livelihood section (the holder sees and records it; a partner only sees it if shared, and
records nothing). This module only adds the livelihood roles in front of it.
"""

from __future__ import annotations

from aftercare.accounts.policy import Action, Actor, can, require
from aftercare.cases.access import CaseAccess, Section, access_case, require_holder
from aftercare.cases.models import Survivor

SECTION = Section.LIVELIHOOD


def may_see(case: CaseAccess) -> bool:
    return can(case.actor, Action.VIEW_LIVELIHOODS) and case.sees(SECTION)


def may_record(case: CaseAccess) -> bool:
    return can(case.actor, Action.RECORD_LIVELIHOOD) and case.may_write(SECTION)


def require_record(actor: Actor, survivor: Survivor) -> None:
    """The second wall, in the domain operations themselves: the role, and the holder only."""
    require(actor, Action.RECORD_LIVELIHOOD)
    require_holder(actor, survivor)


def case_to_read(actor: Actor, survivor_id, *, reason: str = "") -> CaseAccess:
    """403 for a lower role, 404 for a case the actor may not know about, 403 unshared (audited)."""
    require(actor, Action.VIEW_LIVELIHOODS)
    return access_case(actor, survivor_id, section=SECTION, reason=reason)


def survivor_to_read(actor: Actor, survivor_id, *, reason: str = "") -> Survivor:
    return case_to_read(actor, survivor_id, reason=reason).survivor


def survivor_to_record(actor: Actor, survivor_id) -> Survivor:
    require(actor, Action.RECORD_LIVELIHOOD)
    return access_case(actor, survivor_id, section=SECTION, write=True).survivor
