"""Livelihoods' funder indicators, "Livelihoods and education" (definitions: docs/INDICATORS.md):
fair-wage work, retention at 6 months, the change in monthly income, and young survivors in
school. The counts the report gives as "Livelihoods in figures" are in `indicator_counts`.

The people counted are the survivors served in the period (see `cases.indicators.served`).
Money is never summed across currencies: the income change is reported per currency.
"""

from __future__ import annotations

import operator
import statistics
from collections import defaultdict
from dataclasses import replace
from datetime import date
from functools import reduce

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from aftercare.cases.indicators import served
from aftercare.core.stats.indicators import (
    AMOUNT,
    SHARE,
    Indicator,
    Period,
    share,
)
from aftercare.livelihoods import fair_wage
from aftercare.livelihoods.income import MAX_MONTHS, monthly_income, window_start
from aftercare.livelihoods.models import (
    FairWage,
    IncomeRecord,
    MakerShare,
    Placement,
    RetentionFollowUp,
    RetentionOutcome,
    SchoolEnrolment,
    SchoolStatus,
    WageKind,
    WageStandard,
)
from aftercare.livelihoods.money import RateTable

DOMAIN = "livelihoods"
SCHOOL_AGES = (6, 17)
RETENTION_MONTHS = 6


def for_period(start: date, end: date, organisation=None) -> list[Indicator]:
    period = Period(start, end)
    return [
        fair_wage_work(period, organisation),
        retention(period, organisation),
        *income_change(period, organisation),
        in_school(period, organisation),
    ]


def _share(code: str, label, counts: dict, note="") -> Indicator:
    """A share from `counts`' numerator and denominator."""
    numerator, denominator = counts["numerator"], counts["denominator"]
    return Indicator(
        code=code,
        domain=DOMAIN,
        label=label,
        unit=SHARE,
        value=share(numerator, denominator),
        numerator=numerator,
        denominator=denominator,
        note=note,
    )


def _in_work_at(day: date):
    return Placement.objects.filter(start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )


def fair_wage_work(period: Period, organisation=None) -> Indicator:
    """Of the survivors served in the period, the share in a job on its last day paying at least
    the living wage (the placement's fair-wage check says `fair`)."""

    working = _in_work_at(period.end).filter(survivor=OuterRef("pk"))
    fair = _in_work_at(period.end).filter(survivor=OuterRef("pk"), fair_wage=FairWage.FAIR)
    counts = (
        served(period, organisation)
        .annotate(working=Exists(working), fair=Exists(fair))
        .aggregate(
            denominator=Count("id"),
            numerator=Count("id", filter=Q(fair=True)),
            in_work=Count(
                "id", filter=Q(working=True)
            ),  # not named "working": that is the annotation
        )
    )
    note = _(
        "In a job on the last day of the period at or above "
        "the living wage; %(n)s were in work at any wage."
    ) % {"n": counts["in_work"]}
    return _share("in_work_fair_wage", _("In work at a fair wage"), counts, note)


def retention(period: Period, organisation=None) -> Indicator:
    """Of the placements whose 6-month follow-up fell due in the period and was recorded, the share
    retained."""

    follow_ups = RetentionFollowUp.objects.filter(
        months=RETENTION_MONTHS,
        due_on__gte=period.start,
        due_on__lte=period.end,
    ).exclude(outcome=RetentionOutcome.PENDING)
    if organisation is not None:
        follow_ups = follow_ups.filter(
            placement__survivor__organisation_id=getattr(organisation, "pk", organisation)
        )
    counts = follow_ups.aggregate(
        denominator=Count("id"), numerator=Count("id", filter=Q(outcome=RetentionOutcome.RETAINED))
    )
    return _share(
        "retained_6_months",
        _("Still in the job 6 months after starting"),
        counts,
        _("Follow-ups still pending are not counted."),
    )


def _median_change(currency: str = "", **figures) -> Indicator:
    """The median change in monthly income, in `currency` (or in none, with a note why not)."""
    return Indicator(
        code=f"median_income_change_{currency.lower()}" if currency else "median_income_change",
        domain=DOMAIN,
        label=(
            _("Median change in monthly income (%(currency)s)") % {"currency": currency}
            if currency
            else _("Median change in monthly income")
        ),
        unit=AMOUNT,
        **figures,
    )


