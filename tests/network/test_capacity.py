"""Live capacity: only the organisation's admins change it, with a version, never lost."""

from __future__ import annotations

import pytest

from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditEvent
from aftercare.network.models import OrganisationService
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def housing(org_a):
    return ServiceFactory(organisation=org_a, domain="housing", beds_total=10, beds_available=2)


@pytest.fixture
def counselling(org_a):
    return ServiceFactory(organisation=org_a, domain="mental_health")


def url(service):
    return f"/api/v1/organisations/{service.organisation_id}/capacity/{service.domain}"


def test_admin_updates_capacity_and_the_version_moves_on(api, admin_a, housing):
    response = api.as_user(admin_a).patch(
        url(housing), {"beds_available": 5, "version": 1}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["beds_available"] == 5 and body["beds_total"] == 10 and body["version"] == 2
    assert body["updated_at"] and body["is_stale"] is False
    housing.refresh_from_db()
    assert housing.beds_available == 5 and housing.capacity_updated_by == admin_a
    assert AuditEvent.objects.filter(action="update", object_id=str(housing.pk)).exists()


def test_a_stale_version_is_409_and_changes_nothing(api, admin_a, housing):
    client = api.as_user(admin_a)
    assert (
        client.patch(url(housing), {"beds_available": 3, "version": 1}, format="json").status_code
        == 200
    )
    response = client.patch(url(housing), {"beds_available": 9, "version": 1}, format="json")
    assert response.status_code == 409
    assert "version" in response.json()["errors"]
    housing.refresh_from_db()
    assert housing.beds_available == 3 and housing.capacity_version == 2


def test_case_worker_of_the_organisation_gets_403(api, case_worker_a, housing):
    response = api.as_user(case_worker_a).patch(
        url(housing), {"beds_available": 5, "version": 1}, format="json"
    )
    assert response.status_code == 403
    assert OrganisationService.objects.get(pk=housing.pk).beds_available == 2


def test_admin_of_another_organisation_gets_404(api, org_b, make_member, housing):
    admin_b = make_member(org_b, Role.ADMIN)
    response = api.as_user(admin_b).patch(
        url(housing), {"beds_available": 5, "version": 1}, format="json"
    )
    assert response.status_code == 404
    assert OrganisationService.objects.get(pk=housing.pk).beds_available == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"beds_available": 11}, "beds_available"),
        ({"beds_available": -1}, "beds_available"),
        ({"beds_total": "lots"}, "beds_total"),
        ({}, "version"),
    ],
)
def test_impossible_capacity_is_400_with_the_field(api, admin_a, housing, payload, field):
    body = {"version": 1, **payload} if field != "version" else payload
    response = api.as_user(admin_a).patch(url(housing), body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert OrganisationService.objects.get(pk=housing.pk).capacity_version == 1


def test_only_housing_counts_beds(api, admin_a, counselling):
    client = api.as_user(admin_a)
    response = client.patch(url(counselling), {"beds_total": 4, "version": 1}, format="json")
    assert response.status_code == 400 and "beds_total" in response.json()["errors"]
    ok = client.patch(
        url(counselling), {"slots_total": 30, "slots_available": 6, "version": 1}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["slots_available"] == 6


def test_a_service_not_offered_is_404(api, admin_a, housing):
    response = api.as_user(admin_a).patch(
        f"/api/v1/organisations/{housing.organisation_id}/capacity/dental",
        {"version": 1},
        format="json",
    )
    assert response.status_code == 404


def test_capacity_page_saves_every_service_at_once(web_login, admin_a, housing, counselling):
    client = web_login(admin_a)
    page = client.get("/network/org-a/capacity/")
    assert page.status_code == 200 and b'name="housing-beds_available"' in page.content
    assert b'name="mental_health-beds_total"' not in page.content
    response = client.post(
        "/network/org-a/capacity/",
        {
            "housing-beds_total": "10",
            "housing-beds_available": "1",
            "housing-slots_total": "",
            "housing-slots_available": "",
            "housing-version": "1",
            "mental_health-slots_total": "20",
            "mental_health-slots_available": "4",
            "mental_health-version": "1",
        },
    )
    assert response.status_code == 302
    housing.refresh_from_db()
    counselling.refresh_from_db()
    assert housing.beds_available == 1 and counselling.slots_available == 4
    assert housing.capacity_updated_at and counselling.capacity_updated_at


def test_capacity_page_with_a_stale_version_saves_nothing(web_login, admin_a, housing, counselling):
    OrganisationService.objects.filter(pk=counselling.pk).update(capacity_version=2)
    response = web_login(admin_a).post(
        "/network/org-a/capacity/",
        {
            "housing-beds_total": "10",
            "housing-beds_available": "7",
            "housing-version": "1",
            "mental_health-slots_total": "20",
            "mental_health-slots_available": "4",
            "mental_health-version": "1",
        },
    )
    assert response.status_code == 200 and b"changed by someone else" in response.content
    housing.refresh_from_db()
    assert housing.beds_available == 2 and housing.capacity_version == 1


def test_capacity_page_shows_impossible_figures_at_the_field(web_login, admin_a, housing):
    response = web_login(admin_a).post(
        "/network/org-a/capacity/",
        {"housing-beds_total": "3", "housing-beds_available": "5", "housing-version": "1"},
    )
    assert response.status_code == 200 and b"more free beds than beds in total" in response.content


def test_capacity_page_is_403_for_a_case_worker_and_404_for_another_admin(
    web_login, org_b, make_member, case_worker_a, housing
):
    assert web_login(case_worker_a).get("/network/org-a/capacity/").status_code == 403
    admin_b = make_member(org_b, Role.ADMIN)
    assert web_login(admin_b).get("/network/org-a/capacity/").status_code == 404
