"""The livelihood figures the source articles report, as indicators (on the demo network:
test_demo_indicators)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aftercare.reports.indicators import livelihood_counts

pytestmark = pytest.mark.django_db


def test_an_organisation_sees_only_its_own_figures(org_a):
    today = timezone.localdate()
    rows = livelihood_counts.for_period(today - timedelta(days=365), today, organisation=org_a.pk)
    assert all(not row.value for row in rows)


def test_counts_of_people_are_disaggregated_by_sex_age_region_and_organisation(
    case_worker_a, survivor_a, org_a
):
    from aftercare.mentoring import services as mentoring
    from aftercare.mentoring.indicators import for_period
    from tests.conftest import actor

    worker = actor(case_worker_a)
    mentor = mentoring.add_mentor(worker, {"kind": "volunteer", "name": "Zodwa"})
    today = timezone.localdate()
    mentoring.match_mentor(
        worker, survivor_a, {"mentor": mentor.pk, "start": today - timedelta(days=3)}
    )
    [mentored] = [
        row
        for row in for_period(today - timedelta(days=30), today)
        if row.code == "survivors_mentored"
    ]
    assert {c.key: c.value for c in mentored.breakdowns["sex"]} == {"woman": 1}
    assert [c.label for c in mentored.breakdowns["organisation"]] == [org_a.name]
    assert sum(c.value for c in mentored.breakdowns["age_band"]) == 1
    assert sum(c.value for c in mentored.breakdowns["region"]) == 1
