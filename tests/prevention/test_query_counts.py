"""The prevention pages and lists that hold rounds, attendance or surveys cost as many queries
however many they hold (tests/query_budgets.py measures them at one size): each of these read
one query per round, activity or survey before."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.prevention import community, indicators, kap
from tests.prevention.factories import ActivityFactory, attendance
from tests.prevention.test_kap import SPEC

pytestmark = pytest.mark.django_db
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def give_round(sup, survey, kind: str, month: int, responses: int = 1):
    """A round in `month` of 2025 with `responses` responses from Lokopo."""
    survey_round = kap.add_round(
        sup,
        survey.pk,
        kind=kind,
        label=f"{kind} {month}",
        started_on=date(2025, month, 1),
        ended_on=date(2025, month, 28),
    )
    kap.record_responses(
        sup,
        survey_round.pk,
        [
            {
                "community": "ug-napak-lokopo",
                "sex": "male" if n % 2 else "female",
                "age_group": "18_35",
                "collected_on": date(2025, month, 1 + n),
                "answers": {"girls-school": 1 + n % 4, "knows-116": n % 2},
            }
            for n in range(responses)
        ],
    )
    return survey_round


def test_a_survey_and_the_surveys_do_not_grow_with_their_rounds(web_login, api, supervisor_a, sup):
    survey = kap.define_survey(sup, SPEC)
    give_round(sup, survey, "baseline", 1, responses=3)
    give_round(sup, survey, "follow_up", 3, responses=2)
    page, listing = web_login(supervisor_a), api.as_user(supervisor_a)

    def sizes():
        return (
            queries(lambda: page.get(f"/prevention/surveys/{survey.pk}/")),
            queries(lambda: listing.get("/api/v1/prevention/surveys")),
        )

    few = sizes()
    for month in (5, 7, 9):
        give_round(sup, survey, "follow_up", month, responses=2)
    assert sizes() == few
    html = page.get(f"/prevention/surveys/{survey.pk}/").content.decode()
    assert "3 responses" in html and "2 responses" in html  # each round counts its own
    (found,) = listing.get("/api/v1/prevention/surveys").json()["results"]
    assert [r["responses"] for r in found["rounds"]] == [3, 2, 2, 2, 2]


def test_the_activities_list_reads_their_attendance_at_once(api, supervisor_a, sup, org_a):
    def counted_activity():
        activity = ActivityFactory(organisation=org_a)
        community.set_attendance(sup, activity.pk, attendance({"18_35": 3}, {"18_35": 2}), 1)

    counted_activity()
    client = api.as_user(supervisor_a)
    few = queries(lambda: client.get("/api/v1/prevention/activities"))
    for _ in range(3):
        counted_activity()
    ActivityFactory(organisation=org_a)  # planned, not counted yet
    many = queries(lambda: client.get("/api/v1/prevention/activities"))
    rows = client.get("/api/v1/prevention/activities").json()["results"]
    assert many == few
    assert sorted((r["attendance"] or {}).get("total") for r in rows if r["attendance"]) == [5] * 4
    assert sum(1 for r in rows if r["attendance"] is None) == 1


def test_the_indicators_compare_every_survey_at_once(sup, org_a):
    def surveyed(code: str):
        survey = kap.define_survey(sup, {**SPEC, "code": code})
        give_round(sup, survey, "baseline", 1, responses=4)
        give_round(sup, survey, "follow_up", 6, responses=4)

    surveyed("kap-a")
    few = queries(lambda: indicators.figures(*YEAR, org_a))
    surveyed("kap-b")
    surveyed("kap-c")
    many = queries(lambda: indicators.figures(*YEAR, org_a))
    found = indicators.figures(*YEAR, org_a)["kap_change"]
    assert many == few
    assert sorted(s["survey"] for s in found) == ["kap-a", "kap-b", "kap-c"]
    assert all(s["questions"] == 2 and s["follow_up"] == "follow_up 6" for s in found)
