"""Display helpers: names for codes the database keeps short."""

from django import template

from aftercare.cases.models import ExploitationType, MeansOfControl
from aftercare.core import names
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
    """`"ZA"|country_name` → the country's name in the reader's language (CLDR where needed)."""
    return names.country_name(code)


@register.filter
def language_names(codes) -> str:
    """`["en", "zu"]|language_names` → "English, isiZulu" in the reader's language."""
    return names.language_names(codes)


@register.filter
def labels(codes, kind: str) -> str:
    """`["sexual", "labour"]|labels:"exploitation"` → "Sexual exploitation, Forced labour"."""
    names = LABELS.get(kind, {})
    return ", ".join(str(names.get(code, code)) for code in codes or [])


@register.filter
def label(code: str, kind: str) -> str:
    return str(LABELS.get(kind, {}).get(code, code))
