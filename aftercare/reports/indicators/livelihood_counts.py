"""Livelihoods in figures, as the report gives them: livelihoods counts them
(`aftercare.livelihoods.indicator_counts`), less the households of people at risk (never
trafficked), which the at-risk figures count (`at_risk_household_support`), so that no household
is in both. Livelihoods cannot ask atrisk which households are its own (atrisk builds on
livelihoods), so the two meet here, where the report puts the domains together.
"""

from __future__ import annotations

from datetime import date

from aftercare.atrisk.models import Beneficiary
from aftercare.core.stats.indicators import Indicator, Period
from aftercare.livelihoods import indicator_counts


def at_risk_households():
    """The ids of the households a person at risk is linked to."""
    return Beneficiary.objects.exclude(household=None).values("household_id")


def households(period: Period, organisation=None) -> list[Indicator]:
    return indicator_counts.households(period, organisation, leave_out=at_risk_households())


def for_period(start: date, end: date, organisation=None) -> list[Indicator]:
    return indicator_counts.for_period(
        start, end, organisation, leave_out_households=at_risk_households()
    )
