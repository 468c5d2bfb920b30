"""Demo care settings, case closures and programme costs, so the care-settings comparison has
a story to show: Sanjog's and BBSS's survivors in West Bengal live in the community (Shakti),
Snehalaya's in a closed shelter home; Gauteng and Cape Town run open shelters and transitional
housing, Kenya and Karamoja place children with kin.

Every figure is invented. The difference between settings is written into the demo (closures
are drawn with different odds per setting) to show what the report looks like; it is not
evidence of anything. Idempotent: nothing is added once any care setting exists.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from aftercare.accounts.models import Organisation
from aftercare.caresettings import services
from aftercare.caresettings.models import GROUP_OF, Appeal, CareSetting, ProgrammeCost, SettingGroup
from aftercare.cases.models import CaseStatus, ClosureReason, StatusChange, Survivor

# Per organisation holding cases: (kind, weight) of the settings its survivors live in.
PLACEMENTS = {
    "sanjog-kolkata": [("community_family", 6), ("community_independent", 2)],
    "bbss-south-24-parganas": [("community_family", 5), ("kinship_foster", 1)],
    "snehalaya-shelter": [("closed_shelter", 5), ("open_shelter", 1)],
    "hope-for-women-sa": [
        ("transitional_housing", 3),
        ("community_independent", 2),
        ("community_family", 1),
    ],
    "gauteng-safe-house": [("open_shelter", 3), ("closed_shelter", 1)],
    "red-light-durban": [("community_independent", 2), ("transitional_housing", 1)],
    "treasure-project": [("transitional_housing", 3), ("community_independent", 1)],
    "tdh-kenya-coast": [("kinship_foster", 3), ("community_family", 2)],
    "napak-child-protection": [("community_family", 3), ("kinship_foster", 2)],
}
# Odds of each closure reason for a closed case, by the setting group she lived in longest.
CLOSURES = {
    SettingGroup.COMMUNITY: [("self_sufficient", 6), ("relocated", 2), ("lost_contact", 1)],
    SettingGroup.TRANSITIONAL_HOUSING: [
        ("self_sufficient", 5),
        ("relocated", 2),
        ("lost_contact", 2),
    ],
    SettingGroup.OPEN_SHELTER: [("self_sufficient", 3), ("relocated", 2), ("lost_contact", 3)],
    SettingGroup.CLOSED_SHELTER: [("self_sufficient", 2), ("relocated", 2), ("lost_contact", 4)],
    SettingGroup.OTHER: [("self_sufficient", 1), ("lost_contact", 1)],
}
RETRAFFICKED_ODDS = {  # of those who left care, re-trafficked within the year
    SettingGroup.COMMUNITY: 0.06,
    SettingGroup.TRANSITIONAL_HOUSING: 0.08,
    SettingGroup.OPEN_SHELTER: 0.15,
    SettingGroup.CLOSED_SHELTER: 0.25,
    SettingGroup.OTHER: 0.1,
}
# Quarterly programme costs: (organisation, category, amount, currency, setting group).
COSTS = [
    ("sanjog-kolkata", "staff", "310000", "INR", SettingGroup.COMMUNITY),
    ("sanjog-kolkata", "stipends", "90000", "INR", SettingGroup.COMMUNITY),
    ("sanjog-kolkata", "transport", "40000", "INR", SettingGroup.COMMUNITY),
    ("sanjog-kolkata", "administration", "60000", "INR", ""),
    ("bbss-south-24-parganas", "staff", "180000", "INR", SettingGroup.COMMUNITY),
    ("bbss-south-24-parganas", "training", "45000", "INR", SettingGroup.COMMUNITY),
    ("snehalaya-shelter", "shelter_running", "1150000", "INR", SettingGroup.CLOSED_SHELTER),
    ("snehalaya-shelter", "staff", "620000", "INR", SettingGroup.CLOSED_SHELTER),
    ("snehalaya-shelter", "medical", "90000", "INR", SettingGroup.CLOSED_SHELTER),
    ("gauteng-safe-house", "shelter_running", "420000", "ZAR", SettingGroup.OPEN_SHELTER),
    ("gauteng-safe-house", "staff", "380000", "ZAR", SettingGroup.OPEN_SHELTER),
    ("hope-for-women-sa", "housing", "150000", "ZAR", SettingGroup.TRANSITIONAL_HOUSING),
    ("hope-for-women-sa", "staff", "260000", "ZAR", ""),
    ("treasure-project", "housing", "120000", "ZAR", SettingGroup.TRANSITIONAL_HOUSING),
    ("tdh-kenya-coast", "staff", "900000", "KES", SettingGroup.COMMUNITY),
    ("napak-child-protection", "transport", "6500000", "UGX", SettingGroup.COMMUNITY),
]
QUARTERS = 4


def _pick(rng: random.Random, weighted):
    return rng.choices([value for value, _w in weighted], weights=[w for _v, w in weighted])[0]


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


def _periods(rng: random.Random, case: Survivor, kind: str, today: date) -> list[CareSetting]:
    opened = min(timezone.localtime(case.created_at).date(), today)
    periods = []
    start = opened
    if (
        kind not in ("closed_shelter", "open_shelter")
        and rng.random() < 0.3
        and (today - opened).days > 90
    ):
        # Some first spent weeks in a shelter after rescue, then went home.
        first_end = start + timedelta(days=rng.randint(14, 60))
        periods.append(CareSetting(survivor=case, kind="open_shelter", start=start, end=first_end))
        start = first_end + timedelta(days=1)
    setting = CareSetting(survivor=case, kind=kind, start=start)
    if kind == "closed_shelter":
        setting.may_leave = False
        setting.lawyer_access = rng.random() < 0.35
        setting.lawyer_access_on = (
            start + timedelta(days=rng.randint(5, 90)) if setting.lawyer_access else None
        )
        if setting.lawyer_access_on and setting.lawyer_access_on > today:
            setting.lawyer_access_on = today
        setting.appeal = (
            Appeal.LODGED if setting.lawyer_access and rng.random() < 0.4 else Appeal.NONE
        )
        setting.appeal_on = setting.lawyer_access_on if setting.appeal == Appeal.LODGED else None
    periods.append(setting)
    return periods


def _close(
    rng: random.Random, case: Survivor, group: str, periods: list[CareSetting], today: date
) -> list[StatusChange]:
    """A closing date and reason for a case the synthetic data marked closed without them."""
    last = periods[-1]
    earliest = last.start + timedelta(days=30)
    if earliest >= today:
        earliest = last.start
    closed_on = earliest + timedelta(days=rng.randint(0, max((today - earliest).days, 0)))
    last.end = closed_on
    reason = _pick(rng, CLOSURES[group])
    changes = [
        StatusChange(
            survivor=case,
            from_status=CaseStatus.ACTIVE,
            to_status=CaseStatus.CLOSED,
            reason=reason,
            changed_at=_noon(closed_on),
        )
    ]
    final_reason, final_day = reason, closed_on
    again = closed_on + timedelta(days=rng.randint(30, 330))
    odds = RETRAFFICKED_ODDS[group] / (2 if reason == ClosureReason.SELF_SUFFICIENT else 1)
    if again <= today and rng.random() < odds:
        changes += [
            StatusChange(
                survivor=case,
                from_status=CaseStatus.CLOSED,
                to_status=CaseStatus.ACTIVE,
                reason="",
                changed_at=_noon(again - timedelta(days=1)),
            ),
            StatusChange(
                survivor=case,
                from_status=CaseStatus.ACTIVE,
                to_status=CaseStatus.CLOSED,
                reason=ClosureReason.RE_TRAFFICKED,
                changed_at=_noon(again),
            ),
        ]
        final_reason, final_day = ClosureReason.RE_TRAFFICKED, again
    case.closed_at, case.closure_reason = _noon(final_day), final_reason
    return changes


@transaction.atomic
def load(organisations: dict[str, Organisation], seed: int = 17) -> dict:
    if CareSetting.objects.exists():
        return {"care_settings": 0, "closures": 0, "costs": 0}
    rng = random.Random(seed)
    today = timezone.localdate()
    settings_made: list[CareSetting] = []
    changes: list[StatusChange] = []
    closed_cases: list[Survivor] = []
    for slug, weighted in PLACEMENTS.items():
        organisation = organisations.get(slug)
        if organisation is None:
            continue
        for case in Survivor.objects.filter(organisation=organisation).order_by("created_at", "pk"):
            kind = _pick(rng, weighted)
            periods = _periods(rng, case, kind, today)
            if case.status == CaseStatus.CLOSED and case.closed_at is None:
                changes += _close(rng, case, GROUP_OF[kind], periods, today)
                closed_cases.append(case)
            settings_made += periods
    CareSetting.objects.bulk_create(settings_made, batch_size=500)
    StatusChange.objects.bulk_create(changes, batch_size=500)
    Survivor.objects.bulk_update(closed_cases, ["closed_at", "closure_reason"], batch_size=500)
    costs = []
    quarter_end = today.replace(day=1) - timedelta(days=1)
    for _quarter in range(QUARTERS):
        quarter_start = (quarter_end.replace(day=1) - timedelta(days=62)).replace(day=1)
        for slug, category, amount, currency, group in COSTS:
            if slug in organisations:
                costs.append(
                    ProgrammeCost(
                        organisation=organisations[slug],
                        period_start=quarter_start,
                        period_end=quarter_end,
                        category=category,
                        amount=Decimal(amount),
                        currency=currency,
                        setting_group=group,
                        description="demo figure",
                    )
                )
        quarter_end = quarter_start - timedelta(days=1)
    ProgrammeCost.objects.bulk_create(costs)
    alerts = services.flag_detentions_without_lawyer(today)
    return {
        "care_settings": len(settings_made),
        "closures": len(closed_cases),
        "costs": len(costs),
        "alerts": alerts,
    }
