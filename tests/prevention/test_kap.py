"""KAP surveys: defined as data, responses by round, and the change per question and per
community against figures worked out by hand."""

import math

import pytest

from aftercare.core.errors import DomainError
from aftercare.prevention import kap, stats
from aftercare.prevention.models import Answer, Response

pytestmark = pytest.mark.django_db

SPEC = {
    "code": "napak-kap",
    "name": "Napak child protection KAP",
    "description": "",
    "scales": [
        {
            "code": "agree4",
            "options": [
                {"value": 1, "label": "Strongly disagree"},
                {"value": 2, "label": "Disagree"},
                {"value": 3, "label": "Agree"},
                {"value": 4, "label": "Strongly agree"},
            ],
        },
        {"code": "yesno", "options": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}]},
    ],
    "questions": [
        {
            "code": "girls-school",
            "text": "Girls should finish secondary school.",
            "domain": "attitude",
            "scale": "agree4",
            "favourable": [3, 4],
        },
        {
            "code": "knows-116",
            "text": "Do you know the child helpline number?",
            "domain": "knowledge",
            "scale": "yesno",
            "favourable": [1],
        },
    ],
}


def _responses(community, day, answers):
    """One response per answer value in `answers` (a list of dicts of question → value)."""
    return [
        {
            "community": community,
            "sex": "male",
            "age_group": "18_35",
            "collected_on": day,
            "answers": a,
        }
        for a in answers
    ]


@pytest.fixture
def survey(sup, karamoja_regions):
    survey = kap.define_survey(sup, SPEC)
    baseline = kap.add_round(
        sup,
        survey.pk,
        kind="baseline",
        label="Baseline 2025",
        started_on="2025-01-01",
        ended_on="2025-01-31",
    )
    follow = kap.add_round(
        sup,
        survey.pk,
        kind="follow_up",
        label="Follow-up 2025",
        started_on="2025-06-01",
        ended_on="2025-06-30",
    )
    return survey, baseline, follow


def test_the_definition_round_trips_as_data(sup, karamoja_regions):
    survey = kap.define_survey(sup, SPEC)
    assert kap.definition(survey) == SPEC


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda s: s["questions"][0].update(favourable=[5]), "questions[0].favourable"),
        (lambda s: s["questions"][1].update(scale="stars"), "questions[1].scale"),
        (lambda s: s["questions"][1].update(code="girls-school"), "questions[1].code"),
        (lambda s: s["questions"][0].update(domain="feelings"), "questions[0].domain"),
        (
            lambda s: s["scales"][1].update(options=[{"value": 0, "label": "No"}]),
            "scales[1].options",
        ),
        (lambda s: s["questions"][1].update(favourable=[0, 1]), "questions[1].favourable"),
    ],
)
def test_a_bad_definition_names_the_path_and_saves_nothing(sup, karamoja_regions, change, path):
    import copy

    spec = copy.deepcopy(SPEC)
    change(spec)
    with pytest.raises(kap.SurveyInvalid) as caught:
        kap.define_survey(sup, spec)
    assert path in caught.value.errors


def test_change_per_question_matches_the_worked_example(sup, survey):
    """girls-school: 20 of 50 favourable at baseline, 35 of 50 at follow-up.

        table [[20, 30], [35, 15]], N = 100, rows 50 and 50, columns 55 and 45
        chi² = N (ad − bc)² / (r1 r2 c1 c2) = 100 × (300 − 1050)² / (50 × 50 × 55 × 45) = 9.0909
        p = erfc(√(9.0909 / 2)) = 0.00257 → clearly better, +30 points.

    knows-116: 1 of 5 at baseline, 4 of 5 at follow-up: expected counts of 2.5, so Fisher.
        tables with margins 5, 5 / 5, 5 have weights C(5,a)·C(5,5−a): 1, 25, 100, 100, 25, 1 (of
        252);
        observed a = 1 (weight 25); tables no likelier: a = 0, 1, 4, 5 → 52 / 252 = 0.2063 → no
        clear change.
    """
    _survey, baseline, follow = survey
    lokopo = "ug-napak-lokopo"
    base = [{"girls-school": 3 if i < 20 else 2} for i in range(50)]
    for i in range(5):
        base[i]["knows-116"] = 1 if i < 1 else 0
    later = [{"girls-school": 4 if i < 35 else 1} for i in range(50)]
    for i in range(5):
        later[i]["knows-116"] = 1 if i < 4 else 0
    assert kap.record_responses(sup, baseline.pk, _responses(lokopo, "2025-01-15", base)) == 50
    kap.record_responses(sup, follow.pk, _responses(lokopo, "2025-06-15", later))

    result = kap.change(survey[0])
    girls, helpline = result.questions
    assert (
        girls.baseline.favourable,
        girls.baseline.n,
        girls.follow_up.favourable,
        girls.follow_up.n,
    ) == (20, 50, 35, 50)
    assert girls.change_points == 30.0
    assert girls.test.method == "chi_square"
    assert girls.test.statistic == pytest.approx(100 * 750**2 / (50 * 50 * 55 * 45))
    assert girls.test.p_value == pytest.approx(math.erfc(math.sqrt(9.0909090909 / 2)))
    assert girls.test.p_value == pytest.approx(0.002569, abs=1e-6)
    assert girls.direction == "better"
    assert (helpline.baseline.favourable, helpline.baseline.n, helpline.follow_up.favourable) == (
        1,
        5,
        4,
    )
    assert helpline.change_points == 60.0
    assert helpline.test.method == "fisher" and helpline.test.p_value == pytest.approx(52 / 252)
    assert helpline.direction == "no_clear_change"
    assert result.improved == 1 and result.worsened == 0


