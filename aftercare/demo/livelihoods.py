"""Demo livelihoods: wage standards and rates, partner employers, training, and three Hope for
Women SA cases, so the demo shows placements (one flagged below the minimum wage), sales with
each maker's share, savings, a school enrolment and an income chart.

Wage figures are round demo figures near the published ones, marked as such: a network loads
the gazetted rates itself. Idempotent: reference rows are matched by their keys, and the cases
are given a record only if they have none yet. Written through the services, as case staff
would, so every rule (and the audit trail) applies.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from aftercare.accounts.models import Organisation, User
from aftercare.accounts.roles import Role
from aftercare.cases.models import CaseStatus, Survivor
from aftercare.core.policy import Actor
from aftercare.demo.history import staff_of
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
    SchoolEnrolment,
    TrainingProgramme,
    WageStandard,
)
from aftercare.livelihoods.months import add_months, month_start
from aftercare.network.models import Region
from aftercare.voice.models import SurvivorAccount

DEMO_SOURCE = "demo figure: replace with the gazetted rate"
# (region code, kind, amount, currency, period, hours a week, days a week, valid from)
STANDARDS = [
    ("za", "minimum", "28.79", "ZAR", "hourly", 45, 5, date(2025, 3, 1)),
    ("za", "living", "7000", "ZAR", "monthly", 45, 5, date(2025, 3, 1)),
    ("za-gp", "living", "7500", "ZAR", "monthly", 45, 5, date(2025, 3, 1)),
    ("in-wb", "minimum", "420", "INR", "daily", 48, 6, date(2025, 1, 1)),
    ("in-wb", "living", "14000", "INR", "monthly", 48, 6, date(2025, 1, 1)),
    ("ke", "minimum", "15200", "KES", "monthly", 52, 6, date(2024, 5, 1)),
    ("ke", "living", "25000", "KES", "monthly", 52, 6, date(2024, 5, 1)),
]
RATES = [
    ("USD", "ZAR", "18.00"),
    ("USD", "INR", "84.00"),
    ("USD", "KES", "129.00"),
    ("USD", "UGX", "3700"),
]
EMPLOYERS = [  # (name, sector, region code)
    ("Gold Reef Textiles", "garments", "za-gp-johannesburg"),
    ("Rosebank Hotel", "hospitality", "za-gp-johannesburg"),
    ("Park Street Jewellers", "jewellery", "in-wb-kolkata"),
    ("Mombasa Beach Resort", "hospitality", "ke-mombasa-mvita"),
]
CASE_WORKER = "cw.thandi"


def load_reference() -> dict:
    regions = {
        r.code: r
        for r in Region.objects.filter(
            code__in={s[0] for s in STANDARDS} | {e[2] for e in EMPLOYERS}
        )
    }
    for code, kind, amount, currency, period, hours, days, valid_from in STANDARDS:
        if code in regions:
            WageStandard.objects.get_or_create(
                region=regions[code],
                kind=kind,
                currency=currency,
                valid_from=valid_from,
                defaults={
                    "amount": Decimal(amount),
                    "period": period,
                    "hours_per_week": Decimal(hours),
                    "days_per_week": Decimal(days),
                    "source": DEMO_SOURCE,
                },
            )
    for base, quote, rate in RATES:
        ExchangeRate.objects.get_or_create(
            base=base,
            quote=quote,
            valid_from=date(2025, 1, 1),
            defaults={"rate": Decimal(rate), "source": "demo rate"},
        )
    return regions


def _actor(organisation: Organisation) -> Actor | None:
    user = User.objects.filter(username=CASE_WORKER).first()
    return Actor(user=user, organisation=organisation, role=Role.CASE_WORKER) if user else None


def _employers(regions, organisation) -> dict[str, PartnerEmployer]:
    found = {}
    for name, sector, code in EMPLOYERS:
        found[name], _ = PartnerEmployer.objects.get_or_create(
            name=name,
            defaults={
                "sector": sector,
                "region": regions.get(code) or Region.objects.filter(code=code).first(),
                "added_by_organisation": organisation,
            },
        )
    return found


def _programmes(organisations, today: date) -> dict[str, Cohort]:
    cohorts = {}
    for slug, name, trade, weeks, certificate in (
        (
            "bliss-and-bloom",
            "Sewing and pattern-making",
            "tailoring",
            12,
            "Bliss and Bloom certificate of competence",
        ),
        (
            "kolkata-jewellery-centre",
            "Goldsmithing apprenticeship",
            "jewellery",
            26,
            "Made by Survivors goldsmith certificate",
        ),
    ):
        provider = organisations.get(slug)
        if provider is None:
            continue
        programme, _ = TrainingProgramme.objects.get_or_create(
            provider=provider,
            name=name,
            defaults={
                "trade": trade,
                "duration_weeks": weeks,
                "certification": certificate,
                "kind": "apprenticeship" if "apprenticeship" in name else "training",
            },
        )
        start = month_start(add_months(today, -10))
        cohorts[slug], _ = Cohort.objects.get_or_create(
            programme=programme,
            name=f"{start:%B %Y} intake",
            defaults={"start_date": start, "end_date": start + timedelta(weeks=weeks)},
        )
    return cohorts


def _demo_cases(organisation: Organisation) -> list[Survivor]:
    """survivor.amara's case first (her portal shows her money), then two more open adult cases."""
    own = (
        SurvivorAccount.objects.filter(user__username="survivor.amara")
        .select_related("survivor")
        .first()
    )
    open_cases = Survivor.objects.filter(
        organisation=organisation,
        status__in=[CaseStatus.ACTIVE, CaseStatus.STABLE],
        anonymised_at__isnull=True,
    ).order_by("case_code")
    cases = [own.survivor] if own else []
    cases += list(open_cases.exclude(pk__in=[c.pk for c in cases])[: 3 - len(cases)])
    return cases


