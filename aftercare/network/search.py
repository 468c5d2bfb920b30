"""Directory search: who offers what, where, with room now, ranked by fit with the reasons.

The database ranks: one query filters the organisations, works out the figures that make
their fit (how many of the services asked for they offer, how close the region they serve
is, their free places, how fast they accept referrals) and orders them by a score built
from those figures with the weights below, so only the page shown is ever fetched. The same
figures are then put into words beside each result (`explain`).

Capacity comes from the one service row asked for (a join per service, no grouping) or, when
no service is named, from the organisation's `CapacitySummary`; no per-row aggregation.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Least, Lower
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from aftercare.accounts.models import Organisation
from aftercare.network.languages import language_name
from aftercare.network.models import OrganisationService, Region, RegionLevel, capacity_cutoff
from aftercare.network.services import RESTRICTED_FIELDS
from aftercare.network.taxonomy import Population, ServiceDomain

# How much each part of the fit weighs. A service asked for outweighs everything else; then
# where the organisation works; then whether it has room now; then how fast it answers.
SERVICE_MATCH = 100
REGION_SAME, REGION_WITHIN, REGION_PARENT, REGION_FURTHER = 40, 30, 25, 10
CAPACITY_FREE, CAPACITY_FREE_STALE, CAPACITY_FULL = 20, 8, -15
# Median hours to accept a referral: up to a day, up to three days, over a week.
RESPONSE_DAY, RESPONSE_THREE_DAYS, RESPONSE_SLOW = 8, 4, -4
# Preferences rather than filters (a referral for one person): serving people like her, and
# speaking a language she speaks, lift an organisation without hiding the others.
POPULATION_MATCH, LANGUAGE_MATCH = 15, 10

# region_distance: 0 the searched region itself, 1 a region inside it, 2 its parent, 3 the
# parent's parent, ... (None when no region was searched). The database works out, per
# organisation, the closest region it serves as one number, points × 100 + distance, so one
# subquery gives both the score and the words.
DISTANCE_SAME, DISTANCE_WITHIN, DISTANCE_PARENT = 0, 1, 2
FIT_BASE = 100


@dataclass(frozen=True)
class RegionScope:
    """The searched region with its ancestors, nearest first, resolved once per search."""

    region: Region
    ancestors: tuple[Region, ...]

    @classmethod
    def of(cls, region: Region) -> RegionScope:
        return cls(region, tuple(region.ancestors()))

    @classmethod
    def find(cls, key: str) -> RegionScope | None:
        """The region with this code (or, failing that, this unique name) and its ancestors,
        in one query: the ancestors are the regions whose path starts the region's path."""
        target = Subquery(Region.objects.filter(code=key.lower()).values("path")[:1])
        chain = list(
            Region.objects.annotate(target=target)
            .filter(target__startswith=F("path"))
            .order_by("-depth")
        )
        if not chain:
            named = list(Region.objects.filter(name__iexact=key)[:2])
            return cls.of(named[0]) if len(named) == 1 else None
        return cls(chain[0], tuple(chain[1:]))

    def served(self) -> Q:
        """A served region that counts (on the regions-served table): this one, one inside
        it (its path starts with this one's) or one of its ancestors."""
        return Q(region__path__startswith=self.region.path) | Q(
            region_id__in=[a.pk for a in self.ancestors]
        )

    def fit(self) -> Case:
        """points × FIT_BASE + distance for one served region (see region_distance); null for
        a region that does not count."""
        whens = [When(region_id=self.region.pk, then=Value(REGION_SAME * FIT_BASE + DISTANCE_SAME))]
        for i, ancestor in enumerate(self.ancestors):
            points = REGION_PARENT if i == 0 else REGION_FURTHER
            whens.append(
                When(region_id=ancestor.pk, then=Value(points * FIT_BASE + DISTANCE_PARENT + i))
            )
        whens.append(
            When(
                region__path__startswith=self.region.path,
                then=Value(REGION_WITHIN * FIT_BASE + DISTANCE_WITHIN),
            )
        )
        return Case(*whens, default=Value(None), output_field=IntegerField())

    def region_at(self, distance: int) -> Region:
        return (
            self.region
            if distance < DISTANCE_PARENT
            else self.ancestors[distance - DISTANCE_PARENT]
        )


