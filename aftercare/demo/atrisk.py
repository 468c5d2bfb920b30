"""Demo people at risk who were never trafficked (seed 000's "individuals identified as high
risk", 003's housing first, 004's vulnerable households): young women and men in four
organisations' districts, enrolled in the network's training cohorts, some in jobs or housing,
their households given food, school costs, livestock or seeds. Invented names; written through
the services as each organisation's staff would; idempotent (nothing added once one exists)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from aftercare.accounts.models import Organisation
from aftercare.atrisk import services
from aftercare.atrisk.models import Beneficiary
from aftercare.demo.history import staff_of
from aftercare.livelihoods import households
from aftercare.livelihoods.models import Cohort, PartnerEmployer
from aftercare.network.models import Region

PEOPLE = {  # organisation: (region code, programme provider, [(given name, gender, age)])
    "hope-for-women-sa": (
        "za-gp-johannesburg",
        "bliss-and-bloom",
        [
            ("Nomsa", "woman", 19),
            ("Lerato", "woman", 22),
            ("Sipho", "man", 20),
            ("Zanele", "woman", 17),
            ("Thabo", "man", 24),
            ("Ayanda", "woman", 21),
        ],
    ),
    "sanjog-kolkata": (
        "in-wb-kolkata",
        "kolkata-jewellery-centre",
        [
            ("Puja", "woman", 18),
            ("Rina", "woman", 20),
            ("Sourav", "man", 19),
            ("Mousumi", "woman", 23),
        ],
    ),
    "bbss-south-24-parganas": (
        "in-wb-south-24-parganas",
        "kolkata-jewellery-centre",
        [
            ("Sabina", "woman", 17),
            ("Jahanara", "woman", 21),
            ("Rakib", "man", 22),
            ("Laboni", "woman", 19),
            ("Tania", "woman", 25),
        ],
    ),
    "tdh-kenya-coast": (
        "ke-mombasa-mvita",
        "",
        [("Amina", "woman", 18), ("Juma", "man", 21), ("Zawadi", "woman", 20)],
    ),
}
SUPPORT = [
    ("food", "Monthly food basket"),
    ("school_costs", "School fees for the younger siblings"),
    ("livestock", "Two goats"),
    ("seeds_tools", "Seeds and a hoe for the kitchen garden"),
    ("cash_transfer", "Cash for three months' rent"),
]
VULNERABILITY = "Single parent, no regular earner; a cousin was trafficked from the same village"


@transaction.atomic
def load(
    organisations: dict[str, Organisation], *, today: date | None = None, seed: int = 31
) -> dict:
    if Beneficiary.objects.exists():
        return {"people": 0}
    rng = random.Random(seed)
    today = today or timezone.localdate()
    added = 0
    for slug, (region_code, provider, people) in PEOPLE.items():
        organisation = organisations.get(slug)
        if organisation is None:
            continue
        actor = staff_of(organisation)
        region = Region.objects.filter(code=region_code).first()
        cohort = (
            Cohort.objects.filter(programme__provider__slug=provider)
            .order_by("-start_date")
            .first()
            if provider
            else None
        )
        employers = (
            list(PartnerEmployer.objects.filter(region__country=region.country)) if region else []
        )
        home = None
        for index, (name, gender, age) in enumerate(people):
            if index % 2 == 0:
                home = households.register_household(
                    actor,
                    {
                        "members": rng.randint(4, 7),
                        "children": rng.randint(1, 3),
                        "region": region,
                        "vulnerability": VULNERABILITY,
                    },
                )
                kind, description = SUPPORT[(index // 2) % len(SUPPORT)]
                households.give_support(
                    actor,
                    home,
                    {
                        "kind": kind,
                        "description": description,
                        "given_on": today - timedelta(days=rng.randint(20, 200)),
                    },
                )
            person = services.register(
                actor,
                {
                    "given_name": name,
                    "gender": gender,
                    "year_of_birth": today.year - age,
                    "region": region,
                    "household": home,
                    "consents_to_enrolment": True,
                    "consents_to_data_use": index != 1,
                    "consent_method": "written",
                    "consent_given_by": "guardian" if age < 18 else "person",
                },
            )
            added += 1
            if cohort is not None and index % 3 != 2:
                enrolment = services.enrol_training(
                    actor, person, {"cohort": cohort, "enrolled_on": cohort.start_date}
                )
                finished = cohort.end_date and cohort.end_date < today
                if finished and index % 2 == 0:
                    services.complete_training(
                        actor,
                        person,
                        enrolment.pk,
                        completed_on=cohort.end_date,
                        certificate_number=f"AR-{today.year}-{added:03d}",
                    )
            if employers and age >= 18 and index % 3 == 1:
                services.place_in_job(
                    actor,
                    person,
                    {
                        "employer": rng.choice(employers),
                        "role": "Trainee",
                        "start_date": today - timedelta(days=rng.randint(10, 90)),
                    },
                )
            if index % 4 == 3:
                services.house(
                    actor,
                    person,
                    {
                        "kind": rng.choice(["transitional", "hostel", "rent_support"]),
                        "start": today - timedelta(days=rng.randint(30, 300)),
                    },
                )
    return {"people": added}
