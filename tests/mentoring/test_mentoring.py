"""Mentoring and survivor leadership: recorded by the organisation holding the case, seen by
the survivor in her portal, counted in indicators only with her consent."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.core.errors import DomainError
from aftercare.mentoring import access, indicators, services
from aftercare.mentoring.models import MentoringSession
from aftercare.voice import portal_accounts
from tests.conftest import actor, member
from tests.voice.conftest import give_consents

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def mentor_a(case_worker_a):
    return services.add_mentor(actor(case_worker_a), {"kind": "peer", "name": "Palesa"})


def matched(worker, survivor, mentor, days=60):
    return services.match_mentor(
        worker,
        survivor,
        {
            "mentor": mentor.pk,
            "start": TODAY - timedelta(days=days),
            "focus": "Prepare for job interviews",
        },
    )


def test_a_mentor_is_matched_and_sessions_recorded(case_worker_a, survivor_a, mentor_a):
    worker = actor(case_worker_a)
    match = matched(worker, survivor_a, mentor_a)
    services.record_session(
        worker,
        survivor_a,
        match.pk,
        {
            "held_on": TODAY - timedelta(days=3),
            "topic": "career_preparation",
            "minutes": 45,
            "notes": "CV drafted",
        },
    )
    found = services.matches_of(survivor_a).get()
    assert found.session_count == 1 and found.last_session == TODAY - timedelta(days=3)


def test_mentor_names_and_session_notes_are_encrypted_at_rest(case_worker_a, survivor_a, mentor_a):
    from django.db import connection

    match = matched(actor(case_worker_a), survivor_a, mentor_a)
    services.record_session(
        actor(case_worker_a),
        survivor_a,
        match.pk,
        {"held_on": TODAY, "topic": "life_skills", "notes": "talked about her sister"},
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM mentoring_mentor")
        assert "Palesa" not in cursor.fetchone()[0]
        cursor.execute("SELECT notes FROM mentoring_mentoringsession")
        assert "sister" not in cursor.fetchone()[0]


def test_a_session_outside_the_match_is_refused(case_worker_a, survivor_a, mentor_a):
    match = matched(actor(case_worker_a), survivor_a, mentor_a, days=10)
    with pytest.raises(DomainError) as refused:
        services.record_session(
            actor(case_worker_a),
            survivor_a,
            match.pk,
            {"held_on": TODAY - timedelta(days=20), "topic": "life_skills"},
        )
    assert refused.value.field == "held_on"
    assert not MentoringSession.objects.exists()


def test_another_organisations_mentor_cannot_be_matched(case_worker_a, case_worker_b, survivor_a):
    theirs = services.add_mentor(actor(case_worker_b), {"kind": "staff", "name": "Grace"})
    with pytest.raises(DomainError):
        matched(actor(case_worker_a), survivor_a, theirs)


def test_another_organisation_and_lower_roles_cannot_reach_the_case(
    case_worker_b, org_a, survivor_a
):
    with pytest.raises(Exception) as hidden:
        access.case_to_read(actor(case_worker_b), survivor_a.pk)
    assert hidden.type.__name__ == "Http404"
    for role in (Role.REFERRAL_SOURCE, Role.ME_OFFICER, Role.FIELD_WORKER):
        with pytest.raises(PermissionDenied):
            access.case_to_read(actor(member(org_a, role)), survivor_a.pk)


def test_only_consented_roles_are_counted(case_worker_a, survivor_a):
    worker = actor(case_worker_a)
    services.add_role(
        worker,
        survivor_a,
        {"kind": "peer_supporter", "start": TODAY - timedelta(days=30), "counted": True},
    )
    other = type(survivor_a).objects.create(
        case_code="AC-LEAD01",
        organisation=survivor_a.organisation,
        gender="woman",
        nationality="ZA",
        exploitation_types=["labour"],
        status="active",
    )
    services.add_role(
        worker, other, {"kind": "trainer", "start": TODAY - timedelta(days=30), "counted": False}
    )
    rows = {row.code: row for row in indicators.for_period(TODAY - timedelta(days=90), TODAY)}
    assert rows["survivor_leaders"].value == 1
    assert {c.key: c.value for c in rows["survivor_leaders"].breakdowns["role"]}[
        "peer_supporter"
    ] == 1


def test_indicators_count_mentored_survivors_and_sessions(case_worker_a, survivor_a, mentor_a):
    worker = actor(case_worker_a)
    match = matched(worker, survivor_a, mentor_a)
    for topic in ("career_preparation", "financial_planning"):
        services.record_session(
            worker, survivor_a, match.pk, {"held_on": TODAY - timedelta(days=5), "topic": topic}
        )
    rows = {row.code: row for row in indicators.for_period(TODAY - timedelta(days=30), TODAY)}
    assert rows["survivors_mentored"].value == 1
    assert {c.key: c.value for c in rows["survivors_mentored"].breakdowns["mentor_kind"]}[
        "peer"
    ] == 1
    assert rows["mentoring_sessions"].value == 2


def test_the_survivor_sees_her_mentor_and_roles_in_the_portal(
    client, case_worker_a, survivor_a, mentor_a
):
    worker = actor(case_worker_a)
    matched(worker, survivor_a, mentor_a)
    services.add_role(
        worker, survivor_a, {"kind": "survivors_council", "start": TODAY - timedelta(days=10)}
    )
    give_consents(survivor_a)
    account, _pin = portal_accounts.link_account(
        worker, survivor_a, username="lindiwe", pin="482915"
    )
    client.force_login(account.user)
    page = client.get("/me/mentor/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Palesa" in body and "survivors" in body.lower()


def test_the_api_matches_and_lists(api, case_worker_a, case_worker_b, survivor_a, mentor_a):
    client = api.as_user(case_worker_a)
    made = client.post(
        f"/api/v1/survivors/{survivor_a.pk}/mentoring",
        {"mentor": str(mentor_a.pk), "start": str(TODAY - timedelta(days=7))},
        format="json",
    )
    assert made.status_code == 201, made.content
    session = client.post(
        f"/api/v1/survivors/{survivor_a.pk}/mentoring/{made.json()['id']}/sessions",
        {"held_on": str(TODAY), "topic": "conflict_resolution"},
        format="json",
    )
    assert session.status_code == 201
    listed = client.get(f"/api/v1/survivors/{survivor_a.pk}/mentoring").json()
    assert (
        listed["count"] == 1
        and listed["results"][0]["sessions"][0]["topic"] == "conflict_resolution"
    )
    bad = client.post(
        f"/api/v1/survivors/{survivor_a.pk}/mentoring",
        {"mentor": "nobody", "start": "x"},
        format="json",
    )
    assert bad.status_code == 400 and set(bad.json()["errors"]) >= {"mentor", "start"}
    assert (
        api.as_user(case_worker_b).get(f"/api/v1/survivors/{survivor_a.pk}/mentoring").status_code
        == 404
    )
    assert api.as_user(case_worker_b).get("/api/v1/mentors").json()["count"] == 0


def test_the_case_page_shows_mentoring(web_login, case_worker_a, survivor_a, mentor_a):
    matched(actor(case_worker_a), survivor_a, mentor_a)
    page = web_login(case_worker_a).get(f"/mentoring/cases/{survivor_a.pk}/")
    assert page.status_code == 200 and "Palesa" in page.content.decode()


def test_the_mentor_appears_on_the_care_plan_for_the_holder_only(
    web_login, case_worker_a, case_worker_b, org_b, survivor_a, mentor_a
):
    from aftercare.cases import care
    from aftercare.referrals import services as referrals

    care.record_consent(
        actor(case_worker_a), survivor_a, purpose="referral", granted=True, method="written"
    )
    matched(actor(case_worker_a), survivor_a, mentor_a)
    page = web_login(case_worker_a).get(f"/cases/{survivor_a.pk}/").content.decode()
    plan = page[page.index('id="plan"') :]
    assert "Palesa" in plan[: plan.index("</section>")]
    referral = referrals.refer_survivor(
        actor(case_worker_a), survivor_a, org_b, ["housing"], "shared", shared_sections=["plan"]
    )
    referrals.transition(actor(case_worker_b), referral.pk, "accept")
    partner = web_login(case_worker_b).get(f"/cases/{survivor_a.pk}/").content.decode()
    assert 'id="plan"' in partner and "Palesa" not in partner
