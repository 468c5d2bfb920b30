"""Reports fixtures: the roles that read reports, a network secretariat, and a small builder
for hand-made cases whose dates and outcomes the tests choose."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.cases.models import StatusChange
from tests.conftest import member
from tests.factories import ConsentFactory, SurvivorFactory

# Roles that may not read reports at all.
LOWER_ROLES = [Role.CASE_WORKER, Role.REFERRAL_SOURCE, Role.SURVIVOR]


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def me_officer(secretariat):
    return member(secretariat, Role.ME_OFFICER, "me")


def case(org, *, opened: date, closed: date | None = None, reason: str = "", **fields):
    """A survivor opened on `opened` and, if given, closed on `closed` for `reason` (with its
    history)."""
    survivor = SurvivorFactory(organisation=org, created_at=at(opened), **fields)
    if closed is not None:
        close(survivor, closed, reason or "self_sufficient")
    return survivor


def close(survivor, day: date, reason: str):
    StatusChange.objects.create(
        survivor=survivor,
        from_status=survivor.status,
        to_status="closed",
        reason=reason,
        changed_at=at(day),
    )
    survivor.status, survivor.closure_reason, survivor.closed_at = "closed", reason, at(day)
    survivor.save(update_fields=["status", "closure_reason", "closed_at"])
    return survivor


def reopen(survivor, day: date):
    StatusChange.objects.create(
        survivor=survivor, from_status="closed", to_status="active", changed_at=at(day)
    )
    survivor.status, survivor.closure_reason, survivor.closed_at = "active", "", None
    survivor.save(update_fields=["status", "closure_reason", "closed_at"])
    return survivor


def consent(
    survivor,
    granted: bool = True,
    purpose: str = "anonymised_reporting",
    when: datetime | None = None,
):
    return ConsentFactory(
        survivor=survivor,
        purpose=purpose,
        granted=granted,
        method="written",
        recorded_at=when or timezone.now(),
    )
