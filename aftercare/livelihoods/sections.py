"""What livelihoods contributes to the composed case page (`aftercare.casefile`): its panel,
the holder's alone (the section is never shared). Takes the `CaseAccess` from
`cases.access.access_case`, never a case fetched another way."""

from __future__ import annotations

from aftercare.accounts.policy import Action, can, require
from aftercare.cases.access import CaseAccess, Section
from aftercare.livelihoods import outcomes

PANEL = Section.LIVELIHOOD  # the section `access_case` checks before the panel is read


def case_page(case: CaseAccess) -> dict:
    """Whether the page offers the livelihood panel, read by its own request when opened."""
    return {
        "livelihood_panel": case.sees(Section.LIVELIHOOD)
        and can(case.actor, Action.VIEW_LIVELIHOODS)
    }


def case_panel(case: CaseAccess) -> tuple[str, dict]:
    """The livelihood panel of the case page, read only when opened (htmx)."""
    require(case.actor, Action.VIEW_LIVELIHOODS)
    return "livelihoods/_case_livelihood.html", outcomes.case_livelihood_context(case)
