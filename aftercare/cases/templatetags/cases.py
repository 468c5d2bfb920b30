"""Display helpers of the case file: how she was exploited and controlled, and her needs, in
words."""

from django import template

from aftercare.cases.models import ExploitationType, MeansOfControl, NeedLevel
from aftercare.core.templatetags.aftercare import join_labels, one_label

register = template.Library()

EXPLOITATION = dict(ExploitationType.choices)
CONTROL = dict(MeansOfControl.choices)
NEED = dict(NeedLevel.choices)


@register.filter
def exploitation_labels(codes) -> str:
    """`["sexual", "labour"]|exploitation_labels` → "Sexual exploitation, Forced labour"."""
    return join_labels(codes, EXPLOITATION)


@register.filter
def control_labels(codes) -> str:
    """The means of control, in words."""
    return join_labels(codes, CONTROL)


@register.filter
def need_label(code: str) -> str:
    """`"urgent"|need_label` → "Urgent"."""
    return one_label(code, NEED)
