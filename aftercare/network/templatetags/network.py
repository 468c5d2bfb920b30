"""Display helpers of the directory: service domains and languages in words."""

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from aftercare.core.templatetags.aftercare import join_labels, one_label
from aftercare.network import languages
from aftercare.network.taxonomy import ServiceDomain

register = template.Library()

DOMAINS = dict(ServiceDomain.choices)


@register.filter
def language_names(codes) -> str:
    """`["en", "zu"]|language_names` → "English, isiZulu" in the reader's language."""
    return languages.language_names(codes)


@register.filter
def domain_labels(codes) -> str:
    """`["housing", "legal"]|domain_labels` → "Safe housing, Legal support"."""
    return join_labels(codes, DOMAINS)


@register.filter
def domain_label(code: str) -> str:
    """`"housing"|domain_label` → "Safe housing"."""
    return one_label(code, DOMAINS)


@register.filter
def field_labels(event) -> str:
    """An audit event's field names in words: a service domain's name for the domains of a needs
    assessment or a service, else the model's own label ("target date"), else the name with
    spaces."""
    try:
        model = apps.get_model(event.object_type) if event.object_type else None
    except (LookupError, ValueError):
        model = None
    return ", ".join(_field_label(model, name) for name in event.fields or [])


def _field_label(model, name: str) -> str:
    if name in DOMAINS:
        return str(DOMAINS[name])
    if model is not None:
        try:
            verbose = getattr(
                model._meta.get_field(name), "verbose_name", None
            )  # a reverse relation has none
        except FieldDoesNotExist:
            verbose = None
        if verbose:
            return str(verbose)
    return name.replace("_", " ")
