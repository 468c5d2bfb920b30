"""Outcomes by care setting: the "Freedom Communities" comparison (seed 001), with its costs.

For a period, each survivor who spent time in a recorded care setting is placed in the setting
group where she spent most of that time (her principal setting; ties go to the earlier one).
Per group: how many, how long they stayed, and five outcome rates, each with its numerator,
denominator and a 95% Wilson interval:

- re-trafficked within 12 months of leaving care (of those who left care in the period);
- out of a wellbeing band of concern (of those measured twice whose first result was of concern);
- closed as self-sufficient (of those whose case was closed in the period);
- in school on the last day (of those aged 6 to 17);
- in work on the last day (of those aged 18 or more).

Beside each group its mix of age bands, forms of exploitation and latest risk levels, because
the groups differ in who was placed where: the comparison describes, it does not show cause.
Costs are the programme costs attributed to each setting group, pro rata to the days of each
cost period that fall inside the report's period, over the survivor-months spent there.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.caresettings.models import GROUP_OF, CareSetting, ProgrammeCost, SettingGroup
from aftercare.cases.counting import Scope
from aftercare.cases.models import (
    CaseStatus,
    ClosureReason,
    ExploitationType,
    StatusChange,
    Survivor,
)
from aftercare.core.stats import bands, cells
from aftercare.livelihoods.models import Placement, SchoolEnrolment, SchoolStatus
from aftercare.livelihoods.money import RateMissing, RateTable, rounded
from aftercare.risk.models import Assessment, Measure, Measurement, RiskLevel

DAYS_PER_MONTH = Decimal("30.4375")
RETRAFFICKING_WINDOW = timedelta(days=365)
LEFT_CARE = (ClosureReason.SELF_SUFFICIENT, ClosureReason.RELOCATED, ClosureReason.LOST_CONTACT)
SCHOOL_AGES = (6, 17)
ADULT = 18

RATES = [
    (
        "re_trafficked_12m",
        _("Re-trafficked within 12 months of leaving care"),
        _("of those who left care in the period"),
    ),
    (
        "wellbeing_out_of_concern",
        _("Out of a wellbeing band of concern"),
        _("of those measured twice whose first result was of concern"),
    ),
    (
        "self_sufficient",
        _("Closed as self-sufficient"),
        _("of those whose case was closed in the period"),
    ),
    ("in_school", _("In school on the last day"), _("of those aged 6 to 17")),
    ("in_work", _("In work on the last day"), _("of those aged 18 or more")),
]
NOTE = _(
    "The groups differ in who was placed where: age, the form of exploitation "
    "and the risk a survivor faced all shaped where she lived. Read the "
    "differences between settings beside each group's mix below; they describe "
    "this network's records and do not show that a setting caused an outcome."
)


def wilson(numerator: int, denominator: int, z: float = 1.96) -> tuple[float, float] | None:
    """The 95% Wilson score interval of a proportion: honest at 0, 1 and small denominators."""
    if denominator <= 0:
        return None
    p = numerator / denominator
    centre = p + z * z / (2 * denominator)
    spread = z * math.sqrt(p * (1 - p) / denominator + z * z / (4 * denominator * denominator))
    scale = 1 + z * z / denominator
    return (max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale))


@dataclass
class Rate:
    code: str
    label: str
    of: str
    numerator: int | None
    denominator: int | None
    value: float | None
    interval: tuple[float, float] | None
    hidden: bool = False


@dataclass
class Group:
    code: str
    label: str
    survivors: int | None
    median_months: float | None
    survivor_months: Decimal
    rates: list[Rate] = field(default_factory=list)
    mix: dict[str, list[tuple[str, int | None]]] = field(default_factory=dict)
    cost: Decimal | None = None
    cost_per_survivor_month: Decimal | None = None
    cost_per_self_sufficient: Decimal | None = None


@dataclass
class Comparison:
    start: date
    end: date
    scope_label: str
    groups: list[Group]
    currency: str | None
    cost_note: str
    unattributed_cost: Decimal | None
    small_cell_min: int
    note: str = NOTE


def _overlap_days(start: date, end: date | None, period_start: date, period_end: date) -> int:
    last = min(end or period_end, period_end)
    first = max(start, period_start)
    return max((last - first).days + 1, 0)


def _principal_groups(periods, start: date, end: date) -> tuple[dict, dict, dict]:
    """Per survivor, the group with the most days in the period; per group, survivor-days and
    the whole lengths of stay of its periods."""
    days: dict[object, Counter] = defaultdict(Counter)
    first_seen: dict[tuple, date] = {}
    stays: dict[str, list[int]] = defaultdict(list)
    group_days: Counter = Counter()
    for survivor_id, kind, p_start, p_end in periods:
        group = GROUP_OF[kind]
        inside = _overlap_days(p_start, p_end, start, end)
        days[survivor_id][group] += inside
        group_days[group] += inside
        first_seen.setdefault((survivor_id, group), p_start)
        first_seen[(survivor_id, group)] = min(first_seen[(survivor_id, group)], p_start)
        stays[group].append(max(((p_end or end) - p_start).days, 0))
    principal = {
        survivor_id: max(
            counter, key=lambda g: (counter[g], -first_seen[(survivor_id, g)].toordinal())
        )
        for survivor_id, counter in days.items()
    }
    return principal, group_days, stays


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _left_care_and_again(ids, start_at, end_before) -> tuple[set, set]:
    closures = StatusChange.objects.filter(
        survivor_id__in=ids,
        to_status=CaseStatus.CLOSED,
        reason__in=LEFT_CARE,
        changed_at__gte=start_at,
        changed_at__lt=end_before,
    ).values_list("survivor_id", "changed_at")
    left: dict = {}
    for survivor_id, at in closures:
        left[survivor_id] = min(at, left.get(survivor_id, at))
    later = StatusChange.objects.filter(
        survivor_id__in=list(left),
        to_status=CaseStatus.CLOSED,
        reason=ClosureReason.RE_TRAFFICKED,
    ).values_list("survivor_id", "changed_at")
    again = {pk for pk, at in later if left[pk] < at <= left[pk] + RETRAFFICKING_WINDOW}
    return set(left), again


def _closed_in_period(ids, start_at, end_before) -> tuple[set, set]:
    rows = (
        StatusChange.objects.filter(
            survivor_id__in=ids,
            to_status=CaseStatus.CLOSED,
            changed_at__gte=start_at,
            changed_at__lt=end_before,
        )
        .order_by("changed_at")
        .values_list("survivor_id", "reason")
    )
    last: dict = {}
    for survivor_id, reason in rows:
        last[survivor_id] = reason
    return set(last), {pk for pk, reason in last.items() if reason == ClosureReason.SELF_SUFFICIENT}


def _wellbeing(ids, end_before) -> tuple[set, set]:
    """Survivors whose first result on some measure was of concern, and those of them now out
    of concern on every measure that began there."""

    concern = {
        measure.pk: {band["code"] for band in measure.bands if band.get("concern")}
        for measure in Measure.objects.all()
    }
    series: dict[tuple, list[str]] = defaultdict(list)
    rows = (
        Measurement.objects.filter(survivor_id__in=ids, recorded_at__lt=end_before)
        .order_by("recorded_at", "pk")
        .values_list("survivor_id", "measure_id", "band")
    )
    for survivor_id, measure_id, band in rows:
        series[(survivor_id, measure_id)].append(band)
    began: set = set()
    still: set = set()
    for (survivor_id, measure_id), bands_seen in series.items():
        if len(bands_seen) < 2 or bands_seen[0] not in concern.get(measure_id, ()):
            continue
        began.add(survivor_id)
        if bands_seen[-1] in concern.get(measure_id, ()):
            still.add(survivor_id)
    return began, began - still


def _in_school(ids, day: date) -> set:
    return set(
        SchoolEnrolment.objects.filter(survivor_id__in=ids, enrolled_on__lte=day)
        .filter(Q(status=SchoolStatus.ENROLLED, left_on__isnull=True) | Q(left_on__gt=day))
        .values_list("survivor_id", flat=True)
    )


def _in_work(ids, day: date) -> set:
    return set(
        Placement.objects.filter(survivor_id__in=ids, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .values_list("survivor_id", flat=True)
    )


def _latest_risk(ids, end_before) -> dict:
    latest: dict = {}
    rows = Assessment.objects.filter(survivor_id__in=ids, assessed_at__lt=end_before).order_by(
        "assessed_at"
    )
    for survivor_id, level in rows.values_list("survivor_id", "level"):
        latest[survivor_id] = level
    return latest


def _rate(code: str, label, of, numerator: int, denominator: int, minimum: int) -> Rate:
    hidden = minimum > 0 and denominator > 0 and cells.share_hidden(numerator, denominator, minimum)
    if hidden:
        return Rate(code, str(label), str(of), None, None, None, None, hidden=True)
    value = numerator / denominator if denominator else None
    return Rate(
        code, str(label), str(of), numerator, denominator, value, wilson(numerator, denominator)
    )


def _mix(counter: Counter, choices, minimum: int) -> list[tuple[str, int | None]]:
    shown = cells.hide_breakdown({key: counter.get(key, 0) for key, _label in choices}, minimum)
    return [(str(label), shown[key]) for key, label in choices if counter.get(key, 0)]


def _costs(scope: Scope, start: date, end: date, survivor_months: dict, currency: str | None):
    """Attributed cost per setting group in one currency, pro rata to the period's days."""
    rows = ProgrammeCost.objects.filter(period_start__lte=end, period_end__gte=start)
    if scope.organisation_id is not None:
        rows = rows.filter(organisation_id=scope.organisation_id)
    rows = list(
        rows.values_list("period_start", "period_end", "amount", "currency", "setting_group")
    )
    if not rows:
        return {}, None, None, _("No programme costs are recorded for this period.")
    if currency is None:
        used = {code for *_rest, code, _group in rows}
        currency = used.pop() if len(used) == 1 else settings.AFTERCARE_REPORT_CURRENCY
    table = RateTable()
    per_group: dict[str, Decimal] = defaultdict(Decimal)
    unattributed = Decimal(0)
    try:
        for p_start, p_end, amount, code, group in rows:
            share = Decimal(_overlap_days(p_start, p_end, start, end)) / Decimal(
                (p_end - p_start).days + 1
            )
            converted = table.convert(amount * share, code, currency, min(p_end, end))
            if group:
                per_group[group] += converted
            else:
                unattributed += converted
    except RateMissing as missing:
        return {}, currency, None, missing.message
    note = _(
        "Costs recorded for a setting, pro rata to the days of each "
        "cost period inside this period, in %(currency)s. Costs shared "
        "by every setting (%(shared)s) are not divided among them."
    ) % {"currency": currency, "shared": rounded(unattributed, currency)}
    return per_group, currency, rounded(unattributed, currency), note


