"""Whose records a report counts, and whether its small cells are hidden.

Reports are for the roles holding `Action.VIEW_AGGREGATE_REPORTS`. Two scopes:

- **organisation**: the cases the actor's organisation holds. Only for roles with case access
  (supervisor, admin), who may open those cases anyway, so nothing is hidden.
- **network**: every organisation's cases. For the network coordinator and the M&E officer,
  always; for a supervisor or admin when they ask for it (`?scope=network`). Those cases are
  not theirs to open, so every count of people below `AFTERCARE_SMALL_CELL_MIN` is hidden
  (see `cells.py`) and drill-downs stop at counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from aftercare.accounts.policy import Action, Actor, can, require

NETWORK, ORGANISATION = "network", "organisation"


@dataclass(frozen=True)
class Scope:
    actor: Actor
    organisation_id: object | None  # None: the whole network
    small_cell_min: int  # 0: nothing hidden

    @property
    def name(self) -> str:
        return NETWORK if self.organisation_id is None else ORGANISATION

    @property
    def hides_small_cells(self) -> bool:
        return self.small_cell_min > 0

    @property
    def shows_people(self) -> bool:
        """Whether a drill-down may name cases (by case code): only the actor's own organisation's."""
        return self.organisation_id is not None and can(self.actor, Action.VIEW_CASES)

    @property
    def label(self) -> str:
        from django.utils.translation import gettext

        if self.organisation_id is None:
            return gettext("The whole network")
        return str(self.actor.organisation)

    def survivors(self) -> QuerySet:
        """Every survivor counted in this scope (a report query, never a list shown to anyone)."""
        from aftercare.cases.models import Survivor

        cases = Survivor.objects.counted()
        if self.organisation_id is not None:
            cases = cases.filter(organisation_id=self.organisation_id)
        return cases


def scope_for(actor: Actor | None, requested: str = "") -> Scope:
    """The scope for this actor; `requested="network"` widens a case role's view (hiding small cells)."""
    require(actor, Action.VIEW_AGGREGATE_REPORTS)
    if can(actor, Action.VIEW_CASES) and requested != NETWORK:
        return Scope(actor=actor, organisation_id=actor.organisation_id, small_cell_min=0)
    return Scope(actor=actor, organisation_id=None, small_cell_min=settings.AFTERCARE_SMALL_CELL_MIN)


def can_choose_scope(actor: Actor | None) -> bool:
    return can(actor, Action.VIEW_AGGREGATE_REPORTS) and can(actor, Action.VIEW_CASES)
