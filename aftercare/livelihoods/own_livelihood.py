"""What a survivor sees of her own livelihood in the portal and with her own token: her share
of every sale, her savings, her jobs and her training. Always her own case, found from the
signed-in user (`SurvivorAccount`), never from an id in the request."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.policy import Action, Actor, require
from aftercare.livelihoods import enterprise, outcomes, savings, training

RECENT = 30


def own_livelihood(actor: Actor, account) -> dict:
    require(actor, Action.VIEW_OWN_LIVELIHOOD)
    if account is None or account.user_id != actor.user.pk:
        raise PermissionDenied
    survivor = account.survivor
    record(actor, AuditAction.READ, survivor, reason="survivor portal: livelihood")
    return {
        "earnings": list(enterprise.earnings_of(survivor)[:RECENT]),
        "earnings_totals": sorted(outcomes.totals_by_currency(survivor.maker_shares.all()).items()),
        "savings": list(savings.accounts_of(survivor)),
        "entries": list(savings.entries_of(survivor)[:RECENT]),
        "jobs": list(survivor.placements.select_related("employer").order_by("-start_date")),
        "training": list(training.enrolments_of(survivor)),
    }
