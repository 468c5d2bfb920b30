"""Every chart of Aftercare, drawn on the server as SVG coordinates: the one drawing module.

No chart library, no script, no inline style (the CSP allows neither) and nothing from another
host: the templates draw polylines and rectangles from these numbers with presentation
attributes, and a table beside each chart says the same in words, to screen readers and in
print. Domains turn their figures into the series these functions take; nothing here knows a
domain.

- `line_chart`: a value over time (`risk/_line_chart.html`), with bands and thresholds.
- `bar_chart`, `column_chart`: horizontal bars and small columns (`reports/_bars.html`,
  `reports/_columns.html`); a value of None is a hidden small cell.
- `Bars`, `layout_bars`: rows of grouped horizontal bars with a legend (`prevention/_bars.html`).
- `scale_x`, `scale_axis`: a 1–5 scale with intervals (the voice performance pages).

Across, everything is placed in percent of the chart's width; down, in pixels; the SVG has no
viewBox. So a chart takes the width of its box and its text keeps its size (14 px) on a 360 px
phone, where a scaled viewBox shrank it to about 7 px. A line is drawn in a nested SVG
stretched over the plot (`PLOT_UNITS` across) with a stroke that does not scale; a bar's label
sits above the bar, so a long service name needs no column of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format

# Line charts over time.

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
    """Place `(date, value, label)` points oldest first; `bands` are `(low, high, label,
    concern)`."""
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
        chart.x_ticks = [
            Tick(
                chart.points[0].x,
                date_format(ordered[0][0], "j M Y"),
                "start" if span_x else "middle",
            )
        ]
        if span_x:
            chart.x_ticks.append(
                Tick(chart.points[-1].x, date_format(ordered[-1][0], "j M Y"), "end")
            )
    for low, high, text, concern in bands:
        top, bottom = y_of(min(_number(high), y_max)), y_of(max(_number(low), y_min))
        chart.bands.append(Band(y=top, height=max(bottom - top, 0), label=text, concern=concern))
    chart.thresholds = [Tick(y_of(_number(value)), text) for value, text in thresholds]
    marks = sorted({y_min, y_max, *(_number(v) for v, _t in thresholds)})
    chart.y_ticks = [Tick(y_of(value), _short(value)) for value in marks]
    return chart


# Bars and columns.

ROW_HEIGHT, LABEL_SIZE, BAR_HEIGHT = 44, 14, 16
BAR_SPAN = 82.0  # percent of the width the longest bar takes; the rest holds its figure
COLUMN_WIDTH, COLUMN_HEIGHT = 240, 44
MAX_LABEL = 48


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value: float | None
    text: str
    y: float
    length: float  # percent of the chart's width
    hidden: bool

    @property
    def label_y(self) -> str:
        return _svg(self.y + LABEL_SIZE)

    @property
    def sy(self) -> str:
        return _svg(self.y + LABEL_SIZE + 6)

    @property
    def text_y(self) -> str:
        return _svg(self.y + LABEL_SIZE + 6 + BAR_HEIGHT - 3)

    @property
    def slength(self) -> str:
        return f"{self.length:.1f}%"

    @property
    def value_x(self) -> str:
        return f"{self.length:.1f}%"


@dataclass
class BarChart:
    label: str
    bars: list[Bar] = field(default_factory=list)
    bar_height: int = BAR_HEIGHT
    font_size: int = LABEL_SIZE

    @property
    def height(self) -> int:
        return max(ROW_HEIGHT, len(self.bars) * ROW_HEIGHT) + 4

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def _short_label(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(
    rows: Sequence[tuple[str, float | None]],
    *,
    label: str,
    hidden_text: str = "<5",
    fmt: str = "{:g}",
) -> BarChart:
    """Horizontal bars, one per `(label, value)`; a value of None is a hidden small cell."""
    chart = BarChart(label=label)
    top = max([v for _l, v in rows if v is not None] or [0]) or 1
    for i, (text, value) in enumerate(rows):
        hidden = value is None
        chart.bars.append(
            Bar(
                label=str(text),
                short_label=_short_label(str(text)),
                value=value,
                text=hidden_text if hidden else fmt.format(value),
                y=i * ROW_HEIGHT + 2,
                length=0 if hidden else max(0.0, value / top * BAR_SPAN),
                hidden=hidden,
            )
        )
    return chart


@dataclass(frozen=True)
class Column:
    label: str
    value: float | None
    x: float
    y: float
    height: float

    @property
    def sx(self) -> str:
        return _svg(self.x)

    @property
    def sy(self) -> str:
        return _svg(self.y)

    @property
    def sheight(self) -> str:
        return _svg(self.height)


@dataclass
class ColumnChart:
    label: str
    columns: list[Column] = field(default_factory=list)
    width: int = COLUMN_WIDTH
    height: int = COLUMN_HEIGHT
    column_width: float = 0.0

    @property
    def scolumn_width(self) -> str:
        return _svg(self.column_width)


def column_chart(
    series: Sequence[tuple[str, float | None]], *, label: str, top: float | None = None
) -> ColumnChart:
    """A small column chart (a sparkline of bars), e.g. one service domain's months."""
    chart = ColumnChart(label=label)
    count = max(1, len(series))
    slot = COLUMN_WIDTH / count
    chart.column_width = max(1.0, slot - 2)
    top = top or max([v for _l, v in series if v is not None] or [0]) or 1
    for i, (text, value) in enumerate(series):
        height = (
            0 if value is None else max(1.0 if value else 0.0, value / top * (COLUMN_HEIGHT - 2))
        )
        chart.columns.append(
            Column(label=text, value=value, x=i * slot + 1, y=COLUMN_HEIGHT - height, height=height)
        )
    return chart


