"""Offline capture: a record sent twice counts once and gets the same answer; counts made
against an older version are reported as a conflict, with both sets of figures."""

import uuid

import pytest

from aftercare.core.errors import DomainError
from aftercare.prevention import capture, community
from aftercare.prevention.models import CommunityActivity, SchoolFollowUp, Submission
from tests.conftest import actor
from tests.prevention.factories import ActivityFactory, SchoolCaseFactory, SchoolFactory, attendance

pytestmark = pytest.mark.django_db

URL = "/api/v1/prevention/submissions"
COUNTS = attendance({"18_35": 12, "36_59": 6}, {"18_35": 5, "36_59": 3, "under_18": 4})


def _attendance(activity, version=1, counts=COUNTS, key=None):
    return {
        "key": str(key or uuid.uuid4()),
        "kind": "attendance",
        "data": {"activity": str(activity.pk), "version": version, "attendance": counts},
    }


def _new_dialogue(key):
    return {
        "key": str(key),
        "kind": "activity",
        "data": {
            "kind": "dialogue",
            "held_on": "2025-05-02",
            "region": "ug-napak-lopeei",
            "topics": ["girls_education", "survivor_stigma"],
            "venue": "Under the tree at Lopeei market",
            "attendance": COUNTS,
        },
    }


def test_the_same_key_twice_creates_one_dialogue_and_answers_the_same(api, field_worker_a, org_a):
    client = api.as_user(field_worker_a)
    body = _new_dialogue(uuid.uuid4())
    first = client.post(URL, body, format="json")
    second = client.post(URL, body, format="json")
    assert first.status_code == second.status_code == 201, first.json()
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert CommunityActivity.objects.filter(organisation=org_a).count() == 1
    assert Submission.objects.count() == 1
    assert first.json()["outcome"] == "applied"
    assert first.json()["message"] == "Saved: 30 people, 31% of the adults men."


def test_the_same_attendance_twice_bumps_the_version_once(api, field_worker_a, org_a):
    activity = ActivityFactory(organisation=org_a)
    client = api.as_user(field_worker_a)
    body = _attendance(activity)
    answers = [client.post(URL, body, format="json") for _ in range(3)]
    assert {a.status_code for a in answers} == {201}
    assert all(a.json() == answers[0].json() for a in answers)
    activity.refresh_from_db()
    assert activity.version == 2
    assert community.current_counts(activity)["male"]["under_18"] == 4


def test_a_key_reused_for_other_content_is_refused_with_422(api, field_worker_a, org_a):
    activity = ActivityFactory(organisation=org_a)
    client = api.as_user(field_worker_a)
    key = uuid.uuid4()
    client.post(URL, _attendance(activity, key=key), format="json")
    other = _attendance(activity, key=key, counts=attendance({"18_35": 99}))
    response = client.post(URL, other, format="json")
    assert response.status_code == 422
    assert response.json()["code"] == "key_reused"


def test_another_users_key_gets_no_copy_of_their_answer(api, field_worker_a, org_a, make_member):
    from aftercare.accounts.roles import Role

    colleague = make_member(org_a, Role.FIELD_WORKER, "fw_a2")
    activity = ActivityFactory(organisation=org_a)
    body = _attendance(activity)
    api.as_user(field_worker_a).post(URL, body, format="json")
    response = api.as_user(colleague).post(URL, body, format="json")
    assert response.status_code == 422
    assert "record" not in response.json()


