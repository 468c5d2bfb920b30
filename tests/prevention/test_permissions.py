"""Every prevention endpoint, API and page: a record of another organisation is a 404 for the
same role there, and a role below the one the endpoint needs gets a 403."""

import uuid

import pytest

from aftercare.accounts.roles import Role
from aftercare.prevention import kap
from aftercare.prevention.models import CommunityActivity, PolicyInstrument, School
from tests.conftest import actor, member
from tests.prevention.factories import (
    ActivityFactory,
    ChampionFactory,
    InstrumentFactory,
    SchoolCaseFactory,
    SchoolFactory,
    attendance,
)
from tests.prevention.test_kap import SPEC

pytestmark = pytest.mark.django_db

VIEW, RECORD, MANAGE = "view", "record", "manage"
# The role of organisation A just below what each level needs.
LOWER = {VIEW: Role.CASE_WORKER, RECORD: Role.ME_OFFICER, MANAGE: Role.FIELD_WORKER}


@pytest.fixture
def records(org_a, supervisor_a):
    school = SchoolFactory(organisation=org_a)
    survey = kap.define_survey(actor(supervisor_a), SPEC)
    baseline = kap.add_round(
        actor(supervisor_a),
        survey.pk,
        kind="baseline",
        label="B",
        started_on="2025-01-01",
        ended_on="2025-01-31",
    )
    return {
        "school": school,
        "case": SchoolCaseFactory(
            school=school, stage="reported", reported_on="2025-03-04", reported_to="police"
        ),
        "identified": SchoolCaseFactory(school=school),
        "champion": ChampionFactory(organisation=org_a),
        "activity": ActivityFactory(organisation=org_a),
        "instrument": InstrumentFactory(organisation=org_a),
        "survey": survey,
        "round": baseline,
    }


P = "/api/v1/prevention"
# (method, path with {record} placeholders, body, level) for the endpoints about one record.
RECORD_ENDPOINTS = [
    ("get", P + "/schools/{school}", None, VIEW),
    (
        "post",
        P + "/schools/{school}/sessions",
        {"held_on": "2025-02-01", "topic": "t", "teachers_female": 1},
        RECORD,
    ),
    ("get", P + "/schools/{school}/cases", None, VIEW),
    (
        "post",
        P + "/schools/{school}/cases",
        {"reference": "Z", "concern": "abuse", "identified_on": "2025-02-01"},
        RECORD,
    ),
    (
        "post",
        P + "/school-cases/{identified}/report",
        {"reported_on": "2025-03-04", "reported_to": "police", "version": 1},
        RECORD,
    ),
    (
        "post",
        P + "/school-cases/{case}/follow-ups",
        {"followed_on": "2025-04-01", "outcome": "in_school"},
        RECORD,
    ),
    ("get", P + "/champions/{champion}", None, VIEW),
    ("patch", P + "/champions/{champion}", {"is_active": False, "version": 1}, RECORD),
    (
        "post",
        P + "/champions/{champion}/activities",
        {"held_on": "2025-02-01", "kind": "awareness"},
        RECORD,
    ),
    ("get", P + "/activities/{activity}", None, VIEW),
    (
        "put",
        P + "/activities/{activity}/attendance",
        {"attendance": attendance({"18_35": 3}), "version": 1},
        RECORD,
    ),
    ("get", P + "/policy-instruments/{instrument}", None, VIEW),
    (
        "post",
        P + "/policy-instruments/{instrument}/advance",
        {"to": "lobbied", "reached_on": "2025-02-01", "version": 1},
        MANAGE,
    ),
    ("get", P + "/surveys/{survey}", None, VIEW),
    (
        "post",
        P + "/surveys/{survey}/rounds",
        {"kind": "follow_up", "label": "F", "started_on": "2025-06-01", "ended_on": "2025-06-30"},
        MANAGE,
    ),
    ("get", P + "/surveys/{survey}/change", None, VIEW),
    (
        "post",
        P + "/survey-rounds/{round}/responses",
        {
            "responses": [
                {
                    "community": "ug-napak-lokopo",
                    "sex": "male",
                    "age_group": "18_35",
                    "collected_on": "2025-01-10",
                    "answers": {"girls-school": 3},
                }
            ]
        },
        RECORD,
    ),
    (
        "post",
        P + "/submissions",
        {
            "key": "{key}",
            "kind": "attendance",
            "data": {
                "activity": "{activity}",
                "version": 1,
                "attendance": attendance({"18_35": 2}),
            },
        },
        RECORD,
    ),
]
# Lists and creations: not about one record, so only the role is checked.
COLLECTION_ENDPOINTS = [
    ("get", P + "/schools", None, VIEW),
    ("post", P + "/schools", {"name": "New school", "region": "ug-napak"}, MANAGE),
    ("get", P + "/champions", None, VIEW),
    (
        "post",
        P + "/champions",
        {"name": "N", "kind": "cultural_leader", "sex": "female", "region": "ug-napak"},
        RECORD,
    ),
    ("get", P + "/champion-trainings", None, VIEW),
    (
        "post",
        P + "/champion-trainings",
        {"held_on": "2025-02-01", "topic": "t", "region": "ug-napak", "champions": ["{champion}"]},
        RECORD,
    ),
    ("get", P + "/activities", None, VIEW),
    (
        "post",
        P + "/activities",
        {
            "kind": "dialogue",
            "held_on": "2025-02-01",
            "region": "ug-napak",
            "topics": ["girls_education"],
        },
        RECORD,
    ),
    ("get", P + "/campaigns", None, VIEW),
    (
        "post",
        P + "/campaigns",
        {
            "name": "Radio",
            "medium": "radio",
            "topics": ["social_norms"],
            "region": "ug-napak",
            "started_on": "2025-02-01",
            "estimated_reach": 100,
        },
        RECORD,
    ),
    ("get", P + "/policy-instruments", None, VIEW),
    (
        "post",
        P + "/policy-instruments",
        {"title": "T", "kind": "by_law", "region": "ug-napak-lokopo", "drafted_on": "2025-01-01"},
        MANAGE,
    ),
    ("get", P + "/surveys", None, VIEW),
    ("post", P + "/surveys", {**SPEC, "code": "another"}, MANAGE),
]


