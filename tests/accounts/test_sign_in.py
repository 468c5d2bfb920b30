"""Sign-in: generic errors, lockout, second factor for staff, inactivity, headers."""

import pytest
from django.core.cache import cache
from django_otp.plugins.otp_static.models import StaticToken

from aftercare.accounts import two_factor
from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditEvent
from tests.conftest import current_code
from tests.factories import PASSWORD, totp_device

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttles():
    cache.clear()


def sign_in(client, username, password=PASSWORD):
    return client.post("/accounts/sign-in/", {"username": username, "password": password})


def test_wrong_password_and_unknown_user_get_the_same_answer(client, case_worker_a):
    wrong = sign_in(client, case_worker_a.username, "not the password")
    unknown = sign_in(client, "nobody-by-this-name", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert b"The username or password is not right." in wrong.content
    assert wrong.content.replace(b"nobody-by-this-name", b"").count(
        b"alert--error"
    ) == unknown.content.count(b"alert--error")
    assert AuditEvent.objects.filter(action="sign_in_failed").count() == 2


def test_repeated_failures_lock_out_even_the_right_password(client, case_worker_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, case_worker_a.username, "guess")
    locked = sign_in(client, case_worker_a.username, PASSWORD)
    assert locked.status_code == 429
    assert b"Too many attempts" in locked.content
    assert "_auth_user_id" not in client.session


def test_unknown_usernames_lock_out_too_so_lockout_reveals_nothing(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ghost", "guess")
    assert sign_in(client, "ghost", "guess").status_code == 429


def test_staff_must_pass_second_factor_before_any_page(client, case_worker_a):
    device = totp_device(case_worker_a)
    response = sign_in(client, case_worker_a.username)
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/"
    assert client.get("/cases/")["Location"] == "/accounts/two-factor/"
    assert client.get("/dashboard/")["Location"] == "/accounts/two-factor/"
    right = client.post("/accounts/two-factor/", {"code": current_code(device)})
    assert right.status_code == 302
    assert client.get("/cases/").status_code == 200


def test_wrong_code_throttles_the_device_so_codes_cannot_be_guessed_quickly(client, case_worker_a):
    device = totp_device(case_worker_a)
    sign_in(client, case_worker_a.username)
    wrong = client.post("/accounts/two-factor/", {"code": "000000"})
    assert wrong.status_code == 200 and b"not right" in wrong.content
    # Even the right code is refused until the back-off has passed.
    assert client.post("/accounts/two-factor/", {"code": current_code(device)}).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1


def test_staff_without_a_device_is_sent_to_enrol(client, case_worker_a):
    sign_in(client, case_worker_a.username)
    response = client.get("/accounts/two-factor/")
    assert response["Location"] == "/accounts/two-factor/set-up/"
    page = client.get("/accounts/two-factor/set-up/")
    assert page.status_code == 200 and b"<svg" in page.content


def test_enrolment_confirms_device_and_gives_recovery_codes(client, case_worker_a):
    sign_in(client, case_worker_a.username)
    client.get("/accounts/two-factor/set-up/")
    device = two_factor.start_enrolment(case_worker_a)
    response = client.post("/accounts/two-factor/set-up/", {"code": current_code(device)})
    assert response.status_code == 200
    assert len(response.context["codes"]) == two_factor.RECOVERY_CODE_COUNT
    assert two_factor.has_confirmed_device(case_worker_a)
    assert client.get("/cases/").status_code == 200


def test_recovery_code_works_once(client, case_worker_a):
    totp_device(case_worker_a)
    codes = two_factor.new_recovery_codes(case_worker_a)
    sign_in(client, case_worker_a.username)
    assert client.post("/accounts/two-factor/", {"code": codes[0]}).status_code == 302
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    client.post("/accounts/sign-out/")
    sign_in(client, case_worker_a.username)
    assert client.post("/accounts/two-factor/", {"code": codes[0]}).status_code == 200


def test_survivor_signs_in_without_second_factor(client, org_a, make_member):
    survivor = make_member(org_a, Role.SURVIVOR)
    response = sign_in(client, survivor.username)
    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_open_redirect_after_sign_in_is_refused(client, org_a, make_member):
    survivor = make_member(org_a, Role.SURVIVOR)
    response = client.post(
        "/accounts/sign-in/?next=https://evil.example/",
        {"username": survivor.username, "password": PASSWORD},
    )
    assert response["Location"] == "/dashboard/"


def test_session_expires_after_configured_inactivity(client, settings, org_a, make_member):
    assert settings.SESSION_COOKIE_AGE == settings.AFTERCARE_IDLE_TIMEOUT_MINUTES * 60 == 30 * 60
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    survivor = make_member(org_a, Role.SURVIVOR)
    sign_in(client, survivor.username)
    session = client.session  # as if the sliding window had passed

    session.set_expiry(-1)
    session.save()
    assert client.get("/dashboard/").status_code == 302


def test_security_headers_and_strict_csp(client):
    response = client.get("/accounts/sign-in/", secure=True)
    csp = response["Content-Security-Policy"]
    assert (
        "default-src 'self'" in csp
        and "script-src 'self'" in csp
        and "frame-ancestors 'none'" in csp
    )
    assert "unsafe-inline" not in csp and "http" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in response["Strict-Transport-Security"]


def test_session_cookie_is_http_only_and_secure_in_production_mode(
    client, settings, org_a, make_member
):
    settings.SESSION_COOKIE_SECURE = True  # what production mode sets
    survivor = make_member(org_a, Role.SURVIVOR)
    response = sign_in(client, survivor.username)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["secure"]


def test_passwords_are_hashed_with_argon2_in_real_settings():
    from aftercare import settings as real_settings

    assert real_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_switching_to_an_organisation_one_is_not_in_is_refused(web_login, case_worker_a, org_b):
    client = web_login(case_worker_a)
    client.post("/accounts/organisation/", {"organisation": str(org_b.pk)})
    assert client.get("/dashboard/").context["actor"].organisation != org_b


def test_switching_between_own_organisations(web_login, org_a, org_b, case_worker_a):
    from tests.factories import MembershipFactory

    MembershipFactory(user=case_worker_a, organisation=org_b, role=Role.SUPERVISOR)
    client = web_login(case_worker_a)
    client.post("/accounts/organisation/", {"organisation": str(org_b.pk)})
    assert client.get("/dashboard/").context["actor"].organisation == org_b
