"""Bar and column charts drawn on the server as SVG, for `reports/_bars.html` and
`reports/_columns.html`. No chart library, no script, no inline style: the templates draw
rectangles from these numbers with presentation attributes, and a table beside each chart
says the same in words. Line charts over time reuse `aftercare.risk.charts.line_chart`.

Bars are placed in percent across and in pixels down, with no viewBox: the chart takes the
width of its box and its text keeps its size (14 px) on a 360 px phone as on a desktop, where
a scaled viewBox shrank it to about 7 px. Each bar's label sits above the bar, so a long
service name needs no column of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

ROW_HEIGHT, LABEL_SIZE, BAR_HEIGHT = 44, 14, 16
BAR_SPAN = 82.0  # percent of the width the longest bar takes; the rest holds its figure
COLUMN_WIDTH, COLUMN_HEIGHT = 240, 44
MAX_LABEL = 48


def _svg(number: float) -> str:
    return f"{number:.1f}"


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


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(rows: Sequence[tuple[str, float | None]], *, label: str, hidden_text: str = "<5",
              fmt: str = "{:g}") -> BarChart:
    """Horizontal bars, one per `(label, value)`; a value of None is a hidden small cell."""
    chart = BarChart(label=label)
    top = max([v for _l, v in rows if v is not None] or [0]) or 1
    for i, (text, value) in enumerate(rows):
        hidden = value is None
        chart.bars.append(Bar(
            label=str(text), short_label=_short(str(text)), value=value,
            text=hidden_text if hidden else fmt.format(value), y=i * ROW_HEIGHT + 2,
            length=0 if hidden else max(0.0, value / top * BAR_SPAN), hidden=hidden,
        ))
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


def column_chart(series: Sequence[tuple[str, float | None]], *, label: str, top: float | None = None) -> ColumnChart:
    """A small column chart (a sparkline of bars), e.g. one service domain's months."""
    chart = ColumnChart(label=label)
    count = max(1, len(series))
    slot = COLUMN_WIDTH / count
    chart.column_width = max(1.0, slot - 2)
    top = top or max([v for _l, v in series if v is not None] or [0]) or 1
    for i, (text, value) in enumerate(series):
        height = 0 if value is None else max(1.0 if value else 0.0, value / top * (COLUMN_HEIGHT - 2))
        chart.columns.append(Column(label=text, value=value, x=i * slot + 1, y=COLUMN_HEIGHT - height, height=height))
    return chart