def test_counts_against_an_older_version_are_a_conflict_with_both_figures(
    api, field_worker_a, supervisor_a, org_a
):
    activity = ActivityFactory(organisation=org_a)
    # Meanwhile the supervisor records other figures on the server: version 1 → 2.
    community.set_attendance(
        actor(supervisor_a), activity.pk, attendance({"18_35": 20}, {"18_35": 20}), 1
    )
    response = api.as_user(field_worker_a).post(
        URL, _attendance(activity, version=1), format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["outcome"] == "conflict"
    assert body["record"]["id"] == str(activity.pk) and body["record"]["version"] == 2
    assert body["server"]["version"] == 2 and body["server"]["recorded_by"] == "sup_a"
    assert body["server"]["attendance"]["male"]["18_35"] == 20
    assert body["yours"]["attendance"]["male"]["under_18"] == 4
    assert "changed on the server after you counted it" in body["message"]
    activity.refresh_from_db()
    assert activity.version == 2
    assert community.current_counts(activity)["male"]["under_18"] == 0  # nothing overwritten


def test_a_conflict_sent_again_is_the_same_conflict_and_resending_over_it_needs_a_new_key(
    api, field_worker_a, supervisor_a, org_a
):
    activity = ActivityFactory(organisation=org_a)
    community.set_attendance(actor(supervisor_a), activity.pk, attendance({"18_35": 20}), 1)
    client = api.as_user(field_worker_a)
    body = _attendance(activity, version=1)
    assert (
        client.post(URL, body, format="json").json() == client.post(URL, body, format="json").json()
    )
    override = client.post(URL, _attendance(activity, version=2), format="json")
    assert override.status_code == 201
    activity.refresh_from_db()
    assert activity.version == 3


def test_identical_counts_on_the_server_are_no_conflict(api, field_worker_a, supervisor_a, org_a):
    activity = ActivityFactory(organisation=org_a)
    community.set_attendance(actor(supervisor_a), activity.pk, COUNTS, 1)
    response = api.as_user(field_worker_a).post(
        URL, _attendance(activity, version=1), format="json"
    )
    assert response.status_code == 200
    assert response.json()["outcome"] == "applied"
    activity.refresh_from_db()
    assert activity.version == 2


def test_a_follow_up_of_a_case_closed_meanwhile_is_a_conflict(
    api, field_worker_a, supervisor_a, org_a
):
    from aftercare.prevention import schools

    case = SchoolCaseFactory(
        school=SchoolFactory(organisation=org_a),
        stage="reported",
        reported_on="2025-03-04",
        reported_to="police",
    )
    schools.follow_up(actor(supervisor_a), case.pk, followed_on="2025-04-01", outcome="safe")
    body = {
        "key": str(uuid.uuid4()),
        "kind": "follow_up",
        "data": {"case": str(case.pk), "followed_on": "2025-04-02", "outcome": "in_school"},
    }
    response = api.as_user(field_worker_a).post(URL, body, format="json")
    assert response.status_code == 409
    assert response.json()["server"] == {"version": 2, "stage": "closed", "closed_on": "2025-04-01"}
    assert SchoolFollowUp.objects.count() == 1


def test_a_follow_up_sent_twice_is_recorded_once(api, field_worker_a, org_a):
    case = SchoolCaseFactory(
        school=SchoolFactory(organisation=org_a),
        stage="reported",
        reported_on="2025-03-04",
        reported_to="police",
    )
    body = {
        "key": str(uuid.uuid4()),
        "kind": "follow_up",
        "data": {
            "case": str(case.pk),
            "followed_on": "2025-04-02",
            "outcome": "in_school",
            "note": "attending",
        },
    }
    client = api.as_user(field_worker_a)
    assert client.post(URL, body, format="json").status_code == 201
    assert client.post(URL, body, format="json").status_code == 201
    assert SchoolFollowUp.objects.count() == 1
    case.refresh_from_db()
    assert case.stage == "followed_up"


def test_bad_content_is_refused_once_and_stored_with_its_errors(api, field_worker_a, org_a):
    activity = ActivityFactory(organisation=org_a)
    body = _attendance(activity, counts=attendance({"18_35": -3}))
    client = api.as_user(field_worker_a)
    first = client.post(URL, body, format="json")
    assert first.status_code == 400
    assert first.json()["errors"] == {
        "attendance.female.18_35": ["Give a whole number, 0 or more."]
    }
    assert client.post(URL, body, format="json").json() == first.json()


def test_another_organisations_activity_is_404_and_not_stored(api, field_worker_b, org_a):
    activity = ActivityFactory(organisation=org_a)
    response = api.as_user(field_worker_b).post(URL, _attendance(activity), format="json")
    assert response.status_code == 404
    assert not Submission.objects.exists()


def test_a_missing_key_is_a_400(api, field_worker_a, org_a):
    activity = ActivityFactory(organisation=org_a)
    body = _attendance(activity)
    body["key"] = "not-a-uuid"
    response = api.as_user(field_worker_a).post(URL, body, format="json")
    assert response.status_code == 400
    assert "key" in response.json()["errors"]


def test_submit_replays_after_a_concurrent_insert_of_the_same_key(fw, org_a, monkeypatch):
    """Two sends of one key racing: the loser's insert fails on the key and it answers the
    winner's."""
    activity = ActivityFactory(organisation=org_a)
    key = uuid.uuid4()
    body = _attendance(activity, key=key)
    winner = capture.submit(fw, key, "attendance", body["data"])
    real_filter = Submission.objects.filter
    calls = {"n": 0}

    def first_lookup_misses(*args, **kwargs):
        calls["n"] += 1
        return Submission.objects.none() if calls["n"] == 1 else real_filter(*args, **kwargs)

    monkeypatch.setattr(Submission.objects, "filter", first_lookup_misses)
    loser = capture.submit(fw, key, "attendance", body["data"])
    assert loser.replayed and loser.body == winner.body
    activity.refresh_from_db()
    assert activity.version == 2


def test_the_web_endpoint_needs_a_session_and_the_csrf_token(
    client, web_login, field_worker_a, org_a
):
    from django.test import Client

    activity = ActivityFactory(organisation=org_a)
    anonymous = client.post(
        "/prevention/capture/submit", _attendance(activity), content_type="application/json"
    )
    assert anonymous.status_code == 401
    signed_in = web_login(field_worker_a)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = signed_in.cookies
    body = _attendance(activity)
    refused = strict.post("/prevention/capture/submit", body, content_type="application/json")
    assert refused.status_code == 403 and not Submission.objects.exists()
    token = strict.get("/prevention/capture/status").json()["csrf"]
    accepted = strict.post(
        "/prevention/capture/submit",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 201


def test_the_web_endpoint_applies_once_with_the_status_token(web_login, field_worker_a, org_a):
    activity = ActivityFactory(organisation=org_a)
    client = web_login(field_worker_a)
    status = client.get("/prevention/capture/status").json()
    assert (
        status["signed_in"] and status["user"] == "fw_a" and status["organisation"] == str(org_a.pk)
    )
    body = _attendance(activity)
    first = client.post("/prevention/capture/submit", body, content_type="application/json")
    second = client.post("/prevention/capture/submit", body, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json() and second["Idempotent-Replayed"] == "true"
    assert Submission.objects.count() == 1


def test_capture_without_javascript_counts_a_double_tap_once(web_login, field_worker_a, org_a):
    activity = ActivityFactory(organisation=org_a)
    client = web_login(field_worker_a)
    key = str(uuid.uuid4())
    form = {
        "key": key,
        "activity": str(activity.pk),
        f"version-{activity.pk}": "1",
        "female__18_35": "7",
        "male__36_59": "3",
    }
    for _ in range(2):
        response = client.post("/prevention/capture/attendance/", form, follow=True)
    assert "Attendance saved: 10 people, 30% of the adults men." in response.content.decode()
    activity.refresh_from_db()
    assert activity.version == 2


def test_submit_refuses_an_unknown_kind(fw):
    with pytest.raises(DomainError):
        capture.submit(fw, uuid.uuid4(), "teleport", {})


@pytest.mark.django_db(transaction=True)
def test_two_sends_of_one_key_at_the_same_moment_make_one_dialogue(
    org_a, field_worker_a, karamoja_regions
):
    """The phone's retry racing its first send: each in its own connection, released together."""
    import threading

    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "two connections at once: SQLite in memory locks whole tables "
            "(runs on PostgreSQL, or on SQLite with AFTERCARE_SQLITE_TEST_PATH)"
        )

    key = uuid.uuid4()
    data = _new_dialogue(key)["data"]
    start = threading.Barrier(2)
    answers = []

    def send():
        try:
            start.wait()
            answers.append(capture.submit(actor(field_worker_a), key, "activity", data))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 2 and answers[0].body == answers[1].body
    assert sorted(a.replayed for a in answers) == [False, True]
    assert CommunityActivity.objects.filter(organisation=org_a).count() == 1
    assert Submission.objects.count() == 1
