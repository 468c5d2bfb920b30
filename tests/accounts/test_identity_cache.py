"""The signed-in floor: the session and the actor are read from the cache, yet every change
to who someone is (role, deactivation, second factor, password) takes effect on the next request."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from aftercare.accounts import identity
from aftercare.accounts.middleware import SEEN_SESSION_KEY, SLIDE_EVERY_SECONDS
from aftercare.accounts.models import Membership
from aftercare.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache(settings):
    settings.AFTERCARE_BENCH_FLOOR = True
    cache.clear()


def queries(client, url, expect=200):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == expect, response
    return [q["sql"] for q in captured]


def test_a_signed_in_request_reads_nothing_from_the_database_once_cached(web_login, case_worker_a):
    client = web_login(case_worker_a)
    queries(client, "/bench/floor")  # the first request after sign-in may fill the cache
    assert queries(client, "/bench/floor") == []


def test_the_session_is_written_at_most_once_a_minute_and_still_slides(
    web_login, case_worker_a, monkeypatch
):
    client = web_login(case_worker_a)
    queries(client, "/bench/floor")
    key = client.session.session_key
    expiry = Session.objects.get(session_key=key).expire_date
    assert not any(
        "UPDATE" in sql.upper() or "INSERT" in sql.upper()
        for sql in queries(client, "/bench/floor")
    )
    assert Session.objects.get(session_key=key).expire_date == expiry

    import time

    later = time.time() + SLIDE_EVERY_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    written = queries(client, "/bench/floor")
    assert any("UPDATE" in sql.upper() for sql in written)
    assert Session.objects.get(session_key=key).expire_date > expiry
    assert client.session[SEEN_SESSION_KEY] == int(later)


def test_a_role_change_takes_effect_on_the_next_request(web_login, case_worker_a, org_a):
    client = web_login(case_worker_a)
    assert client.get("/cases/").status_code == 200
    membership = Membership.objects.get(user=case_worker_a, organisation=org_a)
    membership.role = Role.ME_OFFICER
    membership.save()
    assert client.get("/cases/").status_code == 403


def test_a_deactivated_membership_takes_effect_on_the_next_request(web_login, case_worker_a, org_a):
    client = web_login(case_worker_a)
    assert client.get("/cases/").status_code == 200
    Membership.objects.filter(user=case_worker_a).get().delete()
    assert client.get("/cases/").status_code == 403


def test_a_deactivated_organisation_takes_effect_on_the_next_request(
    web_login, case_worker_a, org_a
):
    client = web_login(case_worker_a)
    assert client.get("/cases/").status_code == 200
    org_a.is_active = False
    org_a.save()
    assert client.get("/cases/").status_code == 403


def test_a_deactivated_user_is_signed_out_at_once(web_login, case_worker_a):
    client = web_login(case_worker_a)
    assert client.get("/cases/").status_code == 200
    case_worker_a.is_active = False
    case_worker_a.save()
    response = client.get("/cases/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_a_password_change_elsewhere_ends_the_session(web_login, case_worker_a):
    client = web_login(case_worker_a)
    assert client.get("/cases/").status_code == 200
    case_worker_a.set_password("a completely new passphrase")
    case_worker_a.save()
    response = client.get("/cases/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_a_second_factor_reset_sends_the_session_back_to_the_second_factor(
    web_login, case_worker_a
):
    client = web_login(case_worker_a)
    assert client.get("/cases/").status_code == 200
    TOTPDevice.objects.filter(user=case_worker_a).delete()
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/"


def test_an_update_that_bypasses_save_is_forgotten_too(client, org_a, make_member):
    from aftercare.voice import portal_accounts

    user = make_member(org_a, Role.SURVIVOR)
    client.force_login(user)
    assert client.get("/dashboard/").status_code in (200, 302)
    assert cache.get(identity.KEY.format(user.pk)) is not None
    portal_accounts.remember_language(user, "hi")
    assert cache.get(identity.KEY.format(user.pk)) is None


def test_the_cache_holds_no_password_hash_and_no_device_key(web_login, case_worker_a):
    client = web_login(case_worker_a)
    client.get("/bench/floor")
    entry = cache.get(identity.KEY.format(case_worker_a.pk))
    flat = repr(entry)
    assert case_worker_a.password not in flat
    device = TOTPDevice.objects.get(user=case_worker_a)
    assert device.key not in flat
    assert "street_address" not in identity.ORGANISATION_FIELDS


def test_a_session_device_of_another_user_is_refused(web_login, case_worker_a, case_worker_b):
    from django_otp import DEVICE_ID_SESSION_KEY

    from tests.factories import totp_device

    client = web_login(case_worker_a)
    other = totp_device(case_worker_b)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = other.persistent_id
    session.save()
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/"
