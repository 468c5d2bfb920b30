"""The fair-wage check, worked by hand.

Standards (conftest): minimum R28.79 an hour, living wage R7,000 a month, both for South
Africa from 1 March 2025, full time 45 hours a week. Conversions (weeks a year 52, months 12):

    weekly   = hourly × hours = daily × days = monthly × 12 ÷ 52
    per hour = weekly ÷ hours;   per month = weekly × 52 ÷ 12

The living wage per hour at 45 hours: 7000 × 12 ÷ 52 ÷ 45 = 1615.38 ÷ 45 = 35.90.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from aftercare.livelihoods import fair_wage, placements
from aftercare.livelihoods.models import FairWage, PayPeriod
from tests.livelihoods.conftest import standard, usd_rate

pytestmark = pytest.mark.django_db
JOB_STARTS = date(2025, 6, 2)


def check(region, amount, period, hours, days=5, currency="ZAR", on=JOB_STARTS):
    return fair_wage.check(
        region,
        amount=Decimal(amount),
        currency=currency,
        period=period,
        hours_per_week=Decimal(hours),
        days_per_week=Decimal(days),
        on=on,
    )


def test_conversions_between_pay_periods():
    # R30 an hour for 40 hours: 1,200 a week; 1,200 × 52 ÷ 12 = 5,200 a month.
    assert fair_wage.per_month(Decimal(30), PayPeriod.HOURLY, Decimal(40), Decimal(5)) == Decimal(
        5200
    )
    # R5,200 a month is 5,200 × 12 ÷ 52 = 1,200 a week; at 45 hours 1,200 ÷ 45 = 26.666… an hour.
    assert fair_wage.weekly(Decimal(5200), PayPeriod.MONTHLY, Decimal(45), Decimal(5)) == Decimal(
        1200
    )
    assert round(
        fair_wage.per_hour(Decimal(5200), PayPeriod.MONTHLY, Decimal(45), Decimal(5)), 4
    ) == Decimal("26.6667")
    # R250 a day, 5 days of 8 hours: 1,250 a week, 31.25 an hour, 1,250 × 52 ÷ 12 = 5,416.67 a
    # month.
    assert fair_wage.per_hour(Decimal(250), PayPeriod.DAILY, Decimal(40), Decimal(5)) == Decimal(
        "31.25"
    )
    assert round(
        fair_wage.per_month(Decimal(250), PayPeriod.DAILY, Decimal(40), Decimal(5)), 2
    ) == Decimal("5416.67")
    # A weekly wage is its own weekly figure.
    assert fair_wage.per_hour(Decimal(1750), PayPeriod.WEEKLY, Decimal(40), Decimal(5)) == Decimal(
        "43.75"
    )


def test_hourly_pay_above_the_minimum_but_below_the_living_wage_is_flagged(za, za_standards):
    # R30/h ≥ R28.79/h, but 30 × 40 × 52 ÷ 12 = R5,200 a month < R7,000.
    result = check(za["johannesburg"], "30", PayPeriod.HOURLY, 40)
    assert result.status == FairWage.BELOW_LIVING and result.flagged
    assert result.as_detail()["monthly"] == "5200.00"
    assert result.living.monthly == Decimal(7000) and result.living.inherited_from == "South Africa"


def test_a_monthly_wage_for_long_hours_is_below_the_minimum_per_hour(za, za_standards):
    # The same R5,200 a month, but for 45 hours a week: 5,200 × 12 ÷ 52 ÷ 45 = R26.67 an hour <
    # R28.79.
    result = check(za["johannesburg"], "5200", PayPeriod.MONTHLY, 45)
    assert result.status == FairWage.BELOW_MINIMUM
    assert result.as_detail()["hourly"] == "26.67"
    assert "26.67 ZAR an hour" in fair_wage.explain(result.status, result.as_detail())
    assert "28.79 ZAR" in fair_wage.explain(result.status, result.as_detail())


def test_weekly_wage_reaching_the_living_wage_is_fair(za, za_standards):
    # R1,750 a week for 40 hours: R43.75 an hour; 1,750 × 52 ÷ 12 = R7,583.33 a month ≥ R7,000.
    result = check(za["johannesburg"], "1750", PayPeriod.WEEKLY, 40)
    assert result.status == FairWage.FAIR and not result.flagged
    assert result.as_detail()["monthly"] == "7583.33"


def test_daily_wage_uses_the_days_worked(za, za_standards):
    # R250 a day, 5 days: R31.25 an hour (≥ minimum), R5,416.67 a month (< living wage).
    assert (
        check(za["johannesburg"], "250", PayPeriod.DAILY, 40, days=5).status
        == FairWage.BELOW_LIVING
    )
    # R250 a day, 6 days of 40 hours: 1,500 a week = R37.50 an hour and R6,500 a month.
    assert (
        check(za["johannesburg"], "250", PayPeriod.DAILY, 40, days=6).as_detail()["monthly"]
        == "6500.00"
    )


def test_exactly_the_minimum_wage_passes_it(za):
    standard(za["country"], "minimum", "28.79", "hourly")
    result = check(za["johannesburg"], "28.79", PayPeriod.HOURLY, 40)
    assert result.status == FairWage.MEETS_MINIMUM and not result.flagged


def test_a_province_standard_overrides_the_countrys_for_its_districts(za, za_standards):
    standard(za["gauteng"], "living", "8000", "monthly")
    # R1,750 a week is R7,583.33 a month: above the national R7,000, below Gauteng's R8,000.
    in_johannesburg = check(za["johannesburg"], "1750", PayPeriod.WEEKLY, 40)
    in_cape_town = check(za["cape_town"], "1750", PayPeriod.WEEKLY, 40)
    assert in_johannesburg.status == FairWage.BELOW_LIVING
    assert in_johannesburg.living.inherited_from == "Gauteng"
    assert in_cape_town.status == FairWage.FAIR
    assert in_cape_town.living.inherited_from == "South Africa"


def test_a_districts_own_standard_comes_before_its_ancestors(za, za_standards):
    standard(za["johannesburg"], "minimum", "35", "hourly")
    assert check(za["johannesburg"], "30", PayPeriod.HOURLY, 40).status == FairWage.BELOW_MINIMUM
    assert check(za["cape_town"], "30", PayPeriod.HOURLY, 40).status == FairWage.BELOW_LIVING


def test_the_standard_in_force_on_the_start_date_is_used(za, za_standards):
    standard(za["country"], "minimum", "32.00", "hourly", valid_from=date(2026, 3, 1))
    assert (
        check(za["johannesburg"], "30", PayPeriod.HOURLY, 40, on=date(2025, 6, 2)).status
        == FairWage.BELOW_LIVING
    )
    assert (
        check(za["johannesburg"], "30", PayPeriod.HOURLY, 40, on=date(2026, 3, 1)).status
        == FairWage.BELOW_MINIMUM
    )
    # Before any standard existed nothing can be checked.
    assert (
        check(za["johannesburg"], "30", PayPeriod.HOURLY, 40, on=date(2024, 1, 1)).status
        == FairWage.NO_STANDARD
    )


def test_no_standard_anywhere_up_the_tree_is_flagged_not_passed(za):
    result = check(za["johannesburg"], "100", PayPeriod.HOURLY, 40)
    assert result.status == FairWage.NO_STANDARD and result.flagged


def test_a_wage_in_another_currency_is_not_checked_without_a_rate(za, za_standards):
    result = check(za["johannesburg"], "2", PayPeriod.HOURLY, 40, currency="USD")
    assert result.status == FairWage.NO_RATE and result.flagged
    assert result.missing_rate == ("ZAR", "USD", JOB_STARTS.isoformat())
    assert "no exchange rate from ZAR to USD" in fair_wage.explain(
        result.status, result.as_detail()
    )


def test_a_wage_in_another_currency_is_checked_with_the_rate(za, za_standards):
    usd_rate("18.00")  # 1 USD = 18 ZAR, so the R28.79 minimum is 28.79 ÷ 18 = $1.5994 an hour
    assert (
        check(za["johannesburg"], "1.50", PayPeriod.HOURLY, 40, currency="USD").status
        == FairWage.BELOW_MINIMUM
    )
    # $2.50/h: 100 a week, 433.33 a month; the living wage is 7000 ÷ 18 = $388.89 a month.
    result = check(za["johannesburg"], "2.50", PayPeriod.HOURLY, 40, currency="USD")
    assert result.status == FairWage.FAIR
    assert result.as_detail()["living"]["monthly"] == "388.89"


def test_a_placement_below_the_minimum_is_saved_flagged_and_supervisors_are_told(
    worker, supervisor_a, jhb_survivor, employer, za_standards
):
    placement = placements.place(
        worker,
        jhb_survivor,
        {
            "employer": employer,
            "role": "Housekeeper",
            "start_date": JOB_STARTS,
            "hours_per_week": Decimal(45),
            "wage_amount": Decimal("5200"),
            "currency": "ZAR",
            "pay_period": PayPeriod.MONTHLY,
        },
    )
    placement.refresh_from_db()
    assert placement.fair_wage == FairWage.BELOW_MINIMUM and placement.flagged
    assert placement.region.code == "za-gp-jhb"  # the survivor's region when none is given
    assert placement.fair_wage_detail["minimum"]["amount"] == "28.790"
    note = supervisor_a.notifications.get()
    assert jhb_survivor.case_code in note.text and "Below the minimum wage" in note.text
    assert "Thandeka" not in note.text


def test_changing_the_wage_checks_it_again(worker, jhb_survivor, employer, za_standards):
    placement = placements.place(
        worker,
        jhb_survivor,
        {
            "employer": employer,
            "role": "Cook",
            "start_date": JOB_STARTS,
            "hours_per_week": Decimal(40),
            "wage_amount": Decimal("30"),
            "currency": "ZAR",
            "pay_period": PayPeriod.HOURLY,
        },
    )
    assert placement.fair_wage == FairWage.BELOW_LIVING
    placement = placements.update_placement(
        worker, placement, {"wage_amount": Decimal("45")}, placement.version
    )
    # 45 × 40 × 52 ÷ 12 = 7,800 ≥ 7,000.
    assert placement.fair_wage == FairWage.FAIR and placement.version == 2


def test_exactly_the_living_wage_a_month_is_fair(za, za_standards):
    # 7,000 a month → 7000 × 12 ÷ 52 a week → × 52 ÷ 12 = exactly 7,000 a month again (no rounding
    # drift).
    result = check(za["johannesburg"], "7000", PayPeriod.MONTHLY, 45)
    assert result.status == FairWage.FAIR
    assert result.monthly == Decimal(7000) == result.living.monthly
