"""Survivors see their consents in plain words and withdraw them; withdrawal is immediate."""

from __future__ import annotations

import pytest

from aftercare.cases import care
from tests.factories import ConsentFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_consent_page_lists_each_purpose_in_plain_words(survivor_client, portal_a):
    html = survivor_client(portal_a).get("/me/consent/").content.decode()
    assert "Staff may call or visit you." in html
    assert html.count("Withdraw this consent") == 3


def test_withdrawing_takes_effect_at_once(survivor_client, portal_a):
    survivor = portal_a.survivor
    assert care.has_consent(survivor, "referral")
    response = survivor_client(portal_a).post("/me/consent/withdraw/", {"purpose": "referral"})
    assert response.status_code == 302
    assert not care.has_consent(survivor, "referral")
    latest = survivor.consents.filter(purpose="referral").order_by("-recorded_at").first()
    assert latest.method == "digital" and latest.recorded_by == portal_a.user and not latest.granted


def test_withdrawing_tells_the_case_workers(survivor_client, portal_a, case_worker_a):
    survivor_client(portal_a).post("/me/consent/withdraw/", {"purpose": "contact"})
    assert case_worker_a.notifications.filter(key="portal.consent_withdrawn").exists()


def test_a_consent_for_one_organisation_is_withdrawn_for_that_organisation_only(
    survivor_client, portal_a
):
    clinic = OrganisationFactory(name="Clinic")
    ConsentFactory(
        survivor=portal_a.survivor,
        purpose="referral",
        organisation=clinic,
        granted=True,
        method="written",
    )
    survivor_client(portal_a).post(
        "/me/consent/withdraw/", {"purpose": "referral", "organisation": str(clinic.pk)}
    )
    assert not care.has_consent(portal_a.survivor, "referral", clinic)
    assert care.has_consent(portal_a.survivor, "referral")


def test_nothing_to_withdraw_is_said_clearly(survivor_client, portal_a):
    browser = survivor_client(portal_a)
    browser.post("/me/consent/withdraw/", {"purpose": "anonymised_reporting"})
    assert "nothing to withdraw" in browser.get("/me/consent/").content.decode()


def test_the_last_consent_asks_for_confirmation_first(survivor_client, portal_a):
    browser = survivor_client(portal_a)
    browser.post("/me/consent/withdraw/", {"purpose": "referral"})
    browser.post("/me/consent/withdraw/", {"purpose": "contact"})
    response = browser.post("/me/consent/withdraw/", {"purpose": "service_delivery"})
    assert response.status_code == 409
    assert care.has_consent(portal_a.survivor, "service_delivery")
    assert "cannot be undone" in response.content.decode()


def test_confirming_the_last_withdrawal_closes_the_case_and_the_account(survivor_client, portal_a):
    browser = survivor_client(portal_a)
    for purpose in ("referral", "contact"):
        browser.post("/me/consent/withdraw/", {"purpose": purpose})
    response = browser.post(
        "/me/consent/withdraw/", {"purpose": "service_delivery", "confirmed": "yes"}
    )
    assert response.status_code == 200
    survivor = portal_a.survivor
    survivor.refresh_from_db()
    assert survivor.anonymised_at is not None and survivor.given_name == ""
    portal_a.account.refresh_from_db()
    assert not portal_a.account.is_active
    assert browser.get("/me/").status_code == 302


@pytest.mark.parametrize(
    "organisation", ["not-a-uuid", "0", "00000000-0000-0000-0000-000000000000"]
)
def test_a_malformed_or_unknown_organisation_is_refused_in_words(
    survivor_client, portal_a, organisation
):
    response = survivor_client(portal_a).post(
        "/me/consent/withdraw/", {"purpose": "referral", "organisation": organisation}
    )
    assert response.status_code == 302  # back to the consent page with the message, not a 500
    assert care.has_consent(portal_a.survivor, "referral")
