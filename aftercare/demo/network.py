"""The demo network: real places from the source articles, invented people.

Loading is idempotent: organisations, regions and users are matched by slug, code and
username, and survivors are only added until each case-holding organisation has its share.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from aftercare.accounts.models import Membership, Organisation, Team, User
from aftercare.accounts.roles import Role
from aftercare.cases import duplicates, search
from aftercare.cases.models import Handover, Survivor
from aftercare.demo import atrisk as atrisk_demo
from aftercare.demo import caresettings as caresettings_demo
from aftercare.demo import directory as network_demo
from aftercare.demo import history as demo_history
from aftercare.demo import livelihoods as livelihoods_demo
from aftercare.demo import mentoring as mentoring_demo
from aftercare.demo import prevention as prevention_demo
from aftercare.demo import risk as risk_demo
from aftercare.demo import synthetic
from aftercare.demo import voice as voice_demo
from aftercare.network.models import OrganisationService, Region

DEMO_PASSWORD = "aftercare-demo-2026"  # noqa: S105 - printed for the demo, refused in production
SURVIVOR_TARGET = 240

# (code, name, level, parent code, country)
REGIONS = [
    ("za", "South Africa", "country", None, "ZA"),
    ("za-gp", "Gauteng", "province", "za", "ZA"),
    ("za-gp-johannesburg", "Johannesburg", "district", "za-gp", "ZA"),
    ("za-gp-tshwane", "Tshwane", "district", "za-gp", "ZA"),
    ("za-kzn", "KwaZulu-Natal", "province", "za", "ZA"),
    ("za-kzn-ethekwini", "eThekwini (Durban)", "district", "za-kzn", "ZA"),
    ("za-wc", "Western Cape", "province", "za", "ZA"),
    ("za-wc-cape-town", "Cape Town", "district", "za-wc", "ZA"),
    ("in", "India", "country", None, "IN"),
    ("in-wb", "West Bengal", "province", "in", "IN"),
    ("in-wb-kolkata", "Kolkata", "district", "in-wb", "IN"),
    ("in-wb-south-24-parganas", "South 24 Parganas", "district", "in-wb", "IN"),
    ("in-wb-north-24-parganas", "North 24 Parganas", "district", "in-wb", "IN"),
    ("in-mh", "Maharashtra", "province", "in", "IN"),
    ("in-mh-mumbai", "Mumbai", "district", "in-mh", "IN"),
    ("in-mh-pune", "Pune", "district", "in-mh", "IN"),
    ("ke", "Kenya", "country", None, "KE"),
    ("ke-mombasa", "Mombasa County", "province", "ke", "KE"),
    ("ke-mombasa-mvita", "Mvita", "district", "ke-mombasa", "KE"),
    ("ke-kilifi", "Kilifi County", "province", "ke", "KE"),
    ("ke-kilifi-malindi", "Malindi", "district", "ke-kilifi", "KE"),
    ("ke-kwale", "Kwale County", "province", "ke", "KE"),
    ("ke-kwale-msambweni", "Msambweni", "district", "ke-kwale", "KE"),
    ("ug", "Uganda", "country", None, "UG"),
    ("ug-karamoja", "Karamoja", "province", "ug", "UG"),
    ("ug-karamoja-napak", "Napak District", "district", "ug-karamoja", "UG"),
    ("ug-karamoja-moroto", "Moroto District", "district", "ug-karamoja", "UG"),
]

# (slug, name, kind, region code, services, holds cases)
ORGANISATIONS = [
    (
        "hope-for-women-sa",
        "Hope for Women SA",
        "ngo",
        "za-gp-johannesburg",
        [
            "safety",
            "housing",
            "mental_health",
            "peer_support",
            "creative_expression",
            "family_reintegration",
            "basic_necessities",
            "mentoring",
            "social_cultural",
        ],
        True,
    ),
    (
        "bliss-and-bloom",
        "Bliss and Bloom",
        "social_enterprise",
        "za-gp-johannesburg",
        ["vocational_training", "employment", "financial"],
        False,
    ),
    (
        "gauteng-safe-house",
        "Gauteng Safe House",
        "shelter",
        "za-gp-tshwane",
        ["safety", "housing", "substance_use", "medical", "basic_necessities"],
        True,
    ),
    (
        "npa-johannesburg",
        "NPA Johannesburg, Sexual Offences and Trafficking Unit",
        "prosecutor",
        "za-gp-johannesburg",
        ["legal"],
        False,
    ),
    (
        "saps-gauteng-trafficking",
        "SAPS Gauteng Trafficking Desk",
        "police",
        "za-gp-johannesburg",
        ["safety", "legal"],
        False,
    ),
    (
        "chris-hani-clinic",
        "Chris Hani Community Clinic",
        "hospital",
        "za-gp-johannesburg",
        ["medical", "dental", "mental_health", "substance_use"],
        False,
    ),
    (
        "red-light-durban",
        "Red Light Durban, Inkululeko Freedom Project",
        "ngo",
        "za-kzn-ethekwini",
        [
            "vocational_training",
            "creative_expression",
            "employment",
            "peer_support",
            "mentoring",
            "social_cultural",
        ],
        True,
    ),
    (
        "treasure-project",
        "The Treasure Project (MeCAHT)",
        "ngo",
        "za-wc-cape-town",
        ["housing", "vocational_training", "repatriation", "documentation", "employment"],
        True,
    ),
    (
        "sanjog-kolkata",
        "Sanjog, Shakti Community Rehabilitation",
        "ngo",
        "in-wb-kolkata",
        [
            "family_reintegration",
            "peer_support",
            "legal",
            "mental_health",
            "documentation",
            "social_cultural",
            "mentoring",
        ],
        True,
    ),
    (
        "bbss-south-24-parganas",
        "Birangana Seva Samity",
        "ngo",
        "in-wb-south-24-parganas",
        ["family_reintegration", "peer_support", "financial", "education", "basic_necessities"],
        True,
    ),
    (
        "kolkata-jewellery-centre",
        "Made by Survivors Jewellery Centre, Kolkata",
        "social_enterprise",
        "in-wb-kolkata",
        ["vocational_training", "employment", "financial"],
        False,
    ),
    (
        "mumbai-jewellery-centre",
        "Made by Survivors Jewellery Centre, Mumbai",
        "social_enterprise",
        "in-mh-mumbai",
        ["vocational_training", "employment"],
        False,
    ),
    (
        "snehalaya-shelter",
        "Snehalaya Shelter Home",
        "shelter",
        "in-wb-north-24-parganas",
        ["housing", "safety", "education", "dental", "medical", "basic_necessities"],
        True,
    ),
    (
        "tdh-kenya-coast",
        "Terre des Hommes, Kenya Coast Programme",
        "ngo",
        "ke-mombasa-mvita",
        [
            "education",
            "vocational_training",
            "family_reintegration",
            "substance_use",
            "financial",
            "basic_necessities",
            "social_cultural",
        ],
        True,
    ),
    (
        "coast-general-hospital",
        "Coast General Teaching and Referral Hospital",
        "hospital",
        "ke-mombasa-mvita",
        ["medical", "dental", "mental_health"],
        False,
    ),
    (
        "malindi-girls-school",
        "Malindi Girls' Secondary School",
        "school",
        "ke-kilifi-malindi",
        ["education"],
        False,
    ),
    (
        "napak-child-protection",
        "Napak Child Protection Partnership",
        "ngo",
        "ug-karamoja-napak",
        ["safety", "family_reintegration", "repatriation", "documentation", "creative_expression"],
        True,
    ),
    (
        "moroto-district-office",
        "Moroto District Community Services Office",
        "government",
        "ug-karamoja-moroto",
        ["documentation", "repatriation", "financial"],
        False,
    ),
    (
        "aftercare-network",
        "Aftercare Network Secretariat",
        "network",
        "za-gp-johannesburg",
        [],
        False,
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    organisation: str
    also: tuple[tuple[str, Role], ...] = ()


DEMO_LOGINS = [
    DemoLogin(
        "cw.thandi",
        Role.CASE_WORKER,
        "hope-for-women-sa",
        also=(("gauteng-safe-house", Role.CASE_WORKER),),
    ),
    DemoLogin("sup.nomsa", Role.SUPERVISOR, "hope-for-women-sa"),
    DemoLogin("admin.zanele", Role.ADMIN, "hope-for-women-sa"),
    DemoLogin("ref.diane", Role.REFERRAL_SOURCE, "npa-johannesburg"),
    DemoLogin("coord.lerato", Role.NETWORK_COORDINATOR, "aftercare-network"),
    DemoLogin("me.kiran", Role.ME_OFFICER, "aftercare-network"),
    DemoLogin("cw.priya", Role.CASE_WORKER, "sanjog-kolkata"),
    DemoLogin("cw.sipho", Role.CASE_WORKER, "hope-for-women-sa"),
    DemoLogin("survivor.amara", Role.SURVIVOR, "hope-for-women-sa"),
    DemoLogin("fw.nakiru", Role.FIELD_WORKER, "napak-child-protection"),
]


def demo_totp_key(username: str) -> str:
    """A fixed secret per demo user, so `make demo` can be run again without re-enrolling."""
    return hashlib.sha256(f"aftercare-demo-totp:{username}".encode()).hexdigest()[:40]


@transaction.atomic
def load_network() -> tuple[dict[str, Region], dict[str, Organisation]]:
    """The regions and organisations alone (no logins, no survivors), by code and by slug."""
    regions: dict[str, Region] = {}
    for code, name, level, parent, country in REGIONS:
        regions[code], _ = Region.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "parent": regions.get(parent),
                "country": country,
            },
        )
    organisations: dict[str, Organisation] = {}
    for slug, name, kind, region, services, _holds in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "region": regions[region],
                "country": regions[region].country,
            },
        )
        organisations[slug] = org
        for domain in services:
            OrganisationService.objects.get_or_create(organisation=org, domain=domain)
    network_demo.load_profiles(regions, organisations)
    return regions, organisations


def districts_served(regions, organisations) -> dict:
    """Each organisation's districts: those in a region it serves. A demo case lives in one of
    them, so no organisation holds a case where it does not work."""
    districts = [r for r in regions if r.level == "district"]
    found = {}
    for organisation in organisations:
        codes = list(organisation.regions_served.values_list("code", flat=True))
        found[organisation.pk] = [
            r for r in districts if any(r.code == c or r.code.startswith(c + "-") for c in codes)
        ]
    return found


# Who holds the demo cases: (organisation, team name, its members, workers taking cases in turn).
DEMO_CASELOADS = [
    (
        "hope-for-women-sa",
        "Johannesburg outreach",
        ("cw.thandi", "cw.sipho"),
        ("cw.thandi", "cw.sipho", "sup.nomsa"),
    ),
    ("gauteng-safe-house", "", (), ("cw.thandi",)),
    ("sanjog-kolkata", "", (), ("cw.priya",)),
]
DEMO_WORKER_NAMES = {
    "cw.thandi": ("Thandi", "Dlamini"),
    "cw.sipho": ("Sipho", "Khumalo"),
    "sup.nomsa": ("Nomsa", "Mahlangu"),
    "cw.priya": ("Priya", "Sen"),
}


def assign_cases(organisations: dict[str, Organisation]) -> int:
    """Give the demo cases responsible workers and a team, so "my cases", the handover and the
    supervisor's view of who holds what show something. Every seventh open case is left for the
    supervisor to hand out. Runs once per organisation: a case already assigned stays so."""
    users = {user.username: user for user in User.objects.filter(username__in=DEMO_WORKER_NAMES)}
    for username, (first, last) in DEMO_WORKER_NAMES.items():
        user = users.get(username)
        if user is not None and not user.first_name:
            user.first_name, user.last_name = first, last
            user.save(update_fields=["first_name", "last_name"])
    assigned = 0
    for slug, team_name, members, workers in DEMO_CASELOADS:
        organisation = organisations[slug]
        cases = Survivor.objects.filter(organisation=organisation)
        if cases.exclude(assigned_worker=None).exists():
            continue
        team = None
        if team_name:
            team, _created = Team.objects.get_or_create(organisation=organisation, name=team_name)
            team.members.add(*(users[name] for name in members if name in users))
        holders = [users[name] for name in workers if name in users]
        if not holders:
            continue
        for i, survivor in enumerate(cases.order_by("case_code").only("pk", "status")):
            if i % 7 == 6 and survivor.status != "closed":
                continue
            worker = holders[i % len(holders)]
            Survivor.objects.filter(pk=survivor.pk).update(
                assigned_worker=worker, team=team if team and worker.username in members else None
            )
            assigned += 1
        # One case handed over with a note, so the new worker's case page shows it.
        first = cases.filter(assigned_worker=holders[0]).order_by("case_code").first()
        if first is not None and len(holders) > 1:
            Handover.objects.create(
                survivor=first,
                organisation=organisation,
                from_worker=holders[1],
                to_worker=holders[0],
                team=team,
                note=(
                    "She is settling in well at the shelter. Court date set for next month; "
                    "she wants someone she knows to come with her. Prefers calls after 5 pm."
                ),
                handed_over_by=holders[-1],
            )
    return assigned


def districts_by_country(regions) -> dict[str, list[Region]]:
    by_country: dict[str, list[Region]] = {}
    for region in regions:
        if region.level == "district":
            by_country.setdefault(region.country, []).append(region)
    return by_country


@transaction.atomic
def load(survivor_target: int = SURVIVOR_TARGET, seed: int = 2026) -> dict:
    regions, organisations = load_network()
    for login in DEMO_LOGINS:
        user, created = User.objects.get_or_create(username=login.username)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for slug, role in ((login.organisation, login.role), *login.also):
            Membership.objects.update_or_create(
                user=user, organisation=organisations[slug], defaults={"role": role}
            )
        if login.role != Role.SURVIVOR:
            TOTPDevice.objects.update_or_create(
                user=user,
                name="authenticator",
                defaults={"key": demo_totp_key(login.username), "confirmed": True},
            )
    holders = [organisations[slug] for slug, *_rest, holds in ORGANISATIONS if holds]
    existing = Survivor.objects.filter(organisation__in=holders).count()
    missing = max(0, survivor_target - existing)
    if missing:
        rng = random.Random(seed + existing)
        served = districts_served(regions.values(), holders)
        added = Survivor.objects.bulk_create(
            list(synthetic.generate(rng, holders, served, missing)), batch_size=500
        )
        search.store_keys_many(added)  # findable by name
        # and found again by intake's duplicate check
        duplicates.DuplicateToken.objects.bulk_create(
            (
                duplicates.DuplicateToken(survivor_id=s.pk, token=token)
                for s in added
                for token in duplicates.tokens(s.given_name, s.family_name, s.year_of_birth)
            ),
            batch_size=1000,
        )
    assign_cases(organisations)
    histories = demo_history.load()
    demo_history.review_plans()
    risk = risk_demo.load(holders)
    voice = voice_demo.load(organisations)
    prevention = prevention_demo.load(organisations)
    livelihoods_demo.load(organisations)
    livelihoods_demo.load_network(organisations)
    care_settings = caresettings_demo.load(organisations)
    mentoring_demo.load(organisations)
    atrisk_demo.load(organisations)
    return {
        "care_settings": care_settings,
        "voice": voice,
        "prevention": prevention,
        "organisations": len(organisations),
        "survivors_added": missing,
        "regions": len(regions),
        "risk_histories": risk["assessed"],
        "histories": histories,
    }
