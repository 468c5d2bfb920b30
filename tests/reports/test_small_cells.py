"""Small-cell suppression: no aggregate shown to a role without case access can single out a
person."""

from __future__ import annotations

from datetime import date

import pytest

from aftercare.core.stats import cells
from aftercare.core.stats.indicators import SHARE, Cell, Indicator, apply_small_cells
from tests.factories import SurvivorFactory
from tests.reports.conftest import at

pytestmark = pytest.mark.django_db


def test_a_small_cell_and_the_next_smallest_are_hidden_so_the_total_cannot_give_it_back():
    # a = 1 is small; hiding it alone, 18 - 10 - 7 - 0 = 1 would give it back. The next smallest
    # non-zero cell, c = 7, is hidden too: then a + c = 8 >= 5 and neither can be worked out.
    assert cells.hide_breakdown({"a": 1, "b": 10, "c": 7, "d": 0}, 5) == {
        "a": None,
        "b": 10,
        "c": None,
        "d": 0,
    }


def test_two_small_cells_that_add_up_to_less_than_the_minimum_take_a_third_with_them():
    # 1 + 2 = 3 < 5: the next smallest, 6, is hidden too (1 + 2 + 6 = 9).
    assert cells.hide_breakdown({"a": 1, "b": 2, "c": 6, "d": 9}, 5) == {
        "a": None,
        "b": None,
        "c": None,
        "d": 9,
    }


def test_nothing_is_hidden_for_case_roles_or_when_every_cell_is_large_or_zero():
    assert cells.hide_breakdown({"a": 1, "b": 2}, 0) == {"a": 1, "b": 2}
    assert cells.hide_breakdown({"a": 0, "b": 5, "c": 12}, 5) == {"a": 0, "b": 5, "c": 12}


def test_a_share_is_hidden_when_its_numerator_or_the_rest_of_its_denominator_is_small():
    assert cells.share_hidden(3, 40, 5)  # 3 people
    assert cells.share_hidden(38, 40, 5)  # the 2 others
    assert not cells.share_hidden(20, 40, 5)
    assert not cells.share_hidden(0, 40, 5)


def test_an_indicator_is_protected_as_a_whole():
    indicator = Indicator(
        code="x",
        domain="cases",
        label="x",
        value=3,
        breakdowns={"sex": [Cell("woman", "Woman", 2), Cell("man", "Man", 1)]},
    )
    shown = apply_small_cells(indicator, 5)
    assert shown.value is None and shown.suppressed
    assert [c.value for c in shown.breakdowns["sex"]] == [None, None]
    share = Indicator(
        code="s", domain="cases", label="s", unit=SHARE, value=0.1, numerator=2, denominator=20
    )
    hidden = apply_small_cells(share, 5)
    assert (hidden.value, hidden.numerator, hidden.denominator, hidden.suppressed) == (
        None,
        None,
        20,
        True,
    )
    assert apply_small_cells(share, 0) == share


def test_the_coordinator_never_sees_a_count_under_five(api, coordinator, org_a):
    for gender in ["woman"] * 6 + ["man"] * 2:
        SurvivorFactory(organisation=org_a, gender=gender, created_at=at(date(2025, 2, 1)))
    report = (
        api.as_user(coordinator)
        .get("/api/v1/reports/indicators?from=2025-01-01&to=2025-12-31")
        .json()
    )
    assert report["scope"] == "network" and report["small_cell_min"] == 5
    served = next(i for i in report["indicators"] if i["code"] == "survivors_served")
    assert served["value"] == 8
    sex = {c["key"]: c["value"] for c in served["breakdowns"]["sex"]}
    # 2 men is small; hiding it with 6 women shown and a total of 8 would give it back, so the
    # women's count goes too.
    assert sex == {"woman": None, "man": None, "transgender": 0, "unknown": 0}
    for indicator in report["indicators"]:
        values = [indicator["value"]] + [
            c["value"] for cs in indicator["breakdowns"].values() for c in cs
        ]
        if indicator["unit"] == "count":
            assert not any(isinstance(v, int) and 0 < v < 5 for v in values), indicator["code"]


def test_the_supervisor_sees_every_count_of_their_own_cases(api, supervisor_a, org_a):
    for gender in ["woman"] * 6 + ["man"] * 2:
        SurvivorFactory(organisation=org_a, gender=gender, created_at=at(date(2025, 2, 1)))
    report = (
        api.as_user(supervisor_a)
        .get("/api/v1/reports/indicators?from=2025-01-01&to=2025-12-31")
        .json()
    )
    assert report["scope"] == "organisation" and report["small_cell_min"] is None
    served = next(i for i in report["indicators"] if i["code"] == "survivors_served")
    assert {c["key"]: c["value"] for c in served["breakdowns"]["sex"]}["man"] == 2
    network = (
        api.as_user(supervisor_a)
        .get("/api/v1/reports/indicators?from=2025-01-01&to=2025-12-31&scope=network")
        .json()
    )
    assert network["small_cell_min"] == 5


def test_the_threshold_is_a_setting(api, coordinator, org_a, settings):
    settings.AFTERCARE_SMALL_CELL_MIN = 3
    for _ in range(3):
        SurvivorFactory(organisation=org_a, created_at=at(date(2025, 2, 1)))
    report = (
        api.as_user(coordinator)
        .get("/api/v1/reports/indicators?from=2025-01-01&to=2025-12-31")
        .json()
    )
    served = next(i for i in report["indicators"] if i["code"] == "survivors_served")
    assert served["value"] == 3 and report["small_cell_min"] == 3
