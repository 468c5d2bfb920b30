"""The API: POST /api/v1/feedback and GET /api/v1/reports/provider-performance."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.voice import ratings
from aftercare.voice.models import Rating
from tests.conftest import actor, member
from tests.factories import OrganisationFactory
from tests.voice.factories import DutyBearerFactory, ServiceFactory, rate

pytestmark = pytest.mark.django_db

GOOD = {"respect": 5, "timeliness": 4, "helpfulness": 5, "safety": 5, "information": 4}
LAST_YEAR = date(timezone.localdate().year - 1, 6, 1)


@pytest.fixture
def service(portal_a):
    return ServiceFactory(survivor=portal_a.survivor, domain="mental_health")


# Feedback ------------------------------------------------------------------------------------


def test_a_survivor_rates_with_their_own_token(api, portal_a, service):
    response = api.as_user(portal_a.user).post(
        "/api/v1/feedback",
        {
            "subject": str(service.organisation_id),
            "domain": "mental_health",
            "ratings": GOOD,
            "comment": "Kind and on time",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json() == {
        "status": "received",
        "subject": str(service.organisation_id),
        "domain": "mental_health",
        "anonymous": True,
    }
    assert Rating.objects.get().comment_status == "pending"


def test_a_survivor_rates_once_per_service(api, portal_a, service):
    client = api.as_user(portal_a.user)
    body = {"subject": str(service.organisation_id), "ratings": GOOD}
    assert client.post("/api/v1/feedback", body, format="json").status_code == 201
    assert client.post("/api/v1/feedback", body, format="json").status_code == 409


def test_a_survivor_cannot_rate_someone_who_did_not_serve_them(api, portal_a, service, org_b):
    response = api.as_user(portal_a.user).post(
        "/api/v1/feedback", {"subject": str(org_b.pk), "ratings": GOOD}, format="json"
    )
    assert response.status_code == 400 and "subject" in response.json()["errors"]


def test_a_survivor_cannot_rate_another_survivors_service(api, portal_a, portal_b):
    theirs = ServiceFactory(survivor=portal_b.survivor)
    response = api.as_user(portal_a.user).post(
        "/api/v1/feedback",
        {"subject": str(theirs.organisation_id), "ratings": GOOD, "service": str(theirs.pk)},
        format="json",
    )
    assert response.status_code == 400
    assert not Rating.objects.exists()


def test_bad_scores_are_a_400_per_field(api, portal_a, service):
    response = api.as_user(portal_a.user).post(
        "/api/v1/feedback",
        {"subject": str(service.organisation_id), "ratings": {**GOOD, "safety": 6, "respect": "x"}},
        format="json",
    )
    assert response.status_code == 400
    messages = response.json()["errors"]["ratings"]
    assert any(m.startswith("safety:") for m in messages) and any(
        m.startswith("respect:") for m in messages
    )


def test_an_anonymous_code_needs_no_account(api, survivor_a, case_worker_a):
    service = ServiceFactory(survivor=survivor_a)
    raw, _ = ratings.issue_code(actor(case_worker_a), service, service.organisation_id)
    body = {
        "code": raw,
        "subject": str(service.organisation_id),
        "domain": service.domain,
        "ratings": GOOD,
    }
    assert api.post("/api/v1/feedback", body, format="json").status_code == 201
    second = api.post("/api/v1/feedback", body, format="json")
    assert second.status_code == 400 and "code" in second.json()["errors"]


def test_without_a_code_or_a_token_it_is_401(api, org_a):
    assert (
        api.post(
            "/api/v1/feedback", {"subject": str(org_a.pk), "ratings": GOOD}, format="json"
        ).status_code
        == 401
    )


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.SUPERVISOR, Role.NETWORK_COORDINATOR])
def test_staff_cannot_rate_without_a_code(api, org_a, role):
    response = api.as_user(member(org_a, role)).post(
        "/api/v1/feedback", {"subject": str(org_a.pk), "ratings": GOOD}, format="json"
    )
    assert response.status_code == 403


# Provider performance ----------------------------------------------------------------------------


@pytest.fixture
def league(org_a, org_b):
    """Organisation A rated by 6, B by 4 (withheld), a duty bearer of A by 5, some comments."""
    nurse = DutyBearerFactory(organisation=org_a, name="Nurse Thembi")
    rate(
        org_a,
        5,
        n=5,
        period=LAST_YEAR,
        comment="Call me on 082 555 0101",
        comment_status="pending",
        quote="Call me on [phone number]",
    )
    rate(
        org_a,
        4,
        period=LAST_YEAR,
        comment="They treated me like a person",
        comment_status="approved",
        quote="They treated me like a person",
    )
    rate(
        org_b,
        1,
        n=4,
        period=LAST_YEAR,
        comment="Terrible, ask Grace",
        comment_status="approved",
        quote="Terrible",
    )
    rate(nurse, 3, n=5, period=LAST_YEAR)
    return nurse


@pytest.mark.parametrize(
    "role", [Role.NETWORK_COORDINATOR, Role.ME_OFFICER, Role.SUPERVISOR, Role.ADMIN]
)
def test_aggregate_roles_see_the_league(api, org_a, league, role):
    response = api.as_user(member(org_a, role)).get("/api/v1/reports/provider-performance")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["k"] == 5 and body["withheld_subjects"] == 1
    first = body["results"][0]
    assert first["subject"] == str(org_a.pk) and first["n"] == 6
    assert set(first) >= {"n", "mean", "bayesian_mean", "interval", "dimensions", "rank"}


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.REFERRAL_SOURCE, Role.SURVIVOR])
def test_lower_roles_are_refused_the_league(api, org_a, league, role):
    assert (
        api.as_user(member(org_a, role)).get("/api/v1/reports/provider-performance").status_code
        == 403
    )


def test_another_organisations_supervisor_sees_only_the_aggregate_of_the_rated_one(
    api, org_b, league, org_a
):
    """The rated party's own staff and anyone else get the same aggregate, nothing more."""
    client = api.as_user(member(org_b, Role.SUPERVISOR))
    body = client.get("/api/v1/reports/provider-performance").json()
    assert str(org_b.pk) not in json.dumps(body)  # B (n = 4) is not even named
    assert client.get(f"/api/v1/reports/provider-performance/{org_b.pk}").status_code == 404


