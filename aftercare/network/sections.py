"""What the directory contributes to the composed work queue (`aftercare.casefile`):
organisations whose free places have not been updated for a month. Asked for the network
coordinator only (`casefile.workqueue.KINDS_BY_ROLE`): the directory knows no roles."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.core.policy import Actor
from aftercare.core.work_items import LIMIT, WorkItem
from aftercare.network.models import CapacitySummary

CAPACITY_STALE_DAYS = 30  # a directory's free places older than this are not to be trusted


def stale_capacity(actor: Actor) -> list[WorkItem]:
    """Organisations whose free places in the directory have not been updated for a month:
    referrals are sent on those figures."""
    cutoff = timezone.now() - timedelta(days=CAPACITY_STALE_DAYS)
    rows = (
        CapacitySummary.objects.filter(organisation__is_active=True, checked_at__lt=cutoff)
        .order_by("checked_at", "organisation__name")
        .values_list("organisation__slug", "organisation__name", "checked_at")[:LIMIT]
    )
    return [
        WorkItem(
            kind="capacity_stale",
            title=_("Free places not updated for a month"),
            detail=name,
            due=timezone.localdate(checked) + timedelta(days=CAPACITY_STALE_DAYS),
            url=reverse("network:profile", args=[slug]),
        )
        for slug, name, checked in rows
    ]
