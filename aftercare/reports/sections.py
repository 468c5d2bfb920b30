"""What reports contribute to the composed work queue (`aftercare.casefile`): the network's
gaps for the coordinator; exports ready, the quarter's indicators due and data to complete
for the M&E officer. Network figures only as counts, under the small-cell rule."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aftercare.accounts.policy import Action, Actor, can
from aftercare.accounts.roles import Role
from aftercare.cases.counting import scope_for
from aftercare.cases.models import Survivor
from aftercare.core.stats import cells
from aftercare.core.work_items import LIMIT, WorkItem
from aftercare.reports import gaps
from aftercare.reports.models import ExportJob, ExportKind, ExportStatus

REPORT_DUE_DAYS = 30  # after a quarter ends, its indicators are due for this long


def network_gaps(actor: Actor) -> list[WorkItem]:
    """Places and services where the needs of open cases outrun what the network offers."""
    if actor.role != Role.NETWORK_COORDINATOR:
        return []
    found = gaps.gap_map(scope_for(actor))
    short = sum(
        1
        for row in found.rows
        for cell in row.cells
        if cell.status in ("no_provider", "full", "short")
    )
    if not short:
        return []
    return [
        WorkItem(
            kind="network_gap",
            title=_("Gaps in the network"),
            count=short,
            detail=ngettext(
                "%(n)s region and service where needs outrun provision",
                "%(n)s regions and services where needs outrun provision",
                short,
            )
            % {"n": short},
            url=reverse("reports:gaps") + "?" + urlencode({"scope": "network"}),
        )
    ]


def exports_ready(actor: Actor) -> list[WorkItem]:
    """The actor's own exports that are ready to download and not yet expired."""
    if not can(actor, Action.VIEW_AGGREGATE_REPORTS):
        return []
    labels = dict(ExportKind.choices)
    rows = (
        ExportJob.objects.mine(actor)
        .filter(status=ExportStatus.DONE, expires_at__gt=timezone.now())
        .order_by("expires_at", "pk")
        .values_list("kind", "format", "expires_at")[:LIMIT]
    )
    return [
        WorkItem(
            kind="export_ready",
            title=_("Export ready to download"),
            detail=f"{labels.get(kind, kind)} ({fmt.upper()})",
            due=timezone.localdate(expires),
            url=reverse("reports:exports"),
        )
        for kind, fmt, expires in rows
    ]


def report_due(actor: Actor) -> list[WorkItem]:
    """The funder indicators of the quarter that ended less than a month ago."""
    if actor.role != Role.ME_OFFICER:
        return []
    today = timezone.localdate()
    this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = this_quarter - timedelta(days=1)
    if (today - end).days > REPORT_DUE_DAYS:
        return []
    start = date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    query = urlencode({"from": start.isoformat(), "to": end.isoformat()})
    return [
        WorkItem(
            kind="report_due",
            title=_("Quarterly indicators due"),
            detail=_("%(start)s to %(end)s") % {"start": start.isoformat(), "end": end.isoformat()},
            due=end + timedelta(days=REPORT_DUE_DAYS),
            url=reverse("reports:indicators") + "?" + query,
        )
    ]


def data_quality(actor: Actor) -> list[WorkItem]:
    """Open cases in the network missing what the indicators are broken down by (year of
    birth, region, exploitation type), as counts under the small-cell rule."""
    if actor.role != Role.ME_OFFICER:
        return []
    minimum = settings.AFTERCARE_SMALL_CELL_MIN
    missing = Survivor.objects.open().aggregate(
        year=Count("pk", filter=Q(year_of_birth__isnull=True)),
        region=Count("pk", filter=Q(region__isnull=True)),
        kind=Count("pk", filter=Q(exploitation_types=[])),
    )
    labels = {
        "year": _("Open cases with no year of birth"),
        "region": _("Open cases with no region"),
        "kind": _("Open cases with no form of exploitation recorded"),
    }
    items = []
    for key, label in labels.items():
        n = missing[key]
        if not n:
            continue
        shown = cells.hide_count(n, minimum)
        detail = (
            (ngettext("%(n)s case", "%(n)s cases", n) % {"n": n})
            if shown is not None
            else _("Fewer than %(n)s cases") % {"n": minimum}
        )
        items.append(
            WorkItem(
                kind="data_quality",
                title=label,
                detail=detail,
                count=shown,
                url=reverse("reports:indicators"),
            )
        )
    return items
