"""Directory profiles for the demo network: who each organisation serves, where, in which
languages, how to reach it, and how full it is. Contacts are invented (``.example``).

Loading is idempotent: profiles and capacity are set, not added; capacity is dated relative
to today, so some of it is always stale (older than AFTERCARE_CAPACITY_STALE_DAYS).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from aftercare.accounts.models import Organisation
from aftercare.network.models import OrganisationService, Region
from aftercare.network.services import refresh_capacity_summary


@dataclass(frozen=True)
class Capacity:
    beds: tuple[int, int] | None = None  # (total, free)
    slots: tuple[int, int] | None = None  # (total, free)
    days_ago: int = 1


@dataclass(frozen=True)
class Profile:
    serves: tuple[str, ...]
    populations: tuple[str, ...]
    languages: tuple[str, ...]
    phone: str
    description: str
    address: str = ""
    capacity: dict[str, Capacity] = field(default_factory=dict)


W, M, G, B, F, L = "women", "men", "girls", "boys", "foreign_nationals", "lgbtqi"
T, FAM = "transgender", "families"

PROFILES: dict[str, Profile] = {
    "hope-for-women-sa": Profile(
        ("za-gp",),
        (W, G, F),
        ("en", "zu", "st", "af"),
        "+27 11 555 0101",
        "Long-term, survivor-led aftercare for women and "
        "girls: safe housing, counselling, peer groups.",
        "Street address withheld, Johannesburg",
        {
            "housing": Capacity(beds=(18, 3), days_ago=2),
            "mental_health": Capacity(slots=(40, 6), days_ago=2),
        },
    ),
    "bliss-and-bloom": Profile(
        ("za-gp-johannesburg",),
        (W,),
        ("en", "zu"),
        "+27 11 555 0102",
        "Social enterprise: training and paid work making products for sale.",
        capacity={"vocational_training": Capacity(slots=(12, 0), days_ago=5)},
    ),
    "gauteng-safe-house": Profile(
        ("za-gp",),
        (W, G, F, L),
        ("en", "zu", "nso", "ts"),
        "+27 12 555 0103",
        "Emergency and medium-term safe house with on-site nurse and substance-use support.",
        "Street address withheld, Tshwane",
        {
            "housing": Capacity(beds=(24, 0), days_ago=1),
            "substance_use": Capacity(slots=(10, 2), days_ago=30),
        },
    ),
    "npa-johannesburg": Profile(
        ("za-gp",),
        (W, M, G, B, F),
        ("en", "zu", "af"),
        "+27 11 555 0104",
        "Prosecutors of trafficking and sexual offences; witness preparation.",
    ),
    "saps-gauteng-trafficking": Profile(
        ("za-gp",),
        (W, M, G, B, F),
        ("en", "zu", "af"),
        "+27 11 555 0105",
        "Police trafficking desk: rescue, statements, safety planning.",
    ),
    "chris-hani-clinic": Profile(
        ("za-gp-johannesburg",),
        (W, M, G, B, F, L),
        ("en", "zu", "st"),
        "+27 11 555 0106",
        "Community clinic: primary care, dental, counselling, substance use.",
        capacity={"mental_health": Capacity(slots=(30, 4), days_ago=21)},
    ),
    "red-light-durban": Profile(
        ("za-kzn-ethekwini",),
        (W, L, T),
        ("en", "zu"),
        "+27 31 555 0107",
        "Skills, creative expression and peer support for women leaving exploitation.",
        capacity={"vocational_training": Capacity(slots=(15, 5), days_ago=3)},
    ),
    "treasure-project": Profile(
        ("za-wc", "za"),
        (W, M, F),
        ("en", "af", "xh"),
        "+27 21 555 0108",
        "Housing, repatriation and documents for survivors, "
        "men and women, including foreign nationals.",
        "Street address withheld, Cape Town",
        {
            "housing": Capacity(beds=(10, 2), days_ago=40),
            "repatriation": Capacity(slots=(8, 3), days_ago=40),
        },
    ),
    "sanjog-kolkata": Profile(
        ("in-wb",),
        (W, G),
        ("bn", "hi", "en"),
        "+91 33 5550 0109",
        "Shakti community rehabilitation: survivor collectives rate the services they meet.",
        capacity={"family_reintegration": Capacity(slots=(60, 12), days_ago=6)},
    ),
    "bbss-south-24-parganas": Profile(
        ("in-wb-south-24-parganas",),
        (W, G, FAM),
        ("bn",),
        "+91 33 5550 0110",
        "A survivors' collective: reintegration, savings groups, school support.",
        capacity={"financial": Capacity(slots=(80, 20), days_ago=10)},
    ),
    "kolkata-jewellery-centre": Profile(
        ("in-wb-kolkata",),
        (W,),
        ("bn", "hi", "en"),
        "+91 33 5550 0111",
        "Jewellery-making training and fair-wage employment.",
        capacity={"employment": Capacity(slots=(20, 1), days_ago=16)},
    ),
    "mumbai-jewellery-centre": Profile(
        ("in-mh-mumbai",),
        (W,),
        ("mr", "hi", "en"),
        "+91 22 5550 0112",
        "Jewellery-making training and fair-wage employment.",
        capacity={"employment": Capacity(slots=(20, 4), days_ago=4)},
    ),
    "snehalaya-shelter": Profile(
        ("in-wb",),
        (G, B),
        ("bn", "hi"),
        "+91 33 5550 0113",
        "Children's shelter home with schooling, medical and dental care.",
        "Street address withheld, North 24 Parganas",
        {
            "housing": Capacity(beds=(40, 5), days_ago=8),
            "education": Capacity(slots=(40, 5), days_ago=8),
        },
    ),
    "tdh-kenya-coast": Profile(
        ("ke-mombasa", "ke-kilifi", "ke-kwale"),
        (G, B),
        ("sw", "en"),
        "+254 41 555 0114",
        "Education, vocational training and family reintegration for children on the coast.",
        capacity={"vocational_training": Capacity(slots=(25, 7), days_ago=12)},
    ),
    "coast-general-hospital": Profile(
        ("ke",),
        (W, M, G, B, F),
        ("sw", "en"),
        "+254 41 555 0115",
        "Teaching and referral hospital: medical, dental and mental health care.",
        capacity={"mental_health": Capacity(slots=(50, 9), days_ago=1)},
    ),
    "malindi-girls-school": Profile(
        ("ke-kilifi-malindi",),
        (G,),
        ("sw", "en"),
        "+254 42 555 0116",
        "Secondary school that takes returning girls and follows them up.",
        capacity={"education": Capacity(slots=(30, 2), days_ago=60)},
    ),
    "napak-child-protection": Profile(
        ("ug-karamoja",),
        (G, B),
        ("kdj", "sw", "en"),
        "+256 39 555 0117",
        "Child protection: return, reintegration and documents for Karamojong children.",
        capacity={"family_reintegration": Capacity(slots=(35, 10), days_ago=2)},
    ),
    "moroto-district-office": Profile(
        ("ug-karamoja-moroto",),
        (W, M, G, B),
        ("kdj", "en"),
        "+256 35 555 0118",
        "District community services: documents, repatriation, emergency support.",
    ),
    "aftercare-network": Profile(
        ("za", "in", "ke", "ug"),
        (),
        ("en",),
        "+27 11 555 0100",
        "The network's secretariat: coordination, directory and reports.",
    ),
}


def load_profiles(regions: dict[str, Region], organisations: dict[str, Organisation]) -> None:
    """Set each demo organisation's directory profile and capacity (idempotent)."""
    now = timezone.now()
    for slug, profile in PROFILES.items():
        organisation = organisations.get(slug)
        if organisation is None:
            continue
        organisation.populations = list(profile.populations)
        organisation.languages = list(profile.languages)
        organisation.public_phone = profile.phone
        organisation.public_email = f"info@{slug}.example"
        organisation.website = f"https://{slug}.example"
        organisation.description = profile.description
        organisation.street_address = profile.address
        organisation.save()
        organisation.regions_served.set([regions[code] for code in profile.serves])
        for domain, capacity in profile.capacity.items():
            beds, slots = capacity.beds or (None, None), capacity.slots or (None, None)
            OrganisationService.objects.filter(organisation=organisation, domain=domain).update(
                beds_total=beds[0],
                beds_available=beds[1],
                slots_total=slots[0],
                slots_available=slots[1],
                capacity_updated_at=now - timedelta(days=capacity.days_ago),
            )
        refresh_capacity_summary(organisation.pk)
