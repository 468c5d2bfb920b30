"""Template filters for livelihood pages: money with its currency, and fair-wage pills."""

from django import template

from aftercare.livelihoods.models import FairWage
from aftercare.livelihoods.money import format_money

register = template.Library()

PILLS = {
    FairWage.FAIR: "pill--risk-low",
    FairWage.MEETS_MINIMUM: "pill--risk-low",
    FairWage.BELOW_LIVING: "pill--risk-medium",
    FairWage.NO_STANDARD: "pill--risk-medium",
    FairWage.NO_RATE: "pill--risk-medium",
    FairWage.BELOW_MINIMUM: "pill--risk-high",
}


@register.filter
def money(amount, currency):
    """`{{ amount|money:currency }}` → `1,234.50 ZAR`, to the currency's minor unit."""
    return format_money(amount, currency or "")


@register.filter
def fair_wage_pill(status: str) -> str:
    return PILLS.get(status, "")


@register.filter
def percent(part, whole) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"
