"""Directory search: who offers what, where, with room now, ranked by fit with the reasons.

One query finds the candidates with the few figures ranking needs (capacity sums, how close
the region they serve is, how fast they accept referrals); `rank` turns those figures into a
score and the reasons shown beside each result, in Python, so the order and its explanation
come from the same lines. Only the page being shown is then loaded in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aftercare.accounts.models import Organisation
from aftercare.network.models import OrganisationService, Region, RegionLevel, capacity_cutoff
from aftercare.network.taxonomy import ServiceDomain

# How much each part of the fit weighs. A service asked for outweighs everything else; then
# where the organisation works; then whether it has room now; then how fast it answers.
SERVICE_MATCH = 100
REGION_SAME, REGION_WITHIN, REGION_PARENT, REGION_FURTHER = 40, 30, 25, 10
CAPACITY_FREE, CAPACITY_FREE_STALE, CAPACITY_FULL = 20, 8, -15
RESPONSE_DAY, RESPONSE_THREE_DAYS, RESPONSE_SLOW = 8, 4, -4

# region_distance: 0 the searched region itself, 1 a region inside it, 2 its parent, 3 the
# parent's parent, ... (None when no region was searched).
DISTANCE_SAME, DISTANCE_WITHIN, DISTANCE_PARENT = 0, 1, 2


@dataclass(frozen=True)
class RegionScope:
    """The searched region with its ancestors, nearest first, resolved once per search."""

    region: Region
    ancestors: tuple[Region, ...]

    @classmethod
    def of(cls, region: Region) -> RegionScope:
        return cls(region, tuple(region.ancestors()))

    def served_match(self) -> Q:
        """A served region that counts: this one, one inside it, or one of its ancestors."""
        return Q(region_id__in=[a.pk for a in self.ancestors]) | Q(region__path__startswith=self.region.path)

    def distance(self):
        whens = [When(region_id=self.region.pk, then=Value(DISTANCE_SAME))]
        whens += [When(region_id=a.pk, then=Value(DISTANCE_PARENT + i)) for i, a in enumerate(self.ancestors)]
        return Case(*whens, default=Value(DISTANCE_WITHIN), output_field=IntegerField())

    def region_at(self, distance: int) -> Region:
        return self.region if distance < DISTANCE_PARENT else self.ancestors[distance - DISTANCE_PARENT]


@dataclass(frozen=True)
class DirectoryQuery:
    """What the searcher asked for; every part is optional."""

    services: tuple[str, ...] = ()
    region: RegionScope | None = None
    population: str = ""
    language: str = ""
    has_capacity: bool = False
    q: str = ""


@dataclass
class DirectoryMatch:
    """One organisation found, with the figures behind its rank and the rank's reasons."""

    organisation_id: object
    name: str
    beds_free: int | None
    slots_free: int | None
    capacity_checked_at: datetime | None
    median_response_hours: float | None
    region_distance: int | None = None
    service_matches: int = 0
    is_stale: bool = False
    score: int = 0
    organisation: Organisation | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def capacity_reported(self) -> bool:
        return self.capacity_checked_at is not None

    @property
    def free_places(self) -> int:
        return (self.beds_free or 0) + (self.slots_free or 0)


def matching_services(query: DirectoryQuery) -> QuerySet[OrganisationService]:
    """The services of the outer organisation that the query is about (all, if none named)."""
    services = OrganisationService.objects.filter(organisation=OuterRef("pk"))
    return services.filter(domain__in=query.services) if query.services else services


def _per_organisation(services: QuerySet, aggregate) -> Subquery:
    return Subquery(services.order_by().values("organisation").annotate(v=aggregate).values("v")[:1])


def candidates(query: DirectoryQuery) -> QuerySet[Organisation]:
    """Active organisations matching every filter, annotated with what ranking needs."""
    orgs = Organisation.objects.filter(is_active=True)
    if query.q:
        orgs = orgs.filter(name__icontains=query.q.strip())
    if query.population:
        orgs = orgs.filter(populations__has=query.population)
    if query.language:
        orgs = orgs.filter(languages__has=query.language)
    services = matching_services(query)
    if query.services:
        orgs = orgs.filter(Exists(services))
    if query.has_capacity:
        orgs = orgs.filter(Exists(services.filter(Q(beds_available__gt=0) | Q(slots_available__gt=0))))
    annotations = {
        "beds_free": _per_organisation(services, Sum("beds_available")),
        "slots_free": _per_organisation(services, Sum("slots_available")),
        "capacity_checked_at": _per_organisation(services, Min("capacity_updated_at")),
        "median_response_hours": F("referral_stats__median_response_hours"),
    }
    if len(query.services) > 1:
        annotations["service_matches"] = _per_organisation(services, Count("pk"))
    if query.region is not None:
        served = Organisation.regions_served.through.objects.filter(
            organisation_id=OuterRef("pk")
        ).filter(query.region.served_match())
        orgs = orgs.filter(Exists(served))
        annotations["region_distance"] = Subquery(
            served.annotate(d=query.region.distance()).order_by("d").values("d")[:1]
        )
    return orgs.annotate(**annotations)


def rank(match: DirectoryMatch, query: DirectoryQuery, cutoff: datetime) -> None:
    """Score a match from its figures; `explain` puts the same figures into words."""
    score = SERVICE_MATCH * (match.service_matches or 1) if query.services else 0
    if match.region_distance is not None:
        score += region_points(match.region_distance)
    match.is_stale = match.capacity_reported and match.capacity_checked_at < cutoff
    match.score = score + capacity_points(match) + response_points(match.median_response_hours)


