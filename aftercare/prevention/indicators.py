"""The funder indicators of prevention work for a period, for one organisation or the network.

`figures(start, end, organisation=None)` is the dict the indicators page and
`GET /api/v1/prevention/indicators` show; `for_period(start, end, organisation=None)` is
prevention's contribution to the funder report (reports.indicators puts the domains together):
one row per headline figure of that dict, with its breakdowns, as the table `ROWS` says. Every
figure counts what happened between `start` and `end`, both included:

* schools supported: schools with a capacity-building session in the period (and the number
  in the programme at its end); teachers trained by sex;
* school cases identified, reported, followed up in the period; the median days from
  identification to report of the cases reported in it;
* champions trained (distinct champions at a training in the period) by sex and kind, and
  champions active at the end;
* people reached by dialogues and awareness events, by sex and age group, and the share of
  men among adults; campaigns' estimated reach by medium (not by sex: it is an estimate);
* policy milestones reached, by stage and level;
* KAP change: per survey, baseline against the latest follow-up round that ended in the
  period, with the questions that changed significantly.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from aftercare.core.stats.indicators import COUNT, MEDIAN, SHARE, Cell, Indicator
from aftercare.prevention import community, kap
from aftercare.prevention.models import (
    AgeGroup,
    CapacitySession,
    Champion,
    ChampionKind,
    ChampionTraining,
    CommunityActivity,
    Milestone,
    PolicyLevel,
    RoundKind,
    School,
    SchoolCase,
    SchoolFollowUp,
    Sex,
    Stage,
    Survey,
    SurveyRound,
)
from aftercare.prevention.models.community import Campaign, Medium

DOMAIN = "prevention"


def _schools(start: date, end: date, organisation) -> dict:
    schools = School.objects.of_organisation(organisation)
    sessions = CapacitySession.objects.of_organisation(organisation).filter(
        held_on__range=(start, end)
    )
    teachers = sessions.aggregate(female=Sum("teachers_female"), male=Sum("teachers_male"))
    female, male = teachers["female"] or 0, teachers["male"] or 0
    return {
        "in_programme": schools.filter(is_active=True, joined_on__lte=end).count(),
        "supported": sessions.values("school").distinct().count(),
        "capacity_sessions": sessions.count(),
        "teachers_trained": {"female": female, "male": male, "total": female + male},
    }


def _cases(start: date, end: date, organisation) -> dict:
    cases = SchoolCase.objects.of_organisation(organisation)
    reported = list(
        cases.filter(reported_on__range=(start, end)).values_list("identified_on", "reported_on")
    )
    days = [(r - i).days for i, r in reported]
    followed = SchoolFollowUp.objects.of_organisation(organisation).filter(
        followed_on__range=(start, end)
    )
    return {
        "identified": cases.filter(identified_on__range=(start, end)).count(),
        "reported": len(reported),
        "followed_up": followed.values("case").distinct().count(),
        "median_days_to_report": statistics.median(days) if days else None,
        "reported_within_7_days": sum(1 for d in days if d <= 7),
    }


def _champions(start: date, end: date, organisation) -> dict:
    trainings = ChampionTraining.objects.of_organisation(organisation).filter(
        held_on__range=(start, end)
    )
    trained = Champion.objects.filter(trainings__in=trainings).distinct()
    by_sex = dict(trained.values_list("sex").annotate(n=Count("pk", distinct=True)).order_by())
    by_kind = dict(trained.values_list("kind").annotate(n=Count("pk", distinct=True)).order_by())
    champions = Champion.objects.of_organisation(organisation).filter(joined_on__lte=end)
    return {
        "trained": trained.count(),
        "trained_by_sex": {sex: by_sex.get(sex, 0) for sex in Sex.values},
        "trained_by_kind": {kind: by_kind.get(kind, 0) for kind in ChampionKind.values},
        "trainings": trainings.count(),
        "active": champions.filter(is_active=True).count(),
        "inactive": champions.filter(is_active=False).count(),
    }


def _reach(start: date, end: date, organisation) -> dict:
    activities = CommunityActivity.objects.of_organisation(organisation).filter(
        held_on__range=(start, end)
    )
    counted = activities.filter(attendance_recorded_at__isnull=False)
    kinds = dict(counted.values_list("kind").annotate(n=Count("pk")).order_by())
    summary = community.attendance_of(counted)
    campaigns = Campaign.objects.of_organisation(organisation).filter(
        started_on__range=(start, end)
    )
    by_medium = community.reach_by_medium(campaigns)
    return {
        "activities": {
            "dialogue": kinds.get("dialogue", 0),
            "awareness": kinds.get("awareness", 0),
        },
        "people_reached": summary.as_dict(),
        "campaigns": {
            "count": campaigns.count(),
            "estimated_reach_by_medium": by_medium,
            "estimated_reach": sum(by_medium.values()),
        },
    }


def _milestones(start: date, end: date, organisation) -> dict:
    reached = Milestone.objects.of_organisation(organisation).filter(reached_on__range=(start, end))
    rows = reached.values_list("stage", "instrument__level").annotate(n=Count("pk")).order_by()
    by_stage = dict.fromkeys(Stage.values, 0)
    by_level = dict.fromkeys(PolicyLevel.values, 0)
    passed_or_enforced = 0
    for stage, level, n in rows:
        by_stage[stage] += n
        by_level[level] += n
        if stage in (Stage.PASSED, Stage.ENFORCED):
            passed_or_enforced += n
    return {
        "reached": sum(by_stage.values()),
        "by_stage": by_stage,
        "by_level": by_level,
        "passed_or_enforced": passed_or_enforced,
    }


def _kap(start: date, end: date, organisation) -> list[dict]:
    results = []
    surveys = list(
        Survey.objects.of_organisation(organisation)
        .filter(Q(rounds__kind=RoundKind.FOLLOW_UP, rounds__ended_on__range=(start, end)))
        .distinct()
    )
    latest: dict = {}  # survey id: its follow-up that ended last in the period
    for survey_round in SurveyRound.objects.filter(
        survey__in=[s.pk for s in surveys], kind=RoundKind.FOLLOW_UP, ended_on__range=(start, end)
    ).order_by("-ended_on"):
        latest.setdefault(survey_round.survey_id, survey_round)
    # Every survey compared at once (kap.changes): a fixed number of queries, however many.
    for change in kap.changes([(survey, latest[survey.pk]) for survey in surveys]):
        survey, follow_up = change.survey, change.follow_up
        points = [q.change_points for q in change.questions if q.change_points is not None]
        results.append(
            {
                "survey": survey.code,
                "name": survey.name,
                "follow_up": follow_up.label,
                "questions": len(change.questions),
                "improved": change.improved,
                "worsened": change.worsened,
                "mean_change_points": round(sum(points) / len(points), 1) if points else None,
            }
        )
    return results


def figures(start: date, end: date, organisation=None) -> dict:
    """The prevention indicators for `start`..`end` (inclusive); the network's without an
    organisation."""
    if end < start:
        raise ValueError("the period ends before it starts")
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "organisation": None
        if organisation is None
        else str(getattr(organisation, "pk", organisation)),
        "schools": _schools(start, end, organisation),
        "school_cases": _cases(start, end, organisation),
        "champions": _champions(start, end, organisation),
        **_reach(start, end, organisation),
        "milestones": _milestones(start, end, organisation),
        "kap_change": _kap(start, end, organisation),
    }


# The funder report's rows -----------------------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    """Cells of a row: the dict at `path` in the figures, labelled by `choices`; only the
    `keys` named, when a dict holds a total beside its cells."""

    name: str
    path: str
    choices: type
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    """A headline figure of the funder report, read from the figures at `value` (a dotted
    path); `also` reads the row's other fields (`count`, `numerator`...) the same way, and
    `note` is filled with `%(n)s` from the path `note_n`."""

    code: str
    label: str
    value: str
    unit: str = COUNT
    people: bool = True
    breakdowns: tuple[Breakdown, ...] = ()
    also: tuple[tuple[str, str], ...] = ()
    note: str = ""
    note_n: str = ""


ROWS = (
    Row(
        "schools_supported",
        _("Schools supported"),
        "schools.supported",
        people=False,
        note=_("Schools with a capacity-building session in the period; %(n)s in the programme."),
        note_n="schools.in_programme",
    ),
    Row(
        "teachers_trained",
        _("Teachers trained"),
        "schools.teachers_trained.total",
        breakdowns=(Breakdown("sex", "schools.teachers_trained", Sex, keys=tuple(Sex.values)),),
    ),
    Row("school_cases_identified", _("Cases identified by schools"), "school_cases.identified"),
    Row("school_cases_reported", _("Cases reported by schools"), "school_cases.reported"),
    Row("school_cases_followed_up", _("School cases followed up"), "school_cases.followed_up"),
    Row(
        "school_median_days_to_report",
        _("Median days from identification to report"),
        "school_cases.median_days_to_report",
        unit=MEDIAN,
        also=(("count", "school_cases.reported"),),
    ),
    Row(
        "champions_trained",
        _("Child protection champions trained"),
        "champions.trained",
        breakdowns=(
            Breakdown("sex", "champions.trained_by_sex", Sex),
            Breakdown("kind", "champions.trained_by_kind", ChampionKind),
        ),
    ),
    Row(
        "people_reached",
        _("People reached by dialogues and awareness events"),
        "people_reached.total",
        breakdowns=(
            Breakdown("sex", "people_reached.by_sex", Sex),
            Breakdown("age_group", "people_reached.by_age", AgeGroup),
        ),
    ),
    Row(
        "share_of_men_reached",
        _("Share of men among adults reached"),
        "people_reached.share_of_men",
        unit=SHARE,
        also=(("numerator", "people_reached.men"), ("denominator", "people_reached.adults")),
    ),
    Row(
        "campaign_estimated_reach",
        _("Campaigns' estimated reach"),
        "campaigns.estimated_reach",
        people=False,
        breakdowns=(Breakdown("medium", "campaigns.estimated_reach_by_medium", Medium),),
    ),
    Row(
        "policy_milestones_reached",
        _("Policy milestones reached"),
        "milestones.reached",
        people=False,
        breakdowns=(
            Breakdown("stage", "milestones.by_stage", Stage),
            Breakdown("level", "milestones.by_level", PolicyLevel),
        ),
    ),
)


def _at(found: dict, path: str):
    for key in path.split("."):
        found = found[key]
    return found


def _cells(found: dict, breakdown: Breakdown) -> list[Cell]:
    values = _at(found, breakdown.path)
    labels = dict(breakdown.choices.choices)
    return [
        Cell(key=key, label=str(labels.get(key, key)), value=values.get(key, 0))
        for key in breakdown.keys or values
    ]


def _indicator(found: dict, row: Row) -> Indicator:
    return Indicator(
        code=row.code,
        domain=DOMAIN,
        label=row.label,
        unit=row.unit,
        value=_at(found, row.value),
        people=row.people,
        breakdowns={b.name: _cells(found, b) for b in row.breakdowns},
        note=row.note % {"n": _at(found, row.note_n)} if row.note else "",
        **{field: _at(found, path) for field, path in row.also},
    )


def _kap_row(kap_change: list[dict]) -> Indicator:
    """Survey questions that improved significantly, of all questions of the surveys with a
    follow-up round in the period, by survey."""
    return Indicator(
        code="kap_questions_improved",
        domain=DOMAIN,
        label=_("Survey questions with a significant improvement"),
        unit=COUNT,
        value=sum(s["improved"] for s in kap_change),
        denominator=sum(s["questions"] for s in kap_change),
        people=False,
        breakdowns={
            "survey": [
                Cell(key=s["survey"], label=f"{s['name']} ({s['follow_up']})", value=s["improved"])
                for s in kap_change
            ]
        },
    )


def for_period(start: date, end: date, organisation=None) -> list[Indicator]:
    """Prevention's rows of the funder report: the headline figures of `figures`, with their
    breakdowns."""
    found = figures(start, end, organisation=organisation)
    return [_indicator(found, row) for row in ROWS] + [_kap_row(found["kap_change"])]
