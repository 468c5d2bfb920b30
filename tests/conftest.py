"""Shared fixtures: two organisations, a member of each role in A, an outsider in B.

Every permission test tries the same action as a lower role in A and as the same role in B.
The role fixtures are defined here once; an app's conftest adds only what its domain needs.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path
from types import SimpleNamespace

import hypothesis
import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django_otp.oath import TOTP
from rest_framework.test import APIClient

from aftercare.accounts.models import ApiToken
from aftercare.accounts.roles import Role
from aftercare.accounts.services import actor_for
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    SurvivorFactory,
    UserFactory,
    totp_device,
)

# One Playwright instance for the whole run: every browser test uses these fixtures.
pytest_plugins = ["tests.browser.fixtures"]

# Property tests explore inputs, not speed: on a busy machine generating inputs can be slow,
# and a health check or deadline that fails for that reason says nothing about the code.
hypothesis.settings.register_profile(
    "aftercare", suppress_health_check=[hypothesis.HealthCheck.too_slow], deadline=None
)
hypothesis.settings.load_profile("aftercare")


def pytest_report_header(config):
    url = os.environ.get("DATABASE_URL")
    return (
        "database: "
        f"{'PostgreSQL via DATABASE_URL' if url else 'SQLite (set DATABASE_URL for PostgreSQL)'}"
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Let Django flush the append-only audit table between transactional tests.

    The audit triggers let deletes through while `audit_maintenance` holds a row; the
    tests of the triggers remove it inside their own transaction.
    """
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_maintenance (reason) VALUES ('test database flush')")


@pytest.fixture(scope="session")
def _sealed_files_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("sealed-files")


@pytest.fixture(autouse=True)
def _fast_settings(settings, _sealed_files_dir):
    # Sealed files (exports) in a temporary directory, not under var/.
    settings.STORAGES = {
        **settings.STORAGES,
        "sealed": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(_sealed_files_dir)},
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = True
    # Tasks run in-process in tests even where REDIS_URL names a broker (no worker runs here).
    settings.AFTERCARE_TASKS_EAGER = True
    # Each test starts with an empty cache: with Redis the cache outlives a test (and the run), so
    # rate-limit counters and cached answers of earlier tests would decide later ones.
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def org_a(db):
    return OrganisationFactory(slug="org-a", name="Organisation A")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(slug="org-b", name="Organisation B")


def member(org, role: Role, username: str | None = None):
    kwargs = {"username": username} if username else {}
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, organisation=org, role=role)
    return user


@pytest.fixture
def make_member():
    return member


@pytest.fixture
def case_worker_a(org_a):
    return member(org_a, Role.CASE_WORKER, "cw_a")


@pytest.fixture
def case_worker_b(org_b):
    return member(org_b, Role.CASE_WORKER, "cw_b")


@pytest.fixture
def supervisor_a(org_a):
    return member(org_a, Role.SUPERVISOR, "sup_a")


@pytest.fixture
def supervisor_b(org_b):
    return member(org_b, Role.SUPERVISOR, "sup_b")


@pytest.fixture
def admin_a(org_a):
    return member(org_a, Role.ADMIN, "admin_a")


@pytest.fixture
def worker(case_worker_a):
    """The case worker of A as an actor, as the services take her."""
    return actor(case_worker_a)


@pytest.fixture
def secretariat(db):
    """The network's secretariat: an organisation of kind network, where the coordinator works."""
    return OrganisationFactory(slug="network", name="Network Secretariat", kind="network")


@pytest.fixture
def coordinator(secretariat):
    return member(secretariat, Role.NETWORK_COORDINATOR, "coord")


@pytest.fixture
def survivor_a(org_a):
    return SurvivorFactory(organisation=org_a, given_name="Lindiwe", family_name="Mokoena")


@pytest.fixture
def survivor_b(org_b):
    return SurvivorFactory(organisation=org_b, given_name="Amina", family_name="Hassan")


@pytest.fixture
def za_regions(db):
    """A small South African tree: South Africa → Gauteng → Johannesburg, Tshwane;
    KwaZulu-Natal → eThekwini (Durban)."""
    za = RegionFactory(code="za", name="South Africa", level="country")
    gp = RegionFactory(code="za-gp", name="Gauteng", level="province", parent=za)
    kzn = RegionFactory(code="za-kzn", name="KwaZulu-Natal", level="province", parent=za)
    return SimpleNamespace(
        za=za,
        gp=gp,
        kzn=kzn,
        jhb=RegionFactory(code="za-gp-johannesburg", name="Johannesburg", parent=gp),
        tshwane=RegionFactory(code="za-gp-tshwane", name="Tshwane", parent=gp),
        durban=RegionFactory(code="za-kzn-ethekwini", name="eThekwini", parent=kzn),
    )


def actor(user, org=None):
    return actor_for(user, str(org.pk) if org else None)


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` signs it in with a bearer token."""
    client = APIClient()

    def as_user(user, organisation=None):
        raw, _ = ApiToken.issue(user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        if organisation is not None:
            client.credentials(
                HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_X_AFTERCARE_ORGANISATION=organisation.slug
            )
        return client

    client.as_user = as_user
    return client


def current_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture
def web_login(client):
    """Sign a user in on the web, passing the second factor where their role needs it."""

    def login(user):
        client.force_login(user)
        if user.needs_two_factor:
            device = totp_device(user)
            response = client.post("/accounts/two-factor/", {"code": current_code(device)})
            assert response.status_code == 302, "second factor refused in the test helper"
        # One request, as a browser makes after signing in: it fills the identity cache and
        # slides the session, so a test counting queries counts a page's own.
        client.get("/health")
        return client

    return login


@pytest.fixture
def assert_queries():
    """`with assert_queries(n) as captured:` fails if the block runs over n queries, listing them.

    A budget is a fixed ceiling (tests/query_budgets.py holds the pages' and lists'); `captured`
    is Django's CaptureQueriesContext, so a test can also compare two sizes with len(captured).
    """

    @contextmanager
    def at_most(budget: int, using: str = "default"):
        with CaptureQueriesContext(connections[using]) as captured:
            yield captured
        if len(captured) > budget:
            queries = enumerate(captured.captured_queries, 1)
            listing = "\n".join(f"{n:3d}. {query['sql']}" for n, query in queries)
            pytest.fail(
                f"{len(captured)} queries, over the budget of {budget}:\n{listing}", pytrace=False
            )

    return at_most


@pytest.fixture
def sqlite_database_file(tmp_path):
    """For the test that scans the raw bytes of the database: a file that holds it page for page.

    The suite's SQLite database lives in memory (a file named by AFTERCARE_SQLITE_TEST_PATH is
    used as it is). SQLite's backup API copies every page as it is, free pages included, so the
    file holds the same bytes the database would hold on disk. Call it after the writes.
    """

    def database_file() -> Path:
        assert connection.vendor == "sqlite"
        if not connection.is_in_memory_db():
            connection.close()  # every page on disk
            return Path(connection.settings_dict["NAME"])
        connection.ensure_connection()
        path = tmp_path / "database.sqlite3"
        with closing(sqlite3.connect(path)) as target:
            connection.connection.backup(target)
        return path

    return database_file
