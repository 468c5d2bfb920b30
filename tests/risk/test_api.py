"""The risk API against API.md: instrument, assessments, measures, alerts, errors, scoping."""

import uuid

import pytest

from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditEvent
from aftercare.risk import services
from aftercare.risk.models import Alert, Assessment, Measurement
from tests.risk.conftest import LOWER_ROLES

pytestmark = pytest.mark.django_db

ROSENBERG = {
    str(n): v for n, v in enumerate([3, 0, 3, 2, 1, 0, 2, 1, 0, 3], start=1)
}  # 26, see test_measures


def _assess_url(survivor):
    return f"/api/v1/survivors/{survivor.pk}/risk-assessments"


def _measures_url(survivor):
    return f"/api/v1/survivors/{survivor.pk}/measures"


def test_instrument_lists_factor_codes_labels_kinds_and_version(api, case_worker_a, instrument):
    body = api.as_user(case_worker_a).get("/api/v1/risk-instrument").json()
    assert body["code"] == "retrafficking" and body["version"] == 2
    factors = {f["code"]: f for f in body["factors"]}
    assert len(factors) == 20
    assert (
        factors["medical_dental_care"]["kind"]
        == factors["creative_expression"]["kind"]
        == "protective"
    )
    assert factors["trafficker_contact"] == {
        "code": "trafficker_contact",
        "label": "Contact from the trafficker",
        "kind": "risk",
        "weight": 4.0,
        "help_text": factors["trafficker_contact"]["help_text"],
        "forces_level": "high",
        "raises_alert": True,
    }
    assert factors["peer_support"]["kind"] == "protective"
    assert body["thresholds"] == {"medium": 5.0, "high": 10.0}
    assert body["follow_up_days"] == {"low": 90, "medium": 30, "high": 7}
    assert body["answers"] == ["absent", "partly", "present"]


def test_post_assessment_answers_201_with_score_level_reasons_and_follow_up(
    api, case_worker_a, survivor_a
):
    answers = {"homelessness": True, "no_income": "present", "peer_support": True}  # 3 + 2 − 1 = 4
    response = api.as_user(case_worker_a).post(
        _assess_url(survivor_a), {"answers": answers}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["score"] == 4.0 and body["level"] == "low"
    assert body["reasons"][0] == "A score of 4 is below the medium-risk threshold of 5."
    assert "Homelessness: +3" in body["reasons"]
    assert body["next_follow_up"] == str(Assessment.objects.get().next_follow_up)
    assert body["instrument"] == {"code": "retrafficking", "version": 2}
    assert body["answers"]["substance_use"] == "absent"
    assert AuditEvent.objects.filter(
        action="create", object_id=body["id"], object_type="risk.assessment"
    ).exists()


def test_post_assessment_with_trafficker_contact_is_high_and_alerts(api, case_worker_a, survivor_a):
    response = api.as_user(case_worker_a).post(
        _assess_url(survivor_a), {"answers": {"trafficker_contact": True}}, format="json"
    )
    assert response.json()["level"] == "high"
    assert Alert.objects.filter(
        survivor=survivor_a, factor_code="trafficker_contact", status="open"
    ).exists()


def test_empty_answers_are_all_absent(api, case_worker_a, survivor_a):
    response = api.as_user(case_worker_a).post(
        _assess_url(survivor_a), {"answers": {}}, format="json"
    )
    assert response.status_code == 201
    assert (response.json()["score"], response.json()["level"]) == (0.0, "low")


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"answers": {"no_income": True, "owns_a_yacht": True}}, ["answers.owns_a_yacht"]),
        ({"answers": {"no_income": "sometimes"}}, ["answers.no_income"]),
        ({"answers": ["no_income"]}, ["answers"]),
        ({}, ["answers"]),
        ({"answers": {}, "assessed_on": "2999-01-01"}, ["assessed_on"]),
        ({"answers": {}, "assessed_on": "yesterday"}, ["assessed_on"]),
    ],
)
def test_bad_assessment_gets_400_with_field_errors_and_saves_nothing(
    api, case_worker_a, survivor_a, payload, fields
):
    response = api.as_user(case_worker_a).post(_assess_url(survivor_a), payload, format="json")
    assert response.status_code == 400, response.json()
    assert sorted(response.json()["errors"]) == fields
    assert not Assessment.objects.exists()


