"""What care settings contribute to the composed work queue (`aftercare.casefile`): survivors
held in a closed setting too long without a lawyer."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, can
from aftercare.caresettings.models import CLOSED_KINDS, CareSetting
from aftercare.cases.sections import open_and_mine
from aftercare.core.work_items import LIMIT, WorkItem


def detentions_without_lawyer(actor: Actor) -> list[WorkItem]:
    """Survivors held in a closed setting longer than the limit without having seen a lawyer."""
    if not can(actor, Action.VIEW_CARE_SETTINGS):
        return []
    limit = settings.AFTERCARE_DETENTION_LAWYER_DAYS
    today = timezone.localdate()
    rows = (
        open_and_mine(
            actor,
            CareSetting.objects.filter(kind__in=list(CLOSED_KINDS), end__isnull=True),
            "survivor__",
        )
        .filter(start__lt=today - timedelta(days=limit))
        .exclude(lawyer_access=True)
        .order_by("start", "pk")
        .values_list("survivor_id", "survivor__case_code", "start")[:LIMIT]
    )
    return [
        WorkItem(
            kind="detention_lawyer",
            title=_("Held in a closed setting without a lawyer"),
            detail=code,
            urgent=True,
            survivor=survivor_id,
            due=start + timedelta(days=limit),
            url=reverse("caresettings:case", args=[survivor_id]),
        )
        for survivor_id, code, start in rows
    ]
