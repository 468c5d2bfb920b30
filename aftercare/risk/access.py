"""How the risk domain reaches a case: through `cases.access.access_case`, with the risk section.

The rule itself lives there (the holder sees and records everything; a partner sees the risk
section only where the survivor agreed to share it, and records nothing). This module only
adds the risk roles in front of it.
"""

from __future__ import annotations

from aftercare.accounts.policy import Action, Actor, can, require
from aftercare.cases.access import CaseAccess, Section, access_case, require_holder
from aftercare.cases.models import Survivor

SECTION = Section.RISK


def case_to_read(actor: Actor, survivor_id) -> CaseAccess:
    """403 for a role without risk, 404 for a case the actor may not know, 403 for a partner she did
    not share it with."""
    require(actor, Action.VIEW_RISK)
    return access_case(actor, survivor_id, section=SECTION)


def case_to_record(actor: Actor, survivor_id, action: Action) -> CaseAccess:
    require(actor, action)
    return access_case(actor, survivor_id, section=SECTION, write=True)


def may_see(case: CaseAccess) -> bool:
    return can(case.actor, Action.VIEW_RISK) and case.sees(SECTION)


def require_record(actor: Actor, survivor: Survivor, action: Action) -> None:
    """The second wall, in the domain operations themselves: the role, and the holder only."""
    require(actor, action)
    require_holder(actor, survivor)
