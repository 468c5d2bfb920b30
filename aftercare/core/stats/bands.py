"""Age bands and other groupings shared by every report and by the CTDC export."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

UNKNOWN = "unknown"

# CTDC's `ageBroad` bands (upper bound inclusive, label as CTDC writes it).
AGE_BANDS: list[tuple[int | None, str]] = [
    (8, "0--8"),
    (17, "9--17"),
    (20, "18--20"),
    (23, "21--23"),
    (26, "24--26"),
    (29, "27--29"),
    (38, "30--38"),
    (47, "39--47"),
    (None, "48+"),
]
AGE_BAND_LABELS = [label for _upper, label in AGE_BANDS]


def age_band(age: int | None) -> str | None:
    """The CTDC band of an age in whole years, or None when the age is not known."""
    if age is None or age < 0:
        return None
    for upper, label in AGE_BANDS:
        if upper is None or age <= upper:
            return label
    raise AssertionError("unreachable")


def age_in(year: int, year_of_birth: int | None) -> int | None:
    """Age reached during `year`: only the year of birth is kept, so this is the age at year's
    end."""
    if year_of_birth is None:
        return None
    return year - year_of_birth


def display_band(label: str) -> str:
    """`0--8` as people write it, `0–8`."""
    return label.replace("--", "–")


UNKNOWN_LABEL = _("Not recorded")
