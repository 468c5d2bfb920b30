"""How many cases are open, counted one way everywhere, and that way said in words.

The dashboard, the case list and the reports once gave three different numbers at the same
moment (29, 36 and 22): the dashboard counted the cases partners share with the organisation,
the list counted every status, the reports only the organisation's own open cases. Now each
counts `open_cases` (or, for a report's scope, `SurvivorQuerySet.open` on the scope's cases)
and shows `definition()` beside the figure, so a reader knows what the number counts.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from aftercare.cases.models import Survivor
from aftercare.cases.models.survivor import SurvivorQuerySet
from aftercare.core.policy import Actor


def open_cases(actor: Actor) -> SurvivorQuerySet:
    """The open cases the actor's organisation holds (none for a role without case access)."""
    return Survivor.objects.owned_by(actor).open()


def definition(network: bool = False) -> str:
    """The definition of an open case, in the words shown beside every count of them."""
    if network:
        return _("Open cases: cases not closed (at intake, active or stable), each counted once, in the "
                 "organisation that holds it.")
    return _("Open cases: cases not closed (at intake, active or stable) "
             "that your organisation holds. A case a partner shares with "
             "you through a referral is counted by the partner that holds it.")
