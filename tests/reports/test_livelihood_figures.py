"""The livelihood figures the source articles report, as indicators, on the demo network."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aftercare.core import demo
from aftercare.reports.indicators import livelihood_counts

pytestmark = pytest.mark.django_db


def test_the_demo_network_has_every_livelihood_figure():
    demo.load(survivor_target=60)
    today = timezone.localdate()
    rows = {row.code: row for row in livelihood_counts.for_period(today - timedelta(days=365), today)}
    for code in ("survivors_trained", "job_placements", "survivors_placed", "makers_paid", "survivors_saving",
                 "households_supported", "survivors_given_school_supplies", "partner_training_programmes",
                 "partner_employers"):
        assert rows[code].value, f"{code} is empty on the demo network"
    assert any(code.startswith("makers_income_") for code in rows)
    assert any(code.startswith("savings_total_") for code in rows)


def test_an_organisation_sees_only_its_own_figures(org_a):
    today = timezone.localdate()
    rows = livelihood_counts.for_period(today - timedelta(days=365), today, organisation=org_a.pk)
    assert all(not row.value for row in rows)
