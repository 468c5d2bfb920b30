"""Livelihoods in figures (definitions: docs/INDICATORS.md): the counts the source articles
report, as indicators: survivors trained and certified, apprentices, job placements, makers'
income from sales, savers and their savings, households supported, school supplies and
social-protection links, and the network's partner programmes. Money is never summed across
currencies.

Which households belong to people at risk (never trafficked) is the at-risk app's to say, and
that app builds on this one: the report passes them in (`leave_out_households`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from aftercare.cases import counting
from aftercare.core.stats.indicators import (
    AMOUNT,
    COUNT,
    Cell,
    Indicator,
    Period,
    first_kind_cells,
)
from aftercare.livelihoods.models import (
    Enrolment,
    EnrolmentStatus,
    EntryKind,
    Household,
    HouseholdSupport,
    MakerShare,
    PartnerEmployer,
    Placement,
    ProgrammeKind,
    ProtectionStatus,
    SavingsEntry,
    SchoolSupply,
    SocialProtection,
    SupportKind,
    TrainingProgramme,
)

DOMAIN = "livelihood_figures"


def for_period(
    start: date, end: date, organisation=None, *, leave_out_households=None
) -> list[Indicator]:
    """The counts; `leave_out_households` (household ids) are counted elsewhere unless a
    survivor's case is tied to them (see `households`)."""
    period = Period(start, end)
    return [
        *training(period, organisation),
        *placements(period, organisation),
        *makers(period, organisation),
        *savings(period, organisation),
        *households(period, organisation, leave_out=leave_out_households),
        *schooling_support(period, organisation),
        *partner_programmes(period, organisation),
    ]


def _of(queryset, organisation, path: str = "survivor__organisation_id"):
    return queryset if organisation is None else queryset.filter(**{path: organisation})


def _people(code: str, label, ids, period: Period, **extra) -> Indicator:
    """A count of survivors, disaggregated by sex, age band, region and organisation."""
    ids = set(ids)
    kinds = extra.pop("breakdowns", {})
    return Indicator(
        code=code,
        domain=DOMAIN,
        label=label,
        unit=COUNT,
        value=len(ids),
        breakdowns={**kinds, **counting.breakdowns(ids, period)},
        **extra,
    )


def _tally(code: str, label, value: int) -> Indicator:
    """A count of things, not of people (no small cells to hide)."""
    return Indicator(code=code, domain=DOMAIN, label=label, unit=COUNT, people=False, value=value)


def _per_currency(code: str, label, totals) -> list[Indicator]:
    """An amount per currency from `(currency, total)` pairs, in their order; `label` names the
    currency (`%(currency)s`)."""
    return [
        Indicator(
            code=f"{code}_{currency.lower()}",
            domain=DOMAIN,
            label=label % {"currency": currency},
            unit=AMOUNT,
            people=False,
            value=float(total),
        )
        for currency, total in totals
    ]


def training(period: Period, organisation=None) -> list[Indicator]:
    completed = _of(
        Enrolment.objects.filter(
            status=EnrolmentStatus.COMPLETED,
            completed_on__gte=period.start,
            completed_on__lte=period.end,
        ),
        organisation,
    )
    trained, trained_cells = first_kind_cells(
        completed.values_list("survivor_id", "cohort__programme__kind"), ProgrammeKind.choices
    )
    certified = _of(
        Enrolment.objects.filter(
            certificate_issued_on__gte=period.start, certificate_issued_on__lte=period.end
        ),
        organisation,
    )
    certified_n, certified_cells = first_kind_cells(
        certified.values_list("survivor_id", "cohort__programme__kind"), ProgrammeKind.choices
    )
    apprentices = _of(
        Enrolment.objects.filter(
            cohort__programme__kind=ProgrammeKind.APPRENTICESHIP, enrolled_on__lte=period.end
        )
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gte=period.start)),
        organisation,
    )
    return [
        _people(
            "survivors_trained",
            _("Survivors who completed training"),
            trained,
            period,
            breakdowns={"programme_kind": trained_cells},
        ),
        _people(
            "survivors_certified",
            _("Survivors certified"),
            certified_n,
            period,
            breakdowns={"programme_kind": certified_cells},
        ),
        _people(
            "survivors_in_apprenticeship",
            _("Survivors in an apprenticeship"),
            apprentices.values_list("survivor_id", flat=True),
            period,
        ),
    ]


def placements(period: Period, organisation=None) -> list[Indicator]:
    started = _of(
        Placement.objects.filter(start_date__gte=period.start, start_date__lte=period.end),
        organisation,
    )
    placed = started.values_list("survivor_id", flat=True)
    return [
        _tally("job_placements", _("Job placements started"), started.count()),
        _people("survivors_placed", _("Survivors placed in a job"), placed, period),
    ]


