"""Outcomes by care setting: each survivor counted once, in her principal setting, with
intervals."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.caresettings import comparison, services
from aftercare.caresettings.models import CareSetting
from aftercare.cases.counting import scope_for
from aftercare.cases.models import StatusChange
from aftercare.livelihoods.models import ExchangeRate
from tests.conftest import actor, member
from tests.factories import SurvivorFactory

pytestmark = pytest.mark.django_db
START, END = timezone.localdate() - timedelta(days=200), timezone.localdate()


def moment(day):
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


def placed(org, kind, *, start=None, end=None, **survivor):
    case = SurvivorFactory(organisation=org, **survivor)
    CareSetting.objects.create(
        survivor=case,
        kind=kind,
        start=start or START - timedelta(days=30),
        end=end,
        may_leave=False if kind == "closed_shelter" else None,
        lawyer_access=False if kind == "closed_shelter" else None,
    )
    return case


def closes(case, reason, day):
    StatusChange.objects.create(
        survivor=case,
        from_status="active",
        to_status="closed",
        reason=reason,
        changed_at=moment(day),
    )


def group(result, code):
    return next(g for g in result.groups if g.code == code)


def rate(result, code, name):
    return next(r for r in group(result, code).rates if r.code == name)


def test_wilson_interval_is_the_textbook_one():
    low, high = comparison.wilson(0, 10)
    assert low == 0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = comparison.wilson(5, 10)
    assert (low, high) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))
    assert comparison.wilson(0, 0) is None


def test_each_survivor_counts_once_in_the_setting_where_she_spent_most_of_the_period(org_a):
    case = SurvivorFactory(organisation=org_a)
    CareSetting.objects.create(
        survivor=case,
        kind="closed_shelter",
        start=START - timedelta(days=5),
        end=START + timedelta(days=20),
        may_leave=False,
        lawyer_access=False,
    )
    CareSetting.objects.create(
        survivor=case, kind="community_family", start=START + timedelta(days=21)
    )
    result = comparison.compare(scope_for(actor(member(org_a, Role.SUPERVISOR))), START, END)
    assert group(result, "community").survivors == 1
    assert all(g.survivors == 0 for g in result.groups if g.code != "community")


def test_rates_carry_numerators_denominators_and_intervals(org_a):
    community = [placed(org_a, "community_family", year_of_birth=END.year - 25) for _ in range(6)]
    shelter = [placed(org_a, "closed_shelter", year_of_birth=END.year - 15) for _ in range(4)]
    for case in community[:3]:
        closes(case, "self_sufficient", START + timedelta(days=10))
    closes(community[0], "re_trafficked", START + timedelta(days=100))
    closes(community[3], "lost_contact", START + timedelta(days=20))
    closes(shelter[0], "relocated", START + timedelta(days=20))
    closes(shelter[0], "re_trafficked", START + timedelta(days=60))
    result = comparison.compare(scope_for(actor(member(org_a, Role.SUPERVISOR))), START, END)

    retraf = rate(result, "community", "re_trafficked_12m")
    assert (retraf.numerator, retraf.denominator) == (1, 4)
    assert retraf.interval == pytest.approx(comparison.wilson(1, 4))
    sufficient = rate(result, "community", "self_sufficient")
    # The first closed as self-sufficient was re-trafficked and closed again: her last closure
    # counts.
    assert (sufficient.numerator, sufficient.denominator) == (2, 4)
    assert (
        rate(result, "closed_shelter", "re_trafficked_12m").numerator,
        rate(result, "closed_shelter", "re_trafficked_12m").denominator,
    ) == (1, 1)
    school = rate(result, "closed_shelter", "in_school")
    assert (school.numerator, school.denominator) == (0, 4)
    assert rate(result, "community", "in_work").denominator == 6
    assert dict(group(result, "community").mix["age"]) == {"24–26": 6}
    assert [n for _label, n in group(result, "closed_shelter").mix["exploitation"]] == [4]
    assert "do not show that a setting caused" in str(result.note)


def test_the_network_view_hides_small_groups(org_a, org_b):
    for _ in range(6):
        placed(org_a, "community_family")
    for _ in range(2):
        placed(org_b, "closed_shelter")
    coordinator = actor(member(org_b, Role.NETWORK_COORDINATOR))
    result = comparison.compare(scope_for(coordinator), START, END)
    assert group(result, "community").survivors == 6
    assert group(result, "closed_shelter").survivors is None
    assert group(result, "closed_shelter").median_months is None


def test_cost_per_survivor_month_prorates_costs_and_converts_currencies(org_a):
    supervisor = actor(member(org_a, Role.SUPERVISOR))
    for _ in range(2):
        placed(org_a, "closed_shelter")
    ExchangeRate.objects.create(
        base="USD", quote="ZAR", rate=Decimal("18"), valid_from=START - timedelta(days=400)
    )
    period_days = (END - START).days + 1
    services.record_cost(
        supervisor,
        {
            "period_start": START,
            "period_end": END,
            "category": "shelter_running",
            "amount": Decimal("12000.00"),
            "currency": "ZAR",
            "setting_group": "closed_shelter",
            "service_domain": "",
            "description": "",
        },
    )
    services.record_cost(
        supervisor,
        {  # half of it falls inside the period
            "period_start": START - timedelta(days=period_days),
            "period_end": END,
            "category": "staff",
            "amount": Decimal("200.00"),
            "currency": "USD",
            "setting_group": "closed_shelter",
            "service_domain": "",
            "description": "",
        },
    )
    services.record_cost(
        supervisor,
        {
            "period_start": START,
            "period_end": END,
            "category": "administration",
            "amount": Decimal("999.00"),
            "currency": "ZAR",
            "setting_group": "",
            "service_domain": "",
            "description": "",
        },
    )
    result = comparison.compare(scope_for(supervisor), START, END, currency="ZAR")
    shelter = group(result, "closed_shelter")
    assert shelter.cost == Decimal("13800.00")  # 12,000 + 100 USD at 18
    months = Decimal(2 * period_days) / comparison.DAYS_PER_MONTH
    assert shelter.cost_per_survivor_month == (Decimal("13800") / months).quantize(Decimal("0.01"))
    assert result.unattributed_cost == Decimal("999.00")


def test_a_missing_exchange_rate_is_said_not_guessed(org_a):
    supervisor = actor(member(org_a, Role.SUPERVISOR))
    placed(org_a, "open_shelter")
    for currency in ("ZAR", "INR"):
        services.record_cost(
            supervisor,
            {
                "period_start": START,
                "period_end": END,
                "category": "staff",
                "amount": Decimal("10.00"),
                "currency": currency,
                "setting_group": "open_shelter",
                "service_domain": "",
                "description": "",
            },
        )
    result = comparison.compare(scope_for(supervisor), START, END, currency="ZAR")
    assert group(result, "open_shelter").cost is None
    assert "exchange rate" in result.cost_note


def test_the_funder_report_carries_the_care_setting_indicators(org_a):
    from aftercare.reports import indicators

    supervisor = actor(member(org_a, Role.SUPERVISOR))
    for _ in range(3):
        placed(org_a, "closed_shelter")
    services.record_cost(
        supervisor,
        {
            "period_start": START,
            "period_end": END,
            "category": "shelter_running",
            "amount": Decimal("3000.00"),
            "currency": "ZAR",
            "setting_group": "closed_shelter",
            "service_domain": "",
            "description": "",
        },
    )
    report = indicators.build(scope_for(supervisor), START, END)
    found = {row.code: row for row in report.indicators if row.domain == "care_settings"}
    assert found["survivors_by_care_setting"].value == 3
    assert found["median_stay_months_closed_shelter"].value > 6
    months = Decimal(3 * ((END - START).days + 1)) / comparison.DAYS_PER_MONTH
    assert found["cost_per_survivor_month_closed_shelter"].value == pytest.approx(
        float(Decimal(3000) / months), abs=0.01
    )
