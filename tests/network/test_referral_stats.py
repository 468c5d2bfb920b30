"""Referral figures per organisation: fed by the referrals app, shown on the profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from aftercare.network.models import ReferralStats
from aftercare.network.services import refresh_referral_stats

pytestmark = pytest.mark.django_db


@dataclass
class Referral:
    sent_at: datetime
    accepted_at: datetime | None = None
    declined_at: datetime | None = None
    completed_at: datetime | None = None


def hours(n):
    return timedelta(hours=n)


def test_rates_and_median_time_to_accept(org_a):
    t = timezone.now() - timedelta(days=30)
    stats = refresh_referral_stats(
        org_a,
        [
            Referral(t, accepted_at=t + hours(4), completed_at=t + hours(200)),
            Referral(t, accepted_at=t + hours(10)),
            Referral(t, accepted_at=t + hours(30), completed_at=t + hours(300)),
            Referral(t, declined_at=t + hours(2)),
            Referral(t),  # still waiting for an answer
        ],
    )
    assert (stats.received, stats.accepted, stats.declined, stats.completed) == (5, 3, 1, 2)
    assert stats.acceptance_rate == 0.75
    assert stats.completion_rate == pytest.approx(2 / 3)
    assert stats.median_response_hours == 10


def test_refreshing_replaces_the_figures(org_a):
    t = timezone.now()
    refresh_referral_stats(org_a, [Referral(t, accepted_at=t + hours(1))])
    refresh_referral_stats(org_a, [])
    stats = ReferralStats.objects.get(organisation=org_a)
    assert (
        stats.received == 0
        and stats.median_response_hours is None
        and stats.acceptance_rate is None
    )


def test_profile_says_no_referrals_yet_then_shows_the_figures(web_login, case_worker_b, org_a):
    client = web_login(case_worker_b)
    assert "No referrals yet." in client.get("/network/org-a/").content.decode()
    t = timezone.now()
    refresh_referral_stats(
        org_a,
        [
            Referral(t, accepted_at=t + hours(10), completed_at=t + hours(50)),
            Referral(t, declined_at=t + hours(1)),
        ],
    )
    html = client.get("/network/org-a/").content.decode()
    assert "No referrals yet." not in html
    assert "50%" in html and "replies in ~10 h" in html and "100%" in html


def test_api_detail_carries_the_figures(api, case_worker_b, org_a):
    t = timezone.now()
    refresh_referral_stats(org_a, [Referral(t, accepted_at=t + hours(72))])
    body = api.as_user(case_worker_b).get(f"/api/v1/organisations/{org_a.pk}").json()
    assert body["referral_stats"] == {
        "received": 1,
        "acceptance_rate": 1.0,
        "completion_rate": 0.0,
        "median_hours_to_accept": 72.0,
    }
