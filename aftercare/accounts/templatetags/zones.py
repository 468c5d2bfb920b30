"""`{{ moment|zoned }}`: a date and time in the reader's organisation's zone, the zone named."""

from django import template

from aftercare.accounts.zones import zone_abbreviation, zoned

register = template.Library()


@register.filter(name="zoned")
def zoned_filter(moment, format_name: str = "j M Y H:i") -> str:
    return zoned(moment, format_name)


@register.filter(name="zone_name")
def zone_name_filter(moment) -> str:
    return zone_abbreviation(moment) if moment else ""
