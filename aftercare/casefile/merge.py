"""Merging two records of one person, with every domain's part of it.

`cases.merge` moves every record of the duplicate onto the kept case, found from the model
graph; what a domain must settle around that move it says in its own `sections.py`, and this
list names them, in order. Every caller (the page and the API) merges through here.
"""

from __future__ import annotations

from aftercare.cases import merge
from aftercare.cases.models import Survivor
from aftercare.core.policy import Actor
from aftercare.risk import sections as risk

BEFORE_MOVE: list[merge.BeforeMove] = [risk.settle_alerts]
AFTER_SAVE: list[merge.AfterSave] = [risk.refresh_risk_copy]


def merge_cases(actor: Actor, keep_id, other_id, *, version: int | None = None) -> Survivor:
    """`cases.merge.merge_cases`, with the domains' steps (one transaction)."""
    return merge.merge_cases(
        actor, keep_id, other_id, version=version, before_move=BEFORE_MOVE, after_save=AFTER_SAVE
    )
