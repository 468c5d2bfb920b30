"""A shelter's street address and restricted contacts: its own case staff only."""

from __future__ import annotations

import pytest
from django.db import connection

from aftercare.accounts.policy import Action, can_for_organisation
from aftercare.accounts.roles import Role
from tests.conftest import actor
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

ADDRESS = "14 Jacaranda Lane, Hidden Suburb"
SECRET_PHONE = "+27 82 555 0199"


@pytest.fixture
def shelter(org_a):
    org_a.kind = "shelter"
    org_a.street_address = ADDRESS
    org_a.restricted_phone = SECRET_PHONE
    org_a.public_phone = "+27 11 111 1111"
    org_a.save()
    ServiceFactory(organisation=org_a, domain="housing")
    return org_a


def test_own_case_worker_sees_the_address_on_the_page_and_in_the_api(
    web_login, api, shelter, case_worker_a
):
    page = web_login(case_worker_a).get(f"/network/{shelter.slug}/")
    assert ADDRESS in page.content.decode() and SECRET_PHONE in page.content.decode()
    body = api.as_user(case_worker_a).get(f"/api/v1/organisations/{shelter.pk}").json()
    assert body["restricted"]["street_address"] == ADDRESS


def test_another_organisations_staff_never_see_the_address(web_login, api, shelter, case_worker_b):
    page = web_login(case_worker_b).get(f"/network/{shelter.slug}/").content.decode()
    assert "+27 11 111 1111" in page
    assert ADDRESS not in page and SECRET_PHONE not in page
    client = api.as_user(case_worker_b)
    detail = client.get(f"/api/v1/organisations/{shelter.pk}")
    assert "restricted" not in detail.json() and ADDRESS not in detail.content.decode()
    listing = client.get("/api/v1/organisations").content.decode()
    assert ADDRESS not in listing and SECRET_PHONE not in listing


@pytest.mark.parametrize("role", [Role.REFERRAL_SOURCE, Role.NETWORK_COORDINATOR, Role.ME_OFFICER])
def test_lower_roles_in_the_same_organisation_do_not_see_the_address(
    api, shelter, make_member, role
):
    body = api.as_user(make_member(shelter, role)).get(f"/api/v1/organisations/{shelter.pk}")
    assert body.status_code == 200
    assert "restricted" not in body.json() and ADDRESS not in body.content.decode()


def test_a_survivor_of_the_shelter_cannot_open_its_profile(web_login, api, shelter, make_member):
    survivor = make_member(shelter, Role.SURVIVOR)
    assert web_login(survivor).get(f"/network/{shelter.slug}/").status_code == 403
    assert api.as_user(survivor).get(f"/api/v1/organisations/{shelter.pk}").status_code == 403


@pytest.mark.parametrize(
    ("role", "own", "allowed"),
    [
        (Role.CASE_WORKER, True, True),
        (Role.SUPERVISOR, True, True),
        (Role.ADMIN, True, True),
        (Role.REFERRAL_SOURCE, True, False),
        (Role.SURVIVOR, True, False),
        (Role.ME_OFFICER, True, False),
        (Role.CASE_WORKER, False, False),
        (Role.ADMIN, False, False),
    ],
)
def test_policy_rule_for_restricted_contacts(org_a, org_b, make_member, role, own, allowed):
    user = make_member(org_a if own else org_b, role)
    assert can_for_organisation(actor(user), Action.VIEW_RESTRICTED_CONTACTS, org_a) is allowed


def test_the_address_is_encrypted_at_rest(shelter):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT street_address FROM accounts_organisation WHERE id = %s",
            [shelter.pk.hex if connection.vendor == "sqlite" else shelter.pk],
        )
        stored = cursor.fetchone()[0]
    assert stored and "Jacaranda" not in stored