def _amara(actor, survivor, employers, cohorts, today: date) -> None:
    """A fair-wage job for eight months, a finished course, bags sold, savings: self-sufficient."""
    start = month_start(add_months(today, -8))
    placements.place(
        actor,
        survivor,
        {
            "employer": employers["Gold Reef Textiles"],
            "role": "Machinist",
            "start_date": start,
            "hours_per_week": Decimal(45),
            "wage_amount": Decimal("7800"),
            "currency": "ZAR",
            "pay_period": "monthly",
            "region": Region.objects.filter(code="za-gp-johannesburg").first(),
        },
    )
    job = Placement.objects.filter(survivor=survivor).first()
    for months in (1, 3, 6):
        if job.follow_ups.get(months=months).due_on <= today:
            placements.record_retention(
                actor,
                job,
                months,
                outcome=RetentionOutcome.RETAINED,
                note="Doing well",
                today=today,
            )
    if "bliss-and-bloom" in cohorts:
        enrolment = training.enrol(
            actor,
            survivor,
            cohorts["bliss-and-bloom"],
            enrolled_on=cohorts["bliss-and-bloom"].start_date,
        )
        cohort = cohorts["bliss-and-bloom"]
        for week in range(6):
            training.mark_attendance(
                actor, enrolment, on=cohort.start_date + timedelta(days=7 * week), present=week != 2
            )
        training.finish(
            actor,
            enrolment,
            {
                "status": "completed",
                "completed_on": cohort.end_date,
                "certificate_number": "BB-2025-017",
                "certificate_issued_on": cohort.end_date,
            },
            1,
        )
    for back in range(6, 0, -1):
        day = add_months(today, -back).replace(day=15)
        savings.record_entry(
            actor,
            survivor,
            kind="deposit",
            amount=Decimal(400),
            currency="ZAR",
            entry_date=day,
            note="Saturday market",
        )
        if back == 2:
            savings.record_entry(
                actor,
                survivor,
                kind="withdrawal",
                amount=Decimal(650),
                currency="ZAR",
                entry_date=day.replace(day=20),
                note="School shoes for her son",
            )


