"""The caseload helpers the case list uses: current risk in one join, sorted and filtered."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftercare.cases.models import Survivor
from aftercare.cases.models.survivor import InvalidRiskLevel
from aftercare.risk import services
from tests.factories import SurvivorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseload(org_a, worker):
    today = timezone.localdate()
    cases = {
        name: SurvivorFactory(organisation=org_a, case_code=f"AC-{name.upper()}")
        for name in ("high", "medium_due", "medium", "low", "never")
    }
    services.assess_risk(worker, cases["high"], {"trafficker_contact": True})
    services.assess_risk(
        worker,
        cases["medium_due"],
        {"homelessness": True, "no_income": True},
        assessed_on=today - timedelta(days=40),
    )  # due 10 days ago
    services.assess_risk(worker, cases["medium"], {"homelessness": True, "no_income": True})
    services.assess_risk(
        worker, cases["low"], {"no_income": True}, assessed_on=today - timedelta(days=80)
    )  # due in 10
    return cases


def test_annotations_carry_the_current_risk(caseload, worker):
    rows = {s.case_code: s for s in services.annotate_caseload(Survivor.objects.visible_to(worker))}
    high, due, never = rows["AC-HIGH"], rows["AC-MEDIUM_DUE"], rows["AC-NEVER"]
    assert (high.risk_level, high.risk_rank, high.risk_open_alerts) == ("high", 3, True)
    assert (due.risk_level, due.risk_follow_up_due) == ("medium", True)
    assert due.risk_next_follow_up == timezone.localdate() - timedelta(days=10)
    assert (
        never.risk_level,
        never.risk_rank,
        never.risk_next_follow_up,
        never.risk_follow_up_due,
    ) == (None, 0, None, False)


def test_order_by_risk_puts_high_first_then_soonest_due_and_never_assessed_last(caseload, worker):
    ordered = services.order_caseload(
        services.annotate_caseload(Survivor.objects.visible_to(worker)), "risk"
    )
    assert [s.case_code for s in ordered] == [
        "AC-HIGH",
        "AC-MEDIUM_DUE",
        "AC-MEDIUM",
        "AC-LOW",
        "AC-NEVER",
    ]


def test_order_by_due_date_puts_the_most_overdue_first(caseload, worker):
    ordered = services.order_caseload(Survivor.objects.visible_to(worker), "due")
    assert [s.case_code for s in ordered] == [
        "AC-MEDIUM_DUE",
        "AC-HIGH",
        "AC-LOW",
        "AC-MEDIUM",
        "AC-NEVER",
    ]


@pytest.mark.parametrize(
    ("level", "codes"),
    [
        ("high", ["AC-HIGH"]),
        ("medium", ["AC-MEDIUM", "AC-MEDIUM_DUE"]),
        ("low", ["AC-LOW"]),
        ("none", ["AC-NEVER"]),
        ("", ["AC-HIGH", "AC-LOW", "AC-MEDIUM", "AC-MEDIUM_DUE", "AC-NEVER"]),
    ],
)
def test_filter_by_risk_level(caseload, worker, level, codes):
    cases = Survivor.objects.visible_to(worker).at_risk_level(level)
    assert sorted(cases.values_list("case_code", flat=True)) == codes


def test_an_unknown_risk_level_is_a_400_domain_error(worker):
    with pytest.raises(InvalidRiskLevel) as caught:
        Survivor.objects.visible_to(worker).at_risk_level("extreme")
    assert (caught.value.status_code, caught.value.field) == (400, "risk_level")


def test_annotating_a_page_of_cases_is_one_query_however_many_cases(caseload, worker, org_a):
    def run():
        with CaptureQueriesContext(connection) as queries:
            rows = list(
                services.order_caseload(
                    services.annotate_caseload(Survivor.objects.visible_to(worker))
                )
            )
            [(r.risk_level, r.risk_next_follow_up, r.risk_open_alerts) for r in rows]
        return len(queries)

    before = run()
    for _ in range(10):
        services.assess_risk(
            worker, SurvivorFactory(organisation=org_a), {"trafficker_contact": True}
        )
    # One query for the page, and one small one in visible_to for the cases shared by referral.
    assert run() == before == 2
