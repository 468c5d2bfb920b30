"""The survivor portal: only the survivor's own case, quick exit everywhere, small pages,
short sessions and nothing left in the browser's cache."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from aftercare.accounts.roles import Role
from aftercare.cases import care
from aftercare.voice.models import GoalComment
from tests.conftest import actor, member
from tests.voice.factories import ServiceFactory

pytestmark = pytest.mark.django_db

PORTAL_PAGES = [
    "/me/",
    "/me/consent/",
    "/me/referrals/",
    "/me/my-information/",
    "/me/rate/",
    "/me/pin/",
]
PUBLIC_PAGES = ["/me/sign-in/", "/feedback/"]
PAGE_BUDGET = 100 * 1024


@pytest.fixture
def plan_a(portal_a, case_worker_a):
    care.add_goal(
        actor(case_worker_a),
        portal_a.survivor,
        {"domain": "employment", "description": "A job with a monthly wage"},
    )
    ServiceFactory(survivor=portal_a.survivor)
    return portal_a


def test_the_portal_shows_the_survivors_own_plan(survivor_client, plan_a):
    page = survivor_client(plan_a).get("/me/")
    assert page.status_code == 200
    assert "A job with a monthly wage" in page.content.decode()


def test_another_survivors_plan_never_appears(survivor_client, plan_a, portal_b, case_worker_b):
    care.add_goal(
        actor(case_worker_b),
        portal_b.survivor,
        {"domain": "housing", "description": "A room near my sister"},
    )
    page = survivor_client(plan_a).get("/me/").content.decode()
    assert "A room near my sister" not in page
    assert portal_b.survivor.case_code not in page


def test_commenting_on_another_survivors_goal_is_not_found(
    survivor_client, plan_a, portal_b, case_worker_b
):
    goal = care.add_goal(
        actor(case_worker_b), portal_b.survivor, {"domain": "housing", "description": "Theirs"}
    )
    response = survivor_client(plan_a).post(f"/me/goals/{goal.pk}/comment/", {"text": "mine now"})
    assert response.status_code == 404
    assert not GoalComment.objects.exists()


def test_rating_another_survivors_service_is_not_found(survivor_client, plan_a, portal_b):
    theirs = ServiceFactory(survivor=portal_b.survivor)
    assert survivor_client(plan_a).get(f"/me/rate/{theirs.pk}/").status_code == 404


def test_staff_are_refused_the_portal(web_login, case_worker_a):
    assert web_login(case_worker_a).get("/me/").status_code == 403


def test_a_survivor_membership_without_a_linked_case_is_refused(client, org_a):
    client.force_login(member(org_a, Role.SURVIVOR, "unlinked"))
    assert client.get("/me/").status_code == 403


def test_signed_out_visitors_go_to_the_sign_in_page(client):
    response = client.get("/me/")
    assert response.status_code == 302 and response["Location"] == "/me/sign-in/"


@pytest.mark.parametrize("path", PORTAL_PAGES)
def test_every_portal_page_has_the_quick_exit_button(survivor_client, plan_a, path):
    html = survivor_client(plan_a).get(path).content.decode()
    assert re.search(
        r'<a id="quick-exit" class="exit" href="/me/exit/" data-exit-url="https://www.example.org/weather"',
        html,
    )
    assert "quick-exit.js" in html


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_the_sign_in_and_feedback_pages_have_quick_exit_too(client, path):
    assert 'id="quick-exit"' in client.get(path).content.decode()


def test_the_rating_form_and_confirmation_pages_have_quick_exit(survivor_client, plan_a):
    service = plan_a.survivor.services.get()
    assert (
        'id="quick-exit"' in survivor_client(plan_a).get(f"/me/rate/{service.pk}/").content.decode()
    )


def _static_size(html: str) -> int:
    total = 0
    for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        found = finders.find(url.removeprefix(settings.STATIC_URL))
        assert found, url
        total += Path(found).stat().st_size
    return total


@pytest.mark.parametrize("path", PORTAL_PAGES)
def test_portal_pages_weigh_under_100_kb_with_their_css_and_script(survivor_client, plan_a, path):
    response = survivor_client(plan_a).get(path)
    html = response.content.decode()
    weight = len(response.content) + _static_size(html)
    assert weight < PAGE_BUDGET, f"{path} weighs {weight} bytes"
    assert "htmx" not in html  # no framework on the portal


def test_the_rating_form_weighs_under_100_kb(survivor_client, plan_a):
    service = plan_a.survivor.services.get()
    response = survivor_client(plan_a).get(f"/me/rate/{service.pk}/")
    assert len(response.content) + _static_size(response.content.decode()) < PAGE_BUDGET


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_portal_pages_weigh_under_100_kb(client, path):
    response = client.get(path)
    assert len(response.content) + _static_size(response.content.decode()) < PAGE_BUDGET


def test_portal_sessions_are_short_and_pages_are_not_cached(survivor_client, plan_a, settings):
    browser = survivor_client(plan_a)
    response = browser.get("/me/")
    assert browser.session.get_expiry_age() == settings.AFTERCARE_SURVIVOR_IDLE_MINUTES * 60
    assert "no-store" in response["Cache-Control"]


def test_a_portal_page_does_not_write_the_session_yet_its_idle_timeout_slides(
    survivor_client, plan_a, settings, monkeypatch
):
    """The short expiry is set at sign-in, not again on every page (which wrote the session
    each time); like staff sessions it slides at most once a minute (SlidingSessionMiddleware)."""
    import time

    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aftercare.accounts.middleware import SLIDE_EVERY_SECONDS

    browser = survivor_client(plan_a)
    browser.get("/me/")  # the first page after sign-in starts the slide
    key = browser.session.session_key
    expiry = Session.objects.get(session_key=key).expire_date
    with CaptureQueriesContext(connection) as captured:
        assert browser.get("/me/consent/").status_code == 200
    assert not [q["sql"] for q in captured if "django_session" in q["sql"]]
    assert Session.objects.get(session_key=key).expire_date == expiry
    later = time.time() + SLIDE_EVERY_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert browser.get("/me/consent/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date > expiry
    assert browser.session.get_expiry_age() == settings.AFTERCARE_SURVIVOR_IDLE_MINUTES * 60


def test_a_survivor_signed_in_elsewhere_gets_the_short_session_on_her_first_page(
    client, plan_a, settings
):
    client.force_login(plan_a.user)  # as a session that did not come through /me/sign-in/
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert client.get("/me/").status_code == 200
    assert client.session.get_expiry_age() == settings.AFTERCARE_SURVIVOR_IDLE_MINUTES * 60


def test_the_portal_sets_no_inline_style_or_script(survivor_client, plan_a):
    html = survivor_client(plan_a).get("/me/").content.decode()
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " on" + "click=" not in html


def test_quick_exit_without_javascript_signs_out_and_leaves(survivor_client, plan_a):
    browser = survivor_client(plan_a)
    response = browser.get("/me/exit/")
    assert response.status_code == 302
    assert response["Location"] == "https://www.example.org/weather"
    assert "cache" in response["Clear-Site-Data"]
    assert browser.get("/me/").status_code == 302  # signed out


def test_quick_exit_beacon_signs_out(survivor_client, plan_a):
    browser = survivor_client(plan_a)
    assert browser.post("/me/exit/").status_code == 204
    assert browser.get("/me/").status_code == 302


def test_the_survivor_adds_a_goal_in_their_own_words(survivor_client, plan_a, case_worker_a):
    response = survivor_client(plan_a).post(
        "/me/", {"domain": "education", "description": "Learn to read English"}
    )
    assert response.status_code == 302
    goal = next(
        g for g in plan_a.survivor.goals.all() if g.description == "Learn to read English"
    )  # encrypted: no filter
    assert goal.added_by_survivor and goal.created_by == plan_a.user
    assert case_worker_a.notifications.filter(
        key="portal.goal_added", params__code=plan_a.survivor.case_code
    ).exists()


def test_the_survivor_comments_on_a_goal(survivor_client, plan_a):
    goal = plan_a.survivor.goals.get()
    survivor_client(plan_a).post(
        f"/me/goals/{goal.pk}/comment/", {"text": "I have an interview on Monday"}
    )
    comment = GoalComment.objects.get()
    assert comment.goal == goal and comment.by_survivor
    assert "I have an interview on Monday" in survivor_client(plan_a).get("/me/").content.decode()


def test_an_empty_goal_is_refused_with_a_clear_error(survivor_client, plan_a):
    response = survivor_client(plan_a).post("/me/", {"domain": "education", "description": "   "})
    assert response.status_code == 400
    assert plan_a.survivor.goals.count() == 1


def test_choosing_a_language_is_remembered_on_the_account(survivor_client, plan_a):
    browser = survivor_client(plan_a)
    browser.post("/me/language/", {"language": "hi", "next": "/me/"})
    plan_a.user.refresh_from_db()
    assert plan_a.user.preferred_language == "hi"
    assert browser.get("/me/")["Content-Language"] == "hi"
