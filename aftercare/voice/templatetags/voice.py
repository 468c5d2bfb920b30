"""Template helpers of survivor voice."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def quick_exit_url() -> str:
    """Where the quick-exit button goes: a neutral site (AFTERCARE_QUICK_EXIT_URL)."""
    return settings.AFTERCARE_QUICK_EXIT_URL