@dataclass(frozen=True)
class DirectoryQuery:
    """What the searcher asked for; every part is optional."""

    services: tuple[str, ...] = ()
    region: RegionScope | None = None
    population: str = ""
    language: str = ""
    has_capacity: bool = False
    q: str = ""
    # For a referral: never the referring organisation itself; prefer those serving her
    # population and speaking one of her languages.
    exclude_organisation: object = None
    region_required: bool = True  # False: the region ranks but hides no one
    prefer_population: str = ""
    prefer_languages: tuple[str, ...] = ()


@dataclass
class DirectoryMatch:
    """One organisation found, with the figures behind its rank and the rank's reasons."""

    organisation_id: object
    name: str
    score: int
    beds_free: int | None
    slots_free: int | None
    capacity_checked_at: datetime | None
    median_response_hours: float | None
    region_distance: int | None
    is_stale: bool = False
    serves_population: bool = False
    speaks_language: bool = False
    organisation: Organisation | None = None
    services: list[str] = field(default_factory=list)  # service domain codes offered, by code
    regions: list[str] = field(default_factory=list)  # codes of the regions served, widest first
    reasons: list[str] = field(default_factory=list)

    @property
    def service_labels(self) -> list[str]:
        return [ServiceDomain(code).label for code in self.services]

    @property
    def capacity_reported(self) -> bool:
        return self.capacity_checked_at is not None

    @property
    def free_places(self) -> int:
        return (self.beds_free or 0) + (self.slots_free or 0)


def _total(values: list):
    """The sum of nullable figures: null only when every one is null (not counted anywhere)."""
    if len(values) == 1:
        return values[0]
    every_null = reduce(operator.and_, [IsNull(v, True) for v in values])
    summed = reduce(operator.add, [Coalesce(v, 0) for v in values])
    return Case(When(every_null, then=Value(None)), default=summed, output_field=IntegerField())


def _oldest(values: list):
    """The earliest of nullable dates, ignoring nulls on every database (SQLite's MIN() does
    not)."""
    if len(values) == 1:
        return values[0]
    return Least(*[Coalesce(v, *values) for v in values])


def _capacity_figures(query: DirectoryQuery) -> tuple[dict, ExpressionWrapper | None]:
    """Free places of the services asked for (or of all services), and the filter for them."""
    if not query.services:
        return {
            "beds_free": F("capacity_summary__beds_free"),
            "slots_free": F("capacity_summary__slots_free"),
            "capacity_checked_at": F("capacity_summary__checked_at"),
            "service_matches": Value(0),
        }, None
    joins = [f"svc_{domain}" for domain in query.services]
    # Lookups on F() reuse the joins above; Q(svc__isnull=...) would add a join each time.
    offered = [IsNull(F(f"{join}__id"), False) for join in joins]
    return {
        **{
            join: FilteredRelation("services", condition=Q(services__domain=domain))
            for join, domain in zip(joins, query.services, strict=True)
        },
        "beds_free": _total([F(f"{join}__beds_available") for join in joins]),
        "slots_free": _total([F(f"{join}__slots_available") for join in joins]),
        "capacity_checked_at": _oldest([F(f"{join}__capacity_updated_at") for join in joins]),
        "service_matches": reduce(
            operator.add, [Case(When(q, then=1), default=0) for q in offered]
        ),
    }, ExpressionWrapper(reduce(operator.or_, [Q(o) for o in offered]), output_field=BooleanField())


def score(query: DirectoryQuery, cutoff: datetime):
    """The fit of an organisation, as an SQL expression over the figures `candidates` adds."""
    free = Q(beds_free__gt=0) | Q(slots_free__gt=0)
    capacity = Case(
        When(capacity_checked_at__isnull=True, then=0),
        When(free & Q(capacity_checked_at__lt=cutoff), then=CAPACITY_FREE_STALE),
        When(free, then=CAPACITY_FREE),
        default=CAPACITY_FULL,
    )
    response = Case(
        When(median_response_hours__lte=24, then=RESPONSE_DAY),
        When(median_response_hours__lte=72, then=RESPONSE_THREE_DAYS),
        When(median_response_hours__gt=168, then=RESPONSE_SLOW),
        default=0,
    )
    total = capacity + response
    if query.prefer_population:
        total += F("serves_population") * POPULATION_MATCH
    if query.prefer_languages:
        total += F("speaks_language") * LANGUAGE_MATCH
    if query.services:
        total += F("service_matches") * SERVICE_MATCH
    if query.region is not None:
        total += Coalesce(F("region_fit"), Value(0)) / FIT_BASE
    return ExpressionWrapper(total, output_field=IntegerField())


