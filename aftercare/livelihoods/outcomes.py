"""Economic outcomes of a case: what the case page's Livelihood section and the API show.

`case_livelihood_context` is for `{% include "livelihoods/_case_livelihood.html" %}`, given a
survivor already fetched (and its read audited) by `cases.access.access_case`. Its
queries are a fixed number, however many jobs, sales or entries the case holds.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from aftercare.cases.access import CaseAccess
from aftercare.cases.models import Survivor
from aftercare.core import charts
from aftercare.livelihoods import (
    access,
    education,
    enterprise,
    fair_wage,
    placements,
    savings,
    training,
)
from aftercare.livelihoods.income import (
    DEFAULT_MONTHS,
    SELF_SUFFICIENT_MONTHS,
    IncomeSeries,
    monthly_income,
    window_start,
)
from aftercare.livelihoods.models import EnrolmentStatus, RetentionOutcome
from aftercare.livelihoods.money import format_money, rounded

RECENT_EARNINGS = 10
RECENT_INCOME_RECORDS = 36


def _compact(value: float) -> str:
    """A y-axis label that fits the chart's margin: 7000 → 7k, 12500 → 12.5k, 2400000 → 2.4M."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def _nice_top(value: float) -> float:
    """Round the top of the axis up to two significant figures (9,274 → 9,300)."""
    if value <= 0:
        return 1.0
    step = 10 ** (math.floor(math.log10(value)) - 1)
    return math.ceil(value / step) * step


def income_chart(series: IncomeSeries) -> charts.Chart | None:
    """Monthly income as a line, the living wage as a dashed line; None if it cannot be drawn."""
    if series.error is not None or not any(m.total for m in series.months):
        return None
    currency = series.currency
    points = []
    for month in series.months:
        text = format_money(month.total, currency)
        if not month.complete:
            text = _("%(amount)s so far") % {"amount": text}
        points.append((month.start, float(month.total), text))
    latest = series.months[-1]
    living = latest.living_wage
    label = _(
        "Monthly income from all sources, %(first)s to "
        "%(last)s, in %(currency)s; latest %(amount)s."
    ) % {
        "first": date_format(series.months[0].start, "F Y"),
        "last": date_format(latest.start, "F Y"),
        "currency": currency,
        "amount": format_money(latest.total, currency),
    }
    if living is not None:
        label += " " + _("The living wage is %(amount)s a month.") % {
            "amount": format_money(living, currency)
        }
    top = _nice_top(max([float(m.total or 0) for m in series.months] + [float(living or 0) * 1.15]))
    chart = charts.line_chart(
        points,
        label=label,
        y_min=0,
        y_max=top,
        thresholds=[(float(rounded(living, currency)), _("living wage"))]
        if living is not None
        else [],
    )
    # Amounts run to thousands and the axis labels to months: shorter labels than risk scores need.
    chart.y_ticks = [charts.Tick(t.position, _compact(float(t.label))) for t in chart.y_ticks]
    chart.x_ticks = [
        charts.Tick(t.position, date_format(when, "M Y"), t.anchor)
        for t, when in zip(chart.x_ticks, (series.months[0].start, latest.start), strict=False)
    ]
    return chart


def totals_by_currency(rows) -> dict[str, Decimal]:
    return {
        row["currency"]: row["total"]
        for row in rows.values("currency").annotate(total=Sum("amount")).order_by("currency")
    }


def month_json(month, currency: str) -> dict:
    def money(value):
        return str(rounded(value, currency)) if value is not None else None

    return {
        "month": month.start.strftime("%Y-%m"),
        "complete": month.complete,
        "counted_to": month.counted_to.isoformat(),
        "total": money(month.total),
        "by_source": {k: money(v) for k, v in sorted(month.by_source.items())},
        "by_currency": {
            k: str(v.quantize(Decimal("0.001"))) for k, v in sorted(month.by_currency.items())
        },
        "living_wage": money(month.living_wage),
        "at_or_above_living_wage": month.at_or_above,
    }


