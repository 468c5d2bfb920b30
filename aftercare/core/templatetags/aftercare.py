"""Display helpers: names for codes the database keeps short."""

from django import template
from django_countries import countries

from aftercare.cases.models import ExploitationType, MeansOfControl
from aftercare.network.taxonomy import ServiceDomain
from aftercare.risk.models import RiskLevel

register = template.Library()

LABELS = {
    "exploitation": dict(ExploitationType.choices),
    "control": dict(MeansOfControl.choices),
    "domain": dict(ServiceDomain.choices),
    "risk": dict(RiskLevel.choices),
}


@register.filter
def country_name(code: str) -> str:
    return countries.name(code) or code if code else ""


@register.filter
def labels(codes, kind: str) -> str:
    """`["sexual", "labour"]|labels:"exploitation"` → "Sexual exploitation, Forced labour"."""
    names = LABELS.get(kind, {})
    return ", ".join(str(names.get(code, code)) for code in codes or [])


@register.filter
def label(code: str, kind: str) -> str:
    return str(LABELS.get(kind, {}).get(code, code))
