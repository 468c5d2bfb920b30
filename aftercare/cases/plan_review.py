"""When a care plan's review is due, kept on the case (`Survivor.plan_review_due`).

A plan is reviewed every 90 days: 90 days after its last review, or after the day its first goal
was made when it was never reviewed; a case with no goal has no plan and nothing due. The work
queue reads the date from an index (`survivor_plan_review_due`) instead of aggregating every goal
and review of an organisation's open cases (issue 18), as the risk follow-ups read
`Survivor.risk_due`.

This module is the one place that says it: `due_date(zone)` is the rule as one SQL expression,
`refresh(survivor)` keeps one case's date in the transaction of the write that changed its goals
or reviews, and `refresh_all(cases)` sets many with one UPDATE (per time zone), for the loaders
that write goals and reviews in bulk. The first goal's day is its day where the case is held
(the organisation's zone), as the organisation's workers read their queue.
"""

from __future__ import annotations

from datetime import timedelta, tzinfo

from django.db.models import (
    Case,
    DateField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate

from aftercare.accounts.models import Organisation
from aftercare.accounts.zones import organisation_zone
from aftercare.cases.models import Goal, PlanReview, Survivor

PLAN_REVIEW_DAYS = 90  # a care plan is reviewed every 90 days (the indicator's window)


def due_date(zone: tzinfo, days: int = PLAN_REVIEW_DAYS):
    """The date a case's plan review is due, as an expression over `Survivor` rows: null without
    a goal. `zone` says which day a goal made at a given moment was made on."""
    last_review = (
        PlanReview.objects.filter(survivor=OuterRef("pk"))
        .order_by("-reviewed_on")
        .values("reviewed_on")[:1]
    )
    goals = Goal.objects.filter(survivor=OuterRef("pk"))
    first_goal = goals.order_by("created_at").values("created_at")[:1]
    since = Coalesce(Subquery(last_review), TruncDate(Subquery(first_goal), tzinfo=zone))
    # date + interval is a timestamp on PostgreSQL and a text on SQLite: both cast back to a date.
    return Case(
        When(Exists(goals), then=Cast(since + timedelta(days=days), DateField())),
        default=Value(None, output_field=DateField()),
        output_field=DateField(),
    )


def refresh(survivor: Survivor) -> None:
    """Recompute one case's date after its goals or reviews changed, in the same transaction.

    The case's row is locked first, and the date read by a statement of its own: a goal or
    review written at the same moment by another transaction is then either committed and seen,
    or its own refresh waits for this one and sees ours. The instance gets the new date too, so a
    later save of it does not write the old one back."""
    cases = Survivor.objects.filter(pk=survivor.pk)
    list(cases.select_for_update().values_list("pk"))
    due = cases.annotate(due=due_date(organisation_zone(survivor.organisation))).values_list(
        "due", flat=True
    )[0]
    cases.update(plan_review_due=due)
    survivor.plan_review_due = due


def refresh_all(cases: QuerySet | None = None) -> int:
    """Recompute the date of many cases (all by default) with one UPDATE per time zone their
    organisations are in (most networks have one), for the loaders that write goals and reviews
    in bulk. Returns how many cases were rewritten."""
    cases = Survivor.objects.all() if cases is None else cases
    by_zone: dict[str, tuple[tzinfo, list]] = {}
    organisations = Organisation.objects.filter(pk__in=cases.values("organisation_id")).only(
        "pk", "time_zone", "country"
    )
    for organisation in organisations:
        zone = organisation_zone(organisation)
        by_zone.setdefault(str(zone), (zone, []))[1].append(organisation.pk)
    # A case with no goal and no date keeps its null: not rewritten (and its indexes not).
    cases = cases.filter(
        Q(Exists(Goal.objects.filter(survivor=OuterRef("pk")))) | Q(plan_review_due__isnull=False)
    )
    return sum(
        cases.filter(organisation_id__in=ids).update(plan_review_due=due_date(zone))
        for zone, ids in by_zone.values()
    )
