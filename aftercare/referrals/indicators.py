"""Indicators from closed-loop referrals: completions, response times, and the funnel.

An organisation's referrals are those it sent or received; the network's are all of them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    When,
)
from django.utils.translation import gettext_lazy as _

from aftercare.core.stats.indicators import COUNT, HOURS, Cell, Indicator, Period
from aftercare.network.taxonomy import ServiceDomain
from aftercare.referrals.models import Referral, ReferralStatus

DOMAIN = "referrals"


def in_scope(organisation) -> QuerySet:
    referrals = Referral.objects.all()
    if organisation is not None:
        pk = getattr(organisation, "pk", organisation)
        referrals = referrals.filter(Q(from_organisation_id=pk) | Q(to_organisation_id=pk))
    return referrals


def for_period(start: date, end: date, organisation=None) -> list[Indicator]:
    period = Period(start, end)
    return [completed(period, organisation), response_time(period, organisation)]


def completed(period: Period, organisation=None) -> Indicator:
    """Referrals marked completed by the receiving organisation during the period, by the
    service domains referred for (a referral for two domains counts in both)."""
    done = in_scope(organisation).filter(
        status=ReferralStatus.COMPLETED,
        closed_at__gte=period.start_at,
        closed_at__lt=period.end_before,
    )
    by_domain: Counter = Counter()
    total = 0
    for domains, n in done.values_list("domains").annotate(n=Count("id")).order_by():
        total += n
        for domain in domains or []:
            by_domain[domain] += n
    return Indicator(
        code="referrals_completed",
        domain=DOMAIN,
        label=_("Referrals completed"),
        unit=COUNT,
        value=total,
        breakdowns={
            "service_domain": [
                Cell(code, label, by_domain.get(code, 0)) for code, label in ServiceDomain.choices
            ]
        },
    )


def answered_in(period: Period, organisation=None) -> QuerySet:
    """Referrals answered (accepted, or declined) during the period, with `waited`: the time
    from sending to the answer."""
    answered_at = Case(
        When(accepted_at__isnull=False, then=F("accepted_at")),
        When(status=ReferralStatus.DECLINED, then=F("closed_at")),
        output_field=DateTimeField(),
    )
    return (
        in_scope(organisation)
        .annotate(answered_at=answered_at)
        .filter(answered_at__gte=period.start_at, answered_at__lt=period.end_before)
        .annotate(
            waited=ExpressionWrapper(
                F("answered_at") - F("created_at"), output_field=DurationField()
            )
        )
    )


class _Median(Aggregate):
    """PostgreSQL's PERCENTILE_CONT(0.5): the middle value, or the mean of the two middle ones."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def median_duration(queryset: QuerySet, field: str) -> tuple[timedelta | None, int]:
    """The median of a duration annotation and how many values it covers: on PostgreSQL in one
    query (issue 18: one round trip fewer for the report and the dashboard's funnel); elsewhere
    in two small ones (the count, then the one or two middle rows)."""
    if connection.vendor == "postgresql":
        found = queryset.aggregate(median=_Median(field), n=Count("pk"))
        return found["median"], found["n"]
    n = queryset.count()
    if not n:
        return None, 0
    ordered = queryset.order_by(field).values_list(field, flat=True)
    middle = list(ordered[(n - 1) // 2 : n // 2 + 1])
    return sum(middle, timedelta()) / len(middle), n


def hours(duration: timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 3600, 1)


def response_time(period: Period, organisation=None) -> Indicator:
    """Median hours from a referral being sent to its answer (accepted or declined), over the
    referrals answered during the period."""
    median, n = median_duration(answered_in(period, organisation), "waited")
    return Indicator(
        code="referral_median_response_hours",
        domain=DOMAIN,
        label=_("Median time to answer a referral"),
        unit=HOURS,
        value=hours(median),
        count=n,
        denominator=n,
        note=_(
            "Hours from sending to acceptance or refusal; "
            "referrals that expired unanswered are not counted."
        ),
    )


@dataclass(frozen=True)
class Funnel:
    sent: int
    accepted: int
    completed: int
    declined: int
    expired: int
    cancelled: int
    open: int
    median_hours_to_accept: float | None


def funnel(period: Period, organisation=None) -> Funnel:
    """Referrals sent during the period and how far each has got since (one grouped query)."""
    sent = in_scope(organisation).filter(
        created_at__gte=period.start_at, created_at__lt=period.end_before
    )
    by_status = dict(sent.values_list("status").annotate(n=Count("id")).order_by())
    accepted = sent.filter(accepted_at__isnull=False).annotate(
        waited=ExpressionWrapper(F("accepted_at") - F("created_at"), output_field=DurationField())
    )
    median, n = median_duration(accepted, "waited")
    return Funnel(
        sent=sum(by_status.values()),
        accepted=n,  # every referral ever accepted, including those completed or cancelled since
        completed=by_status.get(ReferralStatus.COMPLETED, 0),
        declined=by_status.get(ReferralStatus.DECLINED, 0),
        expired=by_status.get(ReferralStatus.EXPIRED, 0),
        cancelled=by_status.get(ReferralStatus.CANCELLED, 0),
        open=by_status.get(ReferralStatus.SENT, 0),
        median_hours_to_accept=hours(median),
    )
