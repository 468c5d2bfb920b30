"""Monthly income from all sources, currencies kept apart without a rate, and self-sufficiency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from aftercare.livelihoods import enterprise, income, placements
from aftercare.livelihoods.models import IncomeRecord, PayPeriod
from aftercare.livelihoods.money import RateMissing, RateTable, convert, sum_in
from tests.livelihoods.conftest import standard, usd_rate

pytestmark = pytest.mark.django_db
TODAY = date(2026, 5, 20)  # so April is the last complete month


def job(
    worker, survivor, employer, start, amount, period=PayPeriod.MONTHLY, currency="ZAR", end=None
):
    return placements.place(
        worker,
        survivor,
        {
            "employer": employer,
            "role": "Receptionist",
            "start_date": start,
            "end_date": end,
            "hours_per_week": Decimal(40),
            "wage_amount": Decimal(amount),
            "currency": currency,
            "pay_period": period,
        },
    )


def other_income(worker, survivor, month, amount, currency="ZAR", source="self_employment"):
    return income.record_income(
        worker,
        survivor,
        {"month": month, "source": source, "amount": Decimal(amount), "currency": currency},
    )


def months(series):
    return {m.start.strftime("%Y-%m"): m for m in series.months}


def test_two_currencies_are_never_added_without_a_rate():
    with pytest.raises(RateMissing) as missing:
        sum_in([(Decimal(100), "ZAR"), (Decimal(10), "USD")], "ZAR", date(2026, 1, 1))
    assert "no exchange rate between USD and ZAR" in missing.value.message
    assert missing.value.status_code == 409


def test_a_rate_converts_both_ways_from_its_date_and_never_through_a_third_currency(db):
    usd_rate("18.00", valid_from=date(2026, 1, 1))
    assert convert(Decimal(10), "USD", "ZAR", date(2026, 2, 1)) == Decimal(180)
    assert convert(Decimal(180), "ZAR", "USD", date(2026, 2, 1)) == Decimal(10)
    with pytest.raises(RateMissing):
        convert(Decimal(10), "USD", "ZAR", date(2025, 12, 31))  # before the rate was valid
    from aftercare.livelihoods.models import ExchangeRate

    ExchangeRate.objects.create(
        base="KES", quote="USD", rate=Decimal("0.0077"), valid_from=date(2026, 1, 1)
    )
    with pytest.raises(RateMissing):
        RateTable().rate("KES", "ZAR", date(2026, 2, 1))  # KES→USD→ZAR is not taken


def test_income_adds_up_wages_by_days_worked_sales_and_other_sources(
    worker, jhb_survivor, employer, za_standards, org_a
):
    job(worker, jhb_survivor, employer, date(2026, 3, 16), "6200")  # half of March (16 of 31 days)
    bags = enterprise.add_product(worker, {"name": "Bag", "makers": [jhb_survivor]})
    enterprise.record_sale(
        worker,
        bags,
        channel="market",
        quantity=2,
        unit_price=Decimal("150"),
        currency="ZAR",
        sold_on=date(2026, 3, 28),
    )
    other_income(worker, jhb_survivor, date(2026, 3, 1), "400")
    series = income.monthly_income(jhb_survivor, today=TODAY)
    march = months(series)["2026-03"]
    # 6,200 × 16 ÷ 31 = 3,200 from the job; 300 from the sale; 400 from her own business.
    assert march.by_source == {
        "placement": Decimal(3200),
        "sales": Decimal(300),
        "other": Decimal(400),
    }
    assert march.total == Decimal(3900) and march.complete
    assert months(series)["2026-04"].total == Decimal(6200)
    may = months(series)["2026-05"]
    assert not may.complete and may.total == Decimal(6200) * 20 / 31  # so far
    assert series.currency == "ZAR" and march.living_wage == Decimal(7000)


def test_income_in_two_currencies_without_a_rate_is_refused_not_summed(
    worker, jhb_survivor, employer, za_standards
):
    job(worker, jhb_survivor, employer, date(2026, 1, 1), "8000")
    other_income(worker, jhb_survivor, date(2026, 3, 1), "50", currency="USD", source="family")
    series = income.monthly_income(jhb_survivor, today=TODAY)
    assert isinstance(series.error, RateMissing)
    assert all(m.total is None for m in series.months)
    # The unconverted figures stay, currency by currency.
    assert months(series)["2026-03"].by_currency == {"ZAR": Decimal(8000), "USD": Decimal(50)}
    assert series.self_sufficiency().flag is None
    assert "no exchange rate" in series.self_sufficiency().reason


def test_with_a_rate_the_other_currency_is_converted(worker, jhb_survivor, employer, za_standards):
    usd_rate("18.00")
    job(worker, jhb_survivor, employer, date(2026, 1, 1), "6500")
    other_income(worker, jhb_survivor, date(2026, 3, 1), "50", currency="USD", source="family")
    march = months(income.monthly_income(jhb_survivor, today=TODAY))["2026-03"]
    assert march.total == Decimal(6500) + Decimal(900)


def test_self_sufficient_after_three_consecutive_months_at_the_living_wage(
    worker, jhb_survivor, employer, za_standards
):
    # R7,000 a month from 1 February: February, March and April are complete and at the living wage.
    job(worker, jhb_survivor, employer, date(2026, 2, 1), "7000")
    verdict = income.monthly_income(jhb_survivor, today=TODAY).self_sufficiency()
    assert verdict.flag is True and verdict.months == 3


def test_two_months_are_not_enough(worker, jhb_survivor, employer, za_standards):
    job(worker, jhb_survivor, employer, date(2026, 3, 1), "7000")
    verdict = income.monthly_income(jhb_survivor, today=TODAY).self_sufficiency()
    assert verdict.flag is False and verdict.months == 2


def test_a_month_below_the_living_wage_breaks_the_run(worker, jhb_survivor, employer, za_standards):
    job(worker, jhb_survivor, employer, date(2025, 11, 1), "7000", end=date(2026, 1, 31))
    job(worker, jhb_survivor, employer, date(2026, 3, 1), "7500")  # February without work
    verdict = income.monthly_income(jhb_survivor, today=TODAY).self_sufficiency()
    assert verdict.flag is False and verdict.months == 2


def test_income_from_several_sources_together_can_reach_the_living_wage(
    worker, jhb_survivor, employer, za_standards
):
    job(worker, jhb_survivor, employer, date(2026, 1, 1), "5000")
    for month in (date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)):
        other_income(worker, jhb_survivor, month, "2000")
    verdict = income.monthly_income(jhb_survivor, today=TODAY).self_sufficiency()
    assert verdict.flag is True and verdict.months == 3


def test_the_living_wage_of_the_region_is_inherited_and_may_change(
    worker, jhb_survivor, employer, za, za_standards
):
    standard(za["gauteng"], "living", "7200", "monthly", valid_from=date(2026, 4, 1))
    job(worker, jhb_survivor, employer, date(2026, 1, 1), "7100")
    series = income.monthly_income(jhb_survivor, today=TODAY)
    assert months(series)["2026-03"].living_wage == Decimal(7000)
    assert months(series)["2026-04"].living_wage == Decimal(7200)
    assert series.self_sufficiency().flag is False  # April fell short of Gauteng's new figure


def test_without_a_living_wage_for_the_region_self_sufficiency_cannot_be_told(
    worker, survivor_a, employer
):
    job(worker, survivor_a, employer, date(2026, 1, 1), "9000")
    verdict = income.monthly_income(survivor_a, today=TODAY).self_sufficiency()
    assert verdict.flag is None and "No living wage" in verdict.reason


def test_income_months_are_stored_as_their_first_day(worker, jhb_survivor):
    row = other_income(worker, jhb_survivor, date(2026, 3, 17), "100")
    assert row.month == date(2026, 3, 1)
    assert IncomeRecord.objects.get().month.day == 1
