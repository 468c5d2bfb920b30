"""Indicators from case management: survivors served, services, care-plan reviews, re-trafficking.

Definitions, numerators and denominators are in docs/INDICATORS.md; each function's
docstring names the rule it implements. Every figure is one or two grouped queries, so the
report costs the same at a hundred cases as at a hundred thousand, bar the rows scanned.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Min,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils.translation import gettext_lazy as _

from aftercare.cases.models import (
    CaseStatus,
    ClosureReason,
    ExploitationType,
    Gender,
    Goal,
    PlanReview,
    ServiceDelivery,
    StatusChange,
    Survivor,
)
from aftercare.core.stats import bands
from aftercare.core.stats.indicators import COUNT, SHARE, Cell, Indicator, Period, share
from aftercare.network.taxonomy import ServiceDomain

DOMAIN = "cases"
REVIEW_WINDOW_DAYS = 90
RETRAFFICKING_WINDOW_DAYS = 365
# Closures after which a survivor has left care and could be re-trafficked in the community.
LEFT_CARE = (ClosureReason.SELF_SUFFICIENT, ClosureReason.RELOCATED, ClosureReason.LOST_CONTACT)


def in_scope(organisation) -> QuerySet:
    cases = Survivor.objects.counted()
    if organisation is not None:
        cases = cases.filter(organisation_id=getattr(organisation, "pk", organisation))
    return cases


def not_closed_before(moment) -> Q:
    """Open at `moment` or later: not closed, or closed at or after it. A closed case with no
    closing date cannot be placed in time and is left out."""
    return (Q(closed_at__isnull=True) & ~Q(status=CaseStatus.CLOSED)) | Q(closed_at__gte=moment)


def served(period: Period, organisation=None) -> QuerySet:
    """Survivors whose case was open on at least one day of the period."""
    return (
        in_scope(organisation)
        .filter(created_at__lt=period.end_before)
        .filter(not_closed_before(period.start_at))
    )


def open_at_end(period: Period, organisation=None) -> QuerySet:
    return (
        in_scope(organisation)
        .filter(created_at__lt=period.end_before)
        .filter(not_closed_before(period.end_before))
    )


def for_period(start: date, end: date, organisation=None) -> list[Indicator]:
    period = Period(start, end)
    return [
        *survivors_served(period, organisation),
        *services_by_domain(period, organisation),
        plan_reviewed(period, organisation),
        re_trafficking(period, organisation),
    ]


def _profile_cells(tallies: Counter, choices, unknown_key: str = bands.UNKNOWN) -> list[Cell]:
    labels = dict(choices)
    cells = [Cell(key=key, label=labels[key], value=tallies.get(key, 0)) for key in labels]
    if tallies.get(unknown_key) and unknown_key not in labels:
        cells.append(Cell(key=unknown_key, label=bands.UNKNOWN_LABEL, value=tallies[unknown_key]))
    return cells


def survivors_served(period: Period, organisation=None) -> list[Indicator]:
    """Served, new (opened in the period) and continuing (opened before it), each by sex,
    age band (at the end of the period's year) and exploitation type (each type counted)."""
    rows = (
        served(period, organisation)
        .annotate(
            is_new=ExpressionWrapper(
                Q(created_at__gte=period.start_at), output_field=BooleanField()
            )
        )
        .values("is_new", "gender", "year_of_birth", "exploitation_types")
        .annotate(n=Count("id"))
        .order_by()
    )
    tallies = {
        key: {"sex": Counter(), "age_band": Counter(), "exploitation_type": Counter(), "total": 0}
        for key in ("all", "new", "continuing")
    }
    for row in rows:
        band = bands.age_band(bands.age_in(period.end.year, row["year_of_birth"])) or bands.UNKNOWN
        kinds = [k for k in (row["exploitation_types"] or []) if k in ExploitationType.values] or [
            bands.UNKNOWN
        ]
        for key in ("all", "new" if row["is_new"] else "continuing"):
            tally = tallies[key]
            tally["total"] += row["n"]
            tally["sex"][row["gender"] or Gender.UNKNOWN] += row["n"]
            tally["age_band"][band] += row["n"]
            for kind in kinds:
                tally["exploitation_type"][kind] += row["n"]
    labels = {
        "all": (_("Survivors served"), _("Cases open on at least one day of the period.")),
        "new": (_("New survivors served"), _("Cases opened during the period.")),
        "continuing": (
            _("Continuing survivors served"),
            _("Cases opened before the period and still open in it."),
        ),
    }
    indicators = []
    for key, (label, note) in labels.items():
        tally = tallies[key]
        indicators.append(
            Indicator(
                code="survivors_served" if key == "all" else f"survivors_{key}",
                domain=DOMAIN,
                label=label,
                unit=COUNT,
                value=tally["total"],
                note=note,
                breakdowns={
                    "sex": _profile_cells(tally["sex"], Gender.choices),
                    "age_band": [
                        Cell(key=b, label=bands.display_band(b), value=tally["age_band"].get(b, 0))
                        for b in bands.AGE_BAND_LABELS
                    ]
                    + (
                        [
                            Cell(
                                key=bands.UNKNOWN,
                                label=bands.UNKNOWN_LABEL,
                                value=tally["age_band"][bands.UNKNOWN],
                            )
                        ]
                        if tally["age_band"].get(bands.UNKNOWN)
                        else []
                    ),
                    "exploitation_type": _profile_cells(
                        tally["exploitation_type"], ExploitationType.choices
                    ),
                },
            )
        )
    return indicators


def services_by_domain(period: Period, organisation=None) -> list[Indicator]:
    """Services delivered (dated within the period) to survivors in scope, and the survivors
    who received at least one, by service domain."""
    rows, reached = _services_grouped(period, organisation)
    by_domain = [(code, label, rows.get(code, {})) for code, label in ServiceDomain.choices]
    return [
        Indicator(
            code="services_delivered",
            domain=DOMAIN,
            label=_("Services delivered"),
            unit=COUNT,
            value=sum(r.get("n", 0) for _c, _l, r in by_domain),
            breakdowns={
                "service_domain": [Cell(code, label, r.get("n", 0)) for code, label, r in by_domain]
            },
            note=_("Each service recorded with a date in the period counts once."),
        ),
        Indicator(
            code="survivors_receiving_services",
            domain=DOMAIN,
            label=_("Survivors who received a service"),
            unit=COUNT,
            value=reached,
            breakdowns={
                "service_domain": [
                    Cell(code, label, r.get("people", 0)) for code, label, r in by_domain
                ]
            },
            note=_(
                "A survivor is counted once in the total and once in each domain they received."
            ),
        ),
    ]


def _services_grouped(period: Period, organisation=None) -> tuple[dict[str, dict], int]:
    """Services and distinct survivors by domain, and distinct survivors over all domains, in
    one grouped query with no DISTINCT and no sort.

    A survivor is counted once in a domain by her first service in it within the period, and
    once in all by her first service of all: the service whose predecessor (kept on it,
    `cases.service_order`) is before the period's first day, or which has none.
    """
    services = ServiceDelivery.objects.filter(date__gte=period.start, date__lte=period.end)
    organisation_id = getattr(organisation, "pk", organisation)
    if organisation_id is not None:
        services = services.filter(survivor__organisation_id=organisation_id)
    first_in_domain = Q(previous_date_in_domain__isnull=True) | Q(
        previous_date_in_domain__lt=period.start
    )
    first_of_all = Q(previous_date__isnull=True) | Q(previous_date__lt=period.start)
    # Counted on `date` (never null), which the report's index holds, where "id" would make
    # PostgreSQL read each service's row.
    rows = {
        r["domain"]: r
        for r in services.values("domain")
        .annotate(
            n=Count("date"),
            people=Count("date", filter=first_in_domain),
            first=Count("date", filter=first_of_all),
        )
        .order_by()
    }
    return rows, sum(r["first"] for r in rows.values())


def plan_reviewed(period: Period, organisation=None) -> Indicator:
    """Of the survivors with an open case and a care plan (at least one goal) at the end of the
    period, the share whose plan was reviewed in the 90 days ending on its last day."""
    window_start = period.end - timedelta(days=REVIEW_WINDOW_DAYS - 1)
    with_plan = open_at_end(period, organisation).filter(
        Exists(Goal.objects.filter(survivor=OuterRef("pk"), created_at__lt=period.end_before))
    )
    counts = with_plan.annotate(
        reviewed=Exists(
            PlanReview.objects.filter(
                survivor=OuterRef("pk"), reviewed_on__gte=window_start, reviewed_on__lte=period.end
            )
        )
    ).aggregate(denominator=Count("id"), numerator=Count("id", filter=Q(reviewed=True)))
    return Indicator(
        code="care_plan_reviewed_90d",
        domain=DOMAIN,
        label=_("Care plans reviewed in the last 90 days"),
        unit=SHARE,
        value=share(counts["numerator"], counts["denominator"]),
        numerator=counts["numerator"],
        denominator=counts["denominator"],
    )


def re_trafficking(period: Period, organisation=None) -> Indicator:
    """Of the survivors who left care during the period (closed as self-sufficient, relocated or
    lost contact), the share later recorded as re-trafficked (a closure for that reason) within
    12 months of leaving. Closures less than 12 months ago can still rise."""
    closures = StatusChange.objects.filter(
        to_status=CaseStatus.CLOSED,
        reason__in=LEFT_CARE,
        changed_at__gte=period.start_at,
        changed_at__lt=period.end_before,
    )
    if organisation is not None:
        closures = closures.filter(
            survivor__organisation_id=getattr(organisation, "pk", organisation)
        )
    left = dict(closures.values_list("survivor_id").annotate(first=Min("changed_at")).order_by())
    later = StatusChange.objects.filter(
        survivor_id__in=closures.values("survivor_id"),
        to_status=CaseStatus.CLOSED,
        reason=ClosureReason.RE_TRAFFICKED,
    ).values_list("survivor_id", "changed_at")
    window = timedelta(days=RETRAFFICKING_WINDOW_DAYS)
    again = {pk for pk, at in later if left[pk] < at <= left[pk] + window}
    return Indicator(
        code="re_trafficked_12m",
        domain=DOMAIN,
        label=_("Re-trafficked within 12 months of leaving care"),
        unit=SHARE,
        value=share(len(again), len(left)),
        numerator=len(again),
        denominator=len(left),
        note=_(
            "Only re-trafficking recorded in Aftercare (a "
            "reopened case closed as re-trafficked) is counted."
        ),
    )
