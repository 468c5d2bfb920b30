"""Showing report figures: a share as a percentage, hours with their unit, a hidden cell as such."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def figure(value, unit: str = "count", hidden_text: str = "<5", suppressed: bool = False) -> str:
    if suppressed or (value is None and unit == "count"):
        return hidden_text  # a count is None only when it is a hidden small cell
    if value is None:
        return "—"
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "hours":
        return _("%(hours)s h") % {"hours": f"{value:g}"}
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}"


@register.filter
def cell_value(value, hidden_text: str = "<5") -> str:
    return hidden_text if value is None else f"{value:,}" if isinstance(value, int) else str(value)


@register.filter
def breakdown_name(name: str) -> str:
    """`age_band` as a heading: "Age band"."""
    return str(name).replace("_", " ").capitalize()


@register.filter
def shown_cells(cells) -> list:
    """The cells worth printing in a line: those with people, or hidden."""
    return [c for c in cells if c.value or c.suppressed]
