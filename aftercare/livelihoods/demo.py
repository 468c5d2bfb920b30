"""Demo livelihoods: wage standards and rates, partner employers, training, and three Hope for
Women SA cases, so the demo shows placements (one flagged below the minimum wage), sales with
each maker's share, savings, a school enrolment and an income chart.

Wage figures are round demo figures near the published ones, marked as such: a network loads
the gazetted rates itself. Idempotent: reference rows are matched by their keys, and the cases
are given a record only if they have none yet. Written through the services, as case staff
would, so every rule (and the audit trail) applies.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from aftercare.accounts.models import Organisation, User
from aftercare.accounts.roles import Role
from aftercare.cases.models import CaseStatus, Survivor
from aftercare.core.policy import Actor
from aftercare.livelihoods import (
    education,
    enterprise,
    households,
    income,
    placements,
    savings,
    training,
)
from aftercare.livelihoods.models import (
    Cohort,
    ExchangeRate,
    Household,
    PartnerEmployer,
    Placement,
    Product,
    RetentionOutcome,
    TrainingProgramme,
    WageStandard,
)
from aftercare.livelihoods.months import add_months, month_start
from aftercare.network.models import Region

DEMO_SOURCE = "demo figure: replace with the gazetted rate"
STANDARDS = [  # (region code, kind, amount, currency, period, hours a week, days a week, valid from)
    ("za", "minimum", "28.79", "ZAR", "hourly", 45, 5, date(2025, 3, 1)),
    ("za", "living", "7000", "ZAR", "monthly", 45, 5, date(2025, 3, 1)),
    ("za-gp", "living", "7500", "ZAR", "monthly", 45, 5, date(2025, 3, 1)),
    ("in-wb", "minimum", "420", "INR", "daily", 48, 6, date(2025, 1, 1)),
    ("in-wb", "living", "14000", "INR", "monthly", 48, 6, date(2025, 1, 1)),
    ("ke", "minimum", "15200", "KES", "monthly", 52, 6, date(2024, 5, 1)),
    ("ke", "living", "25000", "KES", "monthly", 52, 6, date(2024, 5, 1)),
]
RATES = [("USD", "ZAR", "18.00"), ("USD", "INR", "84.00"), ("USD", "KES", "129.00"), ("USD", "UGX", "3700")]
EMPLOYERS = [  # (name, sector, region code)
    ("Gold Reef Textiles", "garments", "za-gp-johannesburg"),
    ("Rosebank Hotel", "hospitality", "za-gp-johannesburg"),
    ("Park Street Jewellers", "jewellery", "in-wb-kolkata"),
    ("Mombasa Beach Resort", "hospitality", "ke-mombasa-mvita"),
]
CASE_WORKER = "cw.thandi"


def load_reference() -> dict:
    regions = {r.code: r for r in Region.objects.filter(code__in={s[0] for s in STANDARDS} | {e[2] for e in EMPLOYERS})}
    for code, kind, amount, currency, period, hours, days, valid_from in STANDARDS:
        if code in regions:
            WageStandard.objects.get_or_create(
                region=regions[code], kind=kind, currency=currency, valid_from=valid_from,
                defaults={"amount": Decimal(amount), "period": period, "hours_per_week": Decimal(hours),
                          "days_per_week": Decimal(days), "source": DEMO_SOURCE},
            )
    for base, quote, rate in RATES:
        ExchangeRate.objects.get_or_create(base=base, quote=quote, valid_from=date(2025, 1, 1),
                                           defaults={"rate": Decimal(rate), "source": "demo rate"})
    return regions


def _actor(organisation: Organisation) -> Actor | None:
    user = User.objects.filter(username=CASE_WORKER).first()
    return Actor(user=user, organisation=organisation, role=Role.CASE_WORKER) if user else None


def _employers(regions, organisation) -> dict[str, PartnerEmployer]:
    found = {}
    for name, sector, code in EMPLOYERS:
        found[name], _ = PartnerEmployer.objects.get_or_create(
            name=name, defaults={"sector": sector, "region": regions.get(code) or Region.objects.filter(code=code).first(),
                                 "added_by_organisation": organisation},
        )
    return found


def _programmes(organisations, today: date) -> dict[str, Cohort]:
    cohorts = {}
    for slug, name, trade, weeks, certificate in (
        ("bliss-and-bloom", "Sewing and pattern-making", "tailoring", 12, "Bliss and Bloom certificate of competence"),
        ("kolkata-jewellery-centre", "Goldsmithing apprenticeship", "jewellery", 26, "Made by Survivors goldsmith certificate"),
    ):
        provider = organisations.get(slug)
        if provider is None:
            continue
        programme, _ = TrainingProgramme.objects.get_or_create(
            provider=provider, name=name,
            defaults={"trade": trade, "duration_weeks": weeks, "certification": certificate,
                      "kind": "apprenticeship" if "apprenticeship" in name else "training"},
        )
        start = month_start(add_months(today, -10))
        cohorts[slug], _ = Cohort.objects.get_or_create(
            programme=programme, name=f"{start:%B %Y} intake",
            defaults={"start_date": start, "end_date": start + timedelta(weeks=weeks)},
        )
    return cohorts


def _demo_cases(organisation: Organisation) -> list[Survivor]:
    """survivor.amara's case first (her portal shows her money), then two more open adult cases."""
    from aftercare.voice.models import SurvivorAccount

    own = SurvivorAccount.objects.filter(user__username="survivor.amara").select_related("survivor").first()
    open_cases = Survivor.objects.filter(organisation=organisation, status__in=[CaseStatus.ACTIVE, CaseStatus.STABLE],
                                         anonymised_at__isnull=True).order_by("case_code")
    cases = [own.survivor] if own else []
    cases += list(open_cases.exclude(pk__in=[c.pk for c in cases])[: 3 - len(cases)])
    return cases


