"""What an indicator is, and the period it covers.

A domain contributes indicators as `Indicator` values (or plain mappings with the same
keys, see `from_mapping`), always with the raw counts: hiding small cells is done once, for
every domain alike, by `apply_small_cells` when the report is put together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.core.errors import DomainError
from aftercare.core.stats import cells

COUNT, SHARE, HOURS, AMOUNT, MEDIAN = "count", "share", "hours", "amount", "median"


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end`, both included, in the site's time zone."""

    start: date
    end: date

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_before(self) -> datetime:
        """The first moment after the period (the range is half-open: start_at <= t <
        end_before)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def parse_period(params: dict) -> tuple[date, date]:
    """`from` and `to` as dates (YYYY-MM-DD); by default the current year up to today."""
    today = timezone.localdate()
    errors = {}
    values = {}
    for name, default in (("from", date(today.year, 1, 1)), ("to", today)):
        raw = (params.get(name) or "").strip()
        if not raw:
            values[name] = default
            continue
        try:
            values[name] = date.fromisoformat(raw)
        except ValueError:
            errors[name] = _("Give a date as YYYY-MM-DD.")
    if errors:
        raise PeriodInvalid(errors)
    if values["from"] > values["to"]:
        raise PeriodInvalid({"to": _("The end of the period comes before its start.")})
    return values["from"], values["to"]


class PeriodInvalid(DomainError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())), field=next(iter(errors)))
        self.errors = errors


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    value: float | int | None
    suppressed: bool = False


@dataclass(frozen=True)
class Indicator:
    """One figure of the report.

    `value` is a count, a share (0–1, numerator / denominator), a median, hours or an amount
    (`unit`). `people` says whether the counts are of people (and so subject to small-cell
    suppression); a count of services or activities is not. `breakdowns` maps a name ("sex",
    "age_band", ...) to its cells.
    """

    code: str
    domain: str
    label: str
    unit: str = COUNT
    value: float | int | None = None
    numerator: int | None = None
    denominator: int | None = None
    count: int | None = None  # for a median: how many values it is the median of
    people: bool = True
    breakdowns: dict[str, list[Cell]] = field(default_factory=dict)
    note: str = ""
    suppressed: bool = False

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "domain": self.domain,
            "label": str(self.label),
            "unit": self.unit,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "suppressed": self.suppressed,
            "note": str(self.note),
            "breakdowns": {
                name: [
                    {
                        "key": c.key,
                        "label": str(c.label),
                        "value": c.value,
                        "suppressed": c.suppressed,
                    }
                    for c in cells_
                ]
                for name, cells_ in self.breakdowns.items()
            },
        }


class Note(str):
    """A contributor's word for the report's notes instead of a row, e.g. why a figure is left
    out."""


def first_kind_cells(pairs, choices) -> tuple[set, list[Cell]]:
    """Each person counted once, under the kind of her first (person, kind) pair: the people
    counted, and a cell per kind of `choices` (zero where none)."""
    first: dict = {}
    for person, kind in pairs:
        first.setdefault(person, kind)
    counts = Counter(first.values())
    return set(first), [
        Cell(key=key, label=str(label), value=counts.get(key, 0)) for key, label in choices
    ]


def share(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def from_mapping(domain: str, row: Mapping) -> Indicator:
    """An indicator from a plain mapping with Indicator's keys (`code` and `value` at least)."""
    known = {name for name in Indicator.__dataclass_fields__ if name != "breakdowns"}
    values = {name: row[name] for name in known if name in row}
    values.setdefault("domain", domain)
    values.setdefault("label", row.get("name", row["code"]))
    breakdowns = {
        name: [
            Cell(
                key=str(c.get("key", c.get("label", ""))),
                label=str(c.get("label", c.get("key", ""))),
                value=c.get("value"),
            )
            for c in rows
        ]
        for name, rows in (row.get("breakdowns") or {}).items()
    }
    return Indicator(**values, breakdowns=breakdowns)


def apply_small_cells(indicator: Indicator, minimum: int) -> Indicator:
    """The indicator as a role without case access may see it."""
    if minimum <= 0 or not indicator.people:
        return indicator
    breakdowns = {}
    for name, row in indicator.breakdowns.items():
        numeric = {c.key: int(c.value or 0) for c in row}
        shown = cells.hide_breakdown(numeric, minimum)
        breakdowns[name] = [
            replace(c, value=shown[c.key], suppressed=shown[c.key] is None) for c in row
        ]
    hidden = False
    if indicator.unit == COUNT:
        hidden = cells.is_small(indicator.value, minimum)
    elif indicator.unit == SHARE:
        hidden = indicator.denominator is not None and cells.share_hidden(
            indicator.numerator, indicator.denominator, minimum
        )
    elif indicator.count:  # a median (or hours) over a few values; none at all is simply empty
        hidden = cells.median_hidden(indicator.count, minimum)
    if not hidden:
        return replace(indicator, breakdowns=breakdowns)
    return replace(
        indicator,
        value=None,
        suppressed=True,
        breakdowns=breakdowns,
        numerator=None if indicator.unit == SHARE else indicator.numerator,
        denominator=cells.hide_count(indicator.denominator, minimum),
    )