def income_change(period: Period, organisation=None) -> list[Indicator]:
    """Per currency: the median of (monthly income from all sources in the period's last month
    minus that in its first month), over the survivors served with any income in the period."""
    first, last = period.start.replace(day=1), period.end.replace(day=1)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months > MAX_MONTHS:
        return [
            _median_change(note=_("Not computed over more than %(n)s months.") % {"n": MAX_MONTHS})
        ]
    sources = [
        _in_work_at(period.end),
        _in_work_at(period.start),
        IncomeRecord.objects.filter(month__gte=first, month__lte=last),
        MakerShare.objects.filter(sale__sold_on__gte=period.start, sale__sold_on__lte=period.end),
    ]
    if not any(
        source.exists() for source in sources
    ):  # a few indexed looks before scanning the cases
        sources = []
    earners = (
        served(period, organisation).filter(
            reduce(
                operator.or_, (Exists(source.filter(survivor=OuterRef("pk"))) for source in sources)
            )
        )
        if sources
        else served(period, organisation).none()
    )
    changes: dict[str, list] = defaultdict(list)
    unconverted = 0
    found = list(earners.select_related("region"))
    sources_of = _income_sources(
        found, earners.values("pk"), window_start(months, period.end), period.end
    )
    rates = RateTable()
    for survivor in found:
        series = monthly_income(
            survivor, months=months, today=period.end, rates=rates, **sources_of(survivor)
        )
        by_start = {m.start: m for m in series.months}
        if series.error is not None or first not in by_start or last not in by_start:
            unconverted += 1
            continue
        changes[series.currency].append(by_start[last].total - by_start[first].total)
    indicators = [
        _median_change(
            currency,
            value=float(statistics.median(values)),
            count=len(values),
            denominator=len(values),
            note=_("Last month of the period against its first, income from all sources."),
        )
        for currency, values in sorted(changes.items())
    ] or [_median_change(count=0, denominator=0, note=_("No income recorded in the period."))]
    if unconverted:
        indicators[-1] = replace(
            indicators[-1],
            note=f"{indicators[-1].note} "
            + str(_("%(n)s survivors left out: an exchange rate is missing.") % {"n": unconverted}),
        )
    return indicators


def _income_sources(earners: list, ids, first: date, last: date):
    """Every earner's jobs, income records and maker's shares from `first` to `last`, and the
    living wages of the regions they live in: one query each, however many earn (not one each
    per earner). `ids` is the earners' query (a subquery here: they may be many). Returns the
    `monthly_income` arguments of one earner."""
    if not earners:
        return lambda survivor: {}
    jobs, records, shares = defaultdict(list), defaultdict(list), defaultdict(list)
    for job in Placement.objects.filter(survivor__in=ids, start_date__lte=last).exclude(
        end_date__lt=first
    ):
        jobs[job.survivor_id].append(job)
    for row in IncomeRecord.objects.filter(survivor__in=ids, month__gte=first, month__lte=last):
        records[row.survivor_id].append(row)
    for part in (
        MakerShare.objects.filter(
            survivor__in=ids, sale__sold_on__gte=first, sale__sold_on__lte=last
        )
        .select_related("sale")
        .only("survivor", "amount", "currency", "sale__sold_on")
    ):
        shares[part.survivor_id].append(part)
    chains = {pk for s in earners if s.region_id for pk in fair_wage.region_chain(s.region)}
    standards = (
        list(
            WageStandard.objects.filter(region_id__in=chains, kind=WageKind.LIVING)
            .select_related("region")
            .order_by("-valid_from")
        )
        if chains
        else []
    )
    return lambda survivor: {
        "placements": jobs[survivor.pk],
        "records": records[survivor.pk],
        "shares": shares[survivor.pk],
        "living_standards": standards,
    }


def in_school(period: Period, organisation=None) -> Indicator:
    """Of the survivors served aged 6 to 17 at the end of the period (by year of birth), the share
    enrolled in school on its last day."""

    low, high = SCHOOL_AGES
    young = served(period, organisation).filter(
        year_of_birth__gte=period.end.year - high, year_of_birth__lte=period.end.year - low
    )
    enrolled = SchoolEnrolment.objects.filter(
        survivor=OuterRef("pk"), enrolled_on__lte=period.end
    ).filter(Q(status=SchoolStatus.ENROLLED, left_on__isnull=True) | Q(left_on__gt=period.end))
    counts = young.annotate(at_school=Exists(enrolled)).aggregate(
        denominator=Count("id"), numerator=Count("id", filter=Q(at_school=True))
    )
    return _share("young_in_school", _("Young survivors in school"), counts)
