"""The pages behind a different sign-in stay within their query budgets (PORTAL_BUDGETS in
tests/query_budgets.py): the second-factor page, half signed in (password done); an
invitation's page, opened from its link; and the survivor's own portal, signed in with her PIN.

She has a long history (goals and comments, services from two organisations and her ratings of
them, consents given and withdrawn, referrals, earnings, savings, jobs, training, mentors and
roles); a newcomer has one of each, and each portal page costs them the same: the budget is a
ceiling that does not depend on how much she holds."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from aftercare.accounts import members
from aftercare.accounts.roles import Role
from aftercare.cases import care
from aftercare.livelihoods import training
from aftercare.mentoring import services as mentoring
from aftercare.referrals import services as referrals
from aftercare.voice import portal_accounts, ratings
from aftercare.voice.models import DIMENSIONS, GoalComment
from tests.cases.test_query_counts import give_history as give_case_history
from tests.conftest import actor, member
from tests.factories import PASSWORD, PartnerEmployerFactory, SurvivorFactory, totp_device
from tests.livelihoods.test_pages import give_history as give_livelihood_history
from tests.query_budgets import PORTAL_BUDGETS
from tests.voice.factories import DutyBearerFactory

pytestmark = pytest.mark.django_db

PIN = "482915"


def give_portal_history(worker, partner, survivor, n: int, bearers) -> None:
    """n of everything her portal shows. `worker` holds her case; `partner` works at the
    organisation she is referred to, which accepts half the referrals and serves her too; their
    services name one of `bearers`, the duty bearers of each organisation."""
    today = timezone.localdate()
    # Goals, services, notes, reviews, risk assessments, referrals to the partner, consents.
    give_case_history(worker, survivor, partner.organisation, n)
    care.record_consent(worker, survivor, purpose="contact", granted=True, method="written")
    for i in range(n):  # her consent for the partner, given and withdrawn in turn
        care.record_consent(
            worker,
            survivor,
            purpose="referral",
            granted=i % 2 == 0,
            method="written",
            organisation=partner.organisation,
        )
    for referral in list(survivor.referrals.order_by("created_at"))[: max(1, n // 2)]:
        referrals.transition(partner, referral.pk, "accept", text="ok")
    for goal in survivor.goals.all():
        GoalComment.objects.create(goal=goal, text="mine", by_survivor=True)
        GoalComment.objects.create(goal=goal, text="theirs", author=worker.user)
    for i, by in enumerate([worker, partner] * n):  # services naming a duty bearer, both sides
        bearer = bearers[by.organisation_id][i % len(bearers[by.organisation_id])]
        care.record_service(
            by,
            survivor,
            {
                "domain": "medical",
                "organisation": by.organisation,
                "date": today - timedelta(days=i + 1),
                "duty_bearer": bearer,
            },
        )
    # Jobs, savings, her shares of sales, income; training with attendance.
    give_livelihood_history(worker, survivor, PartnerEmployerFactory(), n)
    course = {"name": f"Course {n}", "trade": "tailoring", "kind": "training", "duration_weeks": 4}
    programme = training.add_programme(worker, course)
    for i in range(n):
        cohort = training.add_cohort(
            worker, programme, {"name": f"C{i}", "start_date": today - timedelta(days=90)}
        )
        enrolment = training.enrol(worker, survivor, cohort, enrolled_on=today - timedelta(days=80))
        training.mark_attendance(worker, enrolment, on=today - timedelta(days=70), present=True)
        mentor = mentoring.add_mentor(worker, {"kind": "peer", "name": f"Mentor {i}"})
        match = mentoring.match_mentor(
            worker, survivor, {"mentor": mentor.pk, "start": today - timedelta(days=60)}
        )
        for day in (50, 40):
            mentoring.record_session(
                worker,
                survivor,
                match.pk,
                {"held_on": today - timedelta(days=day), "topic": "career_preparation"},
            )
        for start, end in ((30, None), (300, 200)):  # a role now, one past
            mentoring.add_role(
                worker,
                survivor,
                {
                    "kind": "peer_supporter",
                    "start": today - timedelta(days=start),
                    "end": end and today - timedelta(days=end),
                },
            )


def open_portal(worker, partner, username: str, n: int, bearers) -> dict:
    """Her portal account, with n of everything. Of her older services she rated everyone she
    could for half, one subject for the rest; the newest one naming a duty bearer is still to
    rate (the rating page's path)."""
    survivor = SurvivorFactory(organisation=worker.organisation)
    give_portal_history(worker, partner, survivor, n, bearers)
    account, _pin = portal_accounts.link_account(worker, survivor, username=username, pin=PIN)
    newest, *older = survivor.services.filter(duty_bearer__isnull=False).order_by("-date")
    for i, service in enumerate(older):
        subjects = ratings.subjects_for_service(service)
        for subject in subjects if i % 2 else subjects[:1]:
            ratings.rate_as_survivor(
                actor(account.user), account, service, subject.pk, dict.fromkeys(DIMENSIONS, 4)
            )
    return {"account": account, "values": {"service": newest.pk}}


@pytest.fixture
def portal_world(org_a, org_b):
    cache.clear()
    worker = actor(member(org_a, Role.CASE_WORKER, "portal_worker"))
    partner = actor(member(org_b, Role.CASE_WORKER, "portal_partner"))
    half = member(org_a, Role.CASE_WORKER, "portal_half")
    totp_device(half)
    admin = actor(member(org_a, Role.ADMIN, "portal_admin"))
    invited = members.invite(admin, username="portal_invited", role=Role.CASE_WORKER)
    bearers = {  # the registry: whom she may rate besides the organisation that served her
        org.pk: DutyBearerFactory.create_batch(5, organisation=org, registered_by=org)
        for org in (org_a, org_b)
    }
    return {
        "survivor": open_portal(worker, partner, "amara", 4, bearers),
        "newcomer": open_portal(worker, partner, "zola", 1, bearers),
        "half_signed_in": {"user": half, "values": {}},
        "invited": {"values": {"token": invited.link.rstrip("/").rsplit("/", 1)[1]}},
    }


def portal_client(world, who: str) -> Client:
    """A browser as `who`: a survivor signed in with her PIN at /me/sign-in/, a staff member
    who gave her password and stands at the second factor, or one holding an invitation's link
    (signed out)."""
    client = Client()
    if who in ("survivor", "newcomer"):
        username = world[who]["account"].user.username
        response = client.post("/me/sign-in/", {"identifier": username, "secret": PIN})
        assert response.status_code == 302 and response["Location"] == "/me/", response
    elif who == "half_signed_in":
        username = world[who]["user"].username
        response = client.post("/accounts/sign-in/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/"
    return client


def measure(world, path: str, who: str, budget: int, assert_queries):
    url = path.format(**world[who]["values"])
    client = portal_client(world, who)
    client.get(url)  # warm: caches that any request fills, and the session's first slide
    with assert_queries(budget) as captured:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    print(f"BUDGET {len(captured):3d} {who} {path}")
    if os.environ.get("SHOW_SQL"):
        print("\n".join("   " + q["sql"][:400] for q in captured))
    return captured


def _cases():
    for path, who, budget in PORTAL_BUDGETS:
        yield pytest.param(path, who, budget, id=f"{who} {path}")


@pytest.mark.parametrize(("path", "who", "budget"), list(_cases()))
def test_query_budget(portal_world, path, who, budget, assert_queries):
    captured = measure(portal_world, path, who, budget, assert_queries)
    # A read writes at most its audit event, as in tests/core/test_query_budgets.py: the portal's
    # short session is not written again on every page (its expiry slides once a minute).
    writes = [
        q["sql"]
        for q in captured
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert len(writes) <= 1 and all('"audit_auditevent"' in sql for sql in writes), writes


@pytest.mark.parametrize(
    ("path", "budget"),
    [(path, budget) for path, who, budget in PORTAL_BUDGETS if who == "survivor"],
)
def test_her_portal_costs_what_a_newcomers_does(portal_world, path, budget, assert_queries):
    newcomer = measure(portal_world, path, "newcomer", budget, assert_queries)
    survivor = measure(portal_world, path, "survivor", budget, assert_queries)
    assert len(survivor) == len(newcomer), (path, len(newcomer), len(survivor))


def test_her_pages_show_her_long_history(portal_world):
    """So the budgets above are measured with something to show."""
    client = portal_client(portal_world, "survivor")
    page = {path: client.get(path).content.decode() for path in ("/me/", "/me/rate/")}
    assert page["/me/"].count("goal ") >= 4 and page["/me/"].count("mine") >= 4
    rate_list = page["/me/rate/"]
    assert rate_list.count('class="card"') == 12  # 4 from her case's history, 8 naming someone
    assert rate_list.count("You rated this") == 3
    service = portal_world["survivor"]["values"]["service"]
    assert client.get(f"/me/rate/{service}/").content.decode().count("Health worker") >= 4
    assert client.get("/me/consent/").content.decode().count("Organisation B") >= 1
    assert client.get("/me/referrals/").content.decode().count("Organisation B") >= 4
    assert "Organisation B" in client.get("/me/my-information/").content.decode()
    earnings = client.get("/me/earnings/").content.decode()
    assert earnings.count("Bag 4") >= 4 and earnings.count("Job ") >= 4
    mentor = client.get("/me/mentor/").content.decode()
    assert all(f"Mentor {i}" in mentor for i in range(4)) and "2 meetings" in mentor