def test_the_rated_organisation_sees_no_individual_rating_nor_unscreened_comment(
    api, org_a, league
):
    client = api.as_user(member(org_a, Role.SUPERVISOR))
    text = json.dumps(
        [
            client.get("/api/v1/reports/provider-performance").json(),
            client.get(f"/api/v1/reports/provider-performance/{org_a.pk}").json(),
        ]
    )
    assert "082 555 0101" not in text and "[phone number]" not in text
    assert "They treated me like a person" in text  # approved, in a group of 6
    for rating in Rating.objects.all():
        assert str(rating.pk) not in text
    assert "Grace" not in text and "Terrible" not in text


def test_no_rater_identity_appears_in_any_api_output(
    api, portal_a, service, coordinator, case_worker_a
):
    survivor = portal_a.survivor
    for _ in range(4):
        rate(service.organisation, 4, period=LAST_YEAR)
    # A second service of the same organisation, rated with a code: the same survivor again.
    other = ServiceFactory(survivor=survivor, organisation=service.organisation, domain="medical")
    raw, _ = ratings.issue_code(actor(case_worker_a), other, service.organisation_id)
    outputs = [
        api.as_user(portal_a.user)
        .post(
            "/api/v1/feedback",
            # The service named: two of hers share a date, and the newest unrated one is the
            # default, which on PostgreSQL could be `other`, the one the code is for.
            {"subject": str(service.organisation_id), "service": str(service.pk), "ratings": GOOD},
            format="json",
        )
        .json(),
        api.post("/api/v1/feedback", {"code": raw, "ratings": GOOD}, format="json").json(),
    ]
    Rating.objects.update(period=LAST_YEAR)
    client = api.as_user(coordinator)
    outputs.append(client.get("/api/v1/reports/provider-performance").json())
    outputs.append(
        client.get(f"/api/v1/reports/provider-performance/{service.organisation_id}").json()
    )
    text = json.dumps(outputs)
    # Six ratings, five survivors: the survivor who rated twice this quarter counts once.
    assert Rating.objects.count() == 6
    assert (
        outputs[2]["count"] == 1
        and outputs[2]["results"][0]["n"] == 5
        and outputs[2]["results"][0]["survivors"] == 5
    )
    for identity in (
        portal_a.user.username,
        str(portal_a.user.pk),
        str(survivor.pk),
        survivor.case_code,
        str(service.pk),
    ):
        assert identity not in text
    for rating in Rating.objects.all():
        assert str(rating.pk) not in text
        assert not rating.rater or rating.rater not in text