def _amara(actor, survivor, employers, cohorts, today: date) -> None:
    """A fair-wage job for eight months, a finished course, bags sold, savings: self-sufficient."""
    start = month_start(add_months(today, -8))
    placements.place(actor, survivor, {
        "employer": employers["Gold Reef Textiles"], "role": "Machinist", "start_date": start,
        "hours_per_week": Decimal(45), "wage_amount": Decimal("7800"), "currency": "ZAR", "pay_period": "monthly",
        "region": Region.objects.filter(code="za-gp-johannesburg").first(),
    })
    job = Placement.objects.filter(survivor=survivor).first()
    for months in (1, 3, 6):
        if job.follow_ups.get(months=months).due_on <= today:
            placements.record_retention(actor, job, months, outcome=RetentionOutcome.RETAINED, note="Doing well", today=today)
    if "bliss-and-bloom" in cohorts:
        enrolment = training.enrol(actor, survivor, cohorts["bliss-and-bloom"], enrolled_on=cohorts["bliss-and-bloom"].start_date)
        cohort = cohorts["bliss-and-bloom"]
        for week in range(6):
            training.mark_attendance(actor, enrolment, on=cohort.start_date + timedelta(days=7 * week), present=week != 2)
        training.finish(actor, enrolment, {"status": "completed", "completed_on": cohort.end_date,
                                           "certificate_number": "BB-2025-017", "certificate_issued_on": cohort.end_date}, 1)
    for back in range(6, 0, -1):
        day = add_months(today, -back).replace(day=15)
        savings.record_entry(actor, survivor, kind="deposit", amount=Decimal(400), currency="ZAR", entry_date=day,
                             note="Saturday market")
        if back == 2:
            savings.record_entry(actor, survivor, kind="withdrawal", amount=Decimal(650), currency="ZAR",
                                 entry_date=day.replace(day=20), note="School shoes for her son")


def _flagged(actor, survivor, employers, today: date) -> None:
    """A housekeeping job at R5,200 a month for 45 hours: R26.67 an hour, below the minimum."""
    job = placements.place(actor, survivor, {
        "employer": employers["Rosebank Hotel"], "role": "Housekeeper", "start_date": today - timedelta(days=100),
        "hours_per_week": Decimal(45), "wage_amount": Decimal("5200"), "currency": "ZAR", "pay_period": "monthly",
    })
    placements.record_retention(actor, job, 1, outcome=RetentionOutcome.RETAINED, note="Wants more hours", today=today)
    income.record_income(actor, survivor, {"month": month_start(add_months(today, -1)), "source": "casual",
                                           "amount": Decimal(600), "currency": "ZAR", "note": "Weekend braiding"})


