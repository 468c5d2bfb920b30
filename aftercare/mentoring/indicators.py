"""Funder indicators from mentoring and survivor leadership (definitions: docs/INDICATORS.md)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from aftercare.cases import counting
from aftercare.core.stats.indicators import COUNT, Cell, Indicator, Period
from aftercare.mentoring.models import (
    LeadershipKind,
    LeadershipRole,
    MentoringSession,
    MentorKind,
    MentorMatch,
)

DOMAIN = "mentoring"


def _active(queryset, start: date, end: date):
    return queryset.filter(start__lte=end).filter(Q(end__isnull=True) | Q(end__gte=start))


def _cells(counter: Counter, choices) -> list[Cell]:
    return [Cell(key=key, label=str(label), value=counter.get(key, 0)) for key, label in choices]


def for_period(start: date, end: date, organisation=None) -> list[Indicator]:
    matches = _active(MentorMatch.objects.all(), start, end)
    roles = _active(LeadershipRole.objects.filter(counted=True), start, end)
    sessions = MentoringSession.objects.filter(held_on__gte=start, held_on__lte=end)
    if organisation is not None:
        matches = matches.filter(survivor__organisation_id=organisation)
        roles = roles.filter(survivor__organisation_id=organisation)
        sessions = sessions.filter(match__survivor__organisation_id=organisation)
    mentored = {}
    for survivor_id, kind in matches.values_list("survivor_id", "mentor__kind"):
        mentored.setdefault(survivor_id, kind)
    leaders: dict = {}
    for survivor_id, kind in roles.order_by("start").values_list("survivor_id", "kind"):
        leaders.setdefault(survivor_id, kind)
    topics = Counter(dict(sessions.values_list("topic").annotate(n=Count("id")).order_by()))
    return [
        Indicator(
            code="survivors_mentored",
            domain=DOMAIN,
            label=_("Survivors with a mentor"),
            unit=COUNT,
            value=len(mentored),
            breakdowns={
                "mentor_kind": _cells(Counter(mentored.values()), MentorKind.choices),
                **counting.breakdowns(mentored, Period(start, end)),
            },
        ),
        Indicator(
            code="mentoring_sessions",
            domain=DOMAIN,
            label=_("Mentoring sessions held"),
            unit=COUNT,
            people=False,
            value=sum(topics.values()),
            breakdowns={
                "topic": [
                    Cell(key=key, label=str(label), value=topics.get(key, 0))
                    for key, label in MentoringSession._meta.get_field("topic").choices
                ]
            },
        ),
        Indicator(
            code="survivor_leaders",
            domain=DOMAIN,
            label=_("Survivors in a leadership role"),
            unit=COUNT,
            value=len(leaders),
            breakdowns={
                "role": _cells(Counter(leaders.values()), LeadershipKind.choices),
                **counting.breakdowns(leaders, Period(start, end)),
            },
            note=_("Only roles the survivor agreed to have counted."),
        ),
    ]
