"""Funder indicators for a period, counted by hand from a small programme."""

from datetime import date

import pytest

from aftercare.prevention import champions, community, indicators, kap, milestones, schools
from aftercare.prevention.models import Campaign
from tests.conftest import actor
from tests.prevention.factories import ActivityFactory, ChampionFactory, SchoolFactory, attendance
from tests.prevention.test_kap import SPEC

pytestmark = pytest.mark.django_db

Q1 = (date(2025, 1, 1), date(2025, 3, 31))


@pytest.fixture
def programme(org_a, org_b, sup, supervisor_b, karamoja_regions):
    lokopo, lopeei = SchoolFactory(organisation=org_a), SchoolFactory(organisation=org_a)
    SchoolFactory(organisation=org_a, joined_on=date(2025, 6, 1))  # joins after Q1
    schools.record_session(
        sup, lokopo, held_on="2025-01-20", topic="Identify", teachers_female=6, teachers_male=4
    )
    schools.record_session(
        sup, lokopo, held_on="2025-03-02", topic="Report", teachers_female=1, teachers_male=1
    )
    schools.record_session(
        sup, lopeei, held_on="2025-04-02", topic="Report", teachers_female=9, teachers_male=9
    )
    first = schools.identify_case(
        sup, lokopo, reference="A", concern="abuse", identified_on="2025-01-05"
    )
    second = schools.identify_case(
        sup, lokopo, reference="B", concern="child_marriage", identified_on="2025-02-01"
    )
    schools.identify_case(sup, lopeei, reference="C", concern="abuse", identified_on="2025-04-01")
    schools.report_case(
        sup, first.pk, reported_on="2025-01-07", reported_to="police", version=1
    )  # 2 days
    schools.report_case(
        sup, second.pk, reported_on="2025-02-11", reported_to="helpline", version=1
    )  # 10 days
    schools.follow_up(sup, first.pk, followed_on="2025-02-01", outcome="at_risk")
    schools.follow_up(sup, first.pk, followed_on="2025-03-01", outcome="in_school")

    women, man = (
        ChampionFactory(organisation=org_a, sex="female"),
        ChampionFactory(organisation=org_a, sex="male"),
    )
    ChampionFactory(organisation=org_a, sex="male", is_active=False)
    champions.record_training(
        sup,
        held_on="2025-02-10",
        topic="Child protection",
        region=karamoja_regions["lokopo"],
        champions=[women.pk, man.pk],
    )
    champions.record_training(
        sup,
        held_on="2025-03-10",
        topic="Refresher",
        region=karamoja_regions["lokopo"],
        champions=[man.pk],
    )

    dialogue = ActivityFactory(organisation=org_a, held_on=date(2025, 2, 14))
    event = ActivityFactory(organisation=org_a, kind="awareness", held_on=date(2025, 3, 8))
    ActivityFactory(organisation=org_a, held_on=date(2025, 3, 20))  # planned, never counted
    community.set_attendance(
        sup, dialogue.pk, attendance({"18_35": 20, "under_18": 5}, {"18_35": 4}), 1
    )
    community.set_attendance(
        sup, event.pk, attendance({"36_59": 10}, {"60_plus": 6, "under_18": 5}), 1
    )
    community.add_campaign(
        sup,
        name="Radio Napak spots",
        medium="radio",
        topics=["ordinance_bylaws"],
        region=karamoja_regions["napak"],
        started_on="2025-02-01",
        estimated_reach=12000,
    )
    community.add_campaign(
        sup,
        name="Market posters",
        medium="print",
        topics=["social_norms"],
        region=karamoja_regions["lokopo"],
        started_on="2025-03-01",
        estimated_reach=800,
    )

    by_law = milestones.add_instrument(
        sup,
        title="Lokopo by-law",
        kind="by_law",
        region=karamoja_regions["lokopo"],
        drafted_on="2024-11-01",
    )
    milestones.advance(sup, by_law.pk, to="lobbied", reached_on="2025-01-15", version=1)
    milestones.advance(sup, by_law.pk, to="passed", reached_on="2025-03-30", version=2)
    ordinance = milestones.add_instrument(
        sup,
        title="Napak ordinance",
        kind="ordinance",
        region=karamoja_regions["napak"],
        drafted_on="2025-02-02",
    )

    survey = kap.define_survey(sup, SPEC)
    baseline = kap.add_round(
        sup,
        survey.pk,
        kind="baseline",
        label="Baseline",
        started_on="2024-10-01",
        ended_on="2024-10-31",
    )
    follow = kap.add_round(
        sup,
        survey.pk,
        kind="follow_up",
        label="Q1 follow-up",
        started_on="2025-03-01",
        ended_on="2025-03-20",
    )
    row = {"community": "ug-napak-lokopo", "sex": "female", "age_group": "36_59"}
    kap.record_responses(
        sup,
        baseline.pk,
        [{**row, "collected_on": "2024-10-05", "answers": {"girls-school": 2}}] * 20,
    )
    kap.record_responses(
        sup, follow.pk, [{**row, "collected_on": "2025-03-05", "answers": {"girls-school": 4}}] * 20
    )

    # Organisation B's work is never in A's figures.
    other = ActivityFactory(organisation=org_b, held_on=date(2025, 2, 1))
    community.set_attendance(actor(supervisor_b), other.pk, attendance({"18_35": 100}), 1)
    return {"ordinance": ordinance}