def _school(actor, survivor, today: date) -> None:
    enrolment = education.enrol_in_school(actor, survivor, {
        "school_name": "Yeoville Community School", "level": "bridging", "grade": "Grade 10 bridging",
        "enrolled_on": date(today.year - 1, 1, 15)})
    education.record_term(actor, enrolment, {"year": today.year - 1, "term": 1, "days_open": 50, "days_present": 44})
    education.record_term(actor, enrolment, {"year": today.year - 1, "term": 2, "days_open": 48, "days_present": 46})
    education.record_progression(actor, enrolment, {"year": today.year - 1, "outcome": "promoted", "to_grade": "Grade 11"})
    education.record_supplies(actor, survivor, {"provided_on": date(today.year - 1, 1, 15), "items": "uniform, shoes, books",
                                                "value": Decimal(1450), "currency": "ZAR"})
    term = max(date(today.year, 1, 15), today - timedelta(days=300)) if today.month > 1 else today
    education.record_supplies(actor, survivor, {"provided_on": term, "items": "Grade 11 books and exam fees",
                                                "value": Decimal(980), "currency": "ZAR"})
    education.record_social_protection(actor, survivor, {"programme": "Child Support Grant (for her daughter)",
                                                         "status": "enrolled", "since": date(today.year - 1, 3, 1),
                                                         "benefit_amount": Decimal(560), "currency": "ZAR",
                                                         "benefit_period": "monthly"})


def _sales(actor, product, makers, today: date) -> None:
    enterprise_pieces = [(makers[0], 6), (makers[1], 4)] if len(makers) > 1 else [(makers[0], 10)]
    batch = enterprise.add_batch(actor, product, made_on=add_months(today, -5).replace(day=1), quantity=10,
                                 makers=enterprise_pieces)
    for back, quantity, channel in ((5, 3, "market"), (4, 2, "shop"), (3, 4, "market"), (1, 1, "online")):
        enterprise.record_sale(actor, product, channel=channel, quantity=quantity, unit_price=Decimal("185.00"),
                               currency="ZAR", sold_on=add_months(today, -back).replace(day=20), batch=batch)


@transaction.atomic
def load(organisations: dict[str, Organisation], *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    regions = load_reference()
    holder = organisations.get("hope-for-women-sa")
    actor = _actor(holder) if holder else None
    employers = _employers(regions, holder) if holder else {}
    cohorts = _programmes(organisations, today)
    if actor is None:
        return {"standards": WageStandard.objects.count(), "cases": 0}
    cases = _demo_cases(holder)
    if len(cases) < 3 or Placement.objects.filter(survivor__in=cases).exists():
        return {"standards": WageStandard.objects.count(), "cases": 0}
    amara, flagged, young = cases
    product, _created = Product.objects.get_or_create(
        organisation=holder, name="Shweshwe tote bag",
        defaults={"enterprise": organisations.get("bliss-and-bloom"), "materials": "shweshwe cotton, canvas lining",
                  "maker_percent": Decimal(70), "created_by": actor.user},
    )
    _amara(actor, amara, employers, cohorts, today)
    _flagged(actor, flagged, employers, today)
    _school(actor, young, today)
    _sales(actor, product, [amara, flagged], today)
    if not Household.objects.filter(organisation=holder).exists():
        home = households.register_household(actor, {
            "members": 6, "children": 4, "region": regions.get("za-gp-johannesburg") or Region.objects.filter(code="za-gp-johannesburg").first(),
            "vulnerability": "Grandmother caring for four children; no earner since the mother was trafficked"})
        support = households.give_support(actor, home, {"kind": "business_grant", "given_on": today - timedelta(days=60),
                                                        "description": "Stock for a vegetable stall", "value": Decimal(2500),
                                                        "currency": "ZAR"})
        households.follow_up(actor, home, {"visited_on": today - timedelta(days=20), "situation": "better", "support": support,
                                           "note": "Stall open five days a week", "next_visit": today + timedelta(days=40)})
    return {"standards": WageStandard.objects.count(), "cases": len(cases)}
