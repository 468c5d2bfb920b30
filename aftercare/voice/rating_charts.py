"""The performance charts' rows, drawn by the templates as inline SVG on `aftercare.core.charts`'
1–5 scale.

No chart library, no script and no inline style (the CSP allows neither): each subject gets a
row on a 1–5 scale with its 95% interval as a bar, the Bayesian mean as a dot, the raw mean
as a tick, and the network mean as a dashed line. A table beside it says the same in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from aftercare.core.charts import scale_x as x
from aftercare.voice import stats
from aftercare.voice.models import DIMENSIONS
from aftercare.voice.ratings import dimension_labels


@dataclass(frozen=True)
class Row:
    report: stats.SubjectReport | None
    figures: stats.Figures
    network_mean: float | None
    label: str = ""

    @property
    def low(self) -> str:
        return x(self.figures.interval[0])

    @property
    def high(self) -> str:
        return x(self.figures.interval[1])

    @property
    def dot(self) -> str:
        return x(self.figures.bayesian_mean)

    @property
    def raw(self) -> str:
        return x(self.figures.mean)

    @property
    def network(self) -> str | None:
        return x(self.network_mean) if self.network_mean is not None else None


def row(report: stats.SubjectReport, network: stats.Network) -> Row:
    return Row(report=report, figures=report.figures, network_mean=network.mean)


def league_rows(report: stats.Report) -> list[Row]:
    return [row(subject, report.network) for subject in report.subjects]


def point(batch: stats.Batch, figures: stats.Figures, network: stats.Network) -> Row:
    return Row(report=None, figures=figures, network_mean=network.mean, label=batch.label)


@dataclass(frozen=True)
class DimensionRow:
    label: str
    mean: float

    @property
    def end(self) -> str:
        return x(self.mean)


def dimension_rows(subject: stats.SubjectReport) -> list[DimensionRow]:
    labels = dimension_labels()
    return [
        DimensionRow(label=str(labels[d]), mean=subject.figures.dimensions[d]) for d in DIMENSIONS
    ]
