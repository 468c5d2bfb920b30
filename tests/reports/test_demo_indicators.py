"""Every funder indicator has a value on the demo network over the last 12 months, so the demo
shows what each figure looks like (issue: "a test asserts no indicator is empty")."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aftercare.cases.counting import Scope
from aftercare.demo import network as demo
from aftercare.reports import indicators

pytestmark = pytest.mark.django_db


def test_no_indicator_is_empty_on_the_demo_network():
    demo.load()
    today = timezone.localdate()
    report = indicators.build(
        Scope(actor=None, organisation_id=None, small_cell_min=0),
        today - timedelta(days=364),
        today,
    )
    empty = [
        row.code
        for row in report.indicators
        if not row.value and not (row.unit == "share" and row.denominator)
    ]
    assert not empty, f"empty on the demo network: {empty}"
    assert not [note for note in report.notes if "left out" in note], report.notes
    domains = {row.domain for row in report.indicators}
    assert {
        "cases",
        "referrals",
        "livelihoods",
        "livelihood_figures",
        "care_settings",
        "mentoring",
        "prevention",
        "at_risk",
    } <= domains
