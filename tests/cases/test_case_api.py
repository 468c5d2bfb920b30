"""The survivors API against API.md: intake, scoping, versioned changes, error format."""

import pytest

from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditEvent
from aftercare.cases.models import Survivor
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

INTAKE = {
    "given_name": "Neema",
    "family_name": "Charo",
    "year_of_birth": 2004,
    "gender": "woman",
    "nationality": "KE",
    "exploitation_types": ["sexual", "labour"],
    "identified_by": "police",
}


def test_intake_answers_201_with_id_and_case_code(api, case_worker_a):
    region = RegionFactory(code="ke-mombasa-mvita")
    response = api.as_user(case_worker_a).post(
        "/api/v1/survivors", {**INTAKE, "region": region.code}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["case_code"].startswith("AC-") and body["id"]
    survivor = Survivor.objects.get(pk=body["id"])
    assert survivor.full_name == "Neema Charo" and survivor.region == region
    assert AuditEvent.objects.filter(action="create", object_id=body["id"]).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**INTAKE, "given_name": ""}, "given_name"),
        ({**INTAKE, "nationality": "XX"}, "nationality"),
        ({**INTAKE, "year_of_birth": 2999}, "year_of_birth"),
        ({**INTAKE, "exploitation_types": ["pickpocketing"]}, "exploitation_types"),
        ({**INTAKE, "gender": "robot"}, "gender"),
        ({**INTAKE, "region": "atlantis"}, "region"),
        ({**INTAKE, "date_of_birth": "last spring"}, "date_of_birth"),
        ({**INTAKE, "date_of_birth": "2999-01-01"}, "date_of_birth"),
    ],
)
def test_bad_intake_gets_400_with_field_errors_and_writes_nothing(
    api, case_worker_a, payload, field
):
    response = api.as_user(case_worker_a).post("/api/v1/survivors", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Survivor.objects.exists()


def test_malformed_json_is_a_400_not_a_500(api, case_worker_a):
    response = api.as_user(case_worker_a).post(
        "/api/v1/survivors", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "errors" in response.json()


@pytest.mark.parametrize(
    "role",
    [Role.REFERRAL_SOURCE, Role.NETWORK_COORDINATOR, Role.ME_OFFICER, Role.SURVIVOR, Role.ADMIN],
)
def test_roles_that_may_not_open_cases_get_403(api, org_a, make_member, role):
    user = make_member(org_a, role)
    response = api.as_user(user).post("/api/v1/survivors", INTAKE, format="json")
    assert response.status_code == 403
    assert not Survivor.objects.exists()


def test_list_shows_only_own_organisation_without_identifiers(
    api, case_worker_a, survivor_a, survivor_b
):
    body = api.as_user(case_worker_a).get("/api/v1/survivors").json()
    assert body["count"] == 1 and body["next"] is None
    assert [row["id"] for row in body["results"]] == [str(survivor_a.pk)]
    assert "given_name" not in body["results"][0]


def test_list_limit_is_capped_at_500(api, case_worker_a, survivor_a):
    response = api.as_user(case_worker_a).get("/api/v1/survivors?limit=100000")
    assert response.status_code == 200


def test_other_organisations_case_is_404_for_read_and_write(api, case_worker_b, survivor_a):
    client = api.as_user(case_worker_b)
    assert client.get(f"/api/v1/survivors/{survivor_a.pk}").status_code == 404
    patch = client.patch(
        f"/api/v1/survivors/{survivor_a.pk}", {"status": "closed", "version": 1}, format="json"
    )
    assert patch.status_code == 404
    survivor_a.refresh_from_db()
    assert survivor_a.status == "active"


def test_read_of_a_case_is_audited(api, case_worker_a, survivor_a):
    api.as_user(case_worker_a).get(f"/api/v1/survivors/{survivor_a.pk}")
    event = AuditEvent.objects.get(action="read", object_id=str(survivor_a.pk))
    assert event.actor_username == case_worker_a.username
    assert event.organisation_id == survivor_a.organisation_id
    assert event.object_label == survivor_a.case_code


def test_patch_with_stale_version_is_409(api, case_worker_a, survivor_a):
    client = api.as_user(case_worker_a)
    first = client.patch(
        f"/api/v1/survivors/{survivor_a.pk}", {"status": "stable", "version": 1}, format="json"
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = client.patch(
        f"/api/v1/survivors/{survivor_a.pk}", {"status": "closed", "version": 1}, format="json"
    )
    assert second.status_code == 409
    assert "version" in second.json()["errors"]


def test_patch_without_version_is_400(api, case_worker_a, survivor_a):
    response = api.as_user(case_worker_a).patch(
        f"/api/v1/survivors/{survivor_a.pk}", {"status": "closed"}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()["errors"]


def test_query_by_exact_name(api, case_worker_a, survivor_a):
    body = api.as_user(case_worker_a).get("/api/v1/survivors", {"q": "Lindiwe Mokoena"}).json()
    assert body["count"] == 1


def test_organisation_header_selects_among_own_memberships_only(
    api, org_a, org_b, make_member, survivor_a, survivor_b
):
    from tests.factories import MembershipFactory

    user = make_member(org_a, Role.CASE_WORKER)
    body = api.as_user(user, organisation=org_b).get("/api/v1/survivors")
    assert body.status_code == 403  # not a member of B: no organisation, no role
    MembershipFactory(user=user, organisation=org_b, role=Role.CASE_WORKER)
    body = api.as_user(user, organisation=org_b).get("/api/v1/survivors").json()
    assert [row["id"] for row in body["results"]] == [str(survivor_b.pk)]
