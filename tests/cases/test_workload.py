"""The supervisor's view of who holds what (issue 16): open, high-risk and overdue cases per
worker and per team, and the open cases no one is responsible for; own organisation only."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from aftercare.accounts.models import Membership, Team
from aftercare.accounts.roles import Role
from aftercare.cases import assignment
from tests.conftest import actor, member
from tests.factories import SurvivorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(org_a, org_b):
    worker = member(org_a, Role.CASE_WORKER, "cw_busy")
    idle = member(org_a, Role.CASE_WORKER, "cw_idle")
    supervisor = member(org_a, Role.SUPERVISOR, "sup_a")
    team = Team.objects.create(organisation=org_a, name="Outreach")
    team.members.add(worker)
    yesterday = timezone.localdate() - timedelta(days=1)
    SurvivorFactory(
        organisation=org_a, assigned_worker=worker, team=team, risk_rank=3, risk_due=yesterday
    )
    SurvivorFactory(organisation=org_a, assigned_worker=worker, risk_rank=1)
    SurvivorFactory(
        organisation=org_a, assigned_worker=worker, status="closed"
    )  # closed: not counted
    SurvivorFactory(organisation=org_a, assigned_worker=None, risk_rank=3, case_code="AC-HANDOUT")
    # Another organisation's cases never count, even one held by a name that is also ours.
    SurvivorFactory.create_batch(
        3, organisation=org_b, assigned_worker=member(org_b, Role.CASE_WORKER, "cw_other")
    )
    return {"worker": worker, "idle": idle, "supervisor": supervisor, "team": team}


def by_name(loads):
    return {load.name: (load.open, load.high_risk, load.overdue) for load in loads}


def test_supervisor_sees_each_workers_load_and_what_is_left_to_hand_out(office):
    loads = assignment.workload(actor(office["supervisor"]))
    assert by_name(loads.workers) == {
        "cw_busy": (2, 1, 1),
        "cw_idle": (0, 0, 0),
        "sup_a": (0, 0, 0),
    }
    assert by_name(loads.teams) == {"Outreach": (1, 1, 1)}
    assert loads.teams[0].members == ["cw_busy"]
    assert (loads.unassigned.open, loads.unassigned.high_risk) == (1, 1)
    assert [case.case_code for case in loads.unassigned_cases] == ["AC-HANDOUT"]


def test_a_leaver_still_holding_cases_shows_as_such(office):
    Membership.objects.filter(user=office["worker"]).update(is_active=False)
    loads = assignment.workload(actor(office["supervisor"]))
    leaver = next(load for load in loads.workers if load.name == "cw_busy")
    assert leaver.open == 2 and not leaver.active_member


@pytest.mark.parametrize(
    "role", [Role.CASE_WORKER, Role.ME_OFFICER, Role.REFERRAL_SOURCE, Role.NETWORK_COORDINATOR]
)
def test_lower_roles_do_not_see_the_workload(org_a, office, role):
    with pytest.raises(PermissionDenied):
        assignment.workload(actor(member(org_a, role)))


def test_another_organisations_supervisor_sees_only_her_own(org_b, office):
    loads = assignment.workload(actor(member(org_b, Role.SUPERVISOR, "sup_b")))
    assert by_name(loads.workers) == {"cw_other": (3, 0, 0), "sup_b": (0, 0, 0)}
    assert loads.teams == [] and loads.unassigned.open == 0


def test_workload_costs_the_same_queries_whatever_the_caseload(org_a, office, assert_queries):
    supervisor = actor(office["supervisor"])
    with assert_queries(6) as before:
        assignment.workload(supervisor)
    SurvivorFactory.create_batch(20, organisation=org_a, assigned_worker=office["idle"])
    with assert_queries(6) as after:
        assignment.workload(supervisor)
    assert len(after) == len(before)


def test_workload_page_and_api(web_login, api, office):
    page = web_login(office["supervisor"]).get("/cases/workload/")
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "cw_busy" in html and "AC-HANDOUT" in html and "Outreach" in html and "cw_other" not in html
    )
    body = api.as_user(office["supervisor"]).get("/api/v1/caseload/workers").json()
    assert {row["name"]: row["open"] for row in body["workers"]}["cw_busy"] == 2
    assert (
        body["unassigned"]["open"] == 1 and body["unassigned_cases"][0]["case_code"] == "AC-HANDOUT"
    )


def test_workload_page_and_api_refuse_a_case_worker(web_login, api, office):
    assert web_login(office["worker"]).get("/cases/workload/").status_code == 403
    assert api.as_user(office["worker"]).get("/api/v1/caseload/workers").status_code == 403


def test_team_command_sets_members_of_its_own_organisation_only(org_a, org_b):
    from django.core.management import CommandError, call_command

    member(org_a, Role.CASE_WORKER, "cw_x")
    member(org_b, Role.CASE_WORKER, "cw_y")
    call_command("team", "set", "org-a", "Night team", "--member", "cw_x")
    assert [u.username for u in Team.objects.get(name="Night team").members.all()] == ["cw_x"]
    with pytest.raises(CommandError, match="cw_y"):
        call_command("team", "set", "org-a", "Night team", "--member", "cw_x", "--member", "cw_y")
    assert Team.objects.get(name="Night team").members.count() == 1
