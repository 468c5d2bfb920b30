"""Provider performance: the Bayesian mean against a hand-worked example, and k-anonymity."""

from __future__ import annotations

from datetime import date

import pytest

from aftercare.voice import stats
from tests.factories import OrganisationFactory, RegionFactory
from tests.voice.factories import DutyBearerFactory, rate

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 15)  # in 2026-Q2: ratings up to the end of 2026-Q1 can be released
Q1 = date(2026, 2, 1)


def ratings_of(subject, scores, period=Q1):
    for score in scores:
        rate(subject, score, period=period)


def test_the_bayesian_mean_matches_a_hand_worked_example(settings):
    """Two organisations with 5 ratings each; a third with 2 is withheld.

    A: overall scores 5, 5, 4, 4, 2 → n = 5, sum 20, mean 4.0, Σ(x−x̄)² = 1+1+0+0+4 = 6
    B: overall scores 3, 3, 3, 2, 4 → n = 5, sum 15, mean 3.0, Σ(x−x̄)² = 0+0+0+1+1 = 2
    C: 1, 1 (n = 2 < k = 5): withheld, and left out of the network figures.
    Network mean μ = (20 + 15) / 10 = 3.5; pooled σ = √((6 + 2) / (10 − 2)) = 1.0; m = 5.
    A: (5·3.5 + 20) / (5 + 5) = 3.75; interval 3.75 ± 1.96·1.0/√10 = 3.75 ± 0.62 → [3.13, 4.37]
    B: (5·3.5 + 15) / (5 + 5) = 3.25; interval 3.25 ± 0.62 → [2.63, 3.87]
    """
    a, b, c = (
        OrganisationFactory(name="A"),
        OrganisationFactory(name="B"),
        OrganisationFactory(name="C"),
    )
    ratings_of(a, [5, 5, 4, 4, 2])
    ratings_of(b, [3, 3, 3, 2, 4])
    ratings_of(c, [1, 1])
    report = stats.performance(today=TODAY)
    assert report.network.mean == 3.5
    assert report.network.sigma == pytest.approx(1.0)
    first, second = report.subjects
    assert (first.subject, first.rank, first.figures.n, first.figures.mean) == (a, 1, 5, 4.0)
    assert first.figures.bayesian_mean == 3.75
    assert first.figures.interval == (3.13, 4.37)
    assert (second.subject, second.figures.bayesian_mean, second.figures.interval) == (
        b,
        3.25,
        (2.63, 3.87),
    )
    assert report.withheld == 1


def test_the_overall_score_is_the_mean_of_the_five_questions():
    org = OrganisationFactory()
    for _ in range(5):
        rate(
            org,
            {"respect": 5, "timeliness": 3, "helpfulness": 4, "safety": 5, "information": 3},
            period=Q1,
        )
    subject = stats.performance(today=TODAY).subjects[0]
    assert subject.figures.mean == 4.0
    assert subject.figures.dimensions == {
        "respect": 5.0,
        "timeliness": 3.0,
        "helpfulness": 4.0,
        "safety": 5.0,
        "information": 3.0,
    }


def test_a_subject_under_k_is_withheld_entirely(settings):
    org = OrganisationFactory()
    ratings_of(org, [5, 5, 5, 5])
    report = stats.performance(today=TODAY)
    assert report.subjects == [] and report.withheld == 1
    assert report.network.mean is None


def test_k_is_configurable(settings):
    settings.AFTERCARE_RATING_MIN_GROUP = 3
    ratings_of(OrganisationFactory(), [5, 4, 4])
    assert len(stats.performance(today=TODAY).subjects) == 1


def test_the_current_quarter_is_held_back_so_a_new_rating_cannot_be_singled_out():
    org = OrganisationFactory()
    ratings_of(org, [4] * 5)
    before = stats.performance(today=TODAY).subjects[0].figures
    rate(org, 1, period=date(2026, 5, 1))  # one survivor rates today
    after = stats.performance(today=TODAY).subjects[0].figures
    assert after == before


def test_quarters_with_fewer_than_k_are_released_together():
    org = OrganisationFactory()
    ratings_of(org, [4, 4, 4], period=date(2025, 8, 1))  # 2025-Q3: 3 ratings
    ratings_of(org, [2, 2], period=date(2025, 11, 1))  # 2025-Q4: 2 more → a batch of 5
    ratings_of(org, [5, 5, 5, 5], period=Q1)  # 2026-Q1: 4, held back until more come
    subject = stats.performance(today=TODAY).subjects[0]
    assert subject.figures.n == 5 and subject.figures.mean == 3.2
    assert [b.label for b in subject.batches] == ["2025-Q3 – 2025-Q4"]


def test_the_trend_has_one_point_per_released_batch():
    org = OrganisationFactory()
    ratings_of(org, [3] * 5, period=date(2025, 8, 1))
    ratings_of(org, [5] * 6, period=Q1)
    report, subject = stats.subject_report(org.pk, today=TODAY)
    points = stats.trend(report.network, subject)
    assert [(b.label, f.n, f.mean) for b, f in points] == [("2025-Q3", 5, 3.0), ("2026-Q1", 6, 5.0)]


def test_duty_bearers_and_organisations_are_ranked_and_filtered():
    region = RegionFactory(code="in-wb", level="province", country="IN")
    district = RegionFactory(code="in-wb-s24", parent=region, country="IN")
    org = OrganisationFactory(region=district, kind="hospital")
    officer = DutyBearerFactory(
        kind="block_development_officer", organisation=None, region=district, registered_by=org
    )
    ratings_of(org, [3] * 5)
    ratings_of(officer, [5] * 5)
    everyone = stats.performance(today=TODAY).subjects
    assert [s.subject for s in everyone] == [officer, org]
    assert [
        s.subject for s in stats.performance(subject_type="duty_bearer", today=TODAY).subjects
    ] == [officer]
    assert [s.subject for s in stats.performance(kind="hospital", today=TODAY).subjects] == [org]
    assert len(stats.performance(region=region, today=TODAY).subjects) == 2
    assert stats.performance(region=RegionFactory(code="za"), today=TODAY).subjects == []


def test_few_identical_ratings_do_not_look_certain():
    ratings_of(OrganisationFactory(), [5] * 5)
    figures = stats.performance(today=TODAY).subjects[0].figures
    assert figures.interval[0] < figures.bayesian_mean
    assert stats.performance(today=TODAY).network.sigma == stats.SIGMA_FLOOR