def test_change_is_also_given_per_community(sup, survey):
    _survey, baseline, follow = survey
    kap.record_responses(
        sup,
        baseline.pk,
        _responses("ug-napak-lokopo", "2025-01-15", [{"girls-school": 2}] * 6)
        + _responses("ug-napak-lopeei", "2025-01-15", [{"girls-school": 3}] * 4),
    )
    kap.record_responses(
        sup,
        follow.pk,
        _responses("ug-napak-lokopo", "2025-06-15", [{"girls-school": 4}] * 6)
        + _responses("ug-napak-lopeei", "2025-06-15", [{"girls-school": 1}] * 4),
    )
    result = kap.change(survey[0])
    by_name = {c.community.name: c.questions[0] for c in result.communities}
    assert by_name["Lokopo"].change_points == 100.0 and by_name["Lopeei"].change_points == -100.0
    assert by_name["Lokopo"].test.p_value == pytest.approx(
        2 / 924
    )  # Fisher: only the two extreme tables of C(12,6)
    overall = result.questions[0]  # 4 of 10 at baseline (Lopeei's), 6 of 10 at follow-up (Lokopo's)
    assert overall.change_points == 20.0 and overall.test.statistic == pytest.approx(0.8)
    assert overall.direction == "no_clear_change"
    assert result.as_dict()["communities"][0]["questions"][0]["question"] == "girls-school"


def test_a_batch_with_one_bad_row_saves_nothing_and_names_the_row(sup, survey):
    _survey, baseline, _follow = survey
    rows = _responses("ug-napak-lokopo", "2025-01-15", [{"girls-school": 3}, {"girls-school": 7}])
    rows.append(
        {
            "community": "atlantis",
            "sex": "other",
            "age_group": "18_35",
            "collected_on": "2025-03-01",
            "answers": {"nope": 1},
        }
    )
    with pytest.raises(kap.SurveyInvalid) as caught:
        kap.record_responses(sup, baseline.pk, rows)
    assert set(caught.value.errors) == {
        "responses[1].answers.girls-school",
        "responses[2].community",
        "responses[2].sex",
        "responses[2].answers.nope",
        "responses[2].collected_on",
    }
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_only_one_baseline_and_follow_ups_come_after_it(sup, survey):
    with pytest.raises(DomainError, match="already has its baseline"):
        kap.add_round(
            sup,
            survey[0].pk,
            kind="baseline",
            label="Again",
            started_on="2025-02-01",
            ended_on="2025-02-02",
        )
    with pytest.raises(DomainError, match="after the baseline"):
        kap.add_round(
            sup,
            survey[0].pk,
            kind="follow_up",
            label="Early",
            started_on="2025-01-15",
            ended_on="2025-02-02",
        )


def test_without_a_follow_up_there_is_no_change_to_show(sup, karamoja_regions):
    survey = kap.define_survey(sup, SPEC)
    result = kap.change(survey)
    assert result.questions == [] and result.follow_up is None


@pytest.mark.parametrize(
    ("table", "p"),
    [
        ((20, 30, 35, 15), 0.002569),  # chi-square, the worked example above
        ((1, 4, 4, 1), 52 / 252),  # Fisher
        ((0, 5, 0, 5), 1.0),  # nobody favourable in either round: nothing to test
        ((5, 0, 5, 0), 1.0),
    ],
)
def test_two_proportions_on_small_tables(table, p):
    a, b, c, d = table
    assert stats.two_proportions(a, a + b, c, c + d).p_value == pytest.approx(p, abs=1e-6)


def test_an_empty_round_has_no_test():
    result = stats.two_proportions(0, 0, 3, 5)
    assert result.method == "none" and result.p_value is None and not result.significant


def test_the_tests_agree_with_scipy_where_it_is_installed():
    scipy_stats = pytest.importorskip(
        "scipy.stats", reason="scipy is not a dependency; this cross-check is optional"
    )
    chi2, p, _dof, _expected = scipy_stats.chi2_contingency([[20, 30], [35, 15]], correction=False)
    assert stats.chi_square_2x2(20, 30, 35, 15) == pytest.approx((chi2, p))
    for table in ([[1, 4], [4, 1]], [[0, 7], [3, 2]], [[12, 3], [2, 9]]):
        assert stats.fisher_exact_2x2(*table[0], *table[1]) == pytest.approx(
            scipy_stats.fisher_exact(table)[1]
        )