def _flagged(actor, survivor, employers, today: date) -> None:
    """A housekeeping job at R5,200 a month for 45 hours: R26.67 an hour, below the minimum."""
    job = placements.place(
        actor,
        survivor,
        {
            "employer": employers["Rosebank Hotel"],
            "role": "Housekeeper",
            "start_date": today - timedelta(days=100),
            "hours_per_week": Decimal(45),
            "wage_amount": Decimal("5200"),
            "currency": "ZAR",
            "pay_period": "monthly",
        },
    )
    placements.record_retention(
        actor, job, 1, outcome=RetentionOutcome.RETAINED, note="Wants more hours", today=today
    )
    income.record_income(
        actor,
        survivor,
        {
            "month": month_start(add_months(today, -1)),
            "source": "casual",
            "amount": Decimal(600),
            "currency": "ZAR",
            "note": "Weekend braiding",
        },
    )


def _school(actor, survivor, today: date) -> None:
    enrolment = education.enrol_in_school(
        actor,
        survivor,
        {
            "school_name": "Yeoville Community School",
            "level": "bridging",
            "grade": "Grade 10 bridging",
            "enrolled_on": date(today.year - 1, 1, 15),
        },
    )
    education.record_term(
        actor, enrolment, {"year": today.year - 1, "term": 1, "days_open": 50, "days_present": 44}
    )
    education.record_term(
        actor, enrolment, {"year": today.year - 1, "term": 2, "days_open": 48, "days_present": 46}
    )
    education.record_progression(
        actor, enrolment, {"year": today.year - 1, "outcome": "promoted", "to_grade": "Grade 11"}
    )
    education.record_supplies(
        actor,
        survivor,
        {
            "provided_on": date(today.year - 1, 1, 15),
            "items": "uniform, shoes, books",
            "value": Decimal(1450),
            "currency": "ZAR",
        },
    )
    term = max(date(today.year, 1, 15), today - timedelta(days=300)) if today.month > 1 else today
    education.record_supplies(
        actor,
        survivor,
        {
            "provided_on": term,
            "items": "Grade 11 books and exam fees",
            "value": Decimal(980),
            "currency": "ZAR",
        },
    )
    education.record_social_protection(
        actor,
        survivor,
        {
            "programme": "Child Support Grant (for her daughter)",
            "status": "enrolled",
            "since": date(today.year - 1, 3, 1),
            "benefit_amount": Decimal(560),
            "currency": "ZAR",
            "benefit_period": "monthly",
        },
    )


def _sales(actor, product, makers, today: date) -> None:
    enterprise_pieces = [(makers[0], 6), (makers[1], 4)] if len(makers) > 1 else [(makers[0], 10)]
    batch = enterprise.add_batch(
        actor,
        product,
        made_on=add_months(today, -5).replace(day=1),
        quantity=10,
        makers=enterprise_pieces,
    )
    for back, quantity, channel in (
        (5, 3, "market"),
        (4, 2, "shop"),
        (3, 4, "market"),
        (1, 1, "online"),
    ):
        enterprise.record_sale(
            actor,
            product,
            channel=channel,
            quantity=quantity,
            unit_price=Decimal("185.00"),
            currency="ZAR",
            sold_on=add_months(today, -back).replace(day=20),
            batch=batch,
        )


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
        organisation=holder,
        name="Shweshwe tote bag",
        defaults={
            "enterprise": organisations.get("bliss-and-bloom"),
            "materials": "shweshwe cotton, canvas lining",
            "maker_percent": Decimal(70),
            "created_by": actor.user,
        },
    )
    _amara(actor, amara, employers, cohorts, today)
    _flagged(actor, flagged, employers, today)
    _school(actor, young, today)
    _sales(actor, product, [amara, flagged], today)
    if not Household.objects.filter(organisation=holder).exists():
        home = households.register_household(
            actor,
            {
                "members": 6,
                "children": 4,
                "region": regions.get("za-gp-johannesburg")
                or Region.objects.filter(code="za-gp-johannesburg").first(),
                "vulnerability": (
                    "Grandmother caring for four children; "
                    "no earner since the mother was trafficked"
                ),
            },
        )
        support = households.give_support(
            actor,
            home,
            {
                "kind": "business_grant",
                "given_on": today - timedelta(days=60),
                "description": "Stock for a vegetable stall",
                "value": Decimal(2500),
                "currency": "ZAR",
            },
        )
        households.follow_up(
            actor,
            home,
            {
                "visited_on": today - timedelta(days=20),
                "situation": "better",
                "support": support,
                "note": "Stall open five days a week",
                "next_visit": today + timedelta(days=40),
            },
        )
    return {"standards": WageStandard.objects.count(), "cases": len(cases)}


