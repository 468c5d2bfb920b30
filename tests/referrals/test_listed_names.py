"""Referral lists show the survivor's first name beside the case code to those allowed to see
her identity, by the case list's rule, and no further."""

from __future__ import annotations

import pytest

from aftercare.accounts.roles import Role
from aftercare.cases import care
from aftercare.referrals import services
from tests.conftest import actor, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def consenting(case_worker_a, survivor_a):
    worker = actor(case_worker_a)
    care.record_consent(
        worker, survivor_a, purpose="service_delivery", granted=True, method="written"
    )
    care.record_consent(worker, survivor_a, purpose="referral", granted=True, method="verbal")
    return survivor_a


def refer(case_worker_a, survivor, org_b, **kwargs):
    return services.refer_survivor(
        actor(case_worker_a), survivor, org_b, ["housing"], "Needs a bed", **kwargs
    )


def listed(web_login, user, direction):
    response = web_login(user).get(f"/referrals/?direction={direction}")
    assert response.status_code == 200
    return response.content.decode()


def test_sender_sees_her_first_name_beside_the_code(web_login, case_worker_a, consenting, org_b):
    refer(case_worker_a, consenting, org_b)
    page = listed(web_login, case_worker_a, "outgoing")
    assert consenting.case_code in page and '<span class="case-name">Lindiwe</span>' in page


def test_receiver_sees_the_first_name_while_the_referral_waits_for_its_answer(
    web_login, case_worker_a, case_worker_b, consenting, org_b
):
    refer(case_worker_a, consenting, org_b)
    page = listed(web_login, case_worker_b, "incoming")
    assert consenting.case_code in page and "Lindiwe" in page


def test_after_acceptance_without_identity_shared_the_receiver_sees_the_code_only(
    web_login, case_worker_a, case_worker_b, consenting, org_b
):
    referral = refer(case_worker_a, consenting, org_b, shared_sections=["needs"])
    services.transition(actor(case_worker_b), referral.pk, "accept", text="ok")
    page = listed(web_login, case_worker_b, "incoming")
    assert consenting.case_code in page and "Lindiwe" not in page


def test_after_acceptance_with_identity_shared_the_receiver_sees_the_name(
    web_login, case_worker_a, case_worker_b, consenting, org_b
):
    referral = refer(case_worker_a, consenting, org_b, shared_sections=["identity", "needs"])
    services.transition(actor(case_worker_b), referral.pk, "accept", text="ok")
    assert "Lindiwe" in listed(web_login, case_worker_b, "incoming")


def test_a_declined_referral_goes_back_to_the_code_alone(
    web_login, case_worker_a, case_worker_b, consenting, org_b
):
    referral = refer(case_worker_a, consenting, org_b)
    services.transition(actor(case_worker_b), referral.pk, "decline", text="no bed")
    page = listed(web_login, case_worker_b, "incoming")
    assert consenting.case_code in page and "Lindiwe" not in page


def test_a_third_organisation_sees_nothing(web_login, case_worker_a, consenting, org_b):
    from tests.factories import OrganisationFactory

    refer(case_worker_a, consenting, org_b)
    stranger = member(OrganisationFactory(slug="org-c"), Role.CASE_WORKER)
    for direction in ("incoming", "outgoing"):
        page = listed(web_login, stranger, direction)
        assert consenting.case_code not in page and "Lindiwe" not in page


def test_a_role_that_may_not_see_cases_sees_codes_only(
    web_login, case_worker_a, consenting, org_b, org_a
):
    refer(case_worker_a, consenting, org_b)
    viewer = member(org_a, Role.ME_OFFICER)
    response = web_login(viewer).get("/referrals/?direction=outgoing")
    assert response.status_code in (200, 403)
    assert "Lindiwe" not in response.content.decode()
