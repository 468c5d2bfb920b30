"""Line charts drawn on the server as SVG coordinates, for `risk/_line_chart.html`.

No chart library and nothing from another host: the template draws a polyline from these
numbers, and a data table beside it says the same thing to screen readers and in print.

Across, everything is placed in percent of the chart's width; down, in pixels; the SVG has no
viewBox. So the chart takes the width of its box and its text keeps its size (14 px) on a 360 px
phone, where a scaled viewBox shrank it to about 7 px. The line itself is drawn in a nested SVG
stretched over the plot (`PLOT_UNITS` across) with a stroke that does not scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format

HEIGHT = 200
TOP, BOTTOM = 12, 34
LEFT, RIGHT = 13.0, 97.0  # percent of the width: the y-axis labels sit left of LEFT
PLOT_UNITS = 1000


def _svg(number: float) -> str:
    """A coordinate as SVG wants it, whatever the page's locale."""
    return f"{number:.1f}"


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    when: date
    value: float
    label: str

    @property
    def sx(self) -> str:
        """Across, in percent of the chart's width."""
        return f"{self.x:.2f}%"

    @property
    def sy(self) -> str:
        return _svg(self.y)

    @property
    def plot_x(self) -> str:
        """Across, in the plot's own units (0 to PLOT_UNITS), for the polyline."""
        return _svg((self.x - LEFT) / (RIGHT - LEFT) * PLOT_UNITS)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    anchor: str = "middle"

    @property
    def at(self) -> str:
        return _svg(self.position)

    @property
    def pct(self) -> str:
        """An x-axis tick's place, in percent of the chart's width."""
        return f"{self.position:.2f}%"

    @property
    def text_at(self) -> str:
        """Where a y-axis label's baseline goes so it sits centred on its line."""
        return _svg(self.position + 4)


@dataclass(frozen=True)
class Band:
    y: float
    height: float
    label: str
    concern: bool

    @property
    def sy(self) -> str:
        return _svg(self.y)

    @property
    def sheight(self) -> str:
        return _svg(self.height)


@dataclass
class Chart:
    label: str
    points: list[Point] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    thresholds: list[Tick] = field(default_factory=list)
    height: int = HEIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    left: str = f"{LEFT:.0f}%"
    right: str = f"{RIGHT:.0f}%"
    plot_width: str = f"{RIGHT - LEFT:.0f}%"
    plot_units: int = PLOT_UNITS
    font_size: int = 14

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.plot_x},{p.sy}" for p in self.points)

    @property
    def date_y(self) -> int:
        return self.bottom + 20


def _number(value) -> float:
    return float(value) if isinstance(value, Decimal | int | float) else float(str(value))


def _short(value: float) -> str:
    return f"{value:g}"


def line_chart(
    series: Sequence[tuple[date, float, str]],
    *,
    label: str,
    y_min: float,
    y_max: float,
    thresholds: Sequence[tuple[float, str]] = (),
    bands: Sequence[tuple[float, float, str, bool]] = (),
) -> Chart:
    """Place `(date, value, label)` points oldest first; `bands` are `(low, high, label, concern)`."""
    chart = Chart(label=label)
    y_max = max([y_max, *(_number(v) for _d, v, _l in series)])
    span_y = (y_max - y_min) or 1

    def y_of(value: float) -> float:
        return chart.bottom - (value - y_min) / span_y * (chart.bottom - chart.top)

    ordered = sorted(series, key=lambda row: row[0])
    if ordered:
        first, last = ordered[0][0].toordinal(), ordered[-1][0].toordinal()
        span_x = last - first

        def x_of(day: date) -> float:
            if not span_x:
                return (LEFT + RIGHT) / 2
            return LEFT + (day.toordinal() - first) / span_x * (RIGHT - LEFT)

        chart.points = [
            Point(x=x_of(day), y=y_of(_number(value)), when=day, value=_number(value), label=text)
            for day, value, text in ordered
        ]
        chart.x_ticks = [Tick(chart.points[0].x, date_format(ordered[0][0], "j M Y"), "start" if span_x else "middle")]
        if span_x:
            chart.x_ticks.append(Tick(chart.points[-1].x, date_format(ordered[-1][0], "j M Y"), "end"))
    for low, high, text, concern in bands:
        top, bottom = y_of(min(_number(high), y_max)), y_of(max(_number(low), y_min))
        chart.bands.append(Band(y=top, height=max(bottom - top, 0), label=text, concern=concern))
    chart.thresholds = [Tick(y_of(_number(value)), text) for value, text in thresholds]
    marks = sorted({y_min, y_max, *(_number(v) for v, _t in thresholds)})
    chart.y_ticks = [Tick(y_of(value), _short(value)) for value in marks]
    return chart
