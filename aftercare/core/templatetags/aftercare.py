"""Display helpers: names for codes the database keeps short."""

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from aftercare.cases.models import ExploitationType, MeansOfControl, NeedLevel
from aftercare.core import names
from aftercare.network.taxonomy import ServiceDomain
from aftercare.referrals.models import ReferralStatus
from aftercare.risk.models import RiskLevel
from aftercare.voice.screening import FLAG_LABELS

register = template.Library()

LABELS = {
    "exploitation": dict(ExploitationType.choices),
    "control": dict(MeansOfControl.choices),
    "domain": dict(ServiceDomain.choices),
    "risk": dict(RiskLevel.choices),
    "need": dict(NeedLevel.choices),
    "referral_status": dict(ReferralStatus.choices),
    "comment_flag": FLAG_LABELS,
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
    """`"in_progress"|label:"referral_status"` → "In progress"; a code with no label stays as it is."""
    return str(LABELS.get(kind, {}).get(code, code))


@register.filter
def field_labels(event) -> str:
    """An audit event's field names in words: the model's own label ("target date"), a service
    domain's name for the domains of a needs assessment, else the name with spaces."""
    try:
        model = apps.get_model(event.object_type) if event.object_type else None
    except (LookupError, ValueError):
        model = None
    return ", ".join(_field_label(model, name) for name in event.fields or [])


def _field_label(model, name: str) -> str:
    if name in LABELS["domain"]:
        return str(LABELS["domain"][name])
    if model is not None:
        try:
            verbose = getattr(model._meta.get_field(name), "verbose_name", None)  # a reverse relation has none
        except FieldDoesNotExist:
            verbose = None
        if verbose:
            return str(verbose)
    return name.replace("_", " ")
