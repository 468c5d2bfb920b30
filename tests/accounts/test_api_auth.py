"""The token endpoint, /me, the taxonomy, the schema and the error format."""

import pytest
from django.core.cache import cache

from aftercare.accounts.models import ApiToken
from aftercare.accounts.roles import Role
from aftercare.network.taxonomy import ServiceDomain
from tests.conftest import current_code
from tests.factories import PASSWORD, totp_device

pytestmark = pytest.mark.django_db

CONTRACT_DOMAINS = {
    "safety",
    "housing",
    "medical",
    "dental",
    "mental_health",
    "legal",
    "education",
    "vocational_training",
    "employment",
    "financial",
    "family_reintegration",
    "repatriation",
    "documentation",
    "creative_expression",
    "peer_support",
    "substance_use",
    "basic_necessities",
    "social_cultural",
    "mentoring",
}


@pytest.fixture(autouse=True)
def _clear_throttles():
    cache.clear()


def test_staff_token_needs_otp(api, case_worker_a):
    device = totp_device(case_worker_a)
    without = api.post(
        "/api/v1/auth/token", {"username": "cw_a", "password": PASSWORD}, format="json"
    )
    assert without.status_code == 401
    with_otp = api.post(
        "/api/v1/auth/token",
        {"username": "cw_a", "password": PASSWORD, "otp": current_code(device)},
        format="json",
    )
    assert with_otp.status_code == 200
    body = with_otp.json()
    assert body["token"] and body["expires_at"]
    assert not ApiToken.objects.filter(key_hash=body["token"]).exists()  # only the hash is stored
    me = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.status_code == 200 and me.json()["username"] == "cw_a"


def test_wrong_credentials_401_with_the_same_message_for_unknown_users(api, case_worker_a):
    wrong = api.post("/api/v1/auth/token", {"username": "cw_a", "password": "nope"}, format="json")
    unknown = api.post(
        "/api/v1/auth/token", {"username": "ghost", "password": "nope"}, format="json"
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_token_request_with_missing_fields_is_400(api):
    response = api.post("/api/v1/auth/token", {"username": "x"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()["errors"]


def test_survivor_gets_a_token_without_otp(api, org_a, make_member):
    user = make_member(org_a, Role.SURVIVOR)
    response = api.post(
        "/api/v1/auth/token", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_me_lists_roles_and_organisations(api, case_worker_a, org_a):
    body = api.as_user(case_worker_a).get("/api/v1/me").json()
    assert body["roles"] == ["case_worker"]
    assert body["organisations"][0]["slug"] == org_a.slug
    assert body["active_organisation"]["id"] == str(org_a.pk)


def test_without_token_401_and_with_a_bad_one_401(api):
    assert api.get("/api/v1/me").status_code == 401
    response = api.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer ac_forged")
    assert response.status_code == 401
    assert response.json()["errors"]


def test_expired_token_is_refused(api, case_worker_a):
    from django.utils import timezone

    raw, token = ApiToken.issue(case_worker_a)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_service_domains_are_the_contracts_sixteen(api, case_worker_a):
    body = api.as_user(case_worker_a).get("/api/v1/service-domains").json()
    assert {row["code"] for row in body["results"]} == CONTRACT_DOMAINS == set(ServiceDomain.values)
    assert body["count"] == 19 and all(row["name"] for row in body["results"])


def test_openapi_schema_and_docs_are_served_without_any_cdn(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/service-domains",
        "/api/v1/survivors",
        "/api/v1/survivors/{survivor_id}",
    ):
        assert path in paths
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower() and b"unpkg" not in docs.content.lower()


def test_a_locked_out_api_client_gets_the_contracts_json_error_with_429(
    api, case_worker_a, settings
):
    settings.AXES_FAILURE_LIMIT = 2
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    for _attempt in range(3):
        response = api.post(
            "/api/v1/auth/token", {"username": "cw_a", "password": "wrong"}, format="json"
        )
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errors"]["non_field_errors"]


def test_the_api_docs_never_send_the_schema_to_swaggers_online_validator(client):
    """Swagger UI, by default, sends the schema's address to validator.swagger.io for a badge:
    a request to a third party from every page view, naming our server."""
    page = client.get("/api/v1/docs").content.decode()
    script = client.get("/api/v1/docs?script=").content.decode()
    settings_js = page + script
    assert '"validatorUrl": null' in settings_js
    assert "swagger.io" not in settings_js and "http://" not in script and "https://" not in script
