"""A survivor's income month by month, from every source, and whether it reaches a living wage.

Three sources: placements (the wage's monthly equivalent, for the days of the month the job
lasted), the maker's shares of sales (by the day of the sale), and income recorded by hand
from anything else. Amounts in another currency than the one reported in are converted with
the rate table on the month's last day counted; a missing rate stops the sum (`RateMissing`)
rather than add two currencies as one. The totals per currency are always there, unconverted.

Self-sufficiency: income at or above the living wage of the survivor's region (inherited
down the region tree) in each of the last three complete months.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.models import Survivor
from aftercare.core.errors import DomainError
from aftercare.core.policy import Actor
from aftercare.livelihoods import access, fair_wage
from aftercare.livelihoods.models import IncomeRecord, MakerShare, Placement, WageKind, WageStandard
from aftercare.livelihoods.money import ZERO, RateMissing, RateTable, clean_amount
from aftercare.livelihoods.months import days_in_month, last_months, month_end, month_start

SELF_SUFFICIENT_MONTHS = 3
DEFAULT_MONTHS, MIN_MONTHS, MAX_MONTHS = 12, SELF_SUFFICIENT_MONTHS + 1, 36
SOURCE_PLACEMENT, SOURCE_SALES, SOURCE_OTHER = "placement", "sales", "other"


@transaction.atomic
def record_income(actor: Actor, survivor: Survivor, data: Mapping[str, Any]) -> IncomeRecord:
    """Income from a source the network did not arrange, for one month."""
    access.require_record(actor, survivor)
    month = month_start(data["month"])
    if month > timezone.localdate():
        raise DomainError(_("That month has not come yet."), field="month")
    amount = clean_amount(data["amount"], data["currency"])
    row = IncomeRecord.objects.create(
        survivor=survivor,
        organisation=actor.organisation,
        month=month,
        source=data["source"],
        amount=amount,
        currency=data["currency"],
        note=data.get("note", ""),
        recorded_by=actor.user,
    )
    record(actor, AuditAction.CREATE, row, fields=["month", "source", "amount", "currency"])
    return row


@dataclass
class MonthIncome:
    start: date
    counted_to: date  # the month's last day, or today for the current month
    complete: bool
    by_currency: dict[str, Decimal] = field(default_factory=dict)  # exact, unconverted
    by_source: dict[str, Decimal] = field(default_factory=dict)  # in the series' currency
    total: Decimal | None = None  # in the series' currency; None when a rate is missing
    living_wage: Decimal | None = None  # a month's living wage, in the series' currency

    @property
    def at_or_above(self) -> bool | None:
        if self.total is None or self.living_wage is None:
            return None
        return self.total >= self.living_wage


@dataclass
class SelfSufficiency:
    flag: bool | None  # None: it cannot be told (no living wage on record, or a rate missing)
    months: int  # complete months in a row, up to the last one, at or above the living wage
    reason: str


@dataclass
class IncomeSeries:
    currency: str
    months: list[MonthIncome]
    living: WageStandard | None  # the living wage in force in the last month
    error: RateMissing | None = None

    @property
    def complete_months(self) -> list[MonthIncome]:
        return [m for m in self.months if m.complete]

    def self_sufficiency(self) -> SelfSufficiency:
        if self.error is not None:
            return SelfSufficiency(None, 0, self.error.message)
        if self.living is None:
            return SelfSufficiency(
                None,
                0,
                _(
                    "No living wage is on record for the survivor's "
                    "region, so self-sufficiency cannot be told."
                ),
            )
        run = 0
        for month in reversed(self.complete_months):
            if not month.at_or_above:
                break
            run += 1
        if run >= SELF_SUFFICIENT_MONTHS:
            reason = _("Income at or above the living wage for %(n)s months in a row.") % {"n": run}
        else:
            reason = _(
                "Self-sufficient after %(need)s months in a "
                "row at or above the living wage; so far %(n)s."
            ) % {"need": SELF_SUFFICIENT_MONTHS, "n": run}
        return SelfSufficiency(run >= SELF_SUFFICIENT_MONTHS, run, reason)


def _overlap_days(placement: Placement, first: date, last: date) -> int:
    start = max(placement.start_date, first)
    end = min(placement.end_date or last, last)
    return (end - start).days + 1 if end >= start else 0


def window_start(months: int = DEFAULT_MONTHS, today: date | None = None) -> date:
    """The first day of the window `monthly_income` counts."""
    months = min(max(months, MIN_MONTHS), MAX_MONTHS)
    return last_months(today or timezone.localdate(), months)[0]


def monthly_income(
    survivor: Survivor,
    *,
    months: int = DEFAULT_MONTHS,
    currency: str | None = None,
    today: date | None = None,
    placements: list | None = None,
    records: list | None = None,
    shares: list | None = None,
    living_standards: list | None = None,
    rates: RateTable | None = None,
) -> IncomeSeries:
    """Income per month for the `months` months up to this one (this one so far).

    A page that has already read every one of the survivor's `placements`, or her income
    `records` or maker's `shares` (with their sale) from the first month of the window on
    (`window_start`), passes them, so they are read once; they are then narrowed to the window
    here. A report over many survivors (`indicators.income_change`) passes them all, with the
    `living_standards` of every region they live in (newest first) and one `rates` table that
    each survivor's currencies are added to, so it reads each source once, not once each."""
    today = today or timezone.localdate()
    months = min(max(months, MIN_MONTHS), MAX_MONTHS)
    starts = last_months(today, months)
    first, last = starts[0], today
    if placements is None:
        placements = survivor.placements.filter(start_date__lte=last).exclude(end_date__lt=first)
    placements = sorted(
        (
            p
            for p in placements
            if p.start_date <= last and (p.end_date is None or p.end_date >= first)
        ),
        key=lambda p: p.start_date,
    )
    if shares is None:
        shares = (
            MakerShare.objects.filter(
                survivor=survivor, sale__sold_on__gte=first, sale__sold_on__lte=last
            )
            .select_related("sale")
            .only("amount", "currency", "sale__sold_on")
        )
    shares = [s for s in shares if first <= s.sale.sold_on <= last]
    if records is None:
        records = survivor.income_records.filter(month__gte=first, month__lte=last)
    records = [r for r in records if first <= r.month <= last]
    chain = fair_wage.region_chain(survivor.region) if survivor.region_id else []
    if not chain:
        living_standards = []
    elif living_standards is None:
        living_standards = fair_wage.standards_in_chain(survivor.region, WageKind.LIVING)
    else:
        living_standards = [s for s in living_standards if s.region_id in chain]
    living_now = (
        fair_wage.pick_standard(living_standards, chain, currency, today) if chain else None
    )

    seen = (
        {p.currency for p in placements}
        | {s.currency for s in shares}
        | {r.currency for r in records}
    )
    currency = (
        currency
        or (living_now.currency if living_now else None)
        or (min(seen) if len(seen) == 1 else None)
    )
    currency = currency or (
        placements[-1].currency if placements else (sorted(seen)[0] if seen else "USD")
    )
    pairs = [(c, currency) for c in seen | {s.currency for s in living_standards}]
    if rates is None:
        rates = RateTable(pairs)
    else:
        rates.load(pairs)  # only the pairs not loaded for an earlier survivor

    lines: dict[date, list[tuple[str, Decimal, str]]] = defaultdict(list)
    for placement in placements:
        monthly = fair_wage.per_month(
            placement.wage_amount,
            placement.pay_period,
            placement.hours_per_week,
            placement.days_per_week,
        )
        for start in starts:
            counted_to = min(month_end(start), today)
            days = _overlap_days(placement, start, counted_to)
            if days:
                lines[start].append(
                    (SOURCE_PLACEMENT, monthly * days / days_in_month(start), placement.currency)
                )
    for share in shares:
        lines[month_start(share.sale.sold_on)].append((SOURCE_SALES, share.amount, share.currency))
    for row in records:
        lines[row.month].append((SOURCE_OTHER, row.amount, row.currency))

    series = IncomeSeries(currency=currency, months=[], living=living_now)
    for start in starts:
        counted_to = min(month_end(start), today)
        month = MonthIncome(start=start, counted_to=counted_to, complete=month_end(start) < today)
        for _source, amount, code in lines[start]:
            month.by_currency[code] = month.by_currency.get(code, ZERO) + amount
        series.months.append(month)
        if series.error is not None:
            continue
        try:
            by_source: dict[str, Decimal] = {}
            for source, amount, code in lines[start]:
                by_source[source] = by_source.get(source, ZERO) + rates.convert(
                    amount, code, currency, counted_to
                )
            month.by_source, month.total = by_source, sum(by_source.values(), ZERO)
            standard = (
                fair_wage.pick_standard(living_standards, chain, currency, counted_to)
                if chain
                else None
            )
            if standard is not None:
                monthly = fair_wage.per_month(
                    standard.amount,
                    standard.period,
                    standard.hours_per_week,
                    standard.days_per_week,
                )
                month.living_wage = rates.convert(monthly, standard.currency, currency, counted_to)
        except RateMissing as exc:
            series.error = exc
            for earlier in series.months:
                earlier.total, earlier.by_source = None, {}
    return series
