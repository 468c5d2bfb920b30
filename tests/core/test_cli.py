"""The `aftercare` administration commands."""

import io
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from aftercare.accounts.models import ApiToken, Membership, Organisation, User
from aftercare.cases.models import Survivor
from aftercare.core import crypto
from tests.factories import SurvivorFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_org_add_and_user_add_with_role():
    run("org", "add", "sanjog", "--name", "Sanjog", "--kind", "ngo", "--country", "in")
    run(
        "user",
        "add",
        "priya",
        "--org",
        "sanjog",
        "--role",
        "case_worker",
        "--password",
        "a long demo passphrase",
    )
    org = Organisation.objects.get(slug="sanjog")
    assert org.country == "IN"
    membership = Membership.objects.get(user__username="priya")
    assert (membership.organisation, membership.role) == (org, "case_worker")
    assert User.objects.get(username="priya").needs_two_factor


def test_user_add_refuses_a_weak_password_and_an_unknown_org():
    run("org", "add", "sanjog", "--name", "Sanjog", "--kind", "ngo", "--country", "IN")
    with pytest.raises(CommandError, match="Password refused"):
        run("user", "add", "priya", "--org", "sanjog", "--role", "case_worker", "--password", "123")
    with pytest.raises(CommandError, match="No organisation"):
        run(
            "user",
            "add",
            "priya",
            "--org",
            "nowhere",
            "--role",
            "case_worker",
            "--password",
            "a long demo passphrase",
        )
    assert not User.objects.exists()


def test_no_2fa_is_refused_in_production_mode(settings):
    run("org", "add", "sanjog", "--name", "Sanjog", "--kind", "ngo", "--country", "IN")
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        run(
            "user",
            "add",
            "priya",
            "--org",
            "sanjog",
            "--role",
            "case_worker",
            "--password",
            "a long demo passphrase",
            "--no-2fa",
        )
    assert not User.objects.exists()


def test_no_2fa_exempts_a_staff_user_outside_production():
    run("org", "add", "sanjog", "--name", "Sanjog", "--kind", "ngo", "--country", "IN")
    run(
        "user",
        "add",
        "bot",
        "--org",
        "sanjog",
        "--role",
        "me_officer",
        "--password",
        "a long demo passphrase",
        "--no-2fa",
    )
    assert not User.objects.get(username="bot").needs_two_factor


def test_token_prints_a_working_bearer_token(case_worker_a, api):
    raw = run("token", case_worker_a.username).strip()
    assert ApiToken.objects.filter(key_hash=ApiToken.hash(raw)).exists()
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_rotate_keys_reencrypts_under_the_new_key(settings, org_a):
    old_key = Fernet.generate_key().decode()
    new_key = Fernet.generate_key().decode()
    settings.AFTERCARE_FIELD_KEYS = [old_key]
    crypto.reset_key_cache()
    survivor_a = SurvivorFactory(
        organisation=org_a, given_name="Lindiwe"
    )  # stored under the old key
    settings.AFTERCARE_FIELD_KEYS = [new_key, old_key]
    run("rotate_keys")
    settings.AFTERCARE_FIELD_KEYS = [new_key]  # the old key is gone
    crypto.reset_key_cache()
    try:
        assert Survivor.objects.get(pk=survivor_a.pk).given_name == "Lindiwe"
        with connection.cursor() as cursor:
            cursor.execute("SELECT given_name FROM cases_survivor")
            stored = cursor.fetchone()[0]
        assert Fernet(new_key.encode()).decrypt(stored.encode()) == b"Lindiwe"
    finally:
        settings.AFTERCARE_FIELD_KEYS = []
        crypto.reset_key_cache()


def test_demo_data_twice_does_not_duplicate():
    run("demo_data", "--quiet-logins")
    counts = (Organisation.objects.count(), User.objects.count(), Survivor.objects.count())
    run("demo_data", "--quiet-logins")
    assert (Organisation.objects.count(), User.objects.count(), Survivor.objects.count()) == counts
    assert counts[0] >= 15 and counts[2] >= 200


def test_demo_network_covers_every_service_domain_and_role():
    from aftercare.accounts.roles import Role
    from aftercare.network.models import OrganisationService
    from aftercare.network.taxonomy import ServiceDomain

    run("demo_data", "--quiet-logins")
    assert set(OrganisationService.objects.values_list("domain", flat=True)) == set(
        ServiceDomain.values
    )
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert len(set(Organisation.objects.values_list("kind", flat=True))) >= 8
    assert len(set(Survivor.objects.values_list("status", flat=True))) == 4


def test_demo_data_is_refused_in_production_mode(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        run("demo_data")


def test_console_script_maps_dashed_names():
    result = subprocess.run(
        [sys.executable, "-m", "aftercare.cli", "help", "rotate-keys"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "Re-encrypt" in result.stdout
