"""Fixtures for survivor voice: survivors with portal accounts in organisations A and B."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from aftercare.voice import portal_accounts
from aftercare.voice.models import SurvivorAccount
from tests.conftest import actor
from tests.factories import ConsentFactory

PIN = "482915"
SMS_SECRET = "sms-webhook-test-secret-0123456789"


@dataclass
class Portal:
    account: SurvivorAccount
    pin: str

    @property
    def user(self):
        return self.account.user

    @property
    def survivor(self):
        return self.account.survivor


def use_voice_settings(settings):
    """The settings the voice tests assume (tests/browser/test_voice_quick_exit.py uses them
    too)."""
    settings.AFTERCARE_SMS_WEBHOOK_SECRET = SMS_SECRET
    settings.AFTERCARE_RATING_MIN_GROUP = 5
    settings.AFTERCARE_RATING_PRIOR_WEIGHT = 5
    settings.AFTERCARE_QUICK_EXIT_URL = "https://www.example.org/weather"
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _voice_settings(settings):
    use_voice_settings(settings)


def give_consents(survivor, *purposes):
    for purpose in purposes or ("service_delivery", "referral", "contact"):
        ConsentFactory(survivor=survivor, purpose=purpose, granted=True, method="written")


@pytest.fixture
def portal_a(survivor_a, case_worker_a) -> Portal:
    survivor_a.phone = "+27 82 555 0101"
    survivor_a.save()
    give_consents(survivor_a)
    account, pin = portal_accounts.link_account(
        actor(case_worker_a), survivor_a, username="amara", pin=PIN, use_case_phone=True
    )
    return Portal(account=account, pin=pin)


@pytest.fixture
def portal_b(survivor_b, case_worker_b) -> Portal:
    give_consents(survivor_b)
    account, pin = portal_accounts.link_account(
        actor(case_worker_b), survivor_b, username="zawadi", pin="739164"
    )
    return Portal(account=account, pin=pin)


@pytest.fixture
def survivor_client(client):
    """A browser signed in as the survivor, the way the portal signs in."""

    def sign_in(portal: Portal):
        response = client.post(
            "/me/sign-in/", {"identifier": portal.user.username, "secret": portal.pin}
        )
        assert response.status_code == 302, response.content[:500]
        return client

    return sign_in
