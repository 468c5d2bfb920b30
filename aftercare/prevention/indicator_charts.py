"""Charts of the prevention pages, drawn on the server as SVG with a table of the same figures.

Horizontal bars (`prevention/_bars.html`), readable at 360 px: each row's label sits above its
bar. The prevention figures become series here; `aftercare.core.charts` draws them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from aftercare.core.charts import BarRow, Bars, Chart, Segment, line_chart
from aftercare.core.charts import layout_bars as _layout
from aftercare.prevention.models import AgeGroup, Medium, Sex, Stage


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def attendance_bars(summary) -> Bars:
    """Attendance by age group, one bar per sex."""
    cells = summary.cells
    maximum = max([cells.get(s, {}).get(a, 0) for s in Sex.values for a in AgeGroup.values] + [1])
    bars = Bars(
        label=_("Attendance by sex and age group"),
        maximum=maximum,
        legend=[("female", str(Sex.FEMALE.label)), ("male", str(Sex.MALE.label))],
    )
    for age, age_label in AgeGroup.choices:
        bars.rows.append(
            BarRow(
                str(age_label),
                [
                    Segment(
                        cells.get(sex, {}).get(age, 0), sex, str(cells.get(sex, {}).get(age, 0))
                    )
                    for sex in Sex.values
                ],
            )
        )
    return _layout(bars)


def reach_bars(figures: dict) -> Bars:
    by_medium = figures["campaigns"]["estimated_reach_by_medium"]
    bars = Bars(
        label=_("Campaigns' estimated reach by medium"), maximum=max([*by_medium.values(), 1])
    )
    for medium, label in Medium.choices:
        if by_medium.get(medium):
            bars.rows.append(
                BarRow(str(label), [Segment(by_medium[medium], "plain", f"{by_medium[medium]:,}")])
            )
    return _layout(bars)


def milestone_bars(figures: dict) -> Bars:
    by_stage = figures["milestones"]["by_stage"]
    bars = Bars(
        label=_("Policy milestones reached, by stage"), maximum=max([*by_stage.values(), 1])
    )
    for stage, label in Stage.choices:
        bars.rows.append(
            BarRow(str(label), [Segment(by_stage[stage], "plain", str(by_stage[stage]))])
        )
    return _layout(bars)


def kap_bars(change) -> Bars:
    """Per question: the share favourable at baseline and at follow-up."""
    bars = Bars(
        label=_("Favourable answers, baseline and follow-up"),
        maximum=100,
        unit="%",
        legend=[("baseline", _("Baseline")), ("follow_up", _("Follow-up"))],
    )
    for q in change.questions:
        bars.rows.append(
            BarRow(
                q.question.text,
                [
                    Segment(q.baseline.percent or 0, "baseline", _percent(q.baseline.percent)),
                    Segment(q.follow_up.percent or 0, "follow_up", _percent(q.follow_up.percent)),
                ],
            )
        )
    return _layout(bars)


def share_of_men_chart(months) -> Chart | None:
    """The share of men among adults attending, month by month, against parity (50%)."""
    if not months:
        return None
    series = [
        (
            month,
            round(100 * share, 1),
            _("%(share)s%% men (%(men)s of %(adults)s adults)")
            % {"share": round(100 * share), "men": men, "adults": adults},
        )
        for month, share, men, adults in months
    ]
    return line_chart(
        series,
        label=_("Share of men among adults attending, by month"),
        y_min=0,
        y_max=100,
        thresholds=[(50, _("Parity"))],
    )
