"""One-time feedback codes: issued after a service, stored hashed, single-use, expiring."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.voice import ratings
from aftercare.voice.models import FeedbackCode, Rating
from tests.conftest import actor, member
from tests.voice.factories import DutyBearerFactory, ServiceFactory

pytestmark = pytest.mark.django_db

GOOD = {"respect": 5, "timeliness": 4, "helpfulness": 5, "safety": 5, "information": 4}


@pytest.fixture
def service(survivor_a):
    return ServiceFactory(survivor=survivor_a)


@pytest.fixture
def code(service, case_worker_a):
    raw, _ = ratings.issue_code(actor(case_worker_a), service, service.organisation_id)
    return raw


def test_a_code_is_stored_only_as_a_keyed_hash(code):
    stored = FeedbackCode.objects.get()
    assert code not in stored.code_hash
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM voice_feedbackcode")
        assert code not in repr(cursor.fetchall())


def test_a_code_rates_the_service_once(code, service):
    rating = ratings.rate_with_code(code, GOOD, "They listened to me.")
    assert rating.organisation == service.organisation and rating.domain == service.domain
    with pytest.raises(ratings.CodeRefused, match="already used"):
        ratings.rate_with_code(code, GOOD)
    assert Rating.objects.count() == 1


def test_a_code_is_refused_after_it_expires(code):
    FeedbackCode.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ratings.CodeRefused, match="expired"):
        ratings.rate_with_code(code, GOOD)
    assert not Rating.objects.exists()


def test_an_unknown_code_is_refused(code):
    with pytest.raises(ratings.CodeRefused, match="not known"):
        ratings.rate_with_code("ZZZZZZ", GOOD)


def test_codes_are_read_case_and_space_insensitively(code):
    spaced = " ".join(code.lower())
    assert ratings.rate_with_code(spaced, GOOD)


def test_bad_scores_leave_the_code_unspent(code):
    with pytest.raises(ratings.RatingInvalid):
        ratings.rate_with_code(code, {**GOOD, "safety": 7})
    assert FeedbackCode.objects.get().used_on is None
    assert ratings.rate_with_code(code, GOOD)


def test_a_code_cannot_be_turned_on_someone_else(code, org_b):
    with pytest.raises(ratings.DomainError, match="someone else"):
        ratings.rate_with_code(code, GOOD, subject_id=org_b.pk)


def test_the_rating_holds_nothing_that_leads_back_to_the_survivor(code, survivor_a):
    rating = ratings.rate_with_code(code, GOOD, "fine")
    fields = {f.name for f in Rating._meta.get_fields()}
    assert not fields & {"survivor", "service", "code", "user", "created_at", "created_by"}
    assert rating.period.day == 1


def test_a_code_may_name_a_duty_bearer_of_the_organisation(service, case_worker_a):
    nurse = DutyBearerFactory(organisation=service.organisation, name="Sister Dlamini, ward nurse")
    raw, _ = ratings.issue_code(actor(case_worker_a), service, nurse.pk)
    assert ratings.rate_with_code(raw, GOOD).duty_bearer == nurse


def test_a_subject_unrelated_to_the_service_cannot_be_put_on_a_code(service, case_worker_a, org_b):
    with pytest.raises(ratings.DomainError):
        ratings.issue_code(actor(case_worker_a), service, org_b.pk)


def test_another_organisation_cannot_issue_codes_for_the_case(service, case_worker_b):
    with pytest.raises(Http404):
        ratings.issue_code(actor(case_worker_b), service, service.organisation_id)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.REFERRAL_SOURCE, Role.ME_OFFICER, Role.SURVIVOR])
def test_a_lower_role_cannot_issue_codes(service, org_a, role):
    with pytest.raises(PermissionDenied):
        ratings.issue_code(actor(member(org_a, role)), service, service.organisation_id)


def test_too_many_wrong_codes_are_refused_for_a_while(code, settings):
    settings.AFTERCARE_FEEDBACK_CODE_FAILURES = 3
    for _ in range(3):
        with pytest.raises(ratings.CodeRefused):
            ratings.rate_with_code("WRONG1", GOOD, client="voice:test:client")
    with pytest.raises(ratings.limits.RateLimited):
        ratings.rate_with_code(code, GOOD, client="voice:test:client")


def test_the_public_feedback_page_takes_a_code(client, code):
    response = client.post("/feedback/", {"code": code, **GOOD, "comment": ""})
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    again = client.post("/feedback/", {"code": code, **GOOD})
    assert again.status_code == 400 and "already used" in again.content.decode()


def test_the_feedback_page_names_the_bad_field(client, code):
    response = client.post("/feedback/", {"code": code, **GOOD, "safety": "9"})
    assert response.status_code == 400
    assert FeedbackCode.objects.get().used_on is None


def test_the_case_page_issues_a_code_and_shows_it_once(web_login, case_worker_a, service):
    browser = web_login(case_worker_a)
    prefix = f"s{service.pk.hex[:8]}"
    page = browser.post(
        f"/voice/cases/{service.survivor_id}/services/{service.pk}/code/",
        {f"{prefix}-subject": str(service.organisation_id), f"{prefix}-language": "en"},
    )
    assert page.status_code == 200
    shown = page.context["shown_code"]
    assert shown in page.content.decode()
    assert shown not in browser.get(f"/voice/cases/{service.survivor_id}/").content.decode()
    assert FeedbackCode.objects.get().code_hash == ratings.code_hash(shown)
