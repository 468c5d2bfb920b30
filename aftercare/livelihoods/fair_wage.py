"""The fair-wage check: is a job's pay at least the minimum wage, and does it reach a living wage?

Two questions, each asked on the basis the standard is meant for:

- **minimum wage** is pay per hour. A part-time job paying the legal hourly rate is legal,
  however little it adds up to in a month; a monthly wage for long hours may not be.
- **living wage** is what a person needs to live on in a month, so the job's pay in a
  month is compared with it, whatever the hours.

Pay in any period becomes pay per week first, then per hour or per month:

    weekly = hourly × hours a week = daily × days a week = monthly × 12 ÷ 52
    per hour = weekly ÷ hours a week
    per month = weekly × 52 ÷ 12

A standard's own period is converted the same way with its full-time week. The region
tree supplies the standard: a district without one uses its province's, then its country's.
A standard in another currency is converted only with a rate from the rate table; without
one the wage is flagged as not checked, never passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from aftercare.livelihoods.models import FairWage, PayPeriod, WageKind, WageStandard
from aftercare.livelihoods.money import RateMissing, RateTable, format_money, rounded
from aftercare.network.models import Region

WEEKS_A_YEAR, MONTHS_A_YEAR = Fraction(52), Fraction(12)


def _exact_weekly(amount, period: str, hours_per_week, days_per_week) -> Fraction:
    amount = Fraction(Decimal(amount))
    if period == PayPeriod.HOURLY:
        return amount * Fraction(Decimal(hours_per_week))
    if period == PayPeriod.DAILY:
        return amount * Fraction(Decimal(days_per_week))
    if period == PayPeriod.WEEKLY:
        return amount
    if period == PayPeriod.MONTHLY:
        return amount * MONTHS_A_YEAR / WEEKS_A_YEAR
    raise ValueError(f"unknown pay period {period!r}")


def _decimal(value: Fraction) -> Decimal:
    """Exact fractions to Decimal only at the end, so R7,000 a month stays R7,000 a month
    after passing through a week (7000 × 12 ÷ 52 × 52 ÷ 12), and equal pay compares equal."""
    return Decimal(value.numerator) / Decimal(value.denominator)


def weekly(amount, period: str, hours_per_week, days_per_week) -> Decimal:
    return _decimal(_exact_weekly(amount, period, hours_per_week, days_per_week))


def per_hour(amount, period: str, hours_per_week, days_per_week) -> Decimal:
    return _decimal(
        _exact_weekly(amount, period, hours_per_week, days_per_week)
        / Fraction(Decimal(hours_per_week))
    )


def per_month(amount, period: str, hours_per_week, days_per_week) -> Decimal:
    return _decimal(
        _exact_weekly(amount, period, hours_per_week, days_per_week) * WEEKS_A_YEAR / MONTHS_A_YEAR
    )


def region_chain(region: Region) -> list:
    """The region's id, then its ancestors' up to the country: nearest first."""
    return [region.pk, *region.ancestor_ids()]


def standards_in_chain(region: Region, kind: str) -> list[WageStandard]:
    """Every standard of `kind` for the region and the regions above it, in one query."""
    return list(
        WageStandard.objects.filter(region_id__in=region_chain(region), kind=kind)
        .select_related("region")
        .order_by("-valid_from")
    )


def pick_standard(
    candidates: list[WageStandard], chain: list, currency: str | None, on: date
) -> WageStandard | None:
    """The nearest region's standard valid on `on`; in `currency` if that region has one."""
    valid = [s for s in candidates if s.valid_from <= on]
    for region_id in chain:
        here = [s for s in valid if s.region_id == region_id]  # newest first
        if here:
            same = [s for s in here if s.currency == currency]
            return (same or here)[0]
    return None


def standard_for(
    region: Region | None, kind: str, currency: str | None, on: date
) -> WageStandard | None:
    if region is None:
        return None
    return pick_standard(standards_in_chain(region, kind), region_chain(region), currency, on)


@dataclass(frozen=True)
class StandardUsed:
    standard: WageStandard
    inherited_from: str  # the region it belongs to, if not the job's own; else ""
    rate: Decimal  # standard's currency → the wage's currency (1 when the same)
    hourly: Decimal  # in the wage's currency
    monthly: Decimal

    def as_dict(self, currency: str) -> dict:
        s = self.standard
        return {
            "id": str(s.pk),
            "kind": s.kind,
            "region": s.region.code,
            "region_name": s.region.name,
            "inherited_from": self.inherited_from,
            "amount": str(s.amount),
            "currency": s.currency,
            "period": s.period,
            "hours_per_week": str(s.hours_per_week),
            "days_per_week": str(s.days_per_week),
            "valid_from": s.valid_from.isoformat(),
            "rate": str(self.rate) if s.currency != currency else None,
            "hourly": str(rounded(self.hourly, currency)),
            "monthly": str(rounded(self.monthly, currency)),
        }


@dataclass(frozen=True)
class FairWageResult:
    status: FairWage
    currency: str
    hourly: Decimal  # the job's pay per hour, exact
    monthly: Decimal  # the job's pay per month, exact
    minimum: StandardUsed | None = None
    living: StandardUsed | None = None
    region_name: str = ""
    missing_rate: tuple[str, str, str] | None = None

    @property
    def flagged(self) -> bool:
        return self.status not in (FairWage.FAIR, FairWage.MEETS_MINIMUM)

    def as_detail(self) -> dict:
        """What is stored with the placement: the figures the check compared, as strings."""
        return {
            "hourly": str(rounded(self.hourly, self.currency)),
            "monthly": str(rounded(self.monthly, self.currency)),
            "currency": self.currency,
            "region_name": self.region_name,
            "minimum": self.minimum.as_dict(self.currency) if self.minimum else None,
            "living": self.living.as_dict(self.currency) if self.living else None,
            "missing_rate": list(self.missing_rate) if self.missing_rate else None,
        }


