"""GET /api/v1/organisations and /api/v1/organisations/{id} against API.md."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.network.serializers import DirectoryResultSchema, ProfileSchema
from tests.factories import OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelter(za_regions):
    shelter = OrganisationFactory(
        slug="safe-house",
        name="Safe House",
        kind="shelter",
        region=za_regions.jhb,
        populations=["women", "girls"],
        languages=["en", "zu"],
        public_phone="+27 11 000 0000",
        street_address="12 Hidden Street, Johannesburg",
    )
    shelter.regions_served.set([za_regions.gp])
    ServiceFactory(
        organisation=shelter,
        domain="housing",
        eligibility_notes="Women and girls over 12",
        beds_total=10,
        beds_available=4,
        capacity_updated_at=timezone.now(),
    )
    ServiceFactory(organisation=shelter, domain="mental_health")
    return shelter


def test_list_has_count_next_and_results_with_reasons(api, case_worker_b, shelter):
    body = (
        api.as_user(case_worker_b)
        .get("/api/v1/organisations?service=housing&region=za-gp-johannesburg")
        .json()
    )
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    result = body["results"][0]
    assert result["id"] == str(shelter.pk)
    assert result["services"] == ["housing", "mental_health"]
    assert result["regions"] == ["za-gp"]
    assert result["populations"] == ["girls", "women"] and result["languages"] == ["en", "zu"]
    assert result["capacity"]["beds_available"] == 4 and result["capacity"]["is_stale"] is False
    assert result["reasons"] == ["offers safe housing", "serves Gauteng (province)", "4 beds free"]
    assert "restricted" not in result and "Hidden Street" not in str(body)


def test_list_pages_with_limit_and_next(api, case_worker_a):
    for n in range(3):
        OrganisationFactory(name=f"Org {n}")
    body = api.as_user(case_worker_a).get("/api/v1/organisations?limit=2").json()
    assert body["count"] == 4 and len(body["results"]) == 2 and "offset=2" in body["next"]
    assert api.get("/api/v1/organisations?limit=100000").status_code == 200


def test_detail_has_services_regions_and_capacity(api, case_worker_b, shelter):
    body = api.as_user(case_worker_b).get(f"/api/v1/organisations/{shelter.pk}").json()
    assert body["services"][0] == {
        "service": "housing",
        "name": "Safe housing",
        "eligibility_notes": "Women and girls over 12",
    }
    assert body["regions"] == [
        {"code": "za-gp", "name": "Gauteng", "level": "province", "country": "ZA"}
    ]
    housing = next(c for c in body["capacity"] if c["service"] == "housing")
    assert (
        housing["beds_total"] == 10 and housing["beds_available"] == 4 and housing["version"] == 1
    )
    assert housing["is_stale"] is False and housing["updated_at"]
    assert body["referral_stats"] is None
    assert body["contact"]["phone"] == "+27 11 000 0000"


@pytest.mark.parametrize("key", [str(uuid.uuid4()), "not-a-uuid-or-slug"])
def test_unknown_organisation_is_404(api, case_worker_a, key):
    assert api.as_user(case_worker_a).get(f"/api/v1/organisations/{key}").status_code == 404


def test_inactive_organisation_is_404(api, case_worker_a):
    closed = OrganisationFactory(is_active=False)
    assert api.as_user(case_worker_a).get(f"/api/v1/organisations/{closed.pk}").status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("service=teleportation", "service"),
        ("service=housing,teleportation", "service"),
        ("region=atlantis", "region"),
        ("population=aliens", "population"),
        ("language=klingon", "language"),
        ("has_capacity=maybe", "has_capacity"),
        ("q=" + "x" * 101, "q"),
    ],
)
def test_bad_filters_get_400_with_field_errors(api, case_worker_a, query, field):
    response = api.as_user(case_worker_a).get(f"/api/v1/organisations?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_survivors_may_not_use_the_directory(api, org_a, make_member, shelter):
    survivor = make_member(org_a, Role.SURVIVOR)
    client = api.as_user(survivor)
    assert client.get("/api/v1/organisations").status_code == 403
    assert client.get(f"/api/v1/organisations/{shelter.pk}").status_code == 403


def test_signed_out_callers_get_401(api):
    assert api.get("/api/v1/organisations").status_code == 401


@pytest.mark.parametrize(
    "role", [Role.REFERRAL_SOURCE, Role.NETWORK_COORDINATOR, Role.ME_OFFICER, Role.SUPERVISOR]
)
def test_every_staff_role_sees_the_directory(api, org_a, make_member, shelter, role):
    assert api.as_user(make_member(org_a, role)).get("/api/v1/organisations").json()["count"] == 2


def test_stale_capacity_is_flagged_in_list_and_detail(api, case_worker_b, shelter, settings):
    settings.AFTERCARE_CAPACITY_STALE_DAYS = 14
    shelter.services.filter(domain="housing").update(
        capacity_updated_at=timezone.now() - timedelta(days=15)
    )
    client = api.as_user(case_worker_b)
    listed = client.get("/api/v1/organisations?service=housing").json()["results"][0]
    assert listed["capacity"]["is_stale"] is True
    detail = client.get(f"/api/v1/organisations/{shelter.pk}").json()
    assert next(c for c in detail["capacity"] if c["service"] == "housing")["is_stale"] is True


def test_the_list_costs_the_same_queries_for_few_or_many_organisations(
    api, case_worker_a, za_regions, django_assert_num_queries
):
    def seed(n):
        for i in range(n):
            organisation = OrganisationFactory(name=f"Org {n}-{i}")
            organisation.regions_served.set([za_regions.gp])
            ServiceFactory(organisation=organisation, domain="housing")

    client = api.as_user(case_worker_a)
    url = "/api/v1/organisations?service=housing&region=za-gp-johannesburg"
    seed(2)
    client.get(url)
    with django_assert_num_queries(
        6
    ) as captured:  # token, memberships, region, page, services, regions
        assert client.get(url).json()["count"] == 2
    seed(30)
    with django_assert_num_queries(len(captured)):
        assert client.get(url).json()["count"] == 32


def test_answers_name_the_fields_their_schema_documents(api, case_worker_a, org_a, shelter):
    client = api.as_user(case_worker_a)
    listed = client.get("/api/v1/organisations").json()["results"][0]
    assert set(listed) == set(DirectoryResultSchema().fields)
    own = client.get(f"/api/v1/organisations/{org_a.pk}").json()
    assert set(own) == set(ProfileSchema().fields)
    other = client.get(f"/api/v1/organisations/{shelter.pk}").json()
    assert set(other) == set(ProfileSchema().fields) - {"restricted"}
