"""Assignment (issue 16): each case has a responsible worker and an optional team; the worker
hands it over, or a supervisor reassigns it, with a note for the new worker; only the holding
organisation does, and only to its own members who may hold cases."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from aftercare.accounts.models import Membership, Team
from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditEvent
from aftercare.cases import assignment, care, services
from aftercare.cases.access import access_case
from aftercare.cases.models import Handover, Survivor
from aftercare.core.models import Notification
from aftercare.referrals import services as referrals
from tests.conftest import actor, member
from tests.factories import SurvivorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(org_a):
    return {
        "worker": member(org_a, Role.CASE_WORKER, "cw_one"),
        "colleague": member(org_a, Role.CASE_WORKER, "cw_two"),
        "supervisor": member(org_a, Role.SUPERVISOR, "sup_a"),
        "admin": member(org_a, Role.ADMIN, "admin_a"),
        "me_officer": member(org_a, Role.ME_OFFICER, "me_a"),
    }


def held_by(org, worker, **kwargs):
    return SurvivorFactory(organisation=org, assigned_worker=worker, **kwargs)


def share(holder, survivor, org_b, receiver, sections):
    """Refer the case to org_b with her consent, and have org_b accept: org_b now reads it."""
    care.record_consent(actor(holder), survivor, purpose="referral", granted=True, method="written")
    referral = referrals.refer_survivor(
        actor(holder), survivor, org_b, ["housing"], "x", shared_sections=sections
    )
    referrals.transition(actor(receiver), referral.pk, "accept")


def hand_over(who, survivor, to, **kwargs):
    case = access_case(actor(who), survivor.pk, write=True)
    return assignment.reassign_case(actor(who), case, to_worker=str(to.pk), **kwargs)


# Intake ------------------------------------------------------------------------------------------


def test_the_case_worker_who_opens_a_case_is_responsible_for_it(org_a, staff):
    survivor, _possible = services.intake_survivor(actor(staff["worker"]), {"given_name": "Asha"})
    survivor.refresh_from_db()
    assert survivor.assigned_worker == staff["worker"]


def test_intake_through_the_api_answers_the_responsible_worker(api, org_a, staff):
    response = api.as_user(staff["worker"]).post(
        "/api/v1/survivors", {"given_name": "Asha"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["assigned_worker"] == str(staff["worker"].pk)


# Handover ----------------------------------------------------------------------------------------


def test_worker_hands_her_case_over_with_a_note_the_new_worker_reads(org_a, staff):
    survivor = held_by(org_a, staff["worker"])
    hand_over(staff["worker"], survivor, staff["colleague"], note="She prefers calls after 5pm.")
    survivor.refresh_from_db()
    assert survivor.assigned_worker == staff["colleague"]
    assert survivor.version == 2
    handover = Handover.objects.get(survivor=survivor)
    assert handover.from_worker == staff["worker"] and handover.to_worker == staff["colleague"]
    assert handover.note == "She prefers calls after 5pm."


def test_handover_note_is_encrypted_at_rest(org_a, staff):
    survivor = held_by(org_a, staff["worker"])
    handover = hand_over(
        staff["worker"], survivor, staff["colleague"], note="Trafficker seen near the clinic"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM cases_handover WHERE id = %s", [handover.pk.hex])
        stored = cursor.fetchone()[0]
    assert "Trafficker" not in stored


def test_handover_is_audited_and_the_new_worker_notified(org_a, staff):
    survivor = held_by(org_a, staff["worker"])
    hand_over(staff["worker"], survivor, staff["colleague"])
    event = AuditEvent.objects.filter(object_id=str(survivor.pk), action="update").latest("at")
    assert event.fields == ["assigned_worker", "team"]
    assert event.actor_username == "cw_one"
    note = Notification.objects.get(user=staff["colleague"], key="cases.assigned")
    assert note.params["code"] == survivor.case_code
    assert survivor.case_code in note.text
    assert "Lindiwe" not in note.text and survivor.given_name not in note.text


def test_supervisor_reassigns_any_case_of_her_organisation(org_a, staff):
    survivor = held_by(org_a, staff["worker"])
    hand_over(staff["supervisor"], survivor, staff["colleague"])
    survivor.refresh_from_db()
    assert survivor.assigned_worker == staff["colleague"]


def test_supervisor_gives_an_unassigned_case_to_a_worker_and_a_team(org_a, staff):
    team = Team.objects.create(organisation=org_a, name="Night team")
    survivor = held_by(org_a, None)
    hand_over(staff["supervisor"], survivor, staff["worker"], team=str(team.pk))
    survivor.refresh_from_db()
    assert (survivor.assigned_worker, survivor.team) == (staff["worker"], team)


def test_case_worker_cannot_reassign_a_colleagues_case(org_a, staff):
    survivor = held_by(org_a, staff["colleague"])
    with pytest.raises(PermissionDenied):
        hand_over(staff["worker"], survivor, staff["worker"])
    survivor.refresh_from_db()
    assert survivor.assigned_worker == staff["colleague"]


@pytest.mark.parametrize("role", ["admin", "me_officer"])
def test_roles_below_case_work_cannot_reassign(org_a, staff, role):
    survivor = held_by(org_a, staff["worker"])
    with pytest.raises((PermissionDenied, Http404)):
        hand_over(staff[role], survivor, staff["colleague"])
    assert Survivor.objects.get(pk=survivor.pk).assigned_worker == staff["worker"]


def test_another_organisations_supervisor_cannot_reach_the_case(org_a, org_b, staff):
    survivor = held_by(org_a, staff["worker"])
    outsider = member(org_b, Role.SUPERVISOR, "sup_b")
    with pytest.raises(Http404):
        hand_over(outsider, survivor, staff["colleague"])


def test_a_partner_reading_through_a_referral_cannot_reassign(org_a, org_b, staff, case_worker_b):
    survivor = held_by(org_a, staff["worker"])
    share(staff["worker"], survivor, org_b, case_worker_b, ["identity", "needs"])
    partner_supervisor = member(org_b, Role.SUPERVISOR, "sup_b")
    with pytest.raises(PermissionDenied):
        hand_over(partner_supervisor, survivor, case_worker_b)
    case = access_case(actor(partner_supervisor), survivor.pk)  # she may read it...
    with pytest.raises(Http404):  # ...but the service refuses a case her organisation does not hold
        assignment.reassign_case(actor(partner_supervisor), case, to_worker=str(case_worker_b.pk))
    assert Survivor.objects.get(pk=survivor.pk).assigned_worker == staff["worker"]


def test_cannot_hand_a_case_to_someone_of_another_organisation(org_a, org_b, staff, case_worker_b):
    survivor = held_by(org_a, staff["worker"])
    with pytest.raises(assignment.NotAssignable):
        hand_over(staff["supervisor"], survivor, case_worker_b)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ME_OFFICER, Role.REFERRAL_SOURCE, Role.SURVIVOR])
def test_cannot_hand_a_case_to_a_member_who_may_not_hold_cases(org_a, staff, role):
    survivor = held_by(org_a, staff["worker"])
    other = member(org_a, role)
    with pytest.raises(assignment.NotAssignable):
        hand_over(staff["supervisor"], survivor, other)


def test_cannot_hand_a_case_to_a_deactivated_member(org_a, staff):
    survivor = held_by(org_a, staff["worker"])
    Membership.objects.filter(user=staff["colleague"]).update(is_active=False)
    with pytest.raises(assignment.NotAssignable):
        hand_over(staff["supervisor"], survivor, staff["colleague"])


def test_cannot_put_a_case_in_another_organisations_team(org_a, org_b, staff):
    survivor = held_by(org_a, staff["worker"])
    foreign = Team.objects.create(organisation=org_b, name="Their team")
    with pytest.raises(assignment.NotAssignable):
        hand_over(staff["supervisor"], survivor, staff["colleague"], team=str(foreign.pk))
    assert not Handover.objects.exists()


def test_a_stale_version_loses_nothing(org_a, staff):
    survivor = held_by(org_a, staff["worker"])
    with pytest.raises(services.StaleVersion):
        hand_over(staff["supervisor"], survivor, staff["colleague"], version=survivor.version + 3)
    assert not Handover.objects.exists()
    assert Survivor.objects.get(pk=survivor.pk).assigned_worker == staff["worker"]


# Lists: "my cases", the whole organisation's, one worker's or one team's --------------------------


def test_case_list_shows_my_cases_by_default_and_all_on_the_switch(web_login, org_a, staff):
    mine = held_by(org_a, staff["worker"], case_code="AC-MINE001")
    theirs = held_by(org_a, staff["colleague"], case_code="AC-THEIRS1")
    client = web_login(staff["worker"])
    page = client.get("/cases/").content.decode()
    assert mine.case_code in page and theirs.case_code not in page
    page = client.get("/cases/?scope=all").content.decode()
    assert mine.case_code in page and theirs.case_code in page
    assert "cw_two" in page  # the responsible worker shows in the list


def test_case_list_filters_by_worker_and_by_team(web_login, org_a, staff):
    team = Team.objects.create(organisation=org_a, name="Outreach")
    in_team = held_by(org_a, staff["colleague"], case_code="AC-TEAM001", team=team)
    other = held_by(org_a, staff["colleague"], case_code="AC-NOTEAM1")
    nobody = held_by(org_a, None, case_code="AC-NOBODY1")
    client = web_login(staff["supervisor"])
    page = client.get(f"/cases/?team={team.pk}").content.decode()
    assert in_team.case_code in page and other.case_code not in page
    page = client.get(f"/cases/?worker={staff['colleague'].pk}").content.decode()
    assert in_team.case_code in page and other.case_code in page and nobody.case_code not in page
    page = client.get("/cases/?worker=none").content.decode()
    assert nobody.case_code in page and other.case_code not in page


def test_api_list_filters_assigned_to_me_a_user_and_a_team(api, org_a, staff):
    team = Team.objects.create(organisation=org_a, name="Outreach")
    mine = held_by(org_a, staff["worker"], team=team)
    theirs = held_by(org_a, staff["colleague"])
    client = api.as_user(staff["worker"])
    ids = lambda url: {row["id"] for row in client.get(url).json()["results"]}  # noqa: E731
    assert ids("/api/v1/survivors?assigned_to=me") == {str(mine.pk)}
    assert ids(f"/api/v1/survivors?assigned_to={staff['colleague'].pk}") == {str(theirs.pk)}
    assert ids(f"/api/v1/survivors?team={team.pk}") == {str(mine.pk)}
    assert ids("/api/v1/survivors?assigned=cw_two") == {str(theirs.pk)}
    assert ids("/api/v1/survivors?assigned_to=not-a-user") == set()
    assert ids("/api/v1/survivors") == {str(mine.pk), str(theirs.pk)}


def test_api_hides_who_holds_a_case_shared_by_a_partner(api, org_a, org_b, staff, case_worker_b):
    survivor = held_by(org_a, staff["worker"])
    share(staff["worker"], survivor, org_b, case_worker_b, ["needs"])
    rows = api.as_user(case_worker_b).get("/api/v1/survivors").json()["results"]
    assert [row["assigned_worker"] for row in rows] == [None]
    assert (
        api.as_user(case_worker_b).get(f"/api/v1/survivors/{survivor.pk}/assignment").status_code
        == 403
    )


# The case page -----------------------------------------------------------------------------------


def test_new_worker_reads_the_handover_note_on_the_case_page(web_login, org_a, staff):
    survivor = held_by(org_a, staff["worker"])
    hand_over(staff["worker"], survivor, staff["colleague"], note="Court date moved to March.")
    page = web_login(staff["colleague"]).get(f"/cases/{survivor.pk}/").content.decode()
    assert "Court date moved to March." in page
    assert "Hand over or reassign" in page  # now hers to hand on


def test_partner_page_shows_neither_the_worker_nor_the_note(
    web_login, org_a, org_b, staff, case_worker_b
):
    survivor = held_by(org_a, staff["worker"])
    hand_over(staff["worker"], survivor, staff["colleague"], note="HANDOVERSECRET")
    share(staff["colleague"], survivor, org_b, case_worker_b, ["identity", "needs"])
    page = web_login(case_worker_b).get(f"/cases/{survivor.pk}/").content.decode()
    assert "HANDOVERSECRET" not in page and "Hand over or reassign" not in page


def test_web_handover_form_reassigns_and_says_so(web_login, org_a, staff):
    survivor = held_by(org_a, staff["worker"])
    client = web_login(staff["supervisor"])
    response = client.post(
        f"/cases/{survivor.pk}/assignment/",
        {
            "to_worker": str(staff["colleague"].pk),
            "note": "over to you",
            "version": survivor.version,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Survivor.objects.get(pk=survivor.pk).assigned_worker == staff["colleague"]
    assert "Case handed over to cw_two." in response.content.decode()


@pytest.mark.parametrize(
    ("target", "why"), [("worker", "already held by this worker"), ("outsider", "valid choice")]
)
def test_web_handover_refused_keeps_the_note_and_says_why(
    web_login, org_a, org_b, staff, target, why
):
    survivor = held_by(org_a, staff["worker"])
    to = staff["worker"] if target == "worker" else member(org_b, Role.CASE_WORKER, "cw_elsewhere")
    response = web_login(staff["supervisor"]).post(
        f"/cases/{survivor.pk}/assignment/", {"to_worker": str(to.pk), "note": "KEEPTHISNOTE"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "KEEPTHISNOTE" in html and why in html
    assert "cw_elsewhere" not in html  # another organisation's member is never offered
    assert Survivor.objects.get(pk=survivor.pk).assigned_worker == staff["worker"]


def test_web_handover_by_a_colleague_is_refused(web_login, org_a, staff):
    survivor = held_by(org_a, staff["colleague"])
    response = web_login(staff["worker"]).post(
        f"/cases/{survivor.pk}/assignment/", {"to_worker": str(staff["worker"].pk)}
    )
    assert response.status_code == 403
    assert Survivor.objects.get(pk=survivor.pk).assigned_worker == staff["colleague"]


# The API ------------------------------------------------------------------------------------------


def test_api_handover_answers_the_new_assignment(api, org_a, staff):
    survivor = held_by(org_a, staff["worker"])
    response = api.as_user(staff["worker"]).post(
        f"/api/v1/survivors/{survivor.pk}/assignment",
        {"to_worker": str(staff["colleague"].pk), "note": "hi"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["assigned_worker"] == str(staff["colleague"].pk)
    assert body["handovers"][0]["note"] == "hi"


def test_api_handover_errors(api, org_a, org_b, staff, case_worker_b):
    survivor = held_by(org_a, staff["worker"])
    url = f"/api/v1/survivors/{survivor.pk}/assignment"
    client = api.as_user(staff["supervisor"])
    assert client.post(url, {}, format="json").status_code == 400
    assert client.post(url, [1], format="json").status_code == 400
    response = client.post(url, {"to_worker": str(case_worker_b.pk)}, format="json")
    assert response.status_code == 400 and "to_worker" in response.json()["errors"]
    stale = client.post(url, {"to_worker": str(staff["colleague"].pk), "version": 9}, format="json")
    assert stale.status_code == 409
    assert (
        api.as_user(case_worker_b)
        .post(url, {"to_worker": str(case_worker_b.pk)}, format="json")
        .status_code
        == 404
    )
    assert (
        api.as_user(staff["colleague"])
        .post(url, {"to_worker": str(staff["colleague"].pk)}, format="json")
        .status_code
        == 403
    )
    assert (
        api.as_user(staff["admin"])
        .post(url, {"to_worker": str(staff["colleague"].pk)}, format="json")
        .status_code
        == 403
    )