def test_malformed_json_is_400(api, case_worker_a, survivor_a):
    response = api.as_user(case_worker_a).post(
        _assess_url(survivor_a), "{nope", content_type="application/json"
    )
    assert response.status_code == 400 and "errors" in response.json()


def test_list_assessments_newest_first(api, case_worker_a, survivor_a, worker):
    from datetime import timedelta

    from django.utils import timezone

    services.assess_risk(
        worker,
        survivor_a,
        {"homelessness": True},
        assessed_on=timezone.localdate() - timedelta(days=30),
    )
    services.assess_risk(worker, survivor_a, {"trafficker_contact": True})
    body = api.as_user(case_worker_a).get(_assess_url(survivor_a)).json()
    assert body["count"] == 2
    assert [row["level"] for row in body["results"]] == ["high", "low"]
    assert body["results"][0]["reasons"]


def test_post_measure_answers_201_scored_on_the_server(api, case_worker_a, survivor_a):
    response = api.as_user(case_worker_a).post(
        _measures_url(survivor_a), {"measure": "rosenberg", "answers": ROSENBERG}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["total"], body["band"], body["concern"]) == (26, "high", False)
    assert AuditEvent.objects.filter(
        action="create", object_id=body["id"], object_type="risk.measurement"
    ).exists()
    listed = api.as_user(case_worker_a).get(_measures_url(survivor_a) + "?measure=rosenberg").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]


def test_answers_may_be_sent_as_numbers_in_strings(api, case_worker_a, survivor_a):
    answers = {key: str(value) for key, value in ROSENBERG.items()}
    response = api.as_user(case_worker_a).post(
        _measures_url(survivor_a), {"measure": "rosenberg", "answers": answers}, format="json"
    )
    assert response.status_code == 201 and response.json()["total"] == 26


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"measure": "rosenberg", "answers": {**ROSENBERG, "3": 7}}, ["answers.3"]),
        (
            {"measure": "rosenberg", "answers": {k: v for k, v in ROSENBERG.items() if k != "6"}},
            ["answers.6"],
        ),
        ({"measure": "rosenberg", "answers": {**ROSENBERG, "12": 1}}, ["answers.12"]),
        ({"measure": "horoscope", "answers": ROSENBERG}, ["measure"]),
        ({"answers": ROSENBERG}, ["measure"]),
        ({"measure": "rosenberg"}, ["answers"]),
    ],
)
def test_bad_measure_gets_400_with_field_errors(api, case_worker_a, survivor_a, payload, fields):
    response = api.as_user(case_worker_a).post(_measures_url(survivor_a), payload, format="json")
    assert response.status_code == 400, response.json()
    assert sorted(response.json()["errors"]) == fields
    assert not Measurement.objects.exists()


def test_measures_endpoint_describes_items_scale_and_bands(api, case_worker_a):
    body = api.as_user(case_worker_a).get("/api/v1/measures").json()
    codes = [m["code"] for m in body["results"]]
    assert codes == ["rosenberg", "confidence", "job_readiness", "housing_stability"]
    rosenberg = body["results"][0]
    assert [i["number"] for i in rosenberg["items"] if i["reversed"]] == [2, 5, 6, 8, 9]


