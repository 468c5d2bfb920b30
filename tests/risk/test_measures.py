"""Wellbeing measures scored on the server, Rosenberg's reversed items worked by hand."""

import pytest
from django.core.exceptions import ValidationError

from aftercare.cases.access import case_access_for
from aftercare.risk import measures
from aftercare.risk.models import Measure, Measurement

pytestmark = pytest.mark.django_db

# Answers on the Rosenberg scale: 0 strongly disagree, 1 disagree, 2 agree, 3 strongly agree.
# Items 2, 5, 6, 8 and 9 are reversed: they score 3 − answer.


def _answers(values):
    return {str(number): value for number, value in enumerate(values, start=1)}


def test_rosenberg_items_and_reversals_are_the_standard_ones(rosenberg):
    items = list(rosenberg.items.all())
    assert len(items) == 10
    assert [i.number for i in items if i.reversed] == [2, 5, 6, 8, 9]
    assert items[0].text == "On the whole, I am satisfied with myself."
    assert items[8].text == "All in all, I am inclined to feel that I am a failure."
    assert rosenberg.scale_values == [0, 1, 2, 3]
    assert "Public domain" in rosenberg.licence_note


def test_rosenberg_high_self_esteem_worked_by_hand(worker, survivor_a):
    # answers 3,0,3,2,1,0,2,1,0,3
    # items 1,3,4,7,10 as given: 3 + 3 + 2 + 2 + 3 = 13
    # items 2,5,6,8,9 reversed:  (3−0) + (3−1) + (3−0) + (3−1) + (3−0) = 3 + 2 + 3 + 2 + 3 = 13
    # total 26: 26–30 is the high band.
    result = measures.record_measure(
        worker, survivor_a, "rosenberg", _answers([3, 0, 3, 2, 1, 0, 2, 1, 0, 3])
    )
    assert (result.total, result.band) == (26, "high")


def test_rosenberg_low_self_esteem_worked_by_hand(worker, survivor_a):
    # answers 1,2,1,1,2,3,1,2,2,0
    # items 1,3,4,7,10: 1 + 1 + 1 + 1 + 0 = 4
    # items 2,5,6,8,9 reversed: (3−2) + (3−2) + (3−3) + (3−2) + (3−2) = 1 + 1 + 0 + 1 + 1 = 4
    # total 8: under 15, low.
    result = measures.record_measure(
        worker, survivor_a, "rosenberg", _answers([1, 2, 1, 1, 2, 3, 1, 2, 2, 0])
    )
    assert (result.total, result.band) == (8, "low")
    assert result.band_info["concern"] is True


def test_rosenberg_disagreeing_with_everything_is_fifteen_the_edge_of_normal(worker, survivor_a):
    # every answer 1: five items score 1 (5), five reversed items score 3 − 1 = 2 (10); total 15.
    result = measures.record_measure(worker, survivor_a, "rosenberg", _answers([1] * 10))
    assert (result.total, result.band) == (15, "normal")


def test_confidence_measure_reverses_its_last_item(worker, survivor_a):
    # items 1–5 answered 2 (10), item 6 reversed: 3 − 3 = 0; total 10, developing (8–12).
    result = measures.record_measure(worker, survivor_a, "confidence", _answers([2, 2, 2, 2, 2, 3]))
    assert (result.total, result.band) == (10, "developing")


def test_job_readiness_counts_the_yeses(worker, survivor_a):
    result = measures.record_measure(
        worker, survivor_a, "job_readiness", _answers([1, 1, 1, 0, 1, 1, 0, 1, 1, 1])
    )
    assert (result.total, result.band) == (8, "ready")


def test_housing_stability_is_a_single_item(worker, survivor_a):
    result = measures.record_measure(worker, survivor_a, "housing_stability", {"1": 1})
    assert (result.total, result.band) == (1, "crisis")


def test_every_measure_has_bands_covering_its_whole_range():
    for measure in Measure.objects.filter(active=True).prefetch_related("items"):
        items = len(measure.items.all())
        low, high = measure.scale_min * items, measure.scale_max * items
        assert all(measure.band_for(total) for total in range(low, high + 1)), measure.code
        assert measure.licence_note


@pytest.mark.parametrize(
    ("answers", "bad"),
    [
        ({str(n): 2 for n in range(1, 10)}, ["answers.10"]),  # item 10 missing
        ({**{str(n): 2 for n in range(1, 11)}, "4": 4}, ["answers.4"]),  # out of range
        ({**{str(n): 2 for n in range(1, 11)}, "4": -1}, ["answers.4"]),
        ({**{str(n): 2 for n in range(1, 11)}, "4": True}, ["answers.4"]),  # a bool is not a number
        ({**{str(n): 2 for n in range(1, 11)}, "4": "two"}, ["answers.4"]),
        ({**{str(n): 2 for n in range(1, 11)}, "11": 2}, ["answers.11"]),  # no such item
        ({}, [f"answers.{n}" for n in range(1, 11)]),
    ],
)
def test_incomplete_or_out_of_range_answers_are_refused_item_by_item(
    worker, survivor_a, answers, bad
):
    with pytest.raises(ValidationError) as caught:
        measures.record_measure(worker, survivor_a, "rosenberg", answers)
    assert sorted(caught.value.message_dict) == sorted(bad)
    assert not Measurement.objects.exists()


def test_unknown_measure_is_refused(worker, survivor_a):
    with pytest.raises(measures.UnknownMeasure):
        measures.record_measure(worker, survivor_a, "iq_test", {"1": 1})


def test_wellbeing_context_has_a_chart_per_recorded_measure(worker, survivor_a):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    for days, values in (
        (120, [1, 2, 1, 1, 2, 3, 1, 2, 2, 0]),
        (60, [1] * 10),
        (1, [3, 0, 3, 2, 1, 0, 2, 1, 0, 3]),
    ):
        measures.record_measure(
            worker,
            survivor_a,
            "rosenberg",
            _answers(values),
            recorded_on=today - timedelta(days=days),
        )
    context = measures.case_wellbeing_context(case_access_for(worker, survivor_a))["wellbeing"]
    entry = next(e for e in context["measures"] if e["measure"].code == "rosenberg")
    assert [m.total for m in entry["history"]] == [8, 15, 26]
    assert entry["latest"].total == 26 and entry["max_total"] == 30
    assert len(entry["chart"].points) == 3
    others = [e for e in context["measures"] if e["measure"].code != "rosenberg"]
    assert all(e["chart"] is None and e["latest"] is None for e in others)