# Grouped bars with a legend.

GROUP_WIDTH = 320
BAR = 14


@dataclass(frozen=True)
class Segment:
    value: float
    kind: str  # a colour role: "female", "male", "baseline", "follow_up", "plain"
    text: str

    def width(self, scale: float) -> str:
        return f"{max(self.value * scale, 0):.1f}"


@dataclass
class BarRow:
    label: str
    bars: list[Segment]
    y: int = 0

    @property
    def text_y(self) -> int:
        return self.y + 12

    def bar_ys(self) -> list[tuple[int, Segment]]:
        return [(self.y + 18 + i * (BAR + 4), segment) for i, segment in enumerate(self.bars)]


@dataclass
class Bars:
    label: str
    rows: list[BarRow] = field(default_factory=list)
    maximum: float = 1
    legend: list[tuple[str, str]] = field(default_factory=list)  # (kind, label)
    unit: str = ""
    height: int = 0
    width: int = GROUP_WIDTH

    @property
    def scale(self) -> float:
        return (GROUP_WIDTH - 60) / (self.maximum or 1)

    def drawn(self) -> list[dict]:
        """What the template draws: for each row its label and its bars with coordinates."""
        return [
            {
                "label": row.label,
                "text_y": row.text_y,
                "bars": [
                    {
                        "y": y,
                        "width": seg.width(self.scale),
                        "kind": seg.kind,
                        "text": seg.text,
                        "text_x": f"{max(seg.value * self.scale, 0) + 4:.1f}",
                        "text_y": y + BAR - 3,
                    }
                    for y, seg in row.bar_ys()
                ],
            }
            for row in self.rows
        ]


def layout_bars(bars: Bars) -> Bars:
    """Place each row below the one before it: its label, then its bars."""
    y = 0
    for row in bars.rows:
        row.y = y
        y += 18 + len(row.bars) * (BAR + 4) + 6
    bars.height = y
    return bars


# A 1–5 scale.

SCALE_WIDTH, SCALE_HEIGHT = 300, 28
SCALE_PAD = 10


def scale_x(score: float) -> str:
    """A score from 1 to 5 as an x coordinate."""
    return f"{SCALE_PAD + (score - 1) / 4 * (SCALE_WIDTH - 2 * SCALE_PAD):.1f}"


@dataclass(frozen=True)
class ScaleTick:
    score: int

    @property
    def at(self) -> str:
        return scale_x(self.score)


def scale_axis() -> dict:
    """The 1–5 axis a scale row is drawn on."""
    return {
        "width": SCALE_WIDTH,
        "height": SCALE_HEIGHT,
        "ticks": [ScaleTick(s) for s in range(1, 6)],
        "mid": SCALE_HEIGHT // 2,
    }
