"""Livelihood and prevention indicators in the funder report, on hand-built records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.cases.counting import scope_for
from aftercare.core.stats.indicators import Period
from aftercare.livelihoods import enterprise
from aftercare.livelihoods import indicators as livelihoods
from aftercare.livelihoods.models import (
    IncomeRecord,
    PartnerEmployer,
    Placement,
    RetentionFollowUp,
    SchoolEnrolment,
    WageStandard,
)
from aftercare.prevention import indicators as prevention_indicators
from aftercare.reports import indicators
from tests.conftest import actor
from tests.reports.conftest import case

pytestmark = pytest.mark.django_db

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))


def placement(survivor, start, end=None, fair="fair"):
    employer, _ = PartnerEmployer.objects.get_or_create(
        name="Bliss and Bloom", defaults={"added_by_organisation": survivor.organisation}
    )
    return Placement.objects.create(
        survivor=survivor,
        organisation=survivor.organisation,
        employer=employer,
        role="tailor",
        start_date=start,
        end_date=end,
        hours_per_week=Decimal(40),
        wage_amount=Decimal(6000),
        currency="ZAR",
        pay_period="monthly",
        fair_wage=fair,
    )


def test_share_in_work_at_a_fair_wage_on_the_last_day(org_a):
    people = [case(org_a, opened=date(2024, 6, 1)) for _ in range(5)]
    placement(people[0], date(2025, 3, 1))  # in work on 31 Dec, fair: counted
    placement(people[1], date(2025, 1, 1), end=date(2025, 11, 30))  # ended before the last day
    placement(people[2], date(2025, 6, 1), fair="below_living")  # in work, below the living wage
    placement(people[3], date(2026, 1, 5))  # starts after the period
    indicator = livelihoods.fair_wage_work(YEAR, org_a)
    # 5 survivors served; 1 in fair-wage work on 31 Dec 2025: 1/5 = 0.2 (2 in work at any wage).
    assert (indicator.numerator, indicator.denominator, indicator.value) == (1, 5, 0.2)
    assert "2 were in work" in str(indicator.note)


def test_retention_at_six_months(org_a):
    a, b, c, d = (case(org_a, opened=date(2024, 6, 1)) for _ in range(4))
    pa, pb, pc = (
        placement(a, date(2025, 3, 1)),
        placement(b, date(2025, 1, 1)),
        placement(c, date(2025, 6, 1)),
    )
    pd = placement(d, date(2025, 7, 10))
    RetentionFollowUp.objects.create(
        placement=pa, months=6, due_on=date(2025, 9, 1), outcome="retained"
    )
    RetentionFollowUp.objects.create(
        placement=pb, months=6, due_on=date(2025, 7, 1), outcome="left", left_reason="other"
    )
    RetentionFollowUp.objects.create(
        placement=pc, months=6, due_on=date(2025, 12, 1)
    )  # pending: not counted
    RetentionFollowUp.objects.create(
        placement=pb, months=3, due_on=date(2025, 4, 1), outcome="retained"
    )  # 3 months
    RetentionFollowUp.objects.create(
        placement=pd, months=6, due_on=date(2026, 1, 10), outcome="retained"
    )  # after
    indicator = livelihoods.retention(YEAR, org_a)
    assert (indicator.numerator, indicator.denominator, indicator.value) == (
        1,
        2,
        0.5,
    )  # retained 1 of 2 recorded


def test_median_income_change_per_currency(org_a):
    pytest.importorskip(
        "aftercare.livelihoods.income", reason="monthly income has not landed in livelihoods yet"
    )

    def income(survivor, month, amount, currency="ZAR"):
        IncomeRecord.objects.create(
            survivor=survivor,
            organisation=org_a,
            month=month,
            source="casual",
            amount=Decimal(amount),
            currency=currency,
        )

    m1, m2, m3, m4 = (case(org_a, opened=date(2024, 6, 1)) for _ in range(4))
    income(m1, date(2025, 1, 1), 1000)
    income(m1, date(2025, 12, 1), 3000)  # +2000
    income(m2, date(2025, 12, 1), 500)  # nothing in January: +500
    income(m3, date(2025, 1, 1), 800)  # nothing in December: -800
    income(m4, date(2025, 1, 1), 100, "KES")
    income(m4, date(2025, 12, 1), 400, "KES")  # +300 shillings, never added to rand
    found = {i.code: i for i in livelihoods.income_change(YEAR, org_a)}
    # Rand: changes 2000, 500, -800: the median is 500. Shillings: 300 alone.
    assert (found["median_income_change_zar"].value, found["median_income_change_zar"].count) == (
        500.0,
        3,
    )
    assert found["median_income_change_kes"].value == 300.0


def test_the_income_change_reads_every_earners_income_at_once(org_a, case_worker_a, za_regions):
    """The report pages count every survivor served: the earners' jobs, income, sales and the
    living wages of their regions are read for all of them at once, so six earners cost the
    queries of two (they cost three each); each change is still her own series' own."""
    WageStandard.objects.create(
        region=za_regions.za,
        kind="living",
        amount=Decimal(7000),
        currency="ZAR",
        period="monthly",
        hours_per_week=Decimal(45),
        days_per_week=Decimal(5),
        valid_from=date(2024, 1, 1),
    )
    worker = actor(case_worker_a)

    def earners(n):
        for _ in range(n):
            survivor = case(org_a, opened=date(2024, 6, 1), region=za_regions.jhb)
            placement(survivor, date(2025, 12, 1))  # R6,000 a month from 1 December
            IncomeRecord.objects.create(
                survivor=survivor,
                organisation=org_a,
                month=date(2025, 1, 1),
                source="casual",
                amount=Decimal(500),
                currency="ZAR",
            )
            bag = enterprise.add_product(worker, {"name": survivor.case_code, "makers": [survivor]})
            enterprise.record_sale(
                worker,
                bag,
                channel="market",
                quantity=1,
                unit_price=Decimal(100),
                currency="ZAR",
                sold_on=date(2025, 12, 10),
            )

    def change():
        with CaptureQueriesContext(connection) as queries:
            found = {i.code: i for i in livelihoods.income_change(YEAR, org_a)}
        return found["median_income_change_zar"], len(queries)

    earners(2)
    _two, few = change()
    earners(4)
    six, many = change()
    assert many == few
    # December: R6,000 from the job and R100 from the sale; January: R500 recorded.
    assert (six.value, six.count) == (5600.0, 6)


