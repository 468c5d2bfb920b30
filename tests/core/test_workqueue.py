"""The work queue (issue 16): each role's own work, on the dashboard and at /api/v1/my-work,
sorted as the work needs (the urgent referral above a newer one), and never another
organisation's or another role's work."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.casefile import workqueue
from aftercare.referrals.models import ReferralStatus
from aftercare.referrals.sections import referrals_to_answer
from aftercare.risk.models import Alert, AlertKind
from aftercare.risk.sections import follow_ups
from aftercare.voice.models import GoalComment
from tests.conftest import actor, member
from tests.factories import (
    GoalFactory,
    OrganisationFactory,
    PlanReviewFactory,
    ReferralFactory,
    SurvivorFactory,
)

pytestmark = pytest.mark.django_db


def _referral(survivor, to_org, *, urgent=False, hours=72, created_ago=0, **kwargs):
    now = timezone.now()
    return ReferralFactory(
        survivor=survivor,
        from_organisation=survivor.organisation,
        to_organisation=to_org,
        reason="needs a bed",
        domains=["housing"],
        urgent=urgent,
        respond_by=now + timedelta(hours=hours),
        created_at=now - timedelta(hours=created_ago),
        **kwargs,
    )


@pytest.fixture
def work(org_a, org_b):
    """Org A with one of each kind of case work waiting; org B with its own."""
    today = timezone.localdate()
    due = SurvivorFactory(organisation=org_a, risk_due=today - timedelta(days=2))
    later = SurvivorFactory(organisation=org_a, risk_due=today + timedelta(days=30))
    closed = SurvivorFactory(
        organisation=org_a, risk_due=today - timedelta(days=9), status="closed"
    )
    other = SurvivorFactory(organisation=org_b, risk_due=today - timedelta(days=1))
    sender = SurvivorFactory(organisation=org_b)
    # The urgent referral was sent first; a newer, non-urgent one has a later deadline anyway.
    urgent = _referral(sender, org_a, urgent=True, hours=20, created_ago=4)
    newer = _referral(sender, org_a, hours=70, created_ago=0)
    answered = _referral(sender, org_a, status=ReferralStatus.ACCEPTED)
    Alert.objects.create(survivor=due, kind=AlertKind.HIGH_RISK)
    Alert.objects.create(survivor=other, kind=AlertKind.HIGH_RISK)
    goal = GoalFactory(
        survivor=due,
        domain="housing",
        description="A safe room",
        created_at=timezone.now() - timedelta(days=120),
    )
    reviewed = GoalFactory(survivor=later, domain="housing", description="School")
    PlanReviewFactory(survivor=later, outcome="on track", reviewed_on=today - timedelta(days=10))
    GoalComment.objects.create(goal=goal, text="I need help with the rent", by_survivor=True)
    GoalComment.objects.create(
        goal=reviewed,
        text="thanks",
        by_survivor=True,
        created_at=timezone.now() - timedelta(days=2),
    )
    GoalComment.objects.create(goal=reviewed, text="We will call you", by_survivor=False)
    return {
        "due": due,
        "later": later,
        "closed": closed,
        "other": other,
        "urgent": urgent,
        "newer": newer,
        "answered": answered,
    }


def kinds(items):
    return [item.kind for item in items]


def test_a_case_workers_queue_has_her_organisations_work_sorted(org_a, work):
    items = workqueue.for_actor(actor(member(org_a, Role.CASE_WORKER)))
    follow = [i for i in items if i.kind == "follow_up"]
    assert [i.survivor for i in follow] == [work["due"].pk]  # not later, not closed, not org B's
    assert follow[0].overdue and follow[0].url == f"/risk/{work['due'].pk}/assess/"
    referrals = [i for i in items if i.kind == "referral_response"]
    assert [i.referral for i in referrals] == [work["urgent"].pk, work["newer"].pk]
    assert referrals[0].urgent and referrals[0].url == f"/referrals/{work['urgent'].pk}/"
    assert [i.survivor for i in items if i.kind == "risk_alert"] == [work["due"].pk]
    plans = [i for i in items if i.kind == "plan_review"]
    assert [i.survivor for i in plans] == [work["due"].pk] and plans[0].overdue
    assert plans[0].url.endswith(f"/cases/{work['due'].pk}/#plan")
    # The unanswered comment waits; the one a worker answered since does not.
    assert [i.survivor for i in items if i.kind == "portal_comment"] == [work["due"].pk]


def test_the_urgent_referral_sorts_above_a_newer_one_even_with_a_later_deadline(org_a, org_b):
    sender = SurvivorFactory(organisation=org_b)
    newer = _referral(sender, org_a, hours=10, created_ago=0)
    urgent = _referral(sender, org_a, urgent=True, hours=20, created_ago=30)
    items = referrals_to_answer(actor(member(org_a, Role.SUPERVISOR)))
    assert [i.referral for i in items] == [urgent.pk, newer.pk]


def test_another_organisation_sees_none_of_it(org_b, work):
    items = workqueue.for_actor(actor(member(org_b, Role.CASE_WORKER)))
    surv = {i.survivor for i in items if i.survivor}
    assert surv == {work["other"].pk}
    assert not [
        i for i in items if i.kind == "referral_response"
    ]  # org B sent them; it does not answer them


@pytest.mark.parametrize(
    "role", [Role.REFERRAL_SOURCE, Role.NETWORK_COORDINATOR, Role.ME_OFFICER, Role.FIELD_WORKER]
)
def test_a_lower_role_in_the_same_organisation_gets_no_case_work(org_a, work, role):
    items = workqueue.for_actor(actor(member(org_a, role)))
    assert not {i.survivor for i in items if i.survivor}
    assert not {
        "follow_up",
        "referral_response",
        "risk_alert",
        "plan_review",
        "portal_comment",
    } & set(kinds(items))


def test_a_referral_source_sees_the_referrals_she_made_and_their_state(org_a, org_b):
    source = member(org_a, Role.REFERRAL_SOURCE)
    colleague = member(org_a, Role.REFERRAL_SOURCE)
    survivor = SurvivorFactory(organisation=org_a)
    mine = _referral(survivor, org_b, created_by=source)
    _referral(survivor, org_b, created_by=colleague)
    items = workqueue.for_actor(actor(source))
    assert [(i.kind, i.referral) for i in items] == [("referral_made", mine.pk)]
    assert items[0].detail == "Sent" and items[0].survivor is None


def test_a_coordinator_sees_organisations_pending_referrals_as_counts(org_a, org_b):
    sender = SurvivorFactory(organisation=org_b)
    _referral(sender, org_a, hours=-5)
    items = workqueue.for_actor(actor(member(OrganisationFactory(), Role.NETWORK_COORDINATOR)))
    late = [i for i in items if i.kind == "referrals_unanswered"]
    assert [(i.detail, i.count, i.url) for i in late] == [("Organisation A", 1, "/network/org-a/")]
    assert not {i.survivor for i in items if i.survivor}


def test_the_dashboard_shows_the_queue_with_links(client, web_login, org_a, work):
    web_login(member(org_a, Role.CASE_WORKER))
    page = client.get("/dashboard/").content.decode()
    assert "Your work" in page and f'href="/referrals/{work["urgent"].pk}/"' in page
    assert page.index(str(work["urgent"].pk)) < page.index(str(work["newer"].pk))
    assert "Open the directory" not in page


@pytest.mark.parametrize(
    "role,expected",
    [
        (Role.REFERRAL_SOURCE, "Refer someone"),
        (Role.NETWORK_COORDINATOR, "Moderation"),
        (Role.ME_OFFICER, "Funder indicators"),
        (Role.FIELD_WORKER, "Record in the field"),
    ],
)
def test_other_roles_dashboards_show_their_own_work_not_the_generic_card(
    client, web_login, org_a, role, expected
):
    web_login(member(org_a, role))
    page = client.get("/dashboard/").content.decode()
    assert "Your work" in page and expected in page
    assert "Open the directory" not in page


def test_api_my_work_is_the_callers_own(api, org_a, org_b, work):
    body = api.as_user(member(org_a, Role.CASE_WORKER)).get("/api/v1/my-work").json()
    assert body["count"] == len(body["results"]) > 0
    refs = [r["referral"] for r in body["results"] if r["kind"] == "referral_response"]
    assert refs == [str(work["urgent"].pk), str(work["newer"].pk)]
    first = body["results"][0]
    assert set(first) >= {
        "kind",
        "due",
        "survivor",
        "referral",
        "url",
        "overdue",
        "urgent",
        "title",
    }

    other = api.as_user(member(org_b, Role.CASE_WORKER)).get("/api/v1/my-work").json()
    assert {r["survivor"] for r in other["results"] if r["survivor"]} == {str(work["other"].pk)}

    lower = api.as_user(member(org_a, Role.FIELD_WORKER)).get("/api/v1/my-work")
    assert lower.status_code == 200
    assert not [r for r in lower.json()["results"] if r["survivor"] or r["referral"]]


def test_api_my_work_refuses_a_survivor_and_an_anonymous_caller(api, org_a):
    assert api.get("/api/v1/my-work").status_code == 401
    assert api.as_user(member(org_a, Role.SURVIVOR)).get("/api/v1/my-work").status_code == 403


def test_the_incoming_referral_list_puts_the_urgent_one_first(client, web_login, org_a, org_b):
    sender = SurvivorFactory(organisation=org_b)
    urgent = _referral(sender, org_a, urgent=True, hours=20, created_ago=30)
    newer = _referral(sender, org_a, hours=70, created_ago=0)
    done = _referral(sender, org_a, status=ReferralStatus.COMPLETED, created_ago=-1)
    web_login(member(org_a, Role.CASE_WORKER))
    page = client.get("/referrals/?direction=incoming").content.decode()
    assert page.index(str(urgent.pk)) < page.index(str(newer.pk)) < page.index(str(done.pk))


def test_a_case_workers_follow_ups_are_her_cases_and_the_unassigned_not_a_colleagues(org_a):
    today = timezone.localdate()
    thandi, sipho = (
        member(org_a, Role.CASE_WORKER, "wq_thandi"),
        member(org_a, Role.CASE_WORKER, "wq_sipho"),
    )
    supervisor = member(org_a, Role.SUPERVISOR, "wq_sup")
    hers = SurvivorFactory(
        organisation=org_a, risk_due=today - timedelta(days=1), assigned_worker=thandi
    )
    nobodys = SurvivorFactory(organisation=org_a, risk_due=today - timedelta(days=1))
    colleagues = SurvivorFactory(
        organisation=org_a, risk_due=today - timedelta(days=1), assigned_worker=sipho
    )

    def cases_in(user):
        return {item.survivor for item in follow_ups(actor(user))}

    assert cases_in(thandi) == {hers.pk, nobodys.pk}
    assert cases_in(sipho) == {colleagues.pk, nobodys.pk}
    assert cases_in(supervisor) == {hers.pk, nobodys.pk, colleagues.pk}
