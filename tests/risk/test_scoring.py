"""Scores of the seeded version 1, worked by hand from its weights.

Version 1 weights. Risk: low_self_worth 2, attachment_to_trafficker 3, family_rejection 2,
no_income 2, no_skills_or_education 1, unresolved_trauma 2, unstable_housing 2,
recent_relocation 1, homelessness 3, substance_use 2, health_concerns 1, trafficker_contact 4
(forces at least high). Protective: fair_wage_job 2, regular_therapy 1, safe_housing 2,
education_or_training 1, family_acceptance 2, peer_support 1. Present counts the weight, partly
half of it; medium from 5, high from 10; follow up after 90 / 30 / 7 days.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from aftercare.risk import services
from aftercare.risk.models import Assessment, SurvivorRisk

pytestmark = pytest.mark.django_db


def test_low_risk_example_worked_by_hand(worker, survivor_a):
    # low_self_worth 2 + no_income 2 + unresolved_trauma partly 2×½ = 1, minus peer_support 1
    # = 2 + 2 + 1 − 1 = 4, below 5: low, follow up in 90 days.
    answers = {
        "low_self_worth": True,
        "no_income": "present",
        "unresolved_trauma": "partly",
        "peer_support": True,
    }
    assessment = services.assess_risk(worker, survivor_a, answers)
    assert assessment.score == Decimal("4.0")
    assert assessment.level == "low"
    assert assessment.next_follow_up == timezone.localdate() + timedelta(days=90)


def test_medium_risk_example_worked_by_hand(worker, survivor_a):
    # attachment_to_trafficker 3 + family_rejection 2 + homelessness 3 + substance_use partly 1
    # − regular_therapy 1 − safe_housing partly 1 = 9 − 2 = 7: at least 5, below 10, medium, 30
    # days.
    answers = {
        "attachment_to_trafficker": True,
        "family_rejection": True,
        "homelessness": True,
        "substance_use": "partly",
        "regular_therapy": True,
        "safe_housing": "partly",
    }
    assessment = services.assess_risk(worker, survivor_a, answers)
    assert (assessment.score, assessment.level) == (Decimal("7.0"), "medium")
    assert assessment.next_follow_up == timezone.localdate() + timedelta(days=30)


def test_high_risk_example_worked_by_hand(worker, survivor_a):
    # homelessness 3 + no_income 2 + no_skills_or_education 1 + unstable_housing 2
    # + recent_relocation 1 + health_concerns 1 = 10: at the high threshold, high, 7 days.
    answers = dict.fromkeys(
        [
            "homelessness",
            "no_income",
            "no_skills_or_education",
            "unstable_housing",
            "recent_relocation",
            "health_concerns",
        ],
        True,
    )
    assessment = services.assess_risk(worker, survivor_a, answers)
    assert (assessment.score, assessment.level) == (Decimal("10.0"), "high")
    assert assessment.next_follow_up == timezone.localdate() + timedelta(days=7)


def test_protective_factors_never_take_the_score_below_zero(worker, survivor_a):
    # no_income 2 − fair_wage_job 2 − family_acceptance 2 = −2, floored at 0.
    answers = {"no_income": True, "fair_wage_job": True, "family_acceptance": True}
    assessment = services.assess_risk(worker, survivor_a, answers)
    assert (assessment.score, assessment.level) == (Decimal("0.0"), "low")


def test_contact_from_the_trafficker_forces_high_whatever_the_score(worker, survivor_a):
    # trafficker_contact 4 − fair_wage_job 2 − safe_housing 2 = 0, which alone would be low.
    answers = {"trafficker_contact": True, "fair_wage_job": True, "safe_housing": True}
    assessment = services.assess_risk(worker, survivor_a, answers)
    assert assessment.score == Decimal("0.0")
    assert assessment.level == "high"
    assert assessment.forced_by == "trafficker_contact"
    assert assessment.next_follow_up == timezone.localdate() + timedelta(days=7)
    reasons = services.assessment_reasons(assessment)
    assert (
        "Contact from the trafficker was reported, which makes the risk at least high." in reasons
    )


def test_partly_reported_trafficker_contact_also_forces_high(worker, survivor_a):
    assessment = services.assess_risk(worker, survivor_a, {"trafficker_contact": "partly"})
    assert (assessment.score, assessment.level) == (Decimal("2.0"), "high")


def test_the_forcing_rule_is_data_on_the_factor(instrument):
    contact = instrument.factors.get(code="trafficker_contact")
    assert (contact.forces_level, contact.raises_alert) == ("high", True)
    assert (
        not instrument.factors.exclude(code="trafficker_contact").exclude(forces_level="").exists()
    )


def test_a_factor_not_answered_counts_as_absent(worker, survivor_a, instrument):
    assessment = services.assess_risk(worker, survivor_a, {"no_income": True})
    assert assessment.score == Decimal("2.0")
    assert assessment.answers["homelessness"] == "absent"
    assert set(assessment.answers) == set(instrument.factors.values_list("code", flat=True))
    assert [c["factor"] for c in assessment.contributions] == ["no_income"]


def test_false_and_absent_are_the_same_answer(worker, survivor_a):
    first = services.assess_risk(worker, survivor_a, {"no_income": False, "homelessness": "absent"})
    assert first.score == Decimal("0.0") and first.contributions == []


def test_unknown_factor_is_refused_and_nothing_is_saved(worker, survivor_a):
    with pytest.raises(ValidationError) as caught:
        services.assess_risk(worker, survivor_a, {"no_income": True, "owns_a_yacht": True})
    assert "answers.owns_a_yacht" in caught.value.message_dict
    assert not Assessment.objects.exists()
    assert not SurvivorRisk.objects.exists()


@pytest.mark.parametrize("value", ["maybe", 3, 1.5, ["present"], {"x": 1}])
def test_unreadable_answer_is_refused(worker, survivor_a, value):
    with pytest.raises(ValidationError) as caught:
        services.assess_risk(worker, survivor_a, {"no_income": value})
    assert list(caught.value.message_dict) == ["answers.no_income"]


def test_reasons_give_the_level_rule_then_each_factor_in_words(worker, survivor_a):
    answers = {
        "homelessness": True,
        "no_income": True,
        "unresolved_trauma": "partly",
        "peer_support": True,
    }
    assessment = services.assess_risk(worker, survivor_a, answers)  # 3 + 2 + 1 − 1 = 5, medium
    assert services.assessment_reasons(assessment) == [
        "A score of 5 is at or above the medium-risk threshold of 5.",
        "Homelessness: +3",
        "No income: +2",
        "Peer support (protective): −1",
        "Unresolved trauma (partly): +1",
    ]


def test_current_risk_follows_the_newest_assessment_not_a_late_entered_older_one(
    worker, survivor_a
):
    services.assess_risk(worker, survivor_a, {"homelessness": True, "no_income": True})  # 5, medium
    older = services.assess_risk(
        worker,
        survivor_a,
        {"trafficker_contact": True},
        assessed_on=timezone.localdate() - timedelta(days=60),
    )
    current = SurvivorRisk.objects.get(survivor=survivor_a)
    assert current.level == "medium" and current.assessment_id != older.pk
    assert Assessment.objects.filter(survivor=survivor_a).count() == 2
