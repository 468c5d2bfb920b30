"""Retention follow-ups: made with the placement at 1, 3, 6 and 12 months; the due ones opened
as notifications to case staff by the periodic task, once each; each recorded as retained or
left."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from aftercare.core.errors import DomainError, TransitionNotAllowed
from aftercare.core.models import Notification
from aftercare.livelihoods import placements, tasks
from aftercare.livelihoods.models import PayPeriod, RetentionFollowUp, RetentionOutcome

pytestmark = pytest.mark.django_db


def place(worker, survivor, employer, start: date, **extra):
    return placements.place(
        worker,
        survivor,
        {
            "employer": employer,
            "role": "Kitchen assistant",
            "start_date": start,
            "hours_per_week": Decimal(40),
            "wage_amount": Decimal("45"),
            "currency": "ZAR",
            "pay_period": PayPeriod.HOURLY,
            **extra,
        },
    )


def test_follow_ups_are_scheduled_at_1_3_6_and_12_months(
    worker, jhb_survivor, employer, za_standards
):
    placement = place(worker, jhb_survivor, employer, date.today() + timedelta(days=3))
    rows = list(placement.follow_ups.order_by("months").values_list("months", "due_on", "outcome"))
    start = placement.start_date

    def months_on(n):
        index = start.month - 1 + n
        return start.replace(year=start.year + index // 12, month=index % 12 + 1)

    assert [r[0] for r in rows] == [1, 3, 6, 12]
    assert [r[1] for r in rows] == [months_on(1), months_on(3), months_on(6), months_on(12)]
    assert {r[2] for r in rows} == {RetentionOutcome.PENDING}


def test_a_follow_up_from_the_31st_falls_on_the_last_day_of_a_shorter_month(
    worker, jhb_survivor, employer, za_standards
):
    placement = place(worker, jhb_survivor, employer, date(2025, 10, 31))
    assert placement.follow_ups.get(months=1).due_on == date(2025, 11, 30)
    assert placement.follow_ups.get(months=3).due_on == date(2026, 1, 31)
    assert placement.follow_ups.get(months=6).due_on == date(2026, 4, 30)


def test_the_periodic_task_is_on_the_beat_schedule():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "aftercare.livelihoods.tasks.open_due_follow_ups" in tasks_scheduled


def test_only_due_follow_ups_are_opened_and_each_only_once(
    worker, case_worker_a, supervisor_a, jhb_survivor, employer, za_standards
):
    today = timezone.localdate()
    start = today - timedelta(days=100)  # the 1- and 3-month follow-ups are due, 6 and 12 are not
    placement = place(worker, jhb_survivor, employer, start)
    # place() enqueued the sweep, which ran when the test's transaction "committed" (eager tasks)
    tasks.open_due_follow_ups.apply(kwargs={}).get()
    opened = placement.follow_ups.filter(opened_at__isnull=False).values_list("months", flat=True)
    assert sorted(opened) == [1, 3]
    messages = [note.text for note in Notification.objects.filter(user=case_worker_a)]
    assert len([m for m in messages if "Retention follow-up due" in m]) == 2
    assert all(jhb_survivor.case_code in m and "Rosebank Hotel" in m for m in messages)
    assert (
        Notification.objects.filter(user=supervisor_a, key="livelihoods.retention_due").count() == 2
    )
    # Running again opens nothing new.
    assert tasks.open_due_follow_ups.apply(kwargs={}).get() == 0


def test_later_follow_ups_open_when_they_fall_due(
    worker, case_worker_a, jhb_survivor, employer, za_standards
):
    start = timezone.localdate() - timedelta(days=10)
    placement = place(worker, jhb_survivor, employer, start)
    assert not placement.follow_ups.filter(opened_at__isnull=False).exists()
    later = placement.follow_ups.get(months=6).due_on
    assert placements.open_due_follow_ups(today=later) == 3
    assert sorted(
        placement.follow_ups.filter(opened_at__isnull=False).values_list("months", flat=True)
    ) == [1, 3, 6]


def test_enqueued_sweep_runs_after_the_placement_commits(
    worker, case_worker_a, jhb_survivor, employer, za_standards, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        place(worker, jhb_survivor, employer, timezone.localdate() - timedelta(days=40))
    assert (
        Notification.objects.filter(user=case_worker_a, key="livelihoods.retention_due").count()
        == 1
    )


def test_retained_is_recorded_once_and_only_when_due(worker, jhb_survivor, employer, za_standards):
    today = timezone.localdate()
    placement = place(worker, jhb_survivor, employer, today - timedelta(days=40))
    with pytest.raises(TransitionNotAllowed, match="not due until"):
        placements.record_retention(worker, placement, 3, outcome=RetentionOutcome.RETAINED)
    follow_up = placements.record_retention(
        worker, placement, 1, outcome=RetentionOutcome.RETAINED, note="Likes the work"
    )
    assert follow_up.outcome == RetentionOutcome.RETAINED and follow_up.recorded_by == worker.user
    with pytest.raises(TransitionNotAllowed, match="already recorded"):
        placements.record_retention(
            worker, placement, 1, outcome=RetentionOutcome.LEFT, left_reason="resigned"
        )


def test_leaving_needs_a_reason_ends_the_job_and_the_later_follow_ups(
    worker, jhb_survivor, employer, za_standards
):
    today = timezone.localdate()
    placement = place(worker, jhb_survivor, employer, today - timedelta(days=100))
    with pytest.raises(DomainError, match="Say why"):
        placements.record_retention(worker, placement, 3, outcome=RetentionOutcome.LEFT)
    placements.record_retention(
        worker, placement, 3, outcome=RetentionOutcome.LEFT, left_reason="unsafe", left_on=today
    )
    placement.refresh_from_db()
    assert (
        placement.end_date == today and placement.end_reason == "Unsafe or exploitative conditions"
    )
    outcomes = dict(
        RetentionFollowUp.objects.filter(placement=placement).values_list("months", "outcome")
    )
    assert outcomes == {1: "pending", 3: "left", 6: "not_needed", 12: "not_needed"}
    # Follow-ups no longer needed are never opened; the 1-month one still waits for its answer.
    assert placements.open_due_follow_ups(today=today + timedelta(days=400)) == 1
    assert list(
        placement.follow_ups.filter(opened_at__isnull=False).values_list("months", flat=True)
    ) == [1]


def test_without_beat_the_to_do_list_opens_due_follow_ups_at_most_hourly(
    web_login, case_worker_a, worker, jhb_survivor, employer, za_standards
):
    from django.core.cache import cache

    cache.clear()
    place(
        worker, jhb_survivor, employer, timezone.localdate() - timedelta(days=40)
    )  # its sweep never ran (no commit)
    client = web_login(case_worker_a)
    page = client.get("/livelihoods/").content.decode()
    assert jhb_survivor.case_code in page
    assert (
        Notification.objects.filter(user=case_worker_a, key="livelihoods.retention_due").count()
        == 1
    )
    RetentionFollowUp.objects.update(opened_at=None)
    client.get("/livelihoods/")  # within the hour: not again
    assert (
        Notification.objects.filter(user=case_worker_a, key="livelihoods.retention_due").count()
        == 1
    )
