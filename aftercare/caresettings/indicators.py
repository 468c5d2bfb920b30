"""Funder indicators from care settings: who lived where, how long, and at what cost.

Each figure comes from `comparison.compare` over the same period, so the indicator report and
the care-settings report cannot disagree. Definitions are in docs/INDICATORS.md.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from aftercare.caresettings import comparison
from aftercare.caresettings.models import SettingGroup
from aftercare.cases.counting import Scope
from aftercare.core.stats.indicators import AMOUNT, COUNT, MEDIAN, Cell, Indicator, Note

DOMAIN = "care_settings"


def for_period(start: date, end: date, organisation=None) -> list[Indicator | Note]:
    scope = Scope(actor=None, organisation_id=organisation, small_cell_min=0)
    result = comparison.compare(scope, start, end)
    groups = {group.code: group for group in result.groups}
    labels = dict(SettingGroup.choices)
    rows: list[Indicator | Note] = [
        Indicator(
            code="survivors_by_care_setting",
            domain=DOMAIN,
            label=_("Survivors by principal care setting"),
            unit=COUNT,
            value=sum(group.survivors or 0 for group in result.groups),
            breakdowns={
                "care_setting": [
                    Cell(key=code, label=str(labels[code]), value=groups[code].survivors or 0)
                    for code in labels
                    if code in groups
                ]
            },
            note=_(
                "Each survivor is counted once, in the setting where she spent most of the period."
            ),
        )
    ]
    for code, group in groups.items():
        if group.survivors:
            rows.append(
                Indicator(
                    code=f"median_stay_months_{code}",
                    domain=DOMAIN,
                    unit=MEDIAN,
                    value=group.median_months,
                    count=group.survivors,
                    label=_("Median length of stay, %(setting)s (months)")
                    % {"setting": labels[code]},
                )
            )
        if group.cost_per_survivor_month is not None:
            rows.append(
                Indicator(
                    code=f"cost_per_survivor_month_{code}",
                    domain=DOMAIN,
                    unit=AMOUNT,
                    people=False,
                    value=float(group.cost_per_survivor_month),
                    label=_("Cost per survivor-month, %(setting)s (%(currency)s)")
                    % {"setting": labels[code], "currency": result.currency},
                )
            )
    if result.currency is None or not any(
        g.cost_per_survivor_month is not None for g in result.groups
    ):
        rows.append(Note(result.cost_note))
    return rows
