"""The prevention API end to end: a field worker's day in Napak, and the documented schema."""

import pytest

from tests.prevention.factories import SchoolFactory, attendance
from tests.prevention.test_kap import SPEC

pytestmark = pytest.mark.django_db
P = "/api/v1/prevention"


def test_a_school_case_from_identification_to_follow_up(api, field_worker_a, org_a):
    school = SchoolFactory(organisation=org_a, name="Lokopo Primary School")
    client = api.as_user(field_worker_a)
    case = client.post(
        f"{P}/schools/{school.pk}/cases",
        {"reference": "LPS-3", "concern": "child_marriage", "identified_on": "2025-03-03"},
        format="json",
    ).json()
    assert (case["stage"], case["days_to_report"], case["version"]) == ("identified", None, 1)
    reported = client.post(
        f"{P}/school-cases/{case['id']}/report",
        {
            "reported_on": "2025-03-06",
            "reported_to": "social_welfare",
            "reported_to_detail": "Napak CDO",
            "referred_to": str(org_a.pk),
            "version": 1,
        },
        format="json",
    ).json()
    assert (reported["stage"], reported["days_to_report"], reported["referred_to"]) == (
        "reported",
        3,
        str(org_a.pk),
    )
    follow = client.post(
        f"{P}/school-cases/{case['id']}/follow-ups",
        {"followed_on": "2025-04-01", "outcome": "receiving_services"},
        format="json",
    )
    assert follow.status_code == 201
    detail = client.get(f"{P}/schools/{school.pk}").json()
    assert detail["cases"][0]["stage"] == "followed_up" and detail["region"] == "ug-napak-lokopo"


def test_an_activity_with_its_attendance_and_the_share_of_men(api, field_worker_a):
    client = api.as_user(field_worker_a)
    response = client.post(
        f"{P}/activities",
        {
            "kind": "dialogue",
            "held_on": "2025-05-02",
            "region": "ug-napak-lopeei",
            "venue": "Lopeei market",
            "topics": ["girls_education", "protecting_children"],
            "facilitators": "Nakiru, Fr. Lokwang",
            "attendance": attendance(
                {"18_35": 18, "36_59": 6}, {"18_35": 9, "36_59": 7, "under_18": 3}
            ),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["version"] == 2
    assert body["attendance"]["total"] == 43 and body["attendance"]["adults"] == 40
    assert body["attendance"]["share_of_men"] == 0.4
    put = client.put(
        f"{P}/activities/{body['id']}/attendance",
        {"attendance": attendance({"18_35": 1}), "version": 1},
        format="json",
    )
    assert put.status_code == 409 and put.json()["code"] == "stale_version"


def test_a_champion_is_trained_acts_and_becomes_inactive(api, field_worker_a):
    client = api.as_user(field_worker_a)
    champion = client.post(
        f"{P}/champions",
        {
            "name": "Sheikh Lomongin",
            "kind": "religious_leader",
            "sex": "male",
            "region": "ug-napak",
        },
        format="json",
    ).json()
    training = client.post(
        f"{P}/champion-trainings",
        {
            "held_on": "2025-02-02",
            "topic": "Child protection basics",
            "region": "ug-napak",
            "champions": [champion["id"]],
        },
        format="json",
    )
    assert training.status_code == 201 and training.json()["champions"] == [champion["id"]]
    act = client.post(
        f"{P}/champions/{champion['id']}/activities",
        {"held_on": "2025-02-20", "kind": "dialogue", "people_reached": 40},
        format="json",
    )
    assert act.status_code == 201
    patched = client.patch(
        f"{P}/champions/{champion['id']}", {"is_active": False, "version": 1}, format="json"
    )
    assert (patched.json()["is_active"], patched.json()["version"]) == (False, 2)
    stale = client.patch(
        f"{P}/champions/{champion['id']}", {"is_active": True, "version": 1}, format="json"
    )
    assert stale.status_code == 409
    assert [c["name"] for c in client.get(f"{P}/champions?active=false").json()["results"]] == [
        "Sheikh Lomongin"
    ]


def test_a_campaign_by_medium(api, field_worker_a):
    response = api.as_user(field_worker_a).post(
        f"{P}/campaigns",
        {
            "name": "Ordinance on Radio Nenah",
            "medium": "radio",
            "topics": ["ordinance_bylaws"],
            "region": "ug-napak",
            "started_on": "2025-03-01",
            "estimated_reach": 15000,
            "reach_basis": "station listenership survey",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["estimated_reach"] == 15000


def test_a_survey_defined_baselined_followed_up_and_compared_over_the_api(
    api, supervisor_a, field_worker_a
):
    sup = api.as_user(supervisor_a)
    survey = sup.post(f"{P}/surveys", SPEC, format="json").json()
    baseline = sup.post(
        f"{P}/surveys/{survey['id']}/rounds",
        {
            "kind": "baseline",
            "label": "Baseline",
            "started_on": "2025-01-01",
            "ended_on": "2025-01-31",
        },
        format="json",
    ).json()
    follow = sup.post(
        f"{P}/surveys/{survey['id']}/rounds",
        {
            "kind": "follow_up",
            "label": "Follow-up",
            "started_on": "2025-06-01",
            "ended_on": "2025-06-30",
        },
        format="json",
    ).json()
    row = {"community": "ug-napak-lokopo", "sex": "female", "age_group": "18_35"}
    fw = api.as_user(field_worker_a)
    saved = fw.post(
        f"{P}/survey-rounds/{baseline['id']}/responses",
        {
            "responses": [
                {
                    **row,
                    "collected_on": "2025-01-10",
                    "answers": {"girls-school": 2, "knows-116": 0},
                }
            ]
            * 6
        },
        format="json",
    )
    assert saved.json() == {"saved": 6}
    fw.post(
        f"{P}/survey-rounds/{follow['id']}/responses",
        {
            "responses": [
                {
                    **row,
                    "collected_on": "2025-06-10",
                    "answers": {"girls-school": 4, "knows-116": 1},
                }
            ]
            * 6
        },
        format="json",
    )
    change = fw.get(f"{P}/surveys/{survey['id']}/change").json()
    girls = change["questions"][0]
    assert (
        girls["baseline"]["percent"],
        girls["follow_up"]["percent"],
        girls["change_points"],
    ) == (0.0, 100.0, 100.0)
    assert girls["test"] == "fisher" and girls["p_value"] == pytest.approx(2 / 924, abs=1e-6)
    assert change["communities"][0]["code"] == "ug-napak-lokopo"
    assert fw.get(f"{P}/surveys/{survey['id']}").json()["definition"] == SPEC


def test_a_bad_survey_definition_lists_every_error(api, supervisor_a):
    response = api.as_user(supervisor_a).post(
        f"{P}/surveys", {"code": "x", "name": "", "scales": [], "questions": []}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"name", "scales", "questions"}


def test_a_region_that_does_not_exist_is_a_400_on_its_field(api, field_worker_a):
    response = api.as_user(field_worker_a).post(
        f"{P}/champions",
        {"name": "N", "kind": "other", "sex": "female", "region": "atlantis"},
        format="json",
    )
    assert response.status_code == 400 and "region" in response.json()["errors"]


def test_the_openapi_schema_lists_the_prevention_endpoints(api):
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/prevention/submissions",
        "/api/v1/prevention/indicators",
        "/api/v1/prevention/activities/{activity_id}/attendance",
        "/api/v1/prevention/policy-instruments/{instrument_id}/advance",
        "/api/v1/prevention/surveys/{survey_id}/change",
    ):
        assert path in paths, path
