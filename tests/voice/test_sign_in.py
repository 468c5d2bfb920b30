"""Survivors sign in with a username or phone number and a PIN or password; lockout as for staff."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import identify_hasher
from django.utils import timezone

from aftercare.audit.models import AuditEvent
from aftercare.core.errors import DomainError
from aftercare.voice import portal_accounts
from tests.conftest import actor
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

GENERIC = "The name, phone number or PIN is not right."


def sign_in(client, identifier, secret):
    return client.post("/me/sign-in/", {"identifier": identifier, "secret": secret})


def test_username_and_pin(client, portal_a):
    assert sign_in(client, "amara", portal_a.pin)["Location"] == "/me/"
    assert AuditEvent.objects.filter(action="sign_in", object_label="amara").exists()


def test_phone_number_in_any_common_form_and_pin(client, portal_a):
    assert sign_in(client, "082 555 0101", portal_a.pin).status_code == 302


def test_phone_number_and_password(client, portal_a):
    portal_a.user.set_password(PASSWORD)
    portal_a.user.save()
    assert sign_in(client, "+27825550101", PASSWORD).status_code == 302


def test_the_pin_is_stored_hashed_by_djangos_hashers(portal_a):
    assert portal_a.pin not in portal_a.account.pin_hash
    assert identify_hasher(portal_a.account.pin_hash)


def test_a_wrong_pin_gets_one_answer_for_every_failure(client, portal_a):
    wrong_pin = sign_in(client, "amara", "000000")
    unknown = sign_in(client, "nobody", portal_a.pin)
    assert wrong_pin.status_code == unknown.status_code == 401
    assert GENERIC in wrong_pin.content.decode() and GENERIC in unknown.content.decode()


def test_repeated_wrong_pins_lock_the_sign_in(client, portal_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "amara", "000000")
    assert AccessAttempt.objects.exists()
    assert sign_in(client, "amara", portal_a.pin).status_code == 429


def test_a_staff_user_cannot_sign_in_through_the_portal(client, case_worker_a):
    response = sign_in(client, "cw_a", PASSWORD)
    assert response.status_code == 401
    assert "_auth_user_id" not in client.session


def test_the_staff_sign_in_does_not_accept_a_pin_for_staff(client, case_worker_a):
    # PINs exist only on survivor accounts; a staff user has none to guess.
    assert (
        client.post("/accounts/sign-in/", {"username": "cw_a", "password": "482915"}).status_code
        == 401
    )


def test_there_is_no_remember_me(client):
    html = client.get("/me/sign-in/").content.decode().lower()
    assert "remember" not in html
    assert 'autocomplete="off"' in html


def test_a_closed_account_cannot_sign_in(client, portal_a, case_worker_a):
    portal_accounts.close_account(actor(case_worker_a), portal_a.account)
    assert sign_in(client, "amara", portal_a.pin).status_code == 401
    assert sign_in(client, "0825550101", portal_a.pin).status_code == 401


def test_two_survivors_sharing_a_phone_each_sign_in_with_their_own_pin(
    client, portal_a, survivor_b, case_worker_a
):
    from tests.factories import SurvivorFactory

    sister = SurvivorFactory(organisation=portal_a.survivor.organisation)
    portal_accounts.link_account(
        actor(case_worker_a), sister, username="sister", pin="915372", phone="0825550101"
    )
    sign_in(client, "0825550101", "915372")
    assert client.session["_auth_user_id"] == str(sister.portal_account.user.pk)


@pytest.mark.parametrize("pin", ["12345", "123456", "987654", "111111", "12a456"])
def test_weak_or_malformed_pins_are_refused(pin):
    with pytest.raises(DomainError):
        portal_accounts.check_pin_rules(pin)


def test_the_survivor_changes_their_pin(survivor_client, portal_a, client):
    browser = survivor_client(portal_a)
    assert browser.post("/me/pin/", {"current": portal_a.pin, "new": "605182"}).status_code == 302
    browser.post("/me/sign-out/")
    assert sign_in(client, "amara", "605182").status_code == 302


SPELLINGS = [
    "0825550777",
    "+27825550777",
    "x825550777",
    "082 555 0777",
    "082-555-0777",
    "+27 82 555 0777",
    "(082) 555-0777",
    "27825550777",
]


@pytest.fixture
def phone_portal(portal_a):
    from aftercare.voice.models import SurvivorAccount

    SurvivorAccount.objects.filter(pk=portal_a.account.pk).update(
        phone_index=portal_accounts.phone_index("0825550777")
    )
    return portal_a


def test_every_spelling_of_the_phone_counts_against_the_one_account(client, phone_portal, settings):
    """32 wrong PINs over eight spellings: the account locks after the limit, whichever spelling."""
    assert all(len(portal_accounts.accounts_for_identifier(s)) == 1 for s in SPELLINGS)
    assert {portal_accounts.lockout_key(s) for s in [*SPELLINGS, "amara", " Amara "]} == {
        "portal:amara"
    }
    answers = [
        sign_in(client, spelling, "000000").status_code for spelling in SPELLINGS for _ in range(4)
    ]
    limit = (
        settings.AXES_FAILURE_LIMIT
    )  # the failure that reaches the limit is answered with the lockout
    assert answers[: limit - 1] == [401] * (limit - 1)
    assert set(answers[limit - 1 :]) == {429}
    # The right PIN, by any spelling or by the username, is refused while the lockout holds.
    for spelling in [*SPELLINGS, "amara"]:
        assert sign_in(client, spelling, phone_portal.pin).status_code == 429
    assert "_auth_user_id" not in client.session
    # No phone number is stored with the failures.
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"portal:amara"}


def test_the_lockout_holds_from_another_address(client, phone_portal, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/me/sign-in/",
            {"identifier": SPELLINGS[i], "secret": "000000"},
            REMOTE_ADDR=f"10.0.0.{i + 1}",
        )
    response = client.post(
        "/me/sign-in/", {"identifier": "amara", "secret": phone_portal.pin}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429


def test_the_lockout_ends_after_the_cool_off_and_a_right_pin_resets_it(
    client, phone_portal, settings
):
    from datetime import timedelta

    for spelling in SPELLINGS[: settings.AXES_FAILURE_LIMIT]:
        sign_in(client, spelling, "000000")
    assert sign_in(client, "082 555 0777", phone_portal.pin).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    assert sign_in(client, "+27 82 555 0777", phone_portal.pin).status_code == 302
    assert not AccessAttempt.objects.filter(
        username="portal:amara", failures_since_start__gt=0
    ).exists()


def test_staff_failures_still_count_by_username_and_address(client, case_worker_a, settings):
    for _i in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/sign-in/", {"username": "cw_a", "password": "wrong"}, REMOTE_ADDR="10.0.0.1"
        )
    assert portal_accounts.lockout_key("cw_a") == "cw_a"
    assert AccessAttempt.objects.filter(username="cw_a").exists()
    # Another address is not locked out of a staff account (an attacker cannot lock staff out).
    response = client.post(
        "/accounts/sign-in/", {"username": "cw_a", "password": "wrong"}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code != 429


def test_a_phone_shared_by_two_accounts_counts_under_the_phone_not_a_number(portal_a, portal_b):
    from aftercare.voice.models import SurvivorAccount

    index = portal_accounts.phone_index("0825550777")
    SurvivorAccount.objects.update(phone_index=index)
    keys = {portal_accounts.lockout_key(s) for s in SPELLINGS}
    assert len(keys) == 1
    (key,) = keys
    assert key.startswith("portal:phone-") and "825550777" not in key


def test_the_failure_records_keep_neither_the_pin_tried_nor_the_phone_typed(client, phone_portal):
    sign_in(client, "+27 82 555 0777", "739105")
    stored = " ".join(AccessAttempt.objects.values_list("post_data", flat=True)) + " ".join(
        AccessAttempt.objects.values_list("get_data", flat=True)
    )
    assert AccessAttempt.objects.exists()
    assert "739105" not in stored and "555 0777" not in stored and "0777" not in stored


def test_waiting_out_each_lockout_does_not_allow_guessing_on(client, phone_portal, settings):
    """Backoff beyond the lockout: after AFTERCARE_PORTAL_DAILY_FAILURE_LIMIT failures in a day,
    over any spellings and cool-offs, even the right PIN waits for the next day."""
    settings.AFTERCARE_PORTAL_DAILY_FAILURE_LIMIT = 8
    for round_ in range(2):
        for spelling in SPELLINGS[round_ * 4 : round_ * 4 + 4]:
            assert sign_in(client, spelling, "000000").status_code == 401
        AccessAttempt.objects.all().delete()  # the cool-off passed
    assert sign_in(client, "amara", phone_portal.pin).status_code == 429
    assert sign_in(client, "0825550777", phone_portal.pin).status_code == 429
    assert "_auth_user_id" not in client.session
    from django.core.cache import cache

    cache.clear()  # the next day
    assert sign_in(client, "0825550777", phone_portal.pin).status_code == 302
