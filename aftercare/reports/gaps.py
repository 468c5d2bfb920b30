"""The gap map: where needs outrun what the network offers, by region and service domain.

For each region (a row: the children of the region looked at, countries at the top) and each
service domain (a column):

- **in need**: survivors with an open case in scope whose latest needs assessment rates the
  domain at `min_level` or above (high by default), living in the region or below it;
- **providers**: active organisations offering the domain that serve the region, a region
  above it, or a region inside it (where no regions served are listed, their own region);
- **free places**: the free caseload slots (and, for housing, beds) those services report.
  Services that do not count capacity add nothing, and a cell whose providers count none
  says "not counted" rather than 0.

Each cell gets a status from these figures. Counts of survivors follow the scope's
small-cell rule; a hidden count also hides the comparison with free places (status `few`),
so the two together cannot give it away. The drill-down (`cell`) shows counts only, and
case codes only to case roles looking at their own organisation's cases.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organisation
from aftercare.cases.counting import Scope
from aftercare.cases.models import NeedItem, NeedLevel, NeedsAssessment, Survivor
from aftercare.cases.models.plan import NEED_RANK
from aftercare.core.routers import on_replica
from aftercare.core.stats import cells
from aftercare.network.models import OrganisationService, Region
from aftercare.network.taxonomy import BEDDED_DOMAINS, ServiceDomain
from aftercare.referrals.models import Referral, ReferralStatus

NO_REGION = "none"
LEVELS = [NeedLevel.LOW, NeedLevel.MEDIUM, NeedLevel.HIGH, NeedLevel.URGENT]
STATUS_LABELS = {
    "none": _("No one in need"),
    "covered": _("Enough free places"),
    "short": _("Fewer free places than people in need"),
    "full": _("Providers, but no free places"),
    "unknown": _("Providers, capacity not counted"),
    "no_provider": _("No provider serves this region"),
    "few": _("A few people in need (count hidden)"),
}


@dataclass
class GapCell:
    domain: str
    in_need: int | None
    providers: int
    free: int | None
    status: str
    hidden: bool = False

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class GapRow:
    key: str  # a region id, or NO_REGION
    label: str
    has_children: bool
    cells: list[GapCell] = field(default_factory=list)


@dataclass
class GapMap:
    parent: Region | None
    ancestors: list[Region]
    min_level: str
    domains: list[tuple[str, str]]
    rows: list[GapRow]
    small_cell_min: int


def _status(in_need: int, providers: int, free: int | None) -> str:
    if in_need == 0:
        return "none"
    if providers == 0:
        return "no_provider"
    if free is None:
        return "unknown"
    if free == 0:
        return "full"
    return "covered" if free >= in_need else "short"


def latest_needs(scope: Scope, min_level: str):
    """NeedItems at `min_level` or above from the latest assessment of each open case in scope."""
    latest = (
        NeedsAssessment.objects.filter(survivor=OuterRef("pk"))
        .order_by("-assessed_at")
        .values("pk")[:1]
    )
    cases = scope.survivors().open().annotate(latest=Subquery(latest)).filter(latest__isnull=False)
    levels = [level for level in NeedLevel.values if NEED_RANK[level] >= NEED_RANK[min_level]]
    return NeedItem.objects.filter(assessment_id__in=cases.values("latest"), level__in=levels)


def _provision(domains: list[str]) -> list[tuple[str, set[str], int | None, object]]:
    """(domain, paths of the regions served, free places or None, organisation id) per service
    offered."""
    services = OrganisationService.objects.filter(
        organisation__is_active=True, domain__in=domains
    ).select_related("organisation__region")
    served: dict[object, set[str]] = defaultdict(set)
    through = Organisation.regions_served.through.objects.filter(organisation__is_active=True)
    for org_id, path in through.values_list("organisation_id", "region__path"):
        served[org_id].add(path)
    found = []
    for service in services:
        paths = served.get(service.organisation_id) or (
            {service.organisation.region.path} if service.organisation.region_id else set()
        )
        free = None
        if service.counts_capacity:
            free = (service.slots_available or 0) + (
                (service.beds_available or 0) if service.domain in BEDDED_DOMAINS else 0
            )
        found.append((service.domain, paths, free, service.organisation_id))
    return found


def _covers(served_paths: set[str], path: str) -> bool:
    return any(path.startswith(s) or s.startswith(path) for s in served_paths)


@on_replica
def gap_map(scope: Scope, parent: Region | None = None, min_level: str = NeedLevel.HIGH) -> GapMap:
    regions = (
        list(Region.objects.filter(parent=parent).order_by("name"))
        if parent
        else list(Region.objects.filter(parent__isnull=True).order_by("name"))
    )
    with_children = set(
        Region.objects.filter(parent__in=regions).values_list("parent_id", flat=True)
    )
    domains = list(ServiceDomain.choices)
    codes = [code for code, _label in domains]
    paths = dict(Region.objects.values_list("pk", "path"))
    need = Counter()  # (row key, domain) -> survivors
    for region_id, domain, n in (
        latest_needs(scope, min_level)
        .values_list("assessment__survivor__region_id", "domain")
        .annotate(n=Count("id"))
        .order_by()
    ):
        path = paths.get(region_id)
        if path is None:
            if parent is None:
                need[(NO_REGION, domain)] += n
            continue
        for region in regions:
            if path.startswith(region.path):
                need[(str(region.pk), domain)] += n
                break
    provision = _provision(codes)
    rows = []
    for region in regions:
        rows.append(
            _row(
                str(region.pk),
                region.name,
                region.pk in with_children,
                region.path,
                codes,
                need,
                provision,
                scope,
            )
        )
    if parent is None and any(need[(NO_REGION, code)] for code in codes):
        rows.append(
            _row(
                NO_REGION, str(_("Region not recorded")), False, None, codes, need, provision, scope
            )
        )
    return GapMap(
        parent=parent,
        ancestors=list(reversed(parent.ancestors())) if parent else [],
        min_level=min_level,
        domains=domains,
        rows=rows,
        small_cell_min=scope.small_cell_min,
    )


def _row(key, label, has_children, path, codes, need, provision, scope: Scope) -> GapRow:
    row = GapRow(key=key, label=label, has_children=has_children)
    for code in codes:
        in_need = need[(key, code)]
        providers = [
            (p, free)
            for domain, p, free, _org in provision
            if domain == code and path and _covers(p, path)
        ]
        counted = [free for _p, free in providers if free is not None]
        free = sum(counted) if counted else None
        status = _status(in_need, len(providers), free)
        hidden = cells.is_small(in_need, scope.small_cell_min)
        if hidden and status in ("covered", "short"):
            status = "few"
        row.cells.append(
            GapCell(
                domain=code,
                in_need=None if hidden else in_need,
                providers=len(providers),
                free=free,
                status=status,
                hidden=hidden,
            )
        )
    return row


@dataclass
class CellDetail:
    region: Region | None
    domain: str
    levels: list[tuple[str, str, int | None]]
    by_region: list[tuple[str, int | None]]
    providers: list[dict]
    referrals: list[tuple[str, int | None]]
    cases: list | None  # case codes for case roles in their own scope, else None


@on_replica
def cell(scope: Scope, region: Region | None, domain: str) -> CellDetail:
    """Counts behind one cell of the map: never a person, except own cases for case roles."""
    items = latest_needs(scope, NeedLevel.LOW).filter(domain=domain)
    children = []
    if region is not None:
        items = items.filter(assessment__survivor__region__path__startswith=region.path)
        children = list(Region.objects.filter(parent=region).order_by("name"))
    else:
        items = items.filter(assessment__survivor__region__isnull=True)
    minimum = scope.small_cell_min
    by_level = dict(items.values_list("level").annotate(n=Count("id")).order_by())
    shown_levels = cells.hide_breakdown(
        {level: by_level.get(level, 0) for level in LEVELS}, minimum
    )
    levels = [(level, NeedLevel(level).label, shown_levels[level]) for level in LEVELS]
    by_child = Counter()
    for path, n in (
        items.filter(level__in=[NeedLevel.HIGH, NeedLevel.URGENT])
        .values_list("assessment__survivor__region__path")
        .annotate(n=Count("id"))
        .order_by()
    ):
        for child in children:
            if path.startswith(child.path):
                by_child[str(child.pk)] += n
    shown_children = cells.hide_breakdown(
        {str(c.pk): by_child[str(c.pk)] for c in children}, minimum
    )
    providers = []
    for _domain, paths, free, org_id in _provision([domain]):
        if region is not None and _covers(paths, region.path):
            providers.append({"organisation_id": org_id, "free": free})
    names = Organisation.objects.in_bulk([p["organisation_id"] for p in providers])
    for p in providers:
        p["organisation"] = names[p["organisation_id"]]
    providers.sort(key=lambda p: p["organisation"].name)
    return CellDetail(
        region=region,
        domain=domain,
        levels=levels,
        by_region=[(c.name, shown_children[str(c.pk)]) for c in children],
        providers=providers,
        referrals=_referrals(scope, region, domain),
        cases=_own_cases(scope, items) if scope.shows_people else None,
    )


def _referrals(scope: Scope, region: Region | None, domain: str) -> list[tuple[str, int | None]]:
    """Referrals for this domain of survivors in the region in the last 12 months, by outcome."""
    since = timezone.now() - timedelta(days=365)
    referrals = Referral.objects.filter(survivor__in=scope.survivors(), created_at__gte=since)
    if region is not None:
        referrals = referrals.filter(survivor__region__path__startswith=region.path)
    else:
        referrals = referrals.filter(survivor__region__isnull=True)
    tally = Counter()
    for domains, status, n in (
        referrals.values_list("domains", "status").annotate(n=Count("id")).order_by()
    ):
        if domain in (domains or []):
            group = {
                ReferralStatus.SENT: "waiting",
                ReferralStatus.DECLINED: "declined",
                ReferralStatus.EXPIRED: "declined",
                ReferralStatus.CANCELLED: "cancelled",
            }.get(status, "accepted")
            tally[group] += n
    labels = {
        "accepted": _("Accepted"),
        "waiting": _("Waiting for an answer"),
        "declined": _("Declined or expired"),
        "cancelled": _("Cancelled"),
    }
    shown = cells.hide_breakdown({key: tally[key] for key in labels}, scope.small_cell_min)
    return [(str(label), shown[key]) for key, label in labels.items()]


def _own_cases(scope: Scope, items) -> list:
    ids = items.filter(level__in=[NeedLevel.HIGH, NeedLevel.URGENT]).values(
        "assessment__survivor_id"
    )
    return list(
        Survivor.objects.owned_by(scope.actor)
        .filter(pk__in=ids)
        .only("pk", "case_code", "status")
        .order_by("case_code")[:50]
    )
