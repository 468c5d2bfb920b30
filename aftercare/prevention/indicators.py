"""The funder indicators of prevention work for a period, for one organisation or the network.

`for_period(start, end, organisation=None)` is what the reports module calls; the
indicators page and `GET /api/v1/prevention/indicators` show the same dict. Every figure
counts what happened between `start` and `end`, both included:

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
from datetime import date

from django.db.models import Count, Q, Sum

from aftercare.prevention import community, kap
from aftercare.prevention.models import (
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
from aftercare.prevention.models.community import Campaign


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
    surveys = (
        Survey.objects.of_organisation(organisation)
        .filter(Q(rounds__kind=RoundKind.FOLLOW_UP, rounds__ended_on__range=(start, end)))
        .distinct()
    )
    for survey in surveys:
        follow_up = (
            SurveyRound.objects.filter(
                survey=survey, kind=RoundKind.FOLLOW_UP, ended_on__range=(start, end)
            )
            .order_by("-ended_on")
            .first()
        )
        change = kap.change(survey, follow_up)
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


def for_period(start: date, end: date, organisation=None) -> dict:
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