def _fill(value, records):
    if isinstance(value, str):
        ids = {name: str(record.pk) for name, record in records.items()}
        return value.format(key=uuid.uuid4(), **ids) if "{" in value else value
    if isinstance(value, dict):
        return {k: _fill(v, records) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, records) for v in value]
    return value


def _call(client, method, path, body):
    return (
        getattr(client, method)(path, body, format="json")
        if body is not None
        else getattr(client, method)(path)
    )


def _ids(endpoints):
    return [f"{method.upper()} {path}" for method, path, _b, _l in endpoints]


@pytest.mark.parametrize(
    ("method", "path", "body", "level"), RECORD_ENDPOINTS, ids=_ids(RECORD_ENDPOINTS)
)
def test_another_organisations_record_is_404(api, supervisor_b, records, method, path, body, level):
    response = _call(api.as_user(supervisor_b), method, _fill(path, records), _fill(body, records))
    assert response.status_code == 404, response.content


@pytest.mark.parametrize(
    ("method", "path", "body", "level"),
    RECORD_ENDPOINTS + COLLECTION_ENDPOINTS,
    ids=_ids(RECORD_ENDPOINTS + COLLECTION_ENDPOINTS),
)
def test_a_lower_role_is_403(api, org_a, records, method, path, body, level):
    lower = member(org_a, LOWER[level], f"lower_{level}")
    response = _call(api.as_user(lower), method, _fill(path, records), _fill(body, records))
    assert response.status_code == 403, response.content


@pytest.mark.parametrize(
    ("method", "path", "body", "level"),
    RECORD_ENDPOINTS + COLLECTION_ENDPOINTS,
    ids=_ids(RECORD_ENDPOINTS + COLLECTION_ENDPOINTS),
)
def test_the_role_the_endpoint_needs_is_let_in(api, org_a, records, method, path, body, level):
    role = {VIEW: Role.FIELD_WORKER, RECORD: Role.FIELD_WORKER, MANAGE: Role.SUPERVISOR}[level]
    response = _call(
        api.as_user(member(org_a, role, f"ok_{level}")),
        method,
        _fill(path, records),
        _fill(body, records),
    )
    assert response.status_code in (200, 201), response.content


def test_lists_hold_only_the_callers_organisation(api, field_worker_b, records, org_b):
    SchoolFactory(organisation=org_b, name="B school")
    client = api.as_user(field_worker_b)
    for path in (
        "/schools",
        "/champions",
        "/activities",
        "/policy-instruments",
        "/surveys",
        "/campaigns",
        "/champion-trainings",
    ):
        results = client.get(P + path).json()["results"]
        assert all(r.get("name") != records["school"].name for r in results), path
    assert [r["name"] for r in client.get(P + "/schools").json()["results"]] == ["B school"]


