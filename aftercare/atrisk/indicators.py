"""Funder indicators of people at risk who were never trafficked, reported apart from survivors
(definitions: docs/INDICATORS.md, "People at risk"). Only people who consent to the use of
their data are counted; every count is broken down by sex, age band, region and organisation
like the survivors' counts."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aftercare.atrisk.models import (
    Beneficiary,
    Housing,
    HousingKind,
    JobPlacement,
    TrainingEnrolment,
)
from aftercare.cases import counting
from aftercare.core.stats.indicators import COUNT, Indicator, Period, first_kind_cells
from aftercare.livelihoods.models import (
    EnrolmentStatus,
    HouseholdSupport,
    ProgrammeKind,
    SupportKind,
)

DOMAIN = "at_risk"
NOTE = _(
    "People at risk who were never trafficked; counted "
    "only with their consent to the use of their data."
)


def _count(code: str, label, ids, period: Period, breakdowns=None) -> Indicator:
    ids = set(ids)
    return Indicator(
        code=code,
        domain=DOMAIN,
        label=label,
        unit=COUNT,
        value=len(ids),
        note=NOTE,
        breakdowns={**(breakdowns or {}), **counting.breakdowns(ids, period, model=Beneficiary)},
    )


def for_period(start: date, end: date, organisation=None) -> list[Indicator]:
    period = Period(start, end)
    counted = Beneficiary.objects.filter(consents_to_data_use=True)
    if organisation is not None:
        counted = counted.filter(organisation_id=organisation)
    counted_ids = counted.values("pk")
    training = TrainingEnrolment.objects.filter(
        beneficiary__in=counted_ids, enrolled_on__lte=end
    ).filter(Q(completed_on__isnull=True) | Q(completed_on__gte=start))
    trained, by_kind = first_kind_cells(
        training.order_by("enrolled_on").values_list("beneficiary_id", "cohort__programme__kind"),
        ProgrammeKind.choices,
    )
    certified = (
        TrainingEnrolment.objects.filter(
            beneficiary__in=counted_ids,
            status=EnrolmentStatus.COMPLETED,
            completed_on__gte=start,
            completed_on__lte=end,
        )
        .exclude(certificate_number="")
        .values_list("beneficiary_id", flat=True)
    )
    jobs = (
        JobPlacement.objects.filter(beneficiary__in=counted_ids, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .values_list("beneficiary_id", flat=True)
    )
    housing = Housing.objects.filter(beneficiary__in=counted_ids, start__lte=end).filter(
        Q(end__isnull=True) | Q(end__gte=start)
    )
    housed, by_housing = first_kind_cells(
        housing.order_by("start").values_list("beneficiary_id", "kind"), HousingKind.choices
    )
    support = HouseholdSupport.objects.filter(
        given_on__gte=start,
        given_on__lte=end,
        household_id__in=counted.exclude(household=None).values("household_id"),
    )
    first_kind: dict = {}
    for household_id, kind in support.order_by("given_on").values_list("household_id", "kind"):
        first_kind.setdefault(household_id, kind)
    members = counted.filter(household_id__in=list(first_kind)).values_list("pk", "household_id")
    supported, by_support = first_kind_cells(
        ((pk, first_kind[household]) for pk, household in members), SupportKind.choices
    )
    enrolled = set(trained) | set(jobs) | housed | supported
    return [
        _count("at_risk_people_supported", _("People at risk supported"), enrolled, period),
        _count(
            "at_risk_trained",
            _("People at risk in training"),
            trained,
            period,
            {"programme_kind": by_kind},
        ),
        _count("at_risk_certified", _("People at risk certified"), certified, period),
        _count("at_risk_in_jobs", _("People at risk in a job"), jobs, period),
        _count(
            "at_risk_housed", _("People at risk housed"), housed, period, {"housing": by_housing}
        ),
        _count(
            "at_risk_household_support",
            _("People at risk whose household was supported"),
            supported,
            period,
            {"support_kind": by_support},
        ),
    ]