def region_points(distance: int) -> int:
    return {DISTANCE_SAME: REGION_SAME, DISTANCE_WITHIN: REGION_WITHIN, DISTANCE_PARENT: REGION_PARENT}.get(
        distance, REGION_FURTHER
    )


def capacity_points(match: DirectoryMatch) -> int:
    """Room now counts; room reported long ago counts less; a full service counts against."""
    if not match.capacity_reported:
        return 0
    if match.free_places > 0:
        return CAPACITY_FREE_STALE if match.is_stale else CAPACITY_FREE
    return CAPACITY_FULL


def response_points(hours: float | None) -> int:
    """Faster acceptance of referrals counts for; no record yet is neutral."""
    if hours is None:
        return 0
    if hours <= 24:
        return RESPONSE_DAY
    if hours <= 72:
        return RESPONSE_THREE_DAYS
    return RESPONSE_SLOW if hours > 168 else 0


def explain(match: DirectoryMatch, query: DirectoryQuery, now: datetime) -> list[str]:
    """The reasons for a match's rank, one phrase per part of the fit that counted."""
    reasons = []
    if query.services and match.organisation is not None:
        offered = [s.domain for s in match.organisation.services.all() if s.domain in query.services]
        if offered:
            names = ", ".join(str(ServiceDomain(domain).label).lower() for domain in offered)
            reasons.append(_("offers %(services)s") % {"services": names})
    if match.region_distance is not None and query.region is not None:
        reasons.append(region_words(match.region_distance, query.region))
    if match.capacity_reported:
        reasons.append(capacity_words(match, now))
    if match.median_response_hours is not None:
        reasons.append(response_words(match.median_response_hours))
    return reasons


def region_words(distance: int, scope: RegionScope) -> str:
    region = scope.region_at(distance)
    if distance == DISTANCE_SAME:
        closeness = {
            RegionLevel.DISTRICT: _("same district"),
            RegionLevel.PROVINCE: _("same province"),
            RegionLevel.COUNTRY: _("same country"),
        }.get(region.level, _("same region"))
        return _("serves %(region)s (%(closeness)s)") % {"region": region.name, "closeness": closeness}
    if distance == DISTANCE_WITHIN:
        return _("serves part of %(region)s") % {"region": region.name}
    level = {
        RegionLevel.PROVINCE: _("province"),
        RegionLevel.COUNTRY: _("country"),
    }.get(region.level, _("wider region"))
    return _("serves %(region)s (%(level)s)") % {"region": region.name, "level": level}


def capacity_words(match: DirectoryMatch, now: datetime) -> str:
    parts = []
    if match.beds_free is not None:
        parts.append(ngettext("%(n)d bed free", "%(n)d beds free", match.beds_free) % {"n": match.beds_free})
    if match.slots_free is not None:
        parts.append(
            ngettext("%(n)d caseload slot free", "%(n)d caseload slots free", match.slots_free)
            % {"n": match.slots_free}
        )
    words = ", ".join(parts) if match.free_places else _("no free places")
    if match.is_stale:
        days = (now - match.capacity_checked_at).days
        words += " " + ngettext("(updated %(n)d day ago)", "(updated %(n)d days ago)", days) % {"n": days}
    return words


def response_words(hours: float) -> str:
    if hours < 48:
        n = max(1, round(hours))
        return ngettext("replies in ~%(n)d h", "replies in ~%(n)d h", n) % {"n": n}
    days = round(hours / 24)
    return ngettext("replies in ~%(n)d day", "replies in ~%(n)d days", days) % {"n": days}


FIELDS = ("pk", "name", "beds_free", "slots_free", "capacity_checked_at", "median_response_hours")


class DirectoryResults(Sequence):
    """The ranked matches; slicing loads the organisations of that slice only.

    Works as the object list of Django's Paginator and of the API's ListPagination.
    """

    def __init__(self, query: DirectoryQuery, *, now: datetime | None = None):
        self.query = query
        qs = candidates(query)
        fields = list(FIELDS)
        if "service_matches" in qs.query.annotations:
            fields.append("service_matches")
        if "region_distance" in qs.query.annotations:
            fields.append("region_distance")
        self.now = now or timezone.now()
        cutoff = capacity_cutoff(self.now)
        matches = []
        for row in qs.values_list(*fields):
            values = dict(zip(fields, row, strict=True))
            match = DirectoryMatch(organisation_id=values.pop("pk"), **values)
            rank(match, query, cutoff)
            matches.append(match)
        matches.sort(key=lambda m: (-m.score, m.name.casefold(), str(m.organisation_id)))
        self.matches = matches

    def __len__(self) -> int:
        return len(self.matches)

    def count(self) -> int:
        return len(self.matches)

    def __getitem__(self, index):
        if isinstance(index, slice):
            chosen = self.matches[index]
            self._load(chosen)
            return chosen
        match = self.matches[index]
        self._load([match])
        return match

    def _load(self, matches: list[DirectoryMatch]) -> None:
        missing = [m for m in matches if m.organisation is None]
        if not missing:
            return
        organisations = Organisation.objects.select_related("region").prefetch_related(
            Prefetch("services", queryset=OrganisationService.objects.order_by("domain")),
            Prefetch("regions_served", queryset=Region.objects.order_by("depth", "name")),
        ).in_bulk([m.organisation_id for m in missing])
        for match in missing:
            match.organisation = organisations[match.organisation_id]
            match.reasons = explain(match, self.query, self.now)


def search_directory(query: DirectoryQuery, *, now: datetime | None = None) -> DirectoryResults:
    """Every active organisation matching the query, best fit first."""
    return DirectoryResults(query, now=now)
