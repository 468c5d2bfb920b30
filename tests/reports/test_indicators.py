"""Each indicator on hand-built cases, against values worked out by hand (the arithmetic is in
the comments). The period is the whole of 2025; its boundaries are whole days in UTC."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from aftercare.cases import indicators as case_indicators
from aftercare.cases.models import PlanReview
from aftercare.core.stats.indicators import Period
from aftercare.referrals import indicators as referral_indicators
from tests.factories import (
    GoalFactory,
    OrganisationFactory,
    ReferralFactory,
    ServiceDeliveryFactory,
)
from tests.reports.conftest import at, case, close, reopen

pytestmark = pytest.mark.django_db

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))


def by_code(indicators):
    return {i.code: i for i in indicators}


def cells(indicator, breakdown):
    return {c.key: c.value for c in indicator.breakdowns[breakdown]}


def test_the_period_is_whole_days_from_the_first_to_the_last_included():
    assert YEAR.start_at == timezone.make_aware(datetime(2025, 1, 1, 0, 0))
    assert YEAR.end_before == timezone.make_aware(datetime(2026, 1, 1, 0, 0))
    assert YEAR.days == 365


@pytest.fixture
def caseload(org_a, org_b):
    """Org A: five survivors served in 2025 (S1, S2, S3, S6, S7); three not (S4, S5, S9). Org B:
    S8."""
    s = {}
    s[1] = case(
        org_a,
        opened=date(2024, 6, 1),
        gender="woman",
        year_of_birth=2000,
        exploitation_types=["sexual"],
    )
    s[2] = case(
        org_a,
        opened=date(2025, 3, 10),
        gender="man",
        year_of_birth=2010,
        exploitation_types=["labour"],
    )
    s[3] = case(
        org_a,
        opened=date(2025, 12, 31),
        gender="woman",
        year_of_birth=1990,
        exploitation_types=["domestic_servitude"],
    )
    s[3].created_at = at(date(2025, 12, 31), 23)  # the last hour of the period
    s[3].save(update_fields=["created_at"])
    s[4] = case(org_a, opened=date(2026, 1, 1), gender="woman", year_of_birth=1990)
    s[4].created_at = at(date(2026, 1, 1), 0)  # the first moment after it
    s[4].save(update_fields=["created_at"])
    s[5] = case(org_a, opened=date(2023, 1, 1), closed=date(2024, 12, 31))
    s[6] = case(
        org_a,
        opened=date(2023, 5, 1),
        gender="transgender",
        year_of_birth=1980,
        exploitation_types=["forced_marriage"],
    )
    close(s[6], date(2025, 1, 1), "self_sufficient")
    s[6].closed_at = at(date(2025, 1, 1), 0)  # closed at the very start: still served that day
    s[6].save(update_fields=["closed_at"])
    s[7] = case(
        org_a,
        opened=date(2025, 2, 1),
        gender="woman",
        year_of_birth=None,
        exploitation_types=["sexual", "labour"],
    )
    s[8] = case(
        org_b,
        opened=date(2025, 5, 1),
        gender="man",
        year_of_birth=1995,
        exploitation_types=["labour"],
    )
    s[9] = case(
        org_a, opened=date(2024, 1, 1), status="closed"
    )  # closed, date unknown: cannot be placed in 2025
    return s


def test_survivors_served_new_and_continuing_in_the_organisation(caseload, org_a):
    found = by_code(case_indicators.survivors_served(YEAR, org_a))
    # Served: S1 (opened 2024, open), S2 (opened 2025), S3 (opened 31 Dec 23:00), S6 (closed 1 Jan
    # 00:00), S7 (opened 2025) = 5. Not: S4 (opened 1 Jan 2026), S5 (closed 31 Dec 2024), S9 (no
    # closing date), S8 (org B).
    assert found["survivors_served"].value == 5
    # New = opened in 2025: S2, S3, S7 = 3; continuing = S1, S6 = 2; 3 + 2 = 5.
    assert found["survivors_new"].value == 3
    assert found["survivors_continuing"].value == 2


def test_survivors_served_by_sex_age_band_and_exploitation_type(caseload, org_a):
    served = by_code(case_indicators.survivors_served(YEAR, org_a))["survivors_served"]
    # Women S1, S3, S7 = 3; men S2 = 1; transgender S6 = 1.
    assert cells(served, "sex") == {"woman": 3, "man": 1, "transgender": 1, "unknown": 0}
    # Age at the end of 2025: S1 2025-2000 = 25 (24--26); S2 15 (9--17); S3 35 (30--38);
    # S6 45 (39--47); S7 year of birth unknown.
    ages = {k: v for k, v in cells(served, "age_band").items() if v}
    assert ages == {"24--26": 1, "9--17": 1, "30--38": 1, "39--47": 1, "unknown": 1}
    # Each type counted: sexual S1, S7 = 2; labour S2, S7 = 2; domestic S3 = 1; forced marriage S6 =
    # 1.
    kinds = {k: v for k, v in cells(served, "exploitation_type").items() if v}
    assert kinds == {"sexual": 2, "labour": 2, "domestic_servitude": 1, "forced_marriage": 1}
    new = by_code(case_indicators.survivors_served(YEAR, org_a))["survivors_new"]
    assert {k: v for k, v in cells(new, "sex").items() if v} == {"woman": 2, "man": 1}  # S3, S7; S2


def test_the_network_counts_every_organisation(caseload):
    found = by_code(case_indicators.survivors_served(YEAR, None))
    assert found["survivors_served"].value == 6  # org A's 5 + S8
    assert found["survivors_new"].value == 4  # S2, S3, S7, S8


def test_services_by_domain_count_the_days_of_the_period_only(caseload, org_a):
    s = caseload

    def service(survivor, domain, day):
        ServiceDeliveryFactory(survivor=survivor, domain=domain, organisation=org_a, date=day)

    service(s[1], "housing", date(2025, 1, 1))  # first day: counted
    service(s[1], "housing", date(2025, 6, 1))  # counted
    service(s[2], "legal", date(2025, 12, 31))  # last day: counted
    service(s[2], "legal", date(2024, 12, 31))  # the day before: not
    service(s[7], "medical", date(2026, 1, 1))  # the day after: not
    service(s[8], "housing", date(2025, 4, 1))  # org B's survivor: network only
    found = by_code(case_indicators.services_by_domain(YEAR, org_a))
    delivered = found["services_delivered"]
    assert delivered.value == 3  # housing 2 + legal 1
    assert {k: v for k, v in cells(delivered, "service_domain").items() if v} == {
        "housing": 2,
        "legal": 1,
    }
    reached = found["survivors_receiving_services"]
    assert reached.value == 2  # S1 and S2
    assert {k: v for k, v in cells(reached, "service_domain").items() if v} == {
        "housing": 1,
        "legal": 1,
    }
    assert by_code(case_indicators.services_by_domain(YEAR, None))["services_delivered"].value == 4


def test_share_with_a_care_plan_reviewed_in_the_last_90_days(org_a):
    window_start = date(2025, 10, 3)  # 31 Dec minus 89 days: 90 days counting both ends
    assert (YEAR.end - window_start).days + 1 == 90
    s1 = case(org_a, opened=date(2025, 1, 10))
    s2 = case(org_a, opened=date(2025, 1, 10))
    s3 = case(org_a, opened=date(2025, 1, 10))
    s4 = case(org_a, opened=date(2025, 1, 10))
    closed = case(org_a, opened=date(2025, 1, 10), closed=date(2025, 12, 1))
    for survivor, created in (
        (s1, date(2025, 2, 1)),
        (s2, date(2025, 3, 15)),
        (s3, date(2025, 3, 1)),
        (s4, date(2026, 1, 2)),
        (closed, date(2025, 2, 1)),
    ):
        GoalFactory(
            survivor=survivor, domain="housing", description="a room", created_at=at(created)
        )
    PlanReview.objects.create(
        survivor=s1, reviewed_on=date(2025, 12, 31), outcome="on track"
    )  # last day: in
    PlanReview.objects.create(
        survivor=s2, reviewed_on=window_start - timedelta(days=1), outcome="late"
    )  # just out
    PlanReview.objects.create(
        survivor=s3, reviewed_on=window_start, outcome="on track"
    )  # first day of the window
    PlanReview.objects.create(survivor=closed, reviewed_on=date(2025, 11, 30), outcome="closed")
    indicator = case_indicators.plan_reviewed(YEAR, org_a)
    # Denominator: open at the end of 2025 with a goal by then: s1, s2, s3 = 3 (s4's plan came
    # in 2026; the closed case is not open). Numerator: s1 and s3 = 2. Share 2/3 = 0.6667.
    assert (indicator.numerator, indicator.denominator) == (2, 3)
    assert indicator.value == pytest.approx(0.6667)


def test_re_trafficking_within_12_months_of_leaving_care(org_a):
    s6 = case(org_a, opened=date(2023, 5, 1), closed=date(2025, 1, 1), reason="self_sufficient")
    reopen(s6, date(2025, 6, 1))
    close(s6, date(2025, 12, 15), "re_trafficked")  # 348 days after leaving: counted
    s10 = case(org_a, opened=date(2024, 1, 1), closed=date(2025, 3, 1), reason="lost_contact")
    reopen(s10, date(2026, 2, 1))
    close(
        s10, date(2026, 3, 2), "re_trafficked"
    )  # 366 days after leaving (2026 is not a leap year): not
    case(
        org_a, opened=date(2024, 1, 1), closed=date(2025, 7, 1), reason="deceased"
    )  # not in the cohort
    case(
        org_a, opened=date(2024, 1, 1), closed=date(2025, 8, 1), reason="transferred"
    )  # not in the cohort
    case(
        org_a, opened=date(2024, 1, 1), closed=date(2025, 9, 1), reason="relocated"
    )  # cohort, not re-trafficked
    case(
        org_a, opened=date(2024, 1, 1), closed=date(2024, 12, 31), reason="self_sufficient"
    )  # left in 2024
    indicator = case_indicators.re_trafficking(YEAR, org_a)
    # Cohort: s6, s10 and the relocated survivor = 3; re-trafficked within 365 days: s6 = 1. 1/3.
    assert (indicator.numerator, indicator.denominator) == (1, 3)
    assert indicator.value == pytest.approx(0.3333)


@pytest.fixture
def referrals(org_a, org_b, survivor_a, survivor_b):
    org_c = OrganisationFactory(slug="org-c")

    def referral(
        src, dst, survivor, created, status, accepted=None, closed=None, domains=("housing",)
    ):
        return ReferralFactory(
            survivor=survivor,
            from_organisation=src,
            to_organisation=dst,
            domains=list(domains),
            reason="r",
            status=status,
            created_at=created,
            accepted_at=accepted,
            closed_at=closed,
            respond_by=created + timedelta(days=3),
        )

    h = timedelta(hours=1)
    t0 = at(date(2025, 1, 1), 0)
    return [
        referral(
            org_a,
            org_b,
            survivor_a,
            t0,
            "completed",
            accepted=t0 + 10 * h,
            closed=at(date(2025, 2, 1)),
        ),  # 10 h
        referral(
            org_a,
            org_b,
            survivor_a,
            at(date(2024, 12, 30), 20),
            "in_progress",
            accepted=at(date(2025, 1, 1), 6),
        ),  # 34 h
        referral(
            org_b,
            org_a,
            survivor_b,
            at(date(2025, 3, 1), 0),
            "declined",
            closed=at(date(2025, 3, 3), 0),
        ),  # 48 h
        referral(
            org_a,
            org_b,
            survivor_a,
            at(date(2025, 12, 31), 0),
            "accepted",
            accepted=at(date(2026, 1, 1), 1),
        ),  # answered in 2026
        referral(
            org_a,
            org_b,
            survivor_a,
            at(date(2025, 5, 1), 0),
            "expired",
            closed=at(date(2025, 5, 4), 0),
        ),  # never answered
        referral(
            org_a,
            org_b,
            survivor_a,
            at(date(2025, 10, 31), 22),
            "completed",
            accepted=at(date(2025, 11, 1), 0),
            closed=at(date(2026, 1, 1), 0),
            domains=("legal",),
        ),  # 2 h; completed on the first moment of 2026
        referral(
            org_b,
            org_c,
            survivor_b,
            at(date(2025, 4, 1), 0),
            "completed",
            accepted=at(date(2025, 4, 1), 4),
            closed=at(date(2025, 6, 1), 0),
        ),  # not org A's: network only (4 h)
    ]


def test_referrals_completed_in_the_period(referrals, org_a):
    indicator = referral_indicators.completed(YEAR, org_a)
    assert indicator.value == 1  # the first only: the legal one closed at 2026-01-01 00:00
    assert {k: v for k, v in cells(indicator, "service_domain").items() if v} == {"housing": 1}
    assert referral_indicators.completed(YEAR, None).value == 2  # and org B's to org C


def test_median_time_to_answer_a_referral(referrals, org_a):
    indicator = referral_indicators.response_time(YEAR, org_a)
    # Answered in 2025: 10 h, 34 h, 48 h (declined), 2 h. Sorted 2, 10, 34, 48: median (10 + 34) / 2
    # = 22.
    assert indicator.value == 22.0
    assert indicator.count == 4
    # The network adds 4 h: 2, 4, 10, 34, 48 -> median 10.
    assert referral_indicators.response_time(YEAR, None).value == 10.0


def test_the_funnel_follows_referrals_sent_in_the_period(referrals, org_a):
    funnel = referral_indicators.funnel(YEAR, org_a)
    # Sent in 2025 by or to org A: all but the one sent 30 Dec 2024 = 5. Accepted at some point:
    # the first, the one of 31 Dec, the legal one = 3 (median of 10 h, 25 h, 2 h = 10 h).
    # Completed: the first and the legal one = 2; declined 1; expired 1.
    assert (funnel.sent, funnel.accepted, funnel.completed, funnel.declined, funnel.expired) == (
        5,
        3,
        2,
        1,
        1,
    )
    assert funnel.median_hours_to_accept == 10.0
