"""Prevention reach (aftercare.prevention): its own `indicators.for_period` answers with a dict of
figures; this turns them into report rows, one per headline figure, keeping the breakdowns.
The definitions are prevention's own (aftercare/prevention/indicators.py)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from aftercare.core.stats.indicators import COUNT, MEDIAN, SHARE, Cell, Indicator
from aftercare.prevention import indicators as prevention
from aftercare.prevention.models import AgeGroup, ChampionKind, PolicyLevel, Sex, Stage
from aftercare.prevention.models.community import Medium

DOMAIN = "prevention"


def _cells(values: dict, choices) -> list[Cell]:
    labels = dict(choices)
    return [
        Cell(key=key, label=str(labels.get(key, key)), value=values.get(key, 0)) for key in values
    ]


def for_period(start: date, end: date, organisation=None) -> list[Indicator]:
    figures = prevention.for_period(start, end, organisation=organisation)
    schools, cases, champions = figures["schools"], figures["school_cases"], figures["champions"]
    reached, campaigns, milestones = (
        figures["people_reached"],
        figures["campaigns"],
        figures["milestones"],
    )
    teachers = schools["teachers_trained"]
    kap = figures["kap_change"]
    rows = [
        Indicator(
            code="schools_supported",
            domain=DOMAIN,
            label=_("Schools supported"),
            value=schools["supported"],
            people=False,
            note=_(
                "Schools with a capacity-building session in the period; %(n)s in the programme."
            )
            % {"n": schools["in_programme"]},
        ),
        Indicator(
            code="teachers_trained",
            domain=DOMAIN,
            label=_("Teachers trained"),
            value=teachers["total"],
            breakdowns={
                "sex": _cells({"female": teachers["female"], "male": teachers["male"]}, Sex.choices)
            },
        ),
        Indicator(
            code="school_cases_identified",
            domain=DOMAIN,
            label=_("Cases identified by schools"),
            value=cases["identified"],
        ),
        Indicator(
            code="school_cases_reported",
            domain=DOMAIN,
            label=_("Cases reported by schools"),
            value=cases["reported"],
        ),
        Indicator(
            code="school_cases_followed_up",
            domain=DOMAIN,
            label=_("School cases followed up"),
            value=cases["followed_up"],
        ),
        Indicator(
            code="school_median_days_to_report",
            domain=DOMAIN,
            label=_("Median days from identification to report"),
            unit=MEDIAN,
            value=cases["median_days_to_report"],
            count=cases["reported"],
        ),
        Indicator(
            code="champions_trained",
            domain=DOMAIN,
            label=_("Child protection champions trained"),
            value=champions["trained"],
            breakdowns={
                "sex": _cells(champions["trained_by_sex"], Sex.choices),
                "kind": _cells(champions["trained_by_kind"], ChampionKind.choices),
            },
        ),
        Indicator(
            code="people_reached",
            domain=DOMAIN,
            label=_("People reached by dialogues and awareness events"),
            value=reached["total"],
            breakdowns={
                "sex": _cells(reached["by_sex"], Sex.choices),
                "age_group": _cells(reached["by_age"], AgeGroup.choices),
            },
        ),
        Indicator(
            code="share_of_men_reached",
            domain=DOMAIN,
            label=_("Share of men among adults reached"),
            unit=SHARE,
            value=reached["share_of_men"],
            numerator=reached["men"],
            denominator=reached["adults"],
        ),
        Indicator(
            code="campaign_estimated_reach",
            domain=DOMAIN,
            label=_("Campaigns' estimated reach"),
            value=campaigns["estimated_reach"],
            people=False,
            breakdowns={"medium": _cells(campaigns["estimated_reach_by_medium"], Medium.choices)},
        ),
        Indicator(
            code="policy_milestones_reached",
            domain=DOMAIN,
            label=_("Policy milestones reached"),
            value=milestones["reached"],
            people=False,
            breakdowns={
                "stage": _cells(milestones["by_stage"], Stage.choices),
                "level": _cells(milestones["by_level"], PolicyLevel.choices),
            },
        ),
        Indicator(
            code="kap_questions_improved",
            domain=DOMAIN,
            label=_("Survey questions with a significant improvement"),
            unit=COUNT,
            value=sum(s["improved"] for s in kap),
            denominator=sum(s["questions"] for s in kap),
            people=False,
            breakdowns={
                "survey": [
                    Cell(
                        key=s["survey"],
                        label=f"{s['name']} ({s['follow_up']})",
                        value=s["improved"],
                    )
                    for s in kap
                ]
            },
        ),
    ]
    return rows