def test_indicators_for_the_first_quarter(org_a, programme):
    figures = indicators.figures(*Q1, org_a)
    assert figures["period"] == {"from": "2025-01-01", "to": "2025-03-31"}
    assert figures["schools"] == {
        "in_programme": 2,
        "supported": 1,
        "capacity_sessions": 2,
        "teachers_trained": {"female": 7, "male": 5, "total": 12},
    }
    assert figures["school_cases"] == {
        "identified": 2,
        "reported": 2,
        "followed_up": 1,
        "median_days_to_report": 6.0,
        "reported_within_7_days": 1,
    }
    assert figures["champions"]["trained"] == 2
    assert figures["champions"]["trained_by_sex"] == {"female": 1, "male": 1}
    assert figures["champions"]["trainings"] == 2
    assert (figures["champions"]["active"], figures["champions"]["inactive"]) == (2, 1)
    assert figures["activities"] == {"dialogue": 1, "awareness": 1}
    reached = figures["people_reached"]
    assert (reached["total"], reached["by_sex"], reached["adults"], reached["men"]) == (
        50,
        {"female": 35, "male": 15},
        40,
        10,
    )
    assert reached["share_of_men"] == 0.25
    assert figures["campaigns"]["estimated_reach"] == 12800
    assert figures["campaigns"]["estimated_reach_by_medium"]["radio"] == 12000
    assert figures["milestones"]["reached"] == 3  # lobbied, passed (by-law) and drafted (ordinance)
    assert figures["milestones"]["by_stage"] == {
        "drafted": 1,
        "lobbied": 1,
        "passed": 1,
        "enforced": 0,
    }
    assert (
        figures["milestones"]["by_level"]["sub_county"] == 2
        and figures["milestones"]["by_level"]["district"] == 1
    )
    assert figures["milestones"]["passed_or_enforced"] == 1
    assert figures["kap_change"] == [
        {
            "survey": "napak-kap",
            "name": "Napak child protection KAP",
            "follow_up": "Q1 follow-up",
            "questions": 2,
            "improved": 1,
            "worsened": 0,
            "mean_change_points": 100.0,
        }
    ]


def test_the_network_adds_every_organisation(org_a, programme):
    figures = indicators.figures(*Q1)
    assert figures["organisation"] is None
    assert figures["people_reached"]["total"] == 150


def test_the_period_bounds_are_inclusive(org_a, programme):
    one_day = indicators.figures(date(2025, 1, 7), date(2025, 1, 7), org_a)
    assert one_day["school_cases"]["reported"] == 1
    assert one_day["school_cases"]["median_days_to_report"] == 2


def test_an_empty_period_is_all_zeros(org_a, programme):
    figures = indicators.figures(date(2020, 1, 1), date(2020, 12, 31), org_a)
    assert (
        figures["people_reached"]["total"] == 0
        and figures["people_reached"]["share_of_men"] is None
    )
    assert figures["school_cases"]["median_days_to_report"] is None
    assert figures["kap_change"] == []


def test_a_period_ending_before_it_starts_is_an_error(org_a):
    with pytest.raises(ValueError):
        indicators.figures(date(2025, 2, 1), date(2025, 1, 1), org_a)


def test_the_api_gives_the_supervisor_their_organisation(api, supervisor_a, org_a, programme):
    response = api.as_user(supervisor_a).get(
        "/api/v1/prevention/indicators?from=2025-01-01&to=2025-03-31"
    )
    assert response.status_code == 200
    assert response.json() == indicators.figures(*Q1, org_a)


def test_a_supervisor_naming_another_organisation_gets_404(api, supervisor_a, org_b, programme):
    response = api.as_user(supervisor_a).get(
        f"/api/v1/prevention/indicators?from=2025-01-01&to=2025-03-31&organisation={org_b.slug}"
    )
    assert response.status_code == 404


def test_the_coordinator_sees_the_network_or_one_organisation(
    api, make_member, org_a, org_b, programme
):
    from aftercare.accounts.roles import Role

    coordinator = make_member(org_b, Role.NETWORK_COORDINATOR, "coord")
    client = api.as_user(coordinator)
    network = client.get("/api/v1/prevention/indicators?from=2025-01-01&to=2025-03-31").json()
    one = client.get(
        f"/api/v1/prevention/indicators?from=2025-01-01&to=2025-03-31&organisation={org_a.slug}"
    ).json()
    assert network["people_reached"]["total"] == 150 and one["people_reached"]["total"] == 50


def test_a_bad_period_is_a_400(api, supervisor_a):
    response = api.as_user(supervisor_a).get(
        "/api/v1/prevention/indicators?from=2025-13-01&to=2025-03-31"
    )
    assert response.status_code == 400 and "from" in response.json()["errors"]


def test_the_indicator_page_shows_the_headline_share_of_men(web_login, supervisor_a, programme):
    html = (
        web_login(supervisor_a)
        .get("/prevention/indicators/?start=2025-01-01&end=2025-03-31")
        .content.decode()
    )
    assert "25%" in html and "men among adults attending" in html
    assert Campaign.objects.count() == 2
