"""Money: a `Decimal` amount and an ISO 4217 currency, never one without the other.

Amounts in different currencies are never added up as they are. `convert` turns an amount
into another currency only with a rate from the `ExchangeRate` table, valid on the day;
without one it raises `RateMissing`, which says which rate to add.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from aftercare.core.errors import DomainError

# Active ISO 4217 codes. Most have two minor units; the exceptions are listed below.
_TWO_DECIMALS = """
AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF
CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD
HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK
MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD
RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS
UAH USD UYU UZS VES WST XCD XCG YER ZAR ZMW ZWG
"""
_NO_DECIMALS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF"
_THREE_DECIMALS = "BHD IQD JOD KWD LYD OMR TND"

MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(_TWO_DECIMALS.split(), 2),
    **dict.fromkeys(_NO_DECIMALS.split(), 0),
    **dict.fromkeys(_THREE_DECIMALS.split(), 3),
}
CURRENCY_CHOICES = sorted((code, code) for code in MINOR_UNITS)
AMOUNT_DIGITS, AMOUNT_PLACES = 14, 3  # enough for every currency above
ZERO = Decimal(0)


class RateMissing(DomainError):
    """Two currencies meet and the rate table has no rate between them for the day."""

    status_code = 409
    code = "rate_missing"

    def __init__(self, base: str, quote: str, on: date, field: str | None = "currency"):
        super().__init__(
            _(
                "There is no exchange rate between %(base)s and %(quote)s on or "
                "before %(date)s, so the amounts cannot be added up. Add the "
                "rate to the exchange-rate table (Livelihoods › Wage standards)."
            )
            % {"base": base, "quote": quote, "date": on.isoformat()},
            field=field,
        )
        self.base, self.quote, self.on = base, quote, on


def validate_currency(code: str) -> None:
    if code not in MINOR_UNITS:
        raise ValidationError(
            _("%(code)s is not an ISO 4217 currency code (e.g. ZAR, INR, KES, UGX, USD).")
            % {"code": code}
        )


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-MINOR_UNITS.get(currency, 2))


def rounded(amount: Decimal, currency: str) -> Decimal:
    """To the currency's minor unit (cents, paise; whole shillings for UGX), half up."""
    return Decimal(amount).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def to_minor(amount: Decimal, currency: str) -> int:
    return int(rounded(amount, currency).scaleb(MINOR_UNITS.get(currency, 2)))


def from_minor(units: int, currency: str) -> Decimal:
    return Decimal(units).scaleb(-MINOR_UNITS.get(currency, 2))


def clean_amount(amount, currency: str, *, field: str = "amount", signed: bool = False) -> Decimal:
    """An amount as entered, checked: a known currency, more than zero (or, if `signed`, not
    zero), and no finer than the currency's minor unit (no half cents, no cents of UGX)."""
    if currency not in MINOR_UNITS:
        raise DomainError(
            _("%(code)s is not an ISO 4217 currency code (e.g. ZAR, INR, KES, UGX, USD).")
            % {"code": currency},
            field="currency",
        )
    try:
        value = Decimal(str(amount))
    except ArithmeticError as exc:
        raise DomainError(_("Enter an amount."), field=field) from exc
    if not value.is_finite() or (value == 0 if signed else value <= 0):
        raise DomainError(
            _("Enter an amount other than zero.") if signed else _("Enter an amount above zero."),
            field=field,
        )
    if value != rounded(value, currency):
        raise DomainError(
            _("%(code)s amounts have at most %(n)s decimal places.")
            % {"code": currency, "n": MINOR_UNITS[currency]},
            field=field,
        )
    if abs(value) >= Decimal(10) ** (AMOUNT_DIGITS - AMOUNT_PLACES):
        raise DomainError(_("The amount is too large."), field=field)
    return value


def format_money(amount: Decimal | None, currency: str) -> str:
    """`1,234.50 ZAR`: grouped, to the currency's minor unit, code after the number."""
    if amount is None:
        return "—"
    places = MINOR_UNITS.get(currency, 2)
    return f"{rounded(amount, currency):,.{places}f} {currency}".strip()


class RateTable:
    """Exchange rates loaded once for the currency pairs a calculation needs.

    A rate `base → quote` valid from a day is used from that day until a newer one; the
    inverse of a stored `quote → base` rate is used when no direct one is stored. No rate
    is ever derived through a third currency.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()):
        self._rates: dict[tuple[str, str], list[tuple[date, Decimal]]] = {}
        self._loaded: set[frozenset[str]] = set()
        self.load(pairs)

    def load(self, pairs: Iterable[tuple[str, str]]) -> None:
        from django.db.models import Q

        from aftercare.livelihoods.models import ExchangeRate

        wanted = {frozenset(p) for p in pairs if p[0] != p[1]} - self._loaded
        if not wanted:
            return
        query = Q()
        for pair in wanted:
            a, b = sorted(pair)
            query |= Q(base=a, quote=b) | Q(base=b, quote=a)
        for rate in ExchangeRate.objects.filter(query).order_by("valid_from"):
            self._rates.setdefault((rate.base, rate.quote), []).append((rate.valid_from, rate.rate))
        self._loaded |= wanted

    def _latest(self, base: str, quote: str, on: date) -> Decimal | None:
        found = None
        for valid_from, rate in self._rates.get((base, quote), []):
            if valid_from <= on:
                found = rate
        return found

    def rate(self, base: str, quote: str, on: date) -> Decimal:
        if base == quote:
            return Decimal(1)
        self.load([(base, quote)])
        direct = self._latest(base, quote, on)
        if direct is not None:
            return direct
        inverse = self._latest(quote, base, on)
        if inverse is not None:
            return Decimal(1) / inverse
        raise RateMissing(base, quote, on)

    def convert(self, amount: Decimal, base: str, quote: str, on: date) -> Decimal:
        """Exact (unrounded) value of `amount` in `quote`; round only for display."""
        return Decimal(amount) * self.rate(base, quote, on)


def convert(amount: Decimal, base: str, quote: str, on: date) -> Decimal:
    return RateTable([(base, quote)]).convert(amount, base, quote, on)


def sum_in(
    amounts: Iterable[tuple[Decimal, str]], currency: str, on: date, rates: RateTable | None = None
) -> Decimal:
    """Add `(amount, currency)` pairs up in `currency`, converting each with the rate table.

    Refuses (RateMissing) rather than add two currencies as if they were one.
    """
    rates = rates or RateTable()
    total = ZERO
    for amount, code in amounts:
        total += rates.convert(amount, code, currency, on)
    return total
