"""Display helpers of the prevention pages."""

from django import template

from aftercare.prevention.models import Topic

register = template.Library()
TOPICS = dict(Topic.choices)


@register.filter
def topic_label(code: str) -> str:
    return str(TOPICS.get(code, code))


@register.filter
def get(mapping, key):
    """`cells|get:age` for a dict keyed by a variable."""
    return (mapping or {}).get(key, 0)