# Across the network ----------------------------------------------------------------------------
# So the funder indicators have plausible figures for every organisation, not just three cases:
# young survivors at school, adults in jobs (most at a fair wage), in training or an
# apprenticeship, and saving. Written through the services, as each organisation's staff would.

NETWORK_EMPLOYERS = [  # (name, sector, region code, role, monthly wage, currency)
    ("Gold Reef Textiles", "garments", "za-gp-johannesburg", "Machinist", "7800", "ZAR"),
    ("Durban Harbour Catering", "catering", "za-kzn-ethekwini", "Kitchen assistant", "7200", "ZAR"),
    (
        "Cape Town Waterfront Hotel",
        "hospitality",
        "za-wc-cape-town",
        "Room attendant",
        "7400",
        "ZAR",
    ),
    (
        "Park Street Jewellers",
        "jewellery",
        "in-wb-kolkata",
        "Goldsmith's assistant",
        "14500",
        "INR",
    ),
    (
        "Sundarbans Honey Collective",
        "food processing",
        "in-wb-south-24-parganas",
        "Packer",
        "13000",
        "INR",
    ),
    ("Mombasa Beach Resort", "hospitality", "ke-mombasa-mvita", "Waiter", "26000", "KES"),
]
COUNTRY_COHORT = {"ZA": "bliss-and-bloom", "IN": "kolkata-jewellery-centre"}
SCHOOL_LEVELS = [(6, 12, "primary", "Class {}"), (13, 17, "secondary", "Form {}")]
NETWORK_SCHOOL = (
    "Community school"  # the school the network's demo children attend; marks this demo as loaded
)


def _network_employers(organisation) -> dict[str, tuple]:
    found = {}
    for name, sector, code, role, wage, currency in NETWORK_EMPLOYERS:
        region = Region.objects.filter(code=code).first()
        employer, _ = PartnerEmployer.objects.get_or_create(
            name=name,
            defaults={"sector": sector, "region": region, "added_by_organisation": organisation},
        )
        if region is not None:
            found[region.country] = found.get(region.country, []) + [
                (employer, region, role, Decimal(wage), currency)
            ]
    return found


def load_network(
    organisations: dict[str, Organisation], *, today: date | None = None, seed: int = 41
) -> dict:
    """Livelihood records for a share of every organisation's open cases; once only."""
    if SchoolEnrolment.objects.filter(school_name=NETWORK_SCHOOL).exists():
        return {"cases": 0}

    rng = random.Random(seed)
    today = today or timezone.localdate()
    cohorts = _programmes(organisations, today)
    jobs = _network_employers(
        organisations.get("aftercare-network") or next(iter(organisations.values()))
    )
    touched = 0
    holders = Organisation.objects.filter(survivors__isnull=False).distinct()
    for organisation in holders:
        actor = staff_of(organisation)
        cases = (
            Survivor.objects.filter(
                organisation=organisation,
                status__in=[CaseStatus.ACTIVE, CaseStatus.STABLE],
                anonymised_at__isnull=True,
            )
            .exclude(placements__isnull=False)
            .order_by("case_code")
        )
        for survivor in cases[:40]:
            age = survivor.age
            if age is None:
                continue
            if 6 <= age <= 17:
                touched += _at_school(rng, actor, survivor, age, today)
            elif age >= 18:
                touched += _working_life(
                    rng,
                    actor,
                    survivor,
                    jobs.get(organisation.country, []),
                    cohorts.get(COUNTRY_COHORT.get(organisation.country, "")),
                    today,
                )
    return {"cases": touched}


