"""Prevention fixtures: organisation A (a field worker, a supervisor, an M&E officer, a case
worker) and organisation B (a field worker and a supervisor), in a small Karamoja tree."""

from __future__ import annotations

import pytest

from aftercare.accounts.roles import Role
from tests.conftest import actor, member
from tests.prevention.factories import karamoja


@pytest.fixture
def karamoja_regions(db):
    return karamoja()


@pytest.fixture(autouse=True)
def _ugandan_organisations(org_a, org_b, karamoja_regions):
    for org in (org_a, org_b):
        org.country = "UG"
        org.save(update_fields=["country"])


@pytest.fixture
def field_worker_a(org_a):
    return member(org_a, Role.FIELD_WORKER, "fw_a")


@pytest.fixture
def field_worker_b(org_b):
    return member(org_b, Role.FIELD_WORKER, "fw_b")


@pytest.fixture
def me_officer_a(org_a):
    return member(org_a, Role.ME_OFFICER, "me_a")


@pytest.fixture
def fw(field_worker_a):
    """The field worker of A as an actor."""
    return actor(field_worker_a)


@pytest.fixture
def sup(supervisor_a):
    return actor(supervisor_a)
