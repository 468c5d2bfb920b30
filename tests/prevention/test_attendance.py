"""Attendance by sex and age group: every total is the sum of its cells, and the share of
men is adult men among adults."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftercare.core.errors import DomainError, StaleVersion
from aftercare.prevention import community
from aftercare.prevention.models import AgeGroup, Attendance, Sex
from tests.prevention.factories import ActivityFactory, attendance


def test_share_of_men_is_adult_men_among_adults_on_a_worked_example():
    # Women 30 (adults), girls 5; men 10 (adults), boys 5: 10 men of 40 adults is 25%, although
    # males are 15 of the 50 people (30%): boys are not men.
    summary = community.summarise(
        [
            ("female", "18_35", 20),
            ("female", "36_59", 10),
            ("female", "under_18", 5),
            ("male", "18_35", 4),
            ("male", "60_plus", 6),
            ("male", "under_18", 5),
        ]
    )
    assert summary.total == 50
    assert summary.by_sex == {"female": 35, "male": 15}
    assert summary.by_age == {"under_18": 10, "18_35": 24, "36_59": 10, "60_plus": 6}
    assert (summary.adults, summary.men) == (40, 10)
    assert summary.share_of_men == 0.25


def test_no_adults_means_no_share_rather_than_zero():
    summary = community.summarise([("female", "under_18", 12), ("male", "under_18", 9)])
    assert summary.share_of_men is None
    assert summary.as_dict()["share_of_men"] is None


cells = st.lists(
    st.tuples(
        st.sampled_from(Sex.values),
        st.sampled_from(AgeGroup.values),
        st.integers(min_value=0, max_value=500),
    ),
    max_size=30,
)


@given(cells)
def test_every_total_is_the_sum_of_the_cells(rows):
    summary = community.summarise(rows)
    grand = sum(n for _s, _a, n in rows)
    assert summary.total == grand == sum(summary.by_sex.values()) == sum(summary.by_age.values())
    table = summary.as_dict()["by_sex_and_age"]
    assert sum(sum(row.values()) for row in table.values()) == grand
    assert summary.adults == grand - summary.by_age["under_18"]
    if summary.adults:
        assert 0 <= summary.share_of_men <= 1


@pytest.mark.django_db
def test_recorded_attendance_sums_in_the_database_as_by_hand(org_a, sup):
    first, second = ActivityFactory(organisation=org_a), ActivityFactory(organisation=org_a)
    community.set_attendance(
        sup, first.pk, attendance({"18_35": 20, "under_18": 5}, {"18_35": 4}), 1
    )
    community.set_attendance(
        sup, second.pk, attendance({"36_59": 10}, {"60_plus": 6, "under_18": 5}), 1
    )
    summary = community.attendance_of([first, second])
    assert (summary.total, summary.by_sex["female"], summary.by_sex["male"]) == (50, 35, 15)
    assert summary.share_of_men == 0.25
    assert Attendance.objects.filter(activity=first).count() == 8  # every cell, zeros included


@pytest.mark.django_db
def test_a_count_against_the_current_version_replaces_the_old_one(org_a, sup):
    activity = ActivityFactory(organisation=org_a)
    community.set_attendance(sup, activity.pk, attendance({"18_35": 20}), 1)
    community.set_attendance(sup, activity.pk, attendance({"18_35": 18}, {"18_35": 9}), 2)
    activity.refresh_from_db()
    assert activity.version == 3
    assert community.current_counts(activity)["male"]["18_35"] == 9


@pytest.mark.django_db
def test_a_count_against_an_old_version_is_refused(org_a, sup):
    activity = ActivityFactory(organisation=org_a)
    community.set_attendance(sup, activity.pk, attendance({"18_35": 20}), 1)
    with pytest.raises(StaleVersion):
        community.set_attendance(sup, activity.pk, attendance({"18_35": 1}), 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("counts", "field"),
    [
        ({"female": {"18_35": -1}}, "attendance.female.18_35"),
        ({"female": {"18_35": 2.5}}, "attendance.female.18_35"),
        ({"female": {"18_35": True}}, "attendance.female.18_35"),
        ({"female": {"teen": 3}}, "attendance.female"),
        ({"other": {"18_35": 3}}, "attendance"),
        ({"female": {}, "male": {}}, "attendance"),
        ([3, 4], "attendance"),
    ],
)
def test_bad_counts_name_their_cell(org_a, sup, counts, field):
    activity = ActivityFactory(organisation=org_a)
    with pytest.raises(DomainError) as caught:
        community.set_attendance(sup, activity.pk, counts, 1)
    assert caught.value.field == field


@pytest.mark.django_db
def test_attendance_of_a_planned_activity_waits_until_the_day(org_a, sup):
    from datetime import timedelta

    from django.utils import timezone

    activity = ActivityFactory(organisation=org_a, held_on=timezone.localdate() + timedelta(days=3))
    with pytest.raises(DomainError, match="once the activity has taken place"):
        community.set_attendance(sup, activity.pk, attendance({"18_35": 1}), 1)


@pytest.mark.django_db
def test_share_of_men_by_month(org_a, sup):
    from datetime import date

    march, april = (
        ActivityFactory(organisation=org_a, held_on=date(2025, 3, 9)),
        ActivityFactory(organisation=org_a, held_on=date(2025, 4, 2)),
    )
    community.set_attendance(
        sup, march.pk, attendance({"18_35": 30}, {"18_35": 10, "under_18": 8}), 1
    )
    community.set_attendance(sup, april.pk, attendance({"18_35": 10}, {"36_59": 10}), 1)
    months = community.share_of_men_by_month([march, april])
    assert months == [(date(2025, 3, 1), 0.25, 10, 40), (date(2025, 4, 1), 0.5, 10, 20)]
