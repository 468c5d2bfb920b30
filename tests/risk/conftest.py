"""Risk fixtures: the seeded instrument and measures (from the data migrations), and helpers."""

from __future__ import annotations

import pytest

from aftercare.accounts.roles import Role
from aftercare.risk.models import Instrument, Measure

# The roles that may see no case, so get 403 on every risk endpoint and page.
LOWER_ROLES = [Role.SURVIVOR, Role.REFERRAL_SOURCE, Role.NETWORK_COORDINATOR, Role.ME_OFFICER]


@pytest.fixture
def instrument(db):
    """The active version as the data migrations seeded it (version 2: version 1's factors and
    two more protective ones)."""
    return Instrument.objects.prefetch_related("factors").get(code="retrafficking", active=True)


@pytest.fixture
def rosenberg(db):
    return Measure.objects.prefetch_related("items").get(code="rosenberg", active=True)