def makers(period: Period, organisation=None) -> list[Indicator]:
    shares = _of(
        MakerShare.objects.filter(sale__sold_on__gte=period.start, sale__sold_on__lte=period.end),
        organisation,
    )
    paid = shares.values_list("survivor_id", flat=True)
    totals = shares.values_list("currency").annotate(total=Sum("amount")).order_by("currency")
    return [
        _people("makers_paid", _("Makers paid a share of sales"), paid, period),
        *_per_currency("makers_income", _("Makers' income from sales (%(currency)s)"), totals),
    ]


def savings(period: Period, organisation=None) -> list[Indicator]:
    entries = _of(SavingsEntry.objects.all(), organisation, "account__survivor__organisation_id")
    savers = entries.filter(
        kind=EntryKind.DEPOSIT, entry_date__gte=period.start, entry_date__lte=period.end
    )
    last: dict = {}
    for account_id, currency, balance in (
        entries.filter(entry_date__lte=period.end)
        .order_by("account_id", "sequence")
        .values_list("account_id", "account__currency", "balance_after")
    ):
        last[account_id] = (currency, balance)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for currency, balance in last.values():
        totals[currency] += balance
    return [
        _people(
            "survivors_saving",
            _("Survivors who saved in the period"),
            savers.values_list("account__survivor_id", flat=True),
            period,
        ),
        *_per_currency(
            "savings_total",
            _("Savings held at the end of the period (%(currency)s)"),
            sorted(totals.items()),
        ),
    ]


def households(period: Period, organisation=None, leave_out=None) -> list[Indicator]:
    """Survivors' households only: a household in `leave_out` (the households of people at risk,
    never trafficked, counted by `at_risk_household_support`) is not counted, so no household is
    in both figures, unless it is tied to a survivor's case."""
    support = _of(
        HouseholdSupport.objects.filter(given_on__gte=period.start, given_on__lte=period.end),
        organisation,
        "household__organisation_id",
    )
    if leave_out is not None:
        support = support.filter(
            Q(household__survivor__isnull=False) | ~Q(household_id__in=leave_out)
        )
    supported, cells = first_kind_cells(
        support.order_by("given_on").values_list("household_id", "kind"), SupportKind.choices
    )
    places = Counter()
    names = {}
    for region_code, region_name, organisation_name in Household.objects.filter(
        pk__in=supported
    ).values_list("region__code", "region__name", "organisation__name"):
        places[("region", region_code or "unknown")] += 1
        names[("region", region_code or "unknown")] = region_name or "-"
        places[("organisation", organisation_name)] += 1
        names[("organisation", organisation_name)] = organisation_name
    by_place = {
        name: [
            Cell(key=key, label=names[(name, key)], value=n)
            for (kind, key), n in sorted(places.items())
            if kind == name
        ]
        for name in ("region", "organisation")
    }
    return [
        Indicator(
            code="households_supported",
            domain=DOMAIN,
            label=_("Households supported"),
            unit=COUNT,
            value=len(supported),
            breakdowns={"support_kind": cells, **by_place},
            note=_(
                "Survivors' households only, each counted once, under "
                "the first support it received in the period; households "
                "of people at risk are counted in their own indicator."
            ),
        )
    ]


def schooling_support(period: Period, organisation=None) -> list[Indicator]:
    supplied = _of(
        SchoolSupply.objects.filter(provided_on__gte=period.start, provided_on__lte=period.end),
        organisation,
    )
    linked = _of(
        SocialProtection.objects.filter(status=ProtectionStatus.ENROLLED, since__lte=period.end),
        organisation,
    )
    return [
        _people(
            "survivors_given_school_supplies",
            _("Survivors given school supplies"),
            supplied.values_list("survivor_id", flat=True),
            period,
        ),
        _people(
            "survivors_linked_to_social_protection",
            _("Survivors enrolled in a social-protection programme"),
            linked.values_list("survivor_id", flat=True),
            period,
        ),
    ]


def partner_programmes(period: Period, organisation=None) -> list[Indicator]:
    programmes = TrainingProgramme.objects.filter(is_active=True, created_at__date__lte=period.end)
    employers = PartnerEmployer.objects.filter(is_active=True)
    if organisation is not None:
        programmes = programmes.filter(provider_id=organisation)
        employers = employers.filter(added_by_organisation_id=organisation)
    return [
        _tally(
            "partner_training_programmes",
            _("Training programmes open in the network"),
            programmes.count(),
        ),
        _tally("partner_employers", _("Partner employers"), employers.count()),
    ]
