"""GET /api/v1/reports/indicators: the contract, bad input, permissions, domains not yet landed."""

from __future__ import annotations

from datetime import date

import pytest

from aftercare.audit.models import AuditEvent
from aftercare.cases.counting import scope_for
from aftercare.core.stats.indicators import Indicator
from aftercare.reports import indicators
from tests.conftest import actor, member
from tests.factories import SurvivorFactory
from tests.reports.conftest import LOWER_ROLES, at

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/indicators"


def test_the_report_lists_every_indicator_with_its_parts(api, supervisor_a, org_a):
    SurvivorFactory(organisation=org_a, created_at=at(date(2025, 3, 1)))
    response = api.as_user(supervisor_a).get(URL, {"from": "2025-01-01", "to": "2025-12-31"})
    assert response.status_code == 200
    body = response.json()
    assert (body["from"], body["to"]) == ("2025-01-01", "2025-12-31")
    codes = [i["code"] for i in body["indicators"]]
    for code in (
        "survivors_served",
        "survivors_new",
        "survivors_continuing",
        "services_delivered",
        "survivors_receiving_services",
        "care_plan_reviewed_90d",
        "re_trafficked_12m",
        "referrals_completed",
        "referral_median_response_hours",
    ):
        assert code in codes
    first = body["indicators"][0]
    assert set(first) >= {
        "code",
        "domain",
        "label",
        "unit",
        "value",
        "numerator",
        "denominator",
        "suppressed",
        "breakdowns",
    }
    assert AuditEvent.objects.filter(object_type="reports.indicators", action="export").exists()


@pytest.mark.parametrize(
    "query",
    [{"from": "2025-13-01"}, {"to": "yesterday"}, {"from": "2025-06-01", "to": "2025-01-01"}],
)
def test_bad_dates_are_a_400_in_the_error_format(api, supervisor_a, query):
    response = api.as_user(supervisor_a).get(URL, query)
    assert response.status_code == 400
    assert set(response.json()["errors"]) <= {"from", "to"}


@pytest.mark.parametrize("role", LOWER_ROLES)
def test_lower_roles_are_refused(api, org_a, role):
    assert api.as_user(member(org_a, role)).get(URL).status_code == 403


def test_anonymous_callers_are_refused(api):
    assert api.get(URL).status_code == 401


def test_a_domain_that_has_not_landed_is_left_out_with_a_note(supervisor_a, org_a):
    missing = indicators.Contributor(
        "elsewhere", "Elsewhere", "aftercare.elsewhere", "aftercare.elsewhere.indicators:for_period"
    )
    report = indicators.build(
        scope_for(actor(supervisor_a)), date(2025, 1, 1), date(2025, 12, 31), [missing]
    )
    assert report.indicators == []
    assert report.notes == [
        "Elsewhere: left out, because that part of Aftercare does not report indicators yet."
    ]


def contributed(start, end, organisation=None):
    return [
        {
            "code": "people_reached",
            "label": "People reached",
            "value": 3,
            "breakdowns": {
                "sex": [
                    {"key": "f", "label": "Women", "value": 2},
                    {"key": "m", "label": "Men", "value": 1},
                ]
            },
        },
        Indicator(code="schools", domain="prevention", label="Schools", value=12, people=False),
    ]


def test_a_domain_contributes_through_one_function_and_its_small_cells_are_hidden_too(
    coordinator, org_a
):
    contributor = indicators.Contributor(
        "cases", "Test", "aftercare.cases", f"{__name__}:contributed"
    )
    report = indicators.build(
        scope_for(actor(coordinator)), date(2025, 1, 1), date(2025, 12, 31), [contributor]
    )
    reached, schools = report.indicators
    assert reached.value is None and reached.suppressed  # 3 people, under 5
    assert [c.value for c in reached.breakdowns["sex"]] == [None, None]
    assert schools.value == 12  # not a count of people


def test_the_livelihoods_and_prevention_domains_are_asked(supervisor_a):
    report = indicators.build(scope_for(actor(supervisor_a)), date(2025, 1, 1), date(2025, 12, 31))
    for domain in ("livelihoods", "prevention"):
        contributor = next(c for c in indicators.CONTRIBUTORS if c.domain == domain)
        if indicators.resolve(contributor) is None:
            assert any(str(contributor.label) in note for note in report.notes)
        else:
            assert not any(str(contributor.label) in note for note in report.notes)