def test_indicators_are_403_for_a_field_worker(api, field_worker_a):
    assert (
        api.as_user(field_worker_a).get(P + "/indicators?from=2025-01-01&to=2025-12-31").status_code
        == 403
    )


def test_a_case_worker_gets_403_on_the_capture_status_of_nothing_and_on_submit(
    web_login, case_worker_a, records
):
    client = web_login(case_worker_a)
    body = {"key": str(uuid.uuid4()), "kind": "attendance", "data": {}}
    assert (
        client.post("/prevention/capture/submit", body, content_type="application/json").status_code
        == 403
    )


PAGES = [  # (path, level), with records of organisation A
    ("/prevention/", VIEW),
    ("/prevention/schools/", VIEW),
    ("/prevention/schools/{school}/", VIEW),
    ("/prevention/schools/new/", MANAGE),
    ("/prevention/schools/{school}/sessions/new/", RECORD),
    ("/prevention/schools/{school}/cases/new/", RECORD),
    ("/prevention/school-cases/{case}/follow-up/", RECORD),
    ("/prevention/school-cases/{identified}/report/", RECORD),
    ("/prevention/champions/", VIEW),
    ("/prevention/champions/{champion}/", VIEW),
    ("/prevention/champions/new/", RECORD),
    ("/prevention/champions/trainings/new/", RECORD),
    ("/prevention/champions/{champion}/activities/new/", RECORD),
    ("/prevention/activities/", VIEW),
    ("/prevention/activities/{activity}/", VIEW),
    ("/prevention/activities/new/", RECORD),
    ("/prevention/campaigns/", VIEW),
    ("/prevention/campaigns/new/", RECORD),
    ("/prevention/policy/", VIEW),
    ("/prevention/policy/new/", MANAGE),
    ("/prevention/policy/{instrument}/advance/", MANAGE),
    ("/prevention/surveys/", VIEW),
    ("/prevention/surveys/{survey}/", VIEW),
    ("/prevention/surveys/new/", MANAGE),
    ("/prevention/surveys/{survey}/rounds/new/", MANAGE),
    ("/prevention/capture/", RECORD),
]


@pytest.mark.parametrize(("path", "level"), PAGES, ids=[p for p, _l in PAGES])
def test_pages_refuse_a_lower_role(web_login, org_a, records, path, level):
    client = web_login(member(org_a, LOWER[level], f"page_{level}"))
    assert client.get(_fill(path, records)).status_code == 403


@pytest.mark.parametrize(
    ("path", "level"), [p for p in PAGES if "{" in p[0]], ids=[p for p, _l in PAGES if "{" in p]
)
def test_pages_of_another_organisations_record_are_404(
    web_login, supervisor_b, records, path, level
):
    assert web_login(supervisor_b).get(_fill(path, records)).status_code == 404


def test_the_indicator_page_is_403_for_a_field_worker(web_login, field_worker_a):
    assert web_login(field_worker_a).get("/prevention/indicators/").status_code == 403


def test_posting_to_another_organisations_activity_page_changes_nothing(
    web_login, supervisor_b, records
):
    activity = records["activity"]
    response = web_login(supervisor_b).post(
        f"/prevention/activities/{activity.pk}/", {"version": "1", "female__18_35": "9"}
    )
    assert response.status_code == 404
    assert CommunityActivity.objects.get(pk=activity.pk).version == 1
    assert School.objects.count() == 1 and PolicyInstrument.objects.count() == 1


WRITES = [e for e in RECORD_ENDPOINTS + COLLECTION_ENDPOINTS if e[0] != "get"]
NOT_OBJECTS = [[1, 2], "x", None, 3]


@pytest.mark.parametrize(("method", "path", "body", "level"), WRITES, ids=_ids(WRITES))
def test_a_body_that_is_not_an_object_is_a_400_after_the_role_check(
    api, org_a, supervisor_a, records, method, path, body, level
):
    """`[1, 2]`, `"x"`, `null`: a 400 naming the problem for a role that may write, and a 403
    (not a 400, nor a 500) for a case worker with no prevention rights."""
    allowed = api.as_user(supervisor_a)
    for payload in NOT_OBJECTS:
        response = getattr(allowed, method)(_fill(path, records), payload, format="json")
        assert response.status_code == 400, (payload, response.content)
        assert response.json()["errors"]
    case_worker = member(org_a, Role.CASE_WORKER, "cw_no_prevention")
    client = api.as_user(case_worker)
    for payload in NOT_OBJECTS:
        assert (
            getattr(client, method)(_fill(path, records), payload, format="json").status_code == 403
        )
