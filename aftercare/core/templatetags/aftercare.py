"""Display helpers every app may use: names for codes the database keeps short.

A label that belongs to one app's vocabulary (a service domain, a risk level) is that app's
filter, in its own library (`{% load network %}`, `{% load cases %}`, `{% load risk %}`).
"""

from django import template

from aftercare.core import names

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    """`"ZA"|country_name` → the country's name in the reader's language (CLDR where needed)."""
    return names.country_name(code)


def join_labels(codes, labels) -> str:
    """`["sexual", "labour"]` → "Sexual exploitation, Forced labour" by `labels`; an unknown code as
    it is."""
    return ", ".join(str(labels.get(code, code)) for code in codes or [])


def one_label(code: str, labels) -> str:
    """`"in_progress"` → "In progress" by `labels`; a code with no label stays as it is."""
    return str(labels.get(code, code))
