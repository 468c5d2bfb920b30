"""Template helpers of survivor voice."""

from django import template
from django.conf import settings

from aftercare.core.templatetags.aftercare import join_labels
from aftercare.voice.screening import FLAG_LABELS

register = template.Library()


@register.simple_tag
def quick_exit_url() -> str:
    """Where the quick-exit button goes: a neutral site (AFTERCARE_QUICK_EXIT_URL)."""
    return settings.AFTERCARE_QUICK_EXIT_URL


@register.filter
def flag_labels(codes) -> str:
    """Why a comment was replaced before anyone read it, in words."""
    return join_labels(codes, FLAG_LABELS)