def candidates(query: DirectoryQuery, cutoff: datetime) -> QuerySet[Organisation]:
    """Active organisations matching every filter with their figures and score, best first."""
    orgs = Organisation.objects.filter(is_active=True)
    if query.exclude_organisation is not None:
        orgs = orgs.exclude(pk=query.exclude_organisation)
    if query.q:
        orgs = orgs.filter(name__icontains=query.q.strip())
    if query.population:
        orgs = orgs.filter(populations__has=query.population)
    if query.language:
        orgs = orgs.filter(languages__has=query.language)
    figures, offers = _capacity_figures(query)
    figures["median_response_hours"] = F("referral_stats__median_response_hours")
    figures["region_fit"] = Value(None, output_field=IntegerField())
    figures["serves_population"] = (
        Case(
            When(populations__has=query.prefer_population, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        if query.prefer_population
        else Value(0, output_field=IntegerField())
    )
    speaks = [Q(languages__has=code) for code in query.prefer_languages]
    figures["speaks_language"] = (
        Case(
            When(reduce(operator.or_, speaks), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        if speaks
        else Value(0, output_field=IntegerField())
    )
    if query.region is not None:
        # Uncorrelated, so it is worked out once (SQLite would probe every id per organisation);
        # the fit then looks only at the few regions each candidate serves.
        served = Organisation.regions_served.through.objects
        if query.region_required:
            orgs = orgs.filter(
                pk__in=served.filter(query.region.served()).values("organisation_id")
            )
        fits = served.filter(organisation_id=OuterRef("pk")).annotate(fit=query.region.fit())
        figures["region_fit"] = Subquery(
            fits.order_by(F("fit").desc(nulls_last=True)).values("fit")[:1]
        )
    orgs = orgs.annotate(**figures)
    if offers is not None:
        # Filtering on an alias, not on the relation, lets the WHERE clause reuse the joins.
        orgs = orgs.alias(offers=offers).filter(offers=True)
    if query.has_capacity:
        orgs = orgs.filter(Q(beds_free__gt=0) | Q(slots_free__gt=0))
    return orgs.annotate(score=score(query, cutoff)).order_by("-score", Lower("name"), "pk")


def explain(match: DirectoryMatch, query: DirectoryQuery, now: datetime) -> list[str]:
    """The reasons for a match's rank, one phrase per part of the fit that counted."""
    reasons = []
    if query.services:
        offered = [domain for domain in match.services if domain in query.services]
        if offered:
            names = ", ".join(str(ServiceDomain(domain).label).lower() for domain in offered)
            reasons.append(_("offers %(services)s") % {"services": names})
    if match.region_distance is not None and query.region is not None:
        reasons.append(region_words(match.region_distance, query.region))
    if query.prefer_population and match.serves_population:
        reasons.append(
            _("serves %(population)s")
            % {"population": str(Population(query.prefer_population).label).lower()}
        )
    if query.prefer_languages and match.speaks_language and match.organisation is not None:
        shared = [code for code in query.prefer_languages if code in match.organisation.languages]
        reasons.append(
            _("speaks %(languages)s")
            % {"languages": ", ".join(language_name(code) for code in shared)}
        )
    if match.capacity_reported:
        reasons.append(capacity_words(match, now))
    if match.median_response_hours is not None:
        reasons.append(response_words(match.median_response_hours))
    return reasons


SAME_LEVEL = {
    RegionLevel.SUB_COUNTY: gettext_lazy("same sub-county"),
    RegionLevel.DISTRICT: gettext_lazy("same district"),
    RegionLevel.PROVINCE: gettext_lazy("same province"),
    RegionLevel.COUNTRY: gettext_lazy("same country"),
}
LEVEL = {
    RegionLevel.SUB_COUNTY: gettext_lazy("sub-county"),
    RegionLevel.DISTRICT: gettext_lazy("district"),
    RegionLevel.PROVINCE: gettext_lazy("province"),
    RegionLevel.COUNTRY: gettext_lazy("country"),
}


def region_words(distance: int, scope: RegionScope) -> str:
    region = scope.region_at(distance)
    if distance == DISTANCE_SAME:
        closeness = SAME_LEVEL.get(region.level) or _("same region")
        return _("serves %(region)s (%(closeness)s)") % {
            "region": region.name,
            "closeness": closeness,
        }
    if distance == DISTANCE_WITHIN:
        return _("serves part of %(region)s") % {"region": region.name}
    level = LEVEL.get(region.level) or _("wider region")
    return _("serves %(region)s (%(level)s)") % {"region": region.name, "level": level}


def capacity_words(match: DirectoryMatch, now: datetime) -> str:
    parts = []
    if match.beds_free is not None:
        parts.append(
            ngettext("%(n)d bed free", "%(n)d beds free", match.beds_free) % {"n": match.beds_free}
        )
    if match.slots_free is not None:
        parts.append(
            ngettext("%(n)d caseload slot free", "%(n)d caseload slots free", match.slots_free)
            % {"n": match.slots_free}
        )
    words = ", ".join(parts) if match.free_places else _("no free places")
    if match.is_stale:
        days = (now - match.capacity_checked_at).days
        words += " " + ngettext("(updated %(n)d day ago)", "(updated %(n)d days ago)", days) % {
            "n": days
        }
    return words


def response_words(hours: float) -> str:
    if hours < 48:
        n = max(1, round(hours))
        return ngettext("replies in ~%(n)d h", "replies in ~%(n)d h", n) % {"n": n}
    days = round(hours / 24)
    return ngettext("replies in ~%(n)d day", "replies in ~%(n)d days", days) % {"n": days}


FIGURES = ("score", "beds_free", "slots_free", "capacity_checked_at", "median_response_hours")


class DirectoryResults:
    """The ranked matches, sliced in the database; a slice loads that page only.

    Each slice also brings the total (a window count), so a page and its count cost one
    query; `count()` asked first runs a count of its own. Works as the object list of
    Django's Paginator and of the API's pagination.
    """

    def __init__(self, query: DirectoryQuery, *, now: datetime | None = None):
        self.query = query
        self.now = now or timezone.now()
        self.cutoff = capacity_cutoff(self.now)
        self.queryset = candidates(query, self.cutoff)
        self._count: int | None = None
        self._pages: dict[tuple, list[DirectoryMatch]] = {}

    def count(self) -> int:
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        for (cached_start, cached_stop), matches in self._pages.items():
            reached_end = cached_stop is None or len(matches) < cached_stop - cached_start
            if cached_start == start and (
                reached_end or (stop is not None and stop <= cached_stop)
            ):
                return matches if stop is None else matches[: stop - start]
        matches = self._load(index)
        self._pages[(start, stop)] = matches
        return matches

    def _load(self, index: slice) -> list[DirectoryMatch]:
        page = list(
            self.queryset.annotate(total=Window(Count("pk")))
            .select_related("region")
            .defer(*RESTRICTED_FIELDS)[index]
        )
        if not page:
            if not index.start:
                self._count = 0
            return []
        self._count = page[0].total
        ids = [organisation.pk for organisation in page]
        # Plain rows rather than prefetch_related: no model or queryset per organisation.
        services, regions = defaultdict(list), defaultdict(list)
        for org_id, domain in (
            OrganisationService.objects.filter(organisation_id__in=ids)
            .order_by("domain")
            .values_list("organisation_id", "domain")
        ):
            services[org_id].append(domain)
        for org_id, code in (
            Organisation.regions_served.through.objects.filter(organisation_id__in=ids)
            .order_by("region__depth", "region__name")
            .values_list("organisation_id", "region__code")
        ):
            regions[org_id].append(code)
        matches = []
        for organisation in page:
            fit = organisation.region_fit
            match = DirectoryMatch(
                organisation.pk,
                organisation.name,
                *(getattr(organisation, f) for f in FIGURES),
                region_distance=None if fit is None else fit % FIT_BASE,
                organisation=organisation,
                services=services[organisation.pk],
                regions=regions[organisation.pk],
            )
            match.serves_population = bool(organisation.serves_population)
            match.speaks_language = bool(organisation.speaks_language)
            match.is_stale = match.capacity_reported and match.capacity_checked_at < self.cutoff
            match.reasons = explain(match, self.query, self.now)
            matches.append(match)
        return matches


def search_directory(query: DirectoryQuery, *, now: datetime | None = None) -> DirectoryResults:
    """Every active organisation matching the query, best fit first."""
    return DirectoryResults(query, now=now)