def test_alerts_list_and_acknowledge(api, case_worker_a, survivor_a, worker):
    services.assess_risk(worker, survivor_a, {"trafficker_contact": True})
    client = api.as_user(case_worker_a)
    listed = client.get("/api/v1/risk-alerts").json()
    assert listed["count"] == 2
    alert_id = listed["results"][0]["id"]
    response = client.post(f"/api/v1/risk-alerts/{alert_id}/acknowledge")
    assert response.status_code == 200 and response.json()["status"] == "acknowledged"
    assert client.post(f"/api/v1/risk-alerts/{alert_id}/acknowledge").status_code == 409
    assert client.get("/api/v1/risk-alerts?status=acknowledged").json()["count"] == 1
    assert client.get("/api/v1/risk-alerts?status=whatever").status_code == 400


# Scoping: the same calls from another organisation (404) and from roles without case access (403).


def _survivor_calls(survivor):
    return [
        ("get", _assess_url(survivor), None),
        ("post", _assess_url(survivor), {"answers": {}}),
        ("get", _measures_url(survivor), None),
        ("post", _measures_url(survivor), {"measure": "rosenberg", "answers": ROSENBERG}),
    ]


def test_other_organisation_gets_404_on_every_survivor_endpoint(api, case_worker_b, survivor_a):
    client = api.as_user(case_worker_b)
    for method, url, payload in _survivor_calls(survivor_a):
        response = getattr(client, method)(url, payload, format="json")
        assert response.status_code == 404, (method, url)
    assert not Assessment.objects.exists() and not Measurement.objects.exists()


def test_unknown_or_malformed_survivor_id_is_404(api, case_worker_a):
    client = api.as_user(case_worker_a)
    assert client.get(f"/api/v1/survivors/{uuid.uuid4()}/risk-assessments").status_code == 404
    assert client.get("/api/v1/survivors/not-a-uuid/measures").status_code == 404


@pytest.mark.parametrize("role", LOWER_ROLES)
def test_roles_without_case_access_get_403_on_every_endpoint(
    api, org_a, make_member, survivor_a, worker, role
):
    services.assess_risk(worker, survivor_a, {"trafficker_contact": True})
    alert = Alert.objects.first()
    client = api.as_user(make_member(org_a, role))
    calls = [
        *_survivor_calls(survivor_a),
        ("get", "/api/v1/risk-instrument", None),
        ("get", "/api/v1/measures", None),
        ("get", "/api/v1/risk-alerts", None),
        ("post", f"/api/v1/risk-alerts/{alert.pk}/acknowledge", None),
    ]
    for method, url, payload in calls:
        response = getattr(client, method)(url, payload, format="json")
        assert response.status_code == 403, (role, method, url)
    assert Assessment.objects.count() == 1 and not Measurement.objects.exists()
    assert Alert.objects.filter(status="open").count() == 2


def test_admin_reads_but_may_not_write(api, org_a, make_member, survivor_a):
    client = api.as_user(make_member(org_a, Role.ADMIN))
    assert client.get(_assess_url(survivor_a)).status_code == 200
    assert client.post(_assess_url(survivor_a), {"answers": {}}, format="json").status_code == 403
    assert (
        client.post(
            _measures_url(survivor_a), {"measure": "rosenberg", "answers": ROSENBERG}, format="json"
        ).status_code
        == 403
    )


def test_other_organisation_cannot_acknowledge_an_alert(api, case_worker_b, survivor_a, worker):
    services.assess_risk(worker, survivor_a, {"trafficker_contact": True})
    alert = Alert.objects.first()
    client = api.as_user(case_worker_b)
    assert client.post(f"/api/v1/risk-alerts/{alert.pk}/acknowledge").status_code == 404
    assert client.get("/api/v1/risk-alerts").json()["count"] == 0


def test_unauthenticated_is_401(client, survivor_a):
    assert client.get("/api/v1/risk-instrument").status_code == 401
    assert (
        client.post(
            _assess_url(survivor_a), {"answers": {}}, content_type="application/json"
        ).status_code
        == 401
    )


def test_openapi_schema_documents_the_risk_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/risk-instrument",
        "/api/v1/survivors/{survivor_id}/risk-assessments",
        "/api/v1/survivors/{survivor_id}/measures",
        "/api/v1/risk-alerts",
    ):
        assert path in paths
