"""Display helpers of the risk instrument."""

from django import template

from aftercare.core.templatetags.aftercare import one_label
from aftercare.risk.models import RiskLevel

register = template.Library()

LEVELS = dict(RiskLevel.choices)


@register.filter
def risk_label(code: str) -> str:
    """`"high"|risk_label` → "High"."""
    return one_label(code, LEVELS)