def test_young_survivors_in_school(org_a):
    y1 = case(org_a, opened=date(2024, 6, 1), year_of_birth=2010)
    y2 = case(org_a, opened=date(2024, 6, 1), year_of_birth=2012)
    case(org_a, opened=date(2024, 6, 1), year_of_birth=2015)  # not enrolled
    y4 = case(
        org_a, opened=date(2024, 6, 1), year_of_birth=2007
    )  # 18 at the end of 2025: not young
    y5 = case(org_a, opened=date(2024, 6, 1), year_of_birth=2009)

    def enrol(survivor, on, **fields):
        SchoolEnrolment.objects.create(
            survivor=survivor,
            organisation=org_a,
            level="secondary",
            grade="9",
            enrolled_on=on,
            **fields,
        )

    enrol(y1, date(2024, 9, 1))
    enrol(y2, date(2025, 1, 10), status="dropped_out", left_on=date(2025, 6, 1))
    enrol(y4, date(2024, 1, 10))
    enrol(y5, date(2026, 1, 5))
    indicator = livelihoods.in_school(YEAR, org_a)
    # Aged 6-17 at the end of 2025 (born 2008-2019): y1, y2, the one never enrolled, y5 = 4;
    # in school on 31 Dec: y1 = 1. 1/4 = 0.25.
    assert (indicator.numerator, indicator.denominator, indicator.value) == (1, 4, 0.25)


def test_the_report_includes_livelihoods_and_prevention_now_they_have_landed(supervisor_a):
    report = indicators.build(scope_for(actor(supervisor_a)), YEAR.start, YEAR.end)
    domains = {i.domain for i in report.indicators}
    assert {"cases", "referrals", "livelihoods", "prevention"} <= domains
    codes = {i.code for i in report.indicators}
    assert {
        "in_work_fair_wage",
        "retained_6_months",
        "young_in_school",
        "people_reached",
        "schools_supported",
    } <= codes
    assert not any(
        note.startswith("Livelihoods and education: left out")
        or note.startswith("Prevention: left out")
        for note in report.notes
    )


def test_prevention_figures_become_rows_with_their_breakdowns(org_a):
    rows = {i.code: i for i in prevention_indicators.for_period(YEAR.start, YEAR.end, org_a)}
    assert rows["people_reached"].value == 0
    assert [c.key for c in rows["people_reached"].breakdowns["sex"]] == ["female", "male"]
    assert rows["schools_supported"].people is False
