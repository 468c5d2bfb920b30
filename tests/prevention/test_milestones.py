"""Policy milestones: drafted → lobbied → passed → enforced, one stage at a time."""

from datetime import date

import pytest

from aftercare.core.errors import DomainError, StaleVersion, TransitionNotAllowed
from aftercare.prevention import milestones
from aftercare.prevention.models import Milestone, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def by_law(sup, karamoja_regions):
    return milestones.add_instrument(
        sup,
        title="Lokopo Child Protection By-law",
        kind="by_law",
        region=karamoja_regions["lokopo"],
        drafted_on="2025-01-10",
    )


def test_the_level_comes_from_the_region(sup, karamoja_regions, by_law):
    ordinance = milestones.add_instrument(
        sup,
        title="Napak Child Protection Ordinance",
        kind="ordinance",
        region=karamoja_regions["napak"],
        drafted_on="2025-01-02",
    )
    national = milestones.add_instrument(
        sup,
        title="National Child Policy",
        kind="policy",
        region=karamoja_regions["ug"],
        drafted_on="2025-01-02",
    )
    assert (by_law.level, ordinance.level, national.level) == ("sub_county", "district", "national")


def test_an_instrument_moves_through_every_stage_in_order(sup, by_law):
    version = by_law.version
    for stage, day in [
        ("lobbied", "2025-02-01"),
        ("passed", "2025-04-01"),
        ("enforced", "2025-06-01"),
    ]:
        instrument = milestones.advance(sup, by_law.pk, to=stage, reached_on=day, version=version)
        version = instrument.version
    assert instrument.stage == "enforced" and instrument.version == 4
    assert list(Milestone.objects.filter(instrument=by_law).values_list("stage", "reached_on")) == [
        ("drafted", date(2025, 1, 10)),
        ("lobbied", date(2025, 2, 1)),
        ("passed", date(2025, 4, 1)),
        ("enforced", date(2025, 6, 1)),
    ]


def test_the_transition_table_is_one_step_forward():
    assert [milestones.next_stage(s) for s in Stage.values] == [
        "lobbied",
        "passed",
        "enforced",
        None,
    ]


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("passed", "it can only move to lobbied next, not to passed"),
        ("enforced", "it can only move to lobbied next, not to enforced"),
        ("drafted", "it can only move to lobbied next, not to drafted"),
    ],
)
def test_skipping_or_going_back_is_not_allowed(sup, by_law, to, message):
    with pytest.raises(TransitionNotAllowed, match=message):
        milestones.advance(sup, by_law.pk, to=to, reached_on="2025-02-01", version=1)


def test_an_enforced_instrument_has_no_further_stage(sup, by_law):
    version = 1
    for stage in ("lobbied", "passed", "enforced"):
        version = milestones.advance(
            sup, by_law.pk, to=stage, reached_on="2025-03-01", version=version
        ).version
    with pytest.raises(TransitionNotAllowed, match="already enforced"):
        milestones.advance(sup, by_law.pk, to="enforced", reached_on="2025-03-02", version=version)


def test_a_stale_version_is_refused(sup, by_law):
    milestones.advance(sup, by_law.pk, to="lobbied", reached_on="2025-02-01", version=1)
    with pytest.raises(StaleVersion):
        milestones.advance(sup, by_law.pk, to="passed", reached_on="2025-03-01", version=1)


def test_a_stage_cannot_be_reached_before_the_previous_one(sup, by_law):
    with pytest.raises(DomainError, match="before the previous one"):
        milestones.advance(sup, by_law.pk, to="lobbied", reached_on="2024-12-01", version=1)


def test_the_api_answers_409_with_a_clear_message_for_a_skipped_stage(api, supervisor_a, by_law):
    response = api.as_user(supervisor_a).post(
        f"/api/v1/prevention/policy-instruments/{by_law.pk}/advance",
        {"to": "enforced", "reached_on": "2025-02-01", "version": 1},
        format="json",
    )
    assert response.status_code == 409
    assert response.json() == {
        "errors": {
            "to": [
                "“Lokopo Child Protection By-law” is drafted: it can only move to lobbied next, "
                "not to enforced."
            ]
        },
        "code": "transition_not_allowed",
    }


def test_the_api_advances_and_lists_the_milestones(api, supervisor_a, by_law):
    response = api.as_user(supervisor_a).post(
        f"/api/v1/prevention/policy-instruments/{by_law.pk}/advance",
        {"to": "lobbied", "reached_on": "2025-02-01", "version": 1},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["stage"], body["next_stage"], body["version"], body["level"]) == (
        "lobbied",
        "passed",
        2,
        "sub_county",
    )
    assert [m["stage"] for m in body["milestones"]] == ["drafted", "lobbied"]
