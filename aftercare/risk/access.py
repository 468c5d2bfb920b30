"""Who sees and records a survivor's risk and wellbeing, beyond their role.

The organisation that holds the case sees and records everything. An organisation the case
is shared with through a referral sees the risk section only where the survivor agreed to
share it (`cases.services.sections_for`), and records nothing: follow-up stays with the holder.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from aftercare.cases.models import Survivor
from aftercare.cases.services import require_owner, sections_for
from aftercare.core.policy import Action, Actor, can, require

SECTION = "risk"


def may_see(actor: Actor, survivor: Survivor) -> bool:
    return can(actor, Action.VIEW_RISK) and SECTION in sections_for(actor, survivor)


def require_see(actor: Actor, survivor: Survivor) -> None:
    require(actor, Action.VIEW_RISK)
    if SECTION not in sections_for(actor, survivor):
        raise PermissionDenied(_("The survivor has not agreed to share their risk and wellbeing with you."))


def require_record(actor: Actor, survivor: Survivor, action: Action) -> None:
    require(actor, action)
    require_owner(actor, survivor)