def test_filters_and_bad_filters(api, coordinator, league):
    client = api.as_user(coordinator)
    assert client.get("/api/v1/reports/provider-performance?type=duty_bearer").json()["count"] == 1
    assert client.get("/api/v1/reports/provider-performance?type=person").status_code == 400
    assert client.get("/api/v1/reports/provider-performance?region=nowhere").status_code == 400


def test_the_subject_endpoint_has_a_trend_and_approved_quotes_without_dates(
    api, coordinator, league, org_a
):
    body = api.as_user(coordinator).get(f"/api/v1/reports/provider-performance/{org_a.pk}").json()
    assert body["quotes"] == ["They treated me like a person"]
    assert [p["n"] for p in body["trend"]] == [6]
    assert str(LAST_YEAR) not in json.dumps(body)


def test_the_openapi_schema_lists_the_voice_endpoints(api):
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/feedback",
        "/api/v1/sms/inbound",
        "/api/v1/reports/provider-performance",
    } <= set(paths)


# The duty-bearer registry over the API
# --------------------------------------------------------------


def test_case_staff_add_and_list_duty_bearers(api, case_worker_a, org_a):
    client = api.as_user(case_worker_a)
    response = client.post(
        "/api/v1/duty-bearers",
        {
            "name": "BDO Canning I",
            "kind": "block_development_officer",
            "organisation": str(org_a.pk),
        },
        format="json",
    )
    assert response.status_code == 201
    assert client.get("/api/v1/duty-bearers?kind=block_development_officer").json()["count"] == 1


def test_a_duty_bearer_is_added_only_to_ones_own_organisation(
    api, case_worker_a, case_worker_b, org_b
):
    response = api.as_user(case_worker_a).post(
        "/api/v1/duty-bearers",
        {"name": "Planted", "kind": "lawyer", "organisation": str(org_b.pk)},
        format="json",
    )
    assert response.status_code == 400 and "organisation" in response.json()["errors"]
    assert api.get("/api/v1/duty-bearers?q=Planted").json()["count"] == 0


def test_the_network_coordinator_keeps_the_registry_for_every_organisation(api, org_a, org_b):
    coordinator = member(org_a, Role.NETWORK_COORDINATOR)
    response = api.as_user(coordinator).post(
        "/api/v1/duty-bearers",
        {"name": "Clinic nurse", "kind": "health_worker", "organisation": str(org_b.pk)},
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_a_duty_bearer_needs_an_organisation_or_a_region(api, case_worker_a):
    response = api.as_user(case_worker_a).post(
        "/api/v1/duty-bearers", {"name": "Somebody", "kind": "lawyer"}, format="json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("role", [Role.REFERRAL_SOURCE, Role.ME_OFFICER])
def test_lower_roles_may_read_but_not_add_duty_bearers(api, org_a, role):
    client = api.as_user(member(org_a, role))
    assert client.get("/api/v1/duty-bearers").status_code == 200
    assert (
        client.post(
            "/api/v1/duty-bearers",
            {"name": "X", "kind": "lawyer", "organisation": str(org_a.pk)},
            format="json",
        ).status_code
        == 403
    )


def test_survivors_do_not_see_the_registry(api, portal_a):
    assert api.as_user(portal_a.user).get("/api/v1/duty-bearers").status_code == 403


def test_organisations_of_the_network_are_not_needed_to_be_users(api, case_worker_a):
    clinic = OrganisationFactory(name="Clinic without users")
    response = api.as_user(case_worker_a).post(
        "/api/v1/duty-bearers",
        {"name": "Dr Mensah", "kind": "health_worker", "organisation": str(clinic.pk)},
        format="json",
    )
    assert response.status_code == 201
