"""Who sees and records a survivor's livelihood, beyond their role.

The organisation that holds the case sees and records all of it. An organisation the case is
shared with through a referral does not see it unless the survivor shared the section, and
records nothing: jobs, savings and school stay with the holder, as risk does.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from aftercare.cases.models import Survivor
from aftercare.cases.services import get_survivor, require_owner, sections_for
from aftercare.core.policy import Action, Actor, can, require

SECTION = "livelihood"


def may_see(actor: Actor, survivor: Survivor) -> bool:
    return can(actor, Action.VIEW_LIVELIHOODS) and SECTION in sections_for(actor, survivor)


def require_see(actor: Actor, survivor: Survivor) -> None:
    require(actor, Action.VIEW_LIVELIHOODS)
    if SECTION not in sections_for(actor, survivor):
        raise PermissionDenied(_("The survivor has not agreed to share their livelihood record with you."))


def require_record(actor: Actor, survivor: Survivor) -> None:
    require(actor, Action.RECORD_LIVELIHOOD)
    require_owner(actor, survivor)


def survivor_to_read(actor: Actor, survivor_id, *, reason: str = "") -> Survivor:
    """The case, if the actor may read its livelihood record: 403 for a lower role, 404 for a
    case the actor may not know about (the read is audited by `get_survivor`)."""
    require(actor, Action.VIEW_LIVELIHOODS)
    survivor = get_survivor(actor, survivor_id, reason=reason)
    require_see(actor, survivor)
    return survivor


def survivor_to_record(actor: Actor, survivor_id) -> Survivor:
    require(actor, Action.RECORD_LIVELIHOOD)
    survivor = get_survivor(actor, survivor_id)
    require_record(actor, survivor)
    return survivor