def _used(
    standard: WageStandard, region: Region, currency: str, on: date, rates: RateTable
) -> StandardUsed:
    rate = rates.rate(standard.currency, currency, on)
    args = (standard.amount, standard.period, standard.hours_per_week, standard.days_per_week)
    return StandardUsed(
        standard=standard,
        inherited_from=standard.region.name if standard.region_id != region.pk else "",
        rate=rate,
        hourly=per_hour(*args) * rate,
        monthly=per_month(*args) * rate,
    )


def check(
    region: Region | None,
    *,
    amount: Decimal,
    currency: str,
    period: str,
    hours_per_week: Decimal,
    days_per_week: Decimal = Decimal(5),
    on: date,
    rates: RateTable | None = None,
) -> FairWageResult:
    """Check a wage against the region's minimum and living wage valid on `on`."""
    hourly = per_hour(amount, period, hours_per_week, days_per_week)
    monthly = per_month(amount, period, hours_per_week, days_per_week)
    base = {
        "currency": currency,
        "hourly": hourly,
        "monthly": monthly,
        "region_name": region.name if region else "",
    }
    if region is None:
        return FairWageResult(status=FairWage.NO_STANDARD, **base)
    rates = rates or RateTable()
    chain = region_chain(region)
    candidates = list(
        WageStandard.objects.filter(region_id__in=chain, valid_from__lte=on)
        .select_related("region")
        .order_by("-valid_from")
    )
    minimum_std = pick_standard(
        [s for s in candidates if s.kind == WageKind.MINIMUM], chain, currency, on
    )
    living_std = pick_standard(
        [s for s in candidates if s.kind == WageKind.LIVING], chain, currency, on
    )
    if minimum_std is None and living_std is None:
        return FairWageResult(status=FairWage.NO_STANDARD, **base)
    try:
        minimum = _used(minimum_std, region, currency, on, rates) if minimum_std else None
        living = _used(living_std, region, currency, on, rates) if living_std else None
    except RateMissing as exc:
        return FairWageResult(
            status=FairWage.NO_RATE, missing_rate=(exc.base, exc.quote, exc.on.isoformat()), **base
        )
    if minimum and hourly < minimum.hourly:
        status = FairWage.BELOW_MINIMUM
    elif living and monthly < living.monthly:
        status = FairWage.BELOW_LIVING
    else:
        status = FairWage.FAIR if living else FairWage.MEETS_MINIMUM
    return FairWageResult(status=status, minimum=minimum, living=living, **base)


def explain(status: str, detail: dict) -> str:
    """The check in words, in the reader's language, from what was stored."""
    if not detail:
        return ""
    currency = detail.get("currency", "")
    hourly = format_money(Decimal(detail["hourly"]), currency)
    monthly = format_money(Decimal(detail["monthly"]), currency)
    region = detail.get("region_name") or _("the job's region")

    def figure(key: str, basis: str) -> str:
        used = detail.get(key) or {}
        return format_money(Decimal(used.get(basis, "0")), currency)

    def inherited(key: str) -> str:
        used = detail.get(key) or {}
        if not used.get("inherited_from"):
            return ""
        return " " + _("It is the standard of %(ancestor)s, as %(region)s has none of its own.") % {
            "ancestor": used["inherited_from"],
            "region": region,
        }

    if status == FairWage.BELOW_MINIMUM:
        return _(
            "The pay works out at %(hourly)s an hour, below the "
            "minimum wage of %(minimum)s an hour in %(region)s."
        ) % {
            "hourly": hourly,
            "minimum": figure("minimum", "hourly"),
            "region": region,
        } + inherited("minimum")
    if status == FairWage.BELOW_LIVING:
        return _(
            "The pay works out at %(monthly)s a month, below "
            "the living wage of %(living)s a month in %(region)s."
        ) % {
            "monthly": monthly,
            "living": figure("living", "monthly"),
            "region": region,
        } + inherited("living")
    if status == FairWage.FAIR:
        return _(
            "The pay works out at %(monthly)s a month, at or above "
            "the living wage of %(living)s a month in %(region)s."
        ) % {
            "monthly": monthly,
            "living": figure("living", "monthly"),
            "region": region,
        } + inherited("living")
    if status == FairWage.MEETS_MINIMUM:
        return _(
            "The pay works out at %(hourly)s an hour, at or above the minimum wage "
            "of %(minimum)s an hour; no living wage is on record for %(region)s."
        ) % {
            "hourly": hourly,
            "minimum": figure("minimum", "hourly"),
            "region": region,
        } + inherited("minimum")
    if status == FairWage.NO_RATE:
        base, quote, day = detail.get("missing_rate") or ("?", "?", "?")
        return _(
            "Not checked: the wage standard for %(region)s is in "
            "%(base)s and there is no exchange rate from %(base)s to "
            "%(quote)s on %(date)s. Add the rate, then check again."
        ) % {"region": region, "base": base, "quote": quote, "date": day}
    return _(
        "Not checked: no minimum or living wage is on "
        "record for %(region)s or the regions above it."
    ) % {"region": region}
