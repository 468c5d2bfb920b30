"""When a care plan's review is due is kept on the case (`Survivor.plan_review_due`), so the work
queue reads it from an index instead of aggregating every goal and review of the organisation's
open cases (issue 18: 803 ms of /api/v1/my-work's 835 ms at 1,000,000 survivors).

The date is 90 days after the last review, or after the first goal's creation date when the plan
was never reviewed, and null when the case has no goal; every write that changes it keeps it in
the same transaction."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Exists, Max, Min, OuterRef
from django.db.models.functions import Coalesce, TruncDate
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.casefile.merge import merge_cases
from aftercare.cases import care, plan_review
from aftercare.cases.models import Goal, Survivor
from aftercare.cases.sections import PLAN_REVIEW_AHEAD_DAYS, open_and_mine, plan_reviews
from tests.conftest import actor, member
from tests.factories import GoalFactory, PlanReviewFactory, SurvivorFactory

pytestmark = pytest.mark.django_db

DAYS = plan_review.PLAN_REVIEW_DAYS


def ago(days: int) -> datetime.datetime:
    return timezone.now() - timedelta(days=days)


def due_of(survivor) -> datetime.date | None:
    return Survivor.objects.values_list("plan_review_due", flat=True).get(pk=survivor.pk)


def as_before(who) -> list[tuple]:
    """The work queue's care-plan reviews as they were computed before the date was stored: an
    aggregate over every goal and review of the open cases that are the actor's."""
    today = timezone.localdate()
    rows = (
        open_and_mine(who, Survivor.objects.all())
        .filter(Exists(Goal.objects.filter(survivor=OuterRef("pk"))))
        .annotate(
            since=Coalesce(Max("plan_reviews__reviewed_on"), TruncDate(Min("goals__created_at")))
        )
        .filter(since__lte=today - timedelta(days=DAYS - PLAN_REVIEW_AHEAD_DAYS))
        .order_by("since", "case_code")
        .values_list("pk", "since")
    )
    return [(pk, since + timedelta(days=DAYS)) for pk, since in rows]


@pytest.fixture
def caseload(org_a, org_b):
    """Org A's cases with plans in every state, a case worker's, unassigned and another's."""
    worker = member(org_a, Role.CASE_WORKER)
    colleague = member(org_a, Role.CASE_WORKER)
    today = timezone.localdate()

    def case(code, *, worker=worker, **kwargs):
        return SurvivorFactory(organisation=org_a, case_code=code, assigned_worker=worker, **kwargs)

    cases = {
        "never_reviewed_old": case("AC-P01"),
        "never_reviewed_new": case("AC-P02"),
        "never_reviewed_edge": case("AC-P03"),  # due in exactly two weeks: in
        "reviewed_recently": case("AC-P04"),
        "reviewed_long_ago": case("AC-P05"),
        "reviewed_before_goal": case("AC-P06"),  # the last review wins, even if earlier
        "two_goals": case("AC-P07"),
        "closed": case("AC-P08", status="closed"),
        "no_goal_but_review": case("AC-P09"),
        "unassigned": case("AC-P10", worker=None),
        "colleagues": case("AC-P11", worker=colleague),
        "intake": case("AC-P12", status="intake"),
        "stable": case("AC-P13", status="stable"),
    }
    other_org = SurvivorFactory(organisation=org_b, case_code="AC-P14")
    GoalFactory(survivor=cases["never_reviewed_old"], created_at=ago(120))
    GoalFactory(survivor=cases["never_reviewed_new"], created_at=ago(10))
    GoalFactory(
        survivor=cases["never_reviewed_edge"], created_at=ago(DAYS - PLAN_REVIEW_AHEAD_DAYS)
    )
    GoalFactory(survivor=cases["reviewed_recently"], created_at=ago(200))
    PlanReviewFactory(survivor=cases["reviewed_recently"], reviewed_on=today - timedelta(days=5))
    PlanReviewFactory(survivor=cases["reviewed_recently"], reviewed_on=today - timedelta(days=150))
    GoalFactory(survivor=cases["reviewed_long_ago"], created_at=ago(400))
    PlanReviewFactory(survivor=cases["reviewed_long_ago"], reviewed_on=today - timedelta(days=95))
    GoalFactory(survivor=cases["reviewed_before_goal"], created_at=ago(30))
    PlanReviewFactory(
        survivor=cases["reviewed_before_goal"], reviewed_on=today - timedelta(days=100)
    )
    GoalFactory(survivor=cases["two_goals"], created_at=ago(20))
    GoalFactory(survivor=cases["two_goals"], created_at=ago(130))
    GoalFactory(survivor=cases["closed"], created_at=ago(300))
    PlanReviewFactory(survivor=cases["no_goal_but_review"], reviewed_on=today - timedelta(days=99))
    for key in ("unassigned", "colleagues", "intake", "stable"):
        GoalFactory(survivor=cases[key], created_at=ago(100))
    GoalFactory(survivor=other_org, created_at=ago(100))
    return {"worker": worker, "colleague": colleague, "cases": cases, "other_org": other_org}


