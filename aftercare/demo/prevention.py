"""Prevention in the demo network (seed 004): Terre des Hommes' work in Karamoja (Napak
District, Moroto) and on the Kenya coast. Schools with their sessions and cases, champions,
dialogues whose share of men grows, campaigns, by-laws in four sub-counties of Napak at
different stages and the district ordinance, and a KAP survey with a baseline and a follow-up.

Idempotent: an organisation that already has prevention schools is left as it is. Dates are
counted back from today, so the last twelve months always hold the programme. Every person
named is invented; the places are real.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from aftercare.accounts.models import Membership, Organisation
from aftercare.accounts.roles import Role
from aftercare.core.policy import Actor
from aftercare.network.models import Region
from aftercare.prevention import champions, community, kap, milestones, schools
from aftercare.prevention.models import Champion, School

# Four sub-counties of Napak District, where the by-laws are drafted and lobbied for.
SUB_COUNTIES = [
    ("lokopo", "Lokopo"),
    ("lopeei", "Lopeei"),
    ("iriiri", "Iriiri"),
    ("ngoleriet", "Ngoleriet"),
]
NAPAK = "ug-karamoja-napak"

# (name, level, region code)
NAPAK_SCHOOLS = [
    ("Lokopo Primary School", "primary", f"{NAPAK}-lokopo"),
    ("Lopeei Primary School", "primary", f"{NAPAK}-lopeei"),
    ("Iriiri Seed Secondary School", "secondary", f"{NAPAK}-iriiri"),
    ("Ngoleriet Primary School", "primary", f"{NAPAK}-ngoleriet"),
    ("Kangole Girls' Primary School", "primary", NAPAK),
    ("Moroto Municipal Primary School", "primary", "ug-karamoja-moroto"),
]
COAST_SCHOOLS = [
    ("Malindi Girls' Secondary School", "secondary", "ke-kilifi-malindi"),
    ("Barani Primary School", "primary", "ke-kilifi-malindi"),
    ("Mvita Primary School", "primary", "ke-mombasa-mvita"),
    ("Msambweni Primary School", "primary", "ke-kwale-msambweni"),
]
# (name, kind, sex, region code, active)
NAPAK_CHAMPIONS = [
    ("Lokwang Peter, parish chief", "community_leader", "male", f"{NAPAK}-lokopo", True),
    ("Nangiro Betty, women's council", "community_leader", "female", f"{NAPAK}-lopeei", True),
    ("Fr. Lotyang Simon", "religious_leader", "male", f"{NAPAK}-iriiri", True),
    ("Sheikh Lomongin Abdallah", "religious_leader", "male", NAPAK, True),
    ("Elder Loput Mark", "cultural_leader", "male", f"{NAPAK}-ngoleriet", True),
    ("Nakut Agnes, Matany market traders", "private_sector", "female", NAPAK, True),
    ("Lochoro Joseph, boda-boda riders' chair", "private_sector", "male", f"{NAPAK}-lokopo", False),
]
COAST_CHAMPIONS = [
    ("Imam Hassan Mwinyi", "religious_leader", "male", "ke-mombasa-mvita", True),
    ("Mama Zawadi Kahindi, village elder", "community_leader", "female", "ke-kilifi-malindi", True),
    (
        "Said Omar, Malindi hoteliers' association",
        "private_sector",
        "male",
        "ke-kilifi-malindi",
        True,
    ),
]
# ((name, medium, topics), (region code, days ago it started, days ago it ended or None while it
# runs, estimated reach, how the reach was estimated))
NAPAK_CAMPAIGNS = [
    (
        ("Child protection on Nenah FM", "radio", ["trafficking_awareness", "ordinance_bylaws"]),
        ("ug-karamoja", 250, 160, 45000, "the station's listenership survey for Napak and Moroto"),
    ),
    (
        ("Akiriket drama troupe", "drama", ["social_norms"]),
        (NAPAK, 140, None, 2600, "audience head counts at 13 performances"),
    ),
]
COAST_CAMPAIGNS = [
    (
        ("Linda Mtoto on Baraka FM", "radio", ["trafficking_awareness"]),
        ("ke-mombasa", 200, 170, 60000, "the station's estimate for the coast counties"),
    ),
    (
        ("Beach and hotel posters", "print", ["trafficking_awareness", "protecting_children"]),
        ("ke-kilifi", 100, None, 9000, "posters × visitor counts"),
    ),
]
TOPIC_ROTATION = [
    ["girls_education", "protecting_children"],
    ["survivor_stigma", "protecting_children"],
    ["ordinance_bylaws", "social_norms"],
    ["trafficking_awareness", "girls_education"],
]
CONCERNS = ["sexual_exploitation", "child_marriage", "child_labour", "trafficking", "abuse"]
REPORTED_TO = ["police", "social_welfare", "helpline", "partner", "local_leader"]

KAP_SURVEY = {
    "code": "napak-kap",
    "name": "Napak child protection KAP",
    "description": (
        "Households in four sub-counties, before and after a year of dialogues and by-law work."
    ),
    "scales": [
        {
            "code": "agree4",
            "options": [
                {"value": 1, "label": "Strongly disagree"},
                {"value": 2, "label": "Disagree"},
                {"value": 3, "label": "Agree"},
                {"value": 4, "label": "Strongly agree"},
            ],
        },
        {"code": "yesno", "options": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}]},
    ],
    "questions": [
        {
            "code": "girls-school",
            "text": "Girls should finish school before they marry.",
            "domain": "attitude",
            "scale": "agree4",
            "favourable": [3, 4],
        },
        {
            "code": "early-marriage",
            "text": "A daughter under 18 may be married off for bride wealth.",
            "domain": "attitude",
            "scale": "agree4",
            "favourable": [1, 2],
        },
        {
            "code": "signs",
            "text": "Can you name a sign that a child is being trafficked?",
            "domain": "knowledge",
            "scale": "yesno",
            "favourable": [1],
        },
        {
            "code": "where-to-report",
            "text": "Do you know where to report a child at risk (police, probation office, 116)?",
            "domain": "knowledge",
            "scale": "yesno",
            "favourable": [1],
        },
        {
            "code": "told-someone",
            "text": "In the last six months, did you tell a leader or an official about a "
            "child at risk?",
            "domain": "practice",
            "scale": "yesno",
            "favourable": [1],
        },
    ],
}
# The survey's rounds: (kind, label, days ago it started, days ago it ended).
KAP_ROUNDS = [("baseline", "Baseline", 370, 350), ("follow_up", "Follow-up after one year", 25, 5)]
# Chance of a favourable answer per question at baseline and at follow-up.
KAP_CHANCES = {
    "girls-school": (0.42, 0.61),
    "early-marriage": (0.38, 0.52),
    "signs": (0.22, 0.47),
    "where-to-report": (0.31, 0.66),
    "told-someone": (0.08, 0.12),
}


def _regions() -> dict[str, Region]:
    napak = Region.objects.get(code=NAPAK)
    for slug, name in SUB_COUNTIES:
        Region.objects.update_or_create(
            code=f"{NAPAK}-{slug}",
            defaults={"name": name, "level": "sub_county", "parent": napak, "country": "UG"},
        )
    return {r.code: r for r in Region.objects.filter(country__in=["UG", "KE"])}


def _actors(organisation: Organisation) -> tuple[Actor, Actor]:
    """(the organisation's field worker if it has one, a supervisor) to load the records as."""
    supervisor = Actor(user=None, organisation=organisation, role=Role.SUPERVISOR)
    member = (
        Membership.objects.filter(organisation=organisation, role=Role.FIELD_WORKER)
        .select_related("user")
        .first()
    )
    field = (
        Actor(user=member.user, organisation=organisation, role=Role.FIELD_WORKER)
        if member
        else supervisor
    )
    return field, supervisor


def _ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def _schools(rng, field, supervisor, regions, rows, member=None) -> list[School]:
    loaded = []
    for i, (name, level, code) in enumerate(rows):
        school = schools.add_school(
            supervisor,
            name=name,
            level=level,
            region=regions[code],
            joined_on=_ago(400),
            member_organisation=member if i == 0 else None,
        )
        loaded.append(school)
        for days in (330, 150)[: 1 + i % 2]:
            schools.record_session(
                field,
                school,
                held_on=_ago(days + i),
                topic="Identifying, reporting and following up child trafficking",
                facilitators="Programme officer and CFPU officer",
                teachers_female=rng.randint(3, 9),
                teachers_male=rng.randint(2, 8),
            )
        for n in range(rng.randint(1, 3)):
            identified = _ago(rng.randint(40, 300))
            prefix = "".join(word[0] for word in name.split()[:3]).upper()
            case = schools.identify_case(
                field,
                school,
                reference=f"{prefix}-{n + 1:02d}",
                concern=rng.choice(CONCERNS),
                identified_on=identified,
            )
            if n == 2:
                continue  # identified, not yet reported
            reported = identified + timedelta(days=rng.choice([0, 1, 2, 3, 5, 8, 14]))
            schools.report_case(
                field, case.pk, reported_on=reported, reported_to=rng.choice(REPORTED_TO), version=1
            )
            if rng.random() < 0.7:
                schools.follow_up(
                    field,
                    case.pk,
                    followed_on=reported + timedelta(days=21),
                    outcome=rng.choice(["in_school", "receiving_services", "at_risk"]),
                    note="Visited at school and at home.",
                )
    return loaded


def _champions(rng, field, regions, rows) -> list[Champion]:
    people = []
    for name, kind, sex, code, active in rows:
        champion = champions.add_champion(
            field, name=name, kind=kind, sex=sex, region=regions[code], joined_on=_ago(360)
        )
        people.append(champion)
        for days in (200, 90, 30):
            champions.record_activity(
                field,
                champion,
                held_on=_ago(days + rng.randint(0, 9)),
                kind=rng.choice(["dialogue", "awareness", "home_visit", "referral"]),
                people_reached=rng.randint(10, 80),
            )
        if not active:
            champions.set_active(field, champion.pk, False, champion.version, on=_ago(60))
    first = people[: len(people) // 2 + 1]
    champions.record_training(
        field,
        held_on=_ago(340),
        topic="Child protection and the law",
        region=people[0].region,
        champions=[c.pk for c in first],
    )
    champions.record_training(
        field,
        held_on=_ago(120),
        topic="Leading dialogues with men",
        region=people[0].region,
        champions=[c.pk for c in people],
    )
    return people


def _dialogues(rng, field, places: list[Region], people: list[Champion], count: int) -> None:
    """Dialogues spread over the year, with men a growing share of the adults attending."""
    for i in range(count):
        days = 330 - i * (300 // count)
        men_share = 0.2 + 0.3 * i / max(count - 1, 1)
        women = rng.randint(25, 45)
        men = round(women * men_share / (1 - men_share))
        counts = {
            "female": {
                "under_18": rng.randint(2, 8),
                "18_35": women * 3 // 5,
                "36_59": women - women * 3 // 5,
                "60_plus": rng.randint(0, 4),
            },
            "male": {
                "under_18": rng.randint(2, 8),
                "18_35": men // 2,
                "36_59": men - men // 2,
                "60_plus": rng.randint(0, 3),
            },
        }
        community.add_activity(
            field,
            kind="awareness" if i % 4 == 3 else "dialogue",
            held_on=_ago(days),
            region=places[i % len(places)],
            topics=TOPIC_ROTATION[i % len(TOPIC_ROTATION)],
            venue=rng.choice(
                ["Under the meeting tree", "Parish hall", "Market square", "Primary school"]
            ),
            facilitators=people[i % len(people)].name,
            champions=[people[i % len(people)].pk],
            attendance=counts,
        )
    # Held a few days ago and not yet counted, and one coming: for the field-capture page.
    community.add_activity(
        field,
        kind="dialogue",
        held_on=_ago(3),
        region=places[0],
        topics=["girls_education"],
        venue="Under the meeting tree",
        facilitators=people[0].name,
    )
    community.add_activity(
        field,
        kind="dialogue",
        held_on=timezone.localdate() + timedelta(days=10),
        region=places[-1],
        topics=["ordinance_bylaws"],
        venue="Sub-county hall",
    )


def _campaigns(field, regions, rows) -> None:
    for (name, medium, topics), (region, started, ended, reach, basis) in rows:
        community.add_campaign(
            field,
            name=name,
            medium=medium,
            topics=topics,
            region=regions[region],
            started_on=_ago(started),
            ended_on=None if ended is None else _ago(ended),
            estimated_reach=reach,
            reach_basis=basis,
        )


def _policy(supervisor, regions) -> None:
    stages = {
        "lokopo": ["lobbied", "passed", "enforced"],
        "lopeei": ["lobbied", "passed"],
        "iriiri": ["lobbied"],
        "ngoleriet": [],
    }
    for slug, name in SUB_COUNTIES:
        by_law = milestones.add_instrument(
            supervisor,
            title=f"{name} Sub-county Child Protection By-law",
            kind="by_law",
            region=regions[f"{NAPAK}-{slug}"],
            drafted_on=_ago(360),
        )
        for i, stage in enumerate(stages[slug]):
            by_law = milestones.advance(
                supervisor,
                by_law.pk,
                to=stage,
                reached_on=_ago(300 - 90 * i),
                version=by_law.version,
            )
    ordinance = milestones.add_instrument(
        supervisor,
        title="Napak District Child Protection Ordinance",
        kind="ordinance",
        region=regions[NAPAK],
        drafted_on=_ago(380),
    )
    milestones.advance(
        supervisor, ordinance.pk, to="lobbied", reached_on=_ago(200), version=ordinance.version
    )


def _kap(rng, supervisor, field, regions) -> None:
    survey = kap.define_survey(supervisor, KAP_SURVEY)
    rounds = [
        kap.add_round(
            supervisor,
            survey.pk,
            kind=kind,
            label=label,
            started_on=_ago(started),
            ended_on=_ago(ended),
        )
        for kind, label, started, ended in KAP_ROUNDS
    ]
    for which, survey_round in enumerate(rounds):
        rows = []
        for slug, _name in SUB_COUNTIES:
            for n in range(30):
                answers = {}
                for question in KAP_SURVEY["questions"]:
                    favourable = rng.random() < KAP_CHANCES[question["code"]][which]
                    if question["scale"] == "yesno":
                        answers[question["code"]] = int(favourable)
                    else:
                        good, bad = (
                            question["favourable"],
                            [v for v in (1, 2, 3, 4) if v not in question["favourable"]],
                        )
                        answers[question["code"]] = rng.choice(good if favourable else bad)
                rows.append(
                    {
                        "community": f"{NAPAK}-{slug}",
                        "sex": "female" if n % 2 else "male",
                        "age_group": ["18_35", "36_59", "60_plus"][n % 3],
                        "collected_on": survey_round.started_on + timedelta(days=n % 15),
                        "answers": answers,
                    }
                )
        kap.record_responses(
            field if field.role == Role.FIELD_WORKER else supervisor, survey_round.pk, rows
        )


@transaction.atomic
def load(organisations: dict[str, Organisation], seed: int = 2004) -> dict:
    """Load the programme for the Napak and Kenya-coast organisations that have none yet."""
    regions = _regions()
    rng = random.Random(seed)
    loaded = {}
    napak = organisations["napak-child-protection"]
    if not School.objects.filter(organisation=napak).exists():
        field, supervisor = _actors(napak)
        _schools(rng, field, supervisor, regions, NAPAK_SCHOOLS)
        people = _champions(rng, field, regions, NAPAK_CHAMPIONS)
        places = [regions[f"{NAPAK}-{slug}"] for slug, _n in SUB_COUNTIES] + [
            regions["ug-karamoja-moroto"]
        ]
        _dialogues(rng, field, places, people, count=10)
        _campaigns(field, regions, NAPAK_CAMPAIGNS)
        _policy(supervisor, regions)
        _kap(rng, supervisor, field, regions)
        loaded["napak-child-protection"] = True
    coast = organisations["tdh-kenya-coast"]
    if not School.objects.filter(organisation=coast).exists():
        field, supervisor = _actors(coast)
        _schools(
            rng,
            field,
            supervisor,
            regions,
            COAST_SCHOOLS,
            member=organisations.get("malindi-girls-school"),
        )
        people = _champions(rng, field, regions, COAST_CHAMPIONS)
        places = [
            regions["ke-kilifi-malindi"],
            regions["ke-mombasa-mvita"],
            regions["ke-kwale-msambweni"],
        ]
        _dialogues(rng, field, places, people, count=6)
        _campaigns(field, regions, COAST_CAMPAIGNS)
        loaded["tdh-kenya-coast"] = True
    return {"organisations_loaded": sorted(loaded)}