def compare(scope: Scope, start: date, end: date, *, currency: str | None = None) -> Comparison:
    minimum = scope.small_cell_min
    survivors = scope.survivors()
    periods = (
        CareSetting.objects.filter(survivor__in=survivors, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .values_list("survivor_id", "kind", "start", "end")
    )
    principal, group_days, stays = _principal_groups(periods, start, end)
    ids = list(principal)
    start_at, end_before = _bounds(start, end)
    left, again = _left_care_and_again(ids, start_at, end_before)
    closed, self_sufficient = _closed_in_period(ids, start_at, end_before)
    concern_began, out_of_concern = _wellbeing(ids, end_before)
    at_school, at_work = _in_school(ids, end), _in_work(ids, end)
    risk_level = _latest_risk(ids, end_before)
    people = {
        pk: (year, types or [])
        for pk, year, types in Survivor.objects.filter(pk__in=ids).values_list(
            "pk", "year_of_birth", "exploitation_types"
        )
    }
    months = {group: Decimal(days) / DAYS_PER_MONTH for group, days in group_days.items()}
    per_group_cost, currency, unattributed, cost_note = _costs(scope, start, end, months, currency)

    groups = []
    for code, label in SettingGroup.choices:
        members = {pk for pk, group in principal.items() if group == code}
        if not members and code not in per_group_cost:
            continue
        ages = {pk: bands.age_in(end.year, people[pk][0]) for pk in members}
        young = {
            pk
            for pk, age in ages.items()
            if age is not None and SCHOOL_AGES[0] <= age <= SCHOOL_AGES[1]
        }
        adults = {pk for pk, age in ages.items() if age is not None and age >= ADULT}
        figures = {
            "re_trafficked_12m": (len(again & members), len(left & members)),
            "wellbeing_out_of_concern": (
                len(out_of_concern & members),
                len(concern_began & members),
            ),
            "self_sufficient": (len(self_sufficient & members), len(closed & members)),
            "in_school": (len(at_school & young), len(young)),
            "in_work": (len(at_work & adults), len(adults)),
        }
        rates = [_rate(rate, rlabel, of, *figures[rate], minimum) for rate, rlabel, of in RATES]
        age_mix = Counter(bands.age_band(age) or bands.UNKNOWN for age in ages.values())
        exploitation_mix = Counter(kind for pk in members for kind in people[pk][1])
        risk_mix = Counter(risk_level.get(pk, bands.UNKNOWN) for pk in members)
        stay_days = stays.get(code, [])
        count = len(members)
        survivor_months = rounded(months.get(code, Decimal(0)), "USD")
        group = Group(
            code=code,
            label=str(label),
            survivors=cells.hide_count(count, minimum),
            median_months=(
                None
                if not stay_days or cells.median_hidden(count, minimum)
                else round(statistics.median(stay_days) / float(DAYS_PER_MONTH), 1)
            ),
            survivor_months=survivor_months,
            rates=rates,
            mix={
                "age": _mix(
                    age_mix,
                    [(b, bands.display_band(b)) for b in bands.AGE_BAND_LABELS]
                    + [(bands.UNKNOWN, bands.UNKNOWN_LABEL)],
                    minimum,
                ),
                "exploitation": _mix(exploitation_mix, ExploitationType.choices, minimum),
                "risk": _mix(
                    risk_mix, [*RiskLevel.choices, (bands.UNKNOWN, bands.UNKNOWN_LABEL)], minimum
                ),
            },
        )
        cost = per_group_cost.get(code)
        if cost is not None and currency:
            group.cost = rounded(cost, currency)
            if months.get(code):
                group.cost_per_survivor_month = rounded(cost / months[code], currency)
            achieved = len(self_sufficient & members)
            if achieved and not cells.is_small(achieved, minimum):
                group.cost_per_self_sufficient = rounded(cost / achieved, currency)
        groups.append(group)
    return Comparison(
        start=start,
        end=end,
        scope_label=scope.label if scope.actor is not None else "",
        groups=groups,
        currency=currency,
        cost_note=str(cost_note),
        unattributed_cost=unattributed,
        small_cell_min=minimum,
    )