def test_the_stored_date_follows_the_rule(caseload):
    cases, today = caseload["cases"], timezone.localdate()
    assert due_of(cases["never_reviewed_old"]) == (ago(120) + timedelta(days=DAYS)).date()
    assert due_of(cases["reviewed_recently"]) == today - timedelta(days=5 - DAYS)
    assert due_of(cases["reviewed_before_goal"]) == today - timedelta(days=100 - DAYS)
    assert due_of(cases["two_goals"]) == (ago(130) + timedelta(days=DAYS)).date()  # the first
    assert due_of(cases["no_goal_but_review"]) is None  # no plan, nothing to review
    assert due_of(cases["closed"]) is not None  # kept: the case may be reopened


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.SUPERVISOR])
def test_the_work_queue_lists_the_same_reviews_as_before(caseload, org_a, role):
    who = actor(caseload["worker"] if role == Role.CASE_WORKER else member(org_a, role))
    items = plan_reviews(who)
    assert [(i.survivor, i.due) for i in items] == as_before(who)
    listed = {i.detail for i in items}
    expected = {"AC-P01", "AC-P03", "AC-P05", "AC-P06", "AC-P07", "AC-P10", "AC-P12", "AC-P13"}
    if role == Role.SUPERVISOR:
        expected.add("AC-P11")  # the colleague's case: the whole organisation's
    assert listed == expected  # not recent, not closed, no plan, nor org B's


def test_the_work_queue_reads_the_stored_date_without_aggregating(caseload):
    with CaptureQueriesContext(connection) as captured:
        plan_reviews(actor(caseload["worker"]))
    (query,) = [q["sql"] for q in captured if "cases_survivor" in q["sql"]]
    assert "plan_review_due" in query
    for aggregate in ("GROUP BY", "MAX(", "MIN(", "cases_goal", "cases_planreview"):
        assert aggregate not in query.upper().replace('"', ""), query


def test_recording_a_review_and_a_first_goal_move_the_date(org_a):
    worker = member(org_a, Role.CASE_WORKER)
    who = actor(worker)
    survivor = SurvivorFactory(organisation=org_a, assigned_worker=worker)
    today = timezone.localdate()
    care.review_plan(
        who, survivor, reviewed_on=today - timedelta(days=3), outcome="ok", survivor_took_part=True
    )
    assert due_of(survivor) is None  # a review of no plan
    care.add_goal(who, survivor, {"domain": "housing", "description": "a room"})
    assert due_of(survivor) == today - timedelta(days=3 - DAYS) == survivor.plan_review_due
    care.review_plan(
        who, survivor, reviewed_on=today - timedelta(days=1), outcome="ok", survivor_took_part=True
    )
    assert due_of(survivor) == today + timedelta(days=DAYS - 1) == survivor.plan_review_due
    care.review_plan(  # an older review, recorded late, does not move it back
        who, survivor, reviewed_on=today - timedelta(days=60), outcome="ok", survivor_took_part=True
    )
    assert due_of(survivor) == today + timedelta(days=DAYS - 1)


def test_a_first_goal_sets_the_date_from_its_own_day(org_a):
    worker = member(org_a, Role.CASE_WORKER)
    survivor = SurvivorFactory(organisation=org_a, assigned_worker=worker)
    care.add_goal(actor(worker), survivor, {"domain": "housing", "description": "a room"})
    assert due_of(survivor) == timezone.localdate() + timedelta(days=DAYS)


def test_merging_moves_the_plan_and_its_date(org_a):
    supervisor = member(org_a, Role.SUPERVISOR)
    keep = SurvivorFactory(organisation=org_a)
    other = SurvivorFactory(organisation=org_a)
    GoalFactory(survivor=other, created_at=ago(50))
    PlanReviewFactory(survivor=other, reviewed_on=timezone.localdate() - timedelta(days=7))
    assert due_of(keep) is None
    kept = merge_cases(actor(supervisor), keep.pk, other.pk)
    assert due_of(keep) == timezone.localdate() + timedelta(days=DAYS - 7) == kept.plan_review_due
    assert due_of(other) is None  # its plan moved to the kept case


def test_the_bulk_refresh_gives_what_each_case_would(caseload):
    stored = dict(Survivor.objects.values_list("pk", "plan_review_due"))
    Survivor.objects.update(plan_review_due=None)
    plan_review.refresh_all()
    assert dict(Survivor.objects.values_list("pk", "plan_review_due")) == stored


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the plan is PostgreSQL's; run with DATABASE_URL=postgres://... to check it",
)
def test_postgresql_reads_the_reviews_due_from_the_index_and_stops_at_the_limit(org_a):
    worker = member(org_a, Role.CASE_WORKER)
    cases = [
        SurvivorFactory(organisation=org_a, assigned_worker=worker if i % 2 else None)
        for i in range(200)
    ]
    for i, survivor in enumerate(cases[:150]):
        GoalFactory(survivor=survivor, created_at=ago(i))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_survivor")
    with CaptureQueriesContext(connection) as captured:
        plan_reviews(actor(worker))
    (query,) = [q["sql"] for q in captured if "cases_survivor" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {query}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert plan.lstrip().startswith("Limit"), plan
    assert "Index Scan using survivor_plan_review_due" in plan, plan
    assert "Sort" not in plan, plan  # read in order from the index