def _at_school(rng, actor, survivor, age: int, today: date) -> int:
    if rng.random() > 0.7:
        return 0
    level, grade = next(
        (lvl, fmt.format(age - low + 1))
        for low, high, lvl, fmt in SCHOOL_LEVELS
        if low <= age <= high
    )
    enrolled_on = today - timedelta(days=rng.randint(60, 500))
    education.enrol_in_school(
        actor,
        survivor,
        {"school_name": NETWORK_SCHOOL, "level": level, "grade": grade, "enrolled_on": enrolled_on},
    )
    if rng.random() < 0.6:
        education.record_supplies(
            actor,
            survivor,
            {
                "provided_on": max(enrolled_on, today - timedelta(days=rng.randint(10, 200))),
                "items": "uniform and books",
            },
        )
    return 1


def _working_life(rng, actor, survivor, jobs, cohort, today: date) -> int:
    touched = 0
    if jobs and rng.random() < 0.3:
        employer, region, role, wage, currency = rng.choice(jobs)
        start = today - timedelta(days=rng.randint(20, 330))
        below = rng.random() < 0.15  # a few jobs pay less than the living wage, and are flagged
        placements.place(
            actor,
            survivor,
            {
                "employer": employer,
                "role": role,
                "start_date": start,
                "hours_per_week": Decimal(45),
                "wage_amount": (wage * Decimal("0.7")).quantize(Decimal(1)) if below else wage,
                "currency": currency,
                "pay_period": "monthly",
                "region": region,
            },
        )
        job = Placement.objects.filter(survivor=survivor).order_by("-created_at").first()
        for follow_up in job.follow_ups.filter(due_on__lte=today):
            outcome = RetentionOutcome.RETAINED if rng.random() < 0.8 else RetentionOutcome.LEFT
            placements.record_retention(
                actor,
                job,
                follow_up.months,
                outcome=outcome,
                today=today,
                **({"left_reason": "better_job"} if outcome == RetentionOutcome.LEFT else {}),
            )
            if outcome == RetentionOutcome.LEFT:
                break
        touched = 1
    if cohort is not None and rng.random() < 0.25:
        enrolment = training.enrol(actor, survivor, cohort, enrolled_on=cohort.start_date)
        if cohort.end_date and cohort.end_date <= today and rng.random() < 0.7:
            training.finish(
                actor,
                enrolment,
                {
                    "status": "completed",
                    "completed_on": cohort.end_date,
                    "certificate_number": f"DEMO-{survivor.case_code[-6:]}",
                    "certificate_issued_on": cohort.end_date,
                },
                1,
            )
        touched = 1
    if rng.random() < 0.25:
        currency = {"ZA": "ZAR", "IN": "INR", "KE": "KES", "UG": "UGX"}.get(
            survivor.organisation.country, "USD"
        )
        for back in range(rng.randint(2, 8), 0, -1):
            amount = {"ZAR": 300, "INR": 500, "KES": 800, "UGX": 20000}.get(currency, 20)
            savings.record_entry(
                actor,
                survivor,
                kind="deposit",
                amount=Decimal(amount),
                currency=currency,
                entry_date=add_months(today, -back).replace(day=10),
                note="Monthly saving",
            )
        touched = 1
    return touched