def economic_outcomes(
    survivor: Survivor,
    *,
    months: int = DEFAULT_MONTHS,
    currency: str | None = None,
    today: date | None = None,
) -> dict:
    """The API's summary. Raises RateMissing (409) when income in two currencies has no rate."""
    series = monthly_income(survivor, months=months, currency=currency, today=today)
    if series.error is not None:
        raise series.error
    sufficiency = series.self_sufficiency()
    living = series.living
    jobs = list(survivor.placements.all())
    enrolments = list(survivor.training_enrolments.all())
    return {
        "currency": series.currency,
        "months": [month_json(m, series.currency) for m in series.months],
        "self_sufficiency": {
            "self_sufficient": sufficiency.flag,
            "consecutive_months": sufficiency.months,
            "required_months": SELF_SUFFICIENT_MONTHS,
            "reason": sufficiency.reason,
            "living_wage": None
            if living is None
            else {
                "region": living.region.code,
                "amount": str(living.amount),
                "currency": living.currency,
                "period": living.period,
                "valid_from": living.valid_from.isoformat(),
                "inherited": living.region_id != survivor.region_id,
            },
        },
        "placements": {
            "current": sum(
                1
                for p in jobs
                if p.end_date is None or p.end_date >= (today or timezone.localdate())
            ),
            "flagged": sum(1 for p in jobs if p.flagged),
            "total": len(jobs),
        },
        "earnings_from_sales": {
            k: str(v) for k, v in totals_by_currency(survivor.maker_shares.all()).items()
        },
        "savings": {k: str(v) for k, v in savings.balances(survivor).items()},
        "training": {
            "enrolled": sum(1 for e in enrolments if e.status == EnrolmentStatus.ENROLLED),
            "completed": sum(1 for e in enrolments if e.status == EnrolmentStatus.COMPLETED),
            "certificates": sum(1 for e in enrolments if e.certificate_number),
        },
        "in_school": survivor.school_enrolments.filter(status="enrolled").exists(),
    }


def income_records_of(survivor: Survivor, today: date) -> list:
    """Her income records, read once for the page: the newest the page lists and every one of
    the months its income series counts (newest first)."""
    newest = survivor.income_records.values("pk")[:RECENT_INCOME_RECORDS]
    return list(
        survivor.income_records.filter(Q(month__gte=window_start(today=today)) | Q(pk__in=newest))
    )


def case_livelihood_context(case: CaseAccess, *, today: date | None = None) -> dict:
    """`{"livelihood": ...}` for the case page; `{"livelihood": None}` for whoever may not see
    it."""
    if not access.may_see(case):
        return {"livelihood": None}
    survivor = case.survivor
    today = today or timezone.localdate()
    jobs = list(placements.placements_of(survivor))
    for job in jobs:
        job.fair_wage_text = fair_wage.explain(job.fair_wage, job.fair_wage_detail)
        job.milestones = list(job.follow_ups.all())
        job.due = [
            f for f in job.milestones if f.outcome == RetentionOutcome.PENDING and f.due_on <= today
        ]
    records = income_records_of(survivor, today)
    series = monthly_income(survivor, today=today, placements=jobs, records=records)
    earnings = list(enterprise.earnings_of(survivor)[:RECENT_EARNINGS])
    schooling = list(education.schooling_of(survivor))
    accounts = list(savings.accounts_of(survivor))
    by_currency: dict[str, Decimal] = defaultdict(Decimal)
    for month in series.months:
        for code, amount in month.by_currency.items():
            by_currency[code] += amount
    return {
        "livelihood": {
            "survivor": survivor,
            "placements": jobs,
            "flagged": sum(1 for j in jobs if j.flagged),
            "due_follow_ups": [f for j in jobs for f in j.due],
            "series": series,
            "chart": income_chart(series),
            "self_sufficiency": series.self_sufficiency(),
            "months": [
                {
                    "month": m,
                    "total": format_money(m.total, series.currency) if m.total is not None else "—",
                }
                for m in reversed(series.months)
            ],
            "unconverted": sorted(by_currency.items()),
            "savings": accounts,
            "earnings": earnings,
            "income_records": records[:RECENT_INCOME_RECORDS],
            "earnings_totals": sorted(totals_by_currency(survivor.maker_shares.all()).items()),
            "training": list(training.enrolments_of(survivor)),
            "schooling": schooling,
            "can_record": access.may_record(case),
            "page_url": reverse("livelihoods:case", args=[survivor.pk]),
        }
    }
