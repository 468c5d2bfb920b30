"""Small-cell suppression: no count of people shown to a role without case access may be
small enough to single someone out.

A count of 1 to `minimum - 1` people is hidden (0 is shown: it describes nobody). Within a
breakdown whose total is shown, hiding one cell is not enough (the total minus the others
gives it back), so further cells are hidden, smallest first, until the hidden cells add up
to at least `minimum`; then no hidden cell can be worked out. A share is hidden when its
numerator, or the rest of its denominator, is a small cell; a median when it covers fewer
than `minimum` values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

K = TypeVar("K")


def is_small(value: int | None, minimum: int) -> bool:
    return value is not None and minimum > 0 and 0 < value < minimum


def hide_count(value: int | None, minimum: int) -> int | None:
    """The count, or None when it is a small cell."""
    return None if is_small(value, minimum) else value


def hide_breakdown(cells: Mapping[K, int], minimum: int) -> dict[K, int | None]:
    """Each cell, or None where hidden (primary and complementary suppression)."""
    if minimum <= 0:
        return dict(cells)
    hidden = {key for key, value in cells.items() if is_small(value, minimum)}
    if hidden:
        visible = sorted(
            (
                (value, index, key)
                for index, (key, value) in enumerate(cells.items())
                if key not in hidden and value > 0
            ),
        )
        while visible and sum(cells[key] for key in hidden) < minimum:
            hidden.add(visible.pop(0)[2])
    return {key: None if key in hidden else value for key, value in cells.items()}


def share_hidden(numerator: int | None, denominator: int | None, minimum: int) -> bool:
    """Whether a share numerator/denominator would reveal a small group, either way round."""
    if numerator is None or denominator is None:
        return True
    return (
        is_small(numerator, minimum)
        or is_small(denominator - numerator, minimum)
        or is_small(denominator, minimum)
    )


def median_hidden(values_counted: int, minimum: int) -> bool:
    return minimum > 0 and values_counted < minimum
