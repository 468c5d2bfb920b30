"""Every page and list endpoint stays within its query budget (tests/query_budgets.py), with
a case whose history is long and a second organisation it was referred to, and several records
of each kind with several children each (the give_* helpers): a budget holds whatever they hold."""

import os
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from aftercare.accounts import members
from aftercare.accounts.models import ApiToken
from aftercare.accounts.roles import Role
from aftercare.cases import care
from aftercare.livelihoods import enterprise
from aftercare.livelihoods.models import Cohort
from aftercare.prevention import champions, community, kap, milestones, schools
from aftercare.referrals.models import Referral
from aftercare.reports import export_jobs
from aftercare.risk import measures
from aftercare.voice import moderation
from aftercare.voice.ratings import Subject
from tests.cases.test_query_counts import give_history
from tests.conftest import actor, current_code, member
from tests.factories import (
    OrganisationFactory,
    PartnerEmployerFactory,
    ServiceFactory,
    SurvivorFactory,
    totp_device,
)
from tests.prevention.test_kap import SPEC
from tests.query_budgets import BUDGETS
from tests.voice.factories import DutyBearerFactory, rate

pytestmark = pytest.mark.django_db


def give_at_risk_history(worker, n: int):
    """A person at risk with n of everything (training, jobs, housing, household support), and
    n more people at risk: her page and the lists must not grow with them."""
    from aftercare.atrisk import services as atrisk
    from aftercare.livelihoods import households, training

    today = timezone.localdate()
    person = {
        "given_name": "Budget",
        "year_of_birth": 2004,
        "gender": "woman",
        "consents_to_enrolment": True,
        "consents_to_data_use": True,
        "consent_method": "verbal",
    }
    others = [atrisk.register(worker, person) for _ in range(n)]
    home = households.register_household(worker, {"members": 3, "children": 1})
    beneficiary = atrisk.register(worker, {**person, "household": home})
    programme = training.add_programme(
        worker,
        {"name": "Budget course", "trade": "tailoring", "kind": "training", "duration_weeks": 4},
    )
    employer = PartnerEmployerFactory(name="Budget Ltd", added_by_organisation=worker.organisation)
    for i in range(n):
        cohort = training.add_cohort(
            worker, programme, {"name": f"C{i}", "start_date": today - timedelta(days=90)}
        )
        atrisk.enrol_training(
            worker, beneficiary, {"cohort": cohort, "enrolled_on": today - timedelta(days=80)}
        )
        atrisk.place_in_job(
            worker, beneficiary, {"employer": employer, "role": "Cutter", "start_date": today}
        )
        atrisk.house(worker, beneficiary, {"kind": "hostel", "start": today - timedelta(days=i)})
        households.give_support(worker, home, {"kind": "food", "given_on": today})
    assert others
    return beneficiary


def give_provision(org_a, org_b, regions, n: int):
    """Her organisation offers four services with their capacity and serves Gauteng and
    KwaZulu-Natal; org_b and n more organisations offer housing in Gauteng: the profile and
    capacity forms, the directory and the gap map's providers must not grow with them."""
    now = timezone.now()
    for domain in ("housing", "medical", "legal", "mental_health"):
        ServiceFactory(
            organisation=org_a,
            domain=domain,
            eligibility_notes=f"Who may use {domain}",
            beds_total=10 if domain == "housing" else None,
            beds_available=3 if domain == "housing" else None,
            slots_total=20,
            slots_available=5,
            capacity_updated_at=now,
        )
    org_a.regions_served.add(regions.gp, regions.kzn)
    for organisation in (org_b, *OrganisationFactory.create_batch(n)):
        ServiceFactory(
            organisation=organisation, domain="housing", slots_total=4, slots_available=1
        )
        organisation.regions_served.add(regions.gp)


def give_exports(supervisor, n: int):
    """Her exports: one made (its file ready to download), n - 1 still waiting for the worker.
    Returns the one made."""
    made = export_jobs.start_export(supervisor, "caseload", "csv")
    export_jobs.run(made.pk)
    for _ in range(n - 1):
        export_jobs.start_export(supervisor, "caseload", "csv")
    return made


def give_gap_cell(worker, regions, n: int):
    """n cases in each of Johannesburg and Tshwane, with a high or urgent need for housing:
    Gauteng's housing cell lists the cases, its districts and providers, at a fixed cost."""
    for i in range(n):
        for district in (regions.jhb, regions.tshwane):
            survivor = SurvivorFactory(organisation=worker.organisation, region=district)
            level = "urgent" if i % 2 else "high"
            care.assess_needs(worker, survivor, {"housing": level, "medical": "low"})
    return regions.gp


def months_before(day: date, months: int) -> date:
    """The first day of the month `months` before `day`'s."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, 1)


def give_rated_duty_bearer(worker, coordinator, n: int):
    """A duty bearer of her organisation rated in the n quarters before this one (each with
    enough voices to be published, and a quote), with two highlights, and n - 1 more: the
    subject's page and its trend must not grow with the quarters, nor the lists with them."""
    bearer = DutyBearerFactory(
        name="Budget nurse",
        organisation=worker.organisation,
        registered_by=worker.organisation,
    )
    today = timezone.localdate()
    for i in range(1, n + 1):
        period = months_before(today, 3 * i)
        rate(bearer, 4, n=4, period=period)
        rate(
            bearer,
            5,
            period=period,
            comment=f"Kind every time {i}",
            comment_status="approved",
            quote=f"Kind every time {i}",
        )
    for text in ("Explains every step", "Comes on time"):
        moderation.highlight(coordinator, Subject(duty_bearer=bearer), text)
    for other in DutyBearerFactory.create_batch(
        n - 1, organisation=worker.organisation, registered_by=worker.organisation
    ):  # the others, each rated in one quarter: the league and the lists hold n
        rate(other, 3, n=5, period=months_before(today, 3))
    return bearer


def give_product(worker, makers, n: int):
    """A product of her makers with n batches, each sold, and n sales shared equally, and n - 1
    more products: the product's page, its sales and the lists must not grow with them."""
    today = timezone.localdate()
    product = enterprise.add_product(worker, {"name": "Budget tote", "makers": makers})
    for i in range(1, n):  # the others, each of some of the makers: the lists hold n
        enterprise.add_product(worker, {"name": f"Budget cup {i}", "makers": makers[:i]})
    for i in range(n):
        day = today - timedelta(days=i)
        batch = enterprise.add_batch(
            worker, product, made_on=day, quantity=2 * len(makers), makers=[(m, 2) for m in makers]
        )
        for sold_from in (batch, None):
            enterprise.record_sale(
                worker,
                product,
                channel="market",
                quantity=2,
                unit_price=Decimal(50),
                currency="ZAR",
                sold_on=day,
                batch=sold_from,
            )
    return product


def give_prevention_records(supervisor, partner, regions, n: int) -> dict:
    """n records of each kind of prevention work, the first with n children each: a school with
    n sessions and n cases (reported to a partner, each followed up n times) and one case not yet
    reported; a champion with n activities, trained n times with the others; n counted
    activities; a by-law passed, one stage from enforced; a survey with a baseline and n - 1
    follow-ups, each with responses from two communities. Neither the lists nor a record's pages
    may grow with them."""
    today = timezone.localdate()

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    school, *_others = [
        schools.add_school(
            supervisor, name=f"Budget Primary {i}", region=regions.jhb, joined_on=ago(400)
        )
        for i in range(n)
    ]
    for i in range(n):
        schools.record_session(
            supervisor,
            school,
            held_on=ago(i),
            topic=f"Session {i}",
            teachers_female=3,
            teachers_male=2,
            facilitators="Budget trainers",
        )
        case = schools.identify_case(
            supervisor, school, reference=f"BP-{i}", concern="child_labour", identified_on=ago(90)
        )
        schools.report_case(
            supervisor, case.pk, reported_on=ago(80), reported_to="partner", referred_to=partner
        )
        for j in range(n):
            schools.follow_up(supervisor, case.pk, followed_on=ago(70 - j), outcome="at_risk")
    unreported = schools.identify_case(
        supervisor, school, reference="BP-new", concern="trafficking", identified_on=ago(1)
    )
    team = [
        champions.add_champion(
            supervisor,
            name=f"Budget Champion {i}",
            kind="religious_leader",
            sex="male" if i % 2 else "female",
            region=regions.jhb,
            joined_on=ago(400),
        )
        for i in range(n)
    ]
    champion = team[0]
    for i in range(n):
        champions.record_training(
            supervisor,
            held_on=ago(100 + i),
            topic=f"Training {i}",
            region=regions.jhb,
            champions=team,
        )
        champions.record_activity(
            supervisor, champion.pk, held_on=ago(i), kind="dialogue", people_reached=10 + i
        )
    activities = [
        community.add_activity(
            supervisor,
            kind="dialogue",
            held_on=ago(1 + i),
            region=regions.jhb,
            topics=["girls_education", "social_norms"],
            champions=[c.pk for c in team],
            attendance={"female": {"18_35": 10 + i, "under_18": 3}, "male": {"18_35": 8}},
        )
        for i in range(n)
    ]
    instrument, *_others = [
        milestones.add_instrument(
            supervisor,
            title=f"Budget by-law {i}",
            kind="by_law",
            region=regions.jhb,
            drafted_on=ago(300),
        )
        for i in range(n)
    ]
    for stage, days in (("lobbied", 200), ("passed", 100)):
        instrument = milestones.advance(
            supervisor, instrument.pk, to=stage, reached_on=ago(days), version=instrument.version
        )
    survey, *others = [
        kap.define_survey(supervisor, {**SPEC, "code": f"budget-kap-{i}"}) for i in range(n)
    ]

    def give_round(of, kind: str, started: date, seed: int):
        """A round of 30 days from `started`, with n responses from each of two communities."""
        survey_round = kap.add_round(
            supervisor,
            of.pk,
            kind=kind,
            label=f"{kind} {started}",
            started_on=started,
            ended_on=started + timedelta(days=30),
        )
        kap.record_responses(
            supervisor,
            survey_round.pk,
            [
                {
                    "community": district.code,
                    "sex": "female" if j % 2 else "male",
                    "age_group": "18_35",
                    "collected_on": started + timedelta(days=j),
                    "answers": {"girls-school": 1 + (seed + j) % 4, "knows-116": j % 2},
                }
                for district in (regions.jhb, regions.tshwane)
                for j in range(n)
            ],
        )

    for i in range(n):  # hers: a baseline, then n - 1 follow-ups
        give_round(survey, "follow_up" if i else "baseline", ago(100 * (n - i)), i)
    for other in others:  # the others: a baseline and a follow-up each, in the last year
        give_round(other, "baseline", ago(200), 0)
        give_round(other, "follow_up", ago(100), 1)
    return {
        "school": school.pk,
        "school_case": case.pk,
        "unreported_case": unreported.pk,
        "champion": champion.pk,
        "activity": activities[0].pk,
        "instrument": instrument.pk,
        "survey": survey.pk,
    }


@pytest.fixture
def world(org_a, org_b, za_regions):
    cache.clear()
    worker = member(org_a, Role.CASE_WORKER, "budget_worker")
    supervisor = member(org_a, Role.SUPERVISOR, "budget_supervisor")
    coordinator = member(org_a, Role.NETWORK_COORDINATOR, "budget_coordinator")
    others = {
        role: member(org_a, getattr(Role, name), f"budget_{role}")
        for role, name in (
            ("me_officer", "ME_OFFICER"),
            ("field_worker", "FIELD_WORKER"),
            ("referral_source", "REFERRAL_SOURCE"),
        )
    }
    admin = member(org_a, Role.ADMIN, "budget_admin")
    for n in range(4):  # members in every state, some with a change awaiting approval
        invited = members.invite(actor(admin), username=f"budget_invited{n}", role=Role.CASE_WORKER)
        if n % 2:
            members.accept_invitation(
                invited.link.rstrip("/").rsplit("/", 1)[1], "plum orchard lantern 42"
            )
        member(org_a, Role.FIELD_WORKER, f"budget_field{n}")
    survivor = SurvivorFactory(organisation=org_a)
    makers = SurvivorFactory.create_batch(5, organisation=org_a)
    give_history(actor(worker), survivor, org_b, 4)
    for _ in range(4):  # her wellbeing measured four times
        measures.record_measure(
            actor(worker), survivor, "rosenberg", {str(n): 2 for n in range(1, 11)}
        )
    beneficiary = give_at_risk_history(actor(worker), 4)
    cohort = Cohort.objects.filter(programme__name="Budget course").first()
    give_provision(org_a, org_b, za_regions, 4)
    # The records of one kind whose pages the table measures, each with several children.
    records = {
        "own_organisation": org_a.slug,
        "export": give_exports(actor(supervisor), 4).pk,
        "region": give_gap_cell(actor(worker), za_regions, 4).pk,
        "duty_bearer": give_rated_duty_bearer(actor(worker), actor(coordinator), 4).pk,
        "product": give_product(actor(worker), makers[:3], 4).pk,
        **give_prevention_records(actor(supervisor), org_b, za_regions, 4),
    }
    return {
        "users": {
            "worker": worker,
            "supervisor": supervisor,
            "coordinator": coordinator,
            "admin": admin,
            **others,
        },
        "values": {
            "survivor": survivor.pk,
            "referral": Referral.objects.filter(survivor=survivor).first().pk,
            "organisation": org_b.slug,
            "beneficiary": beneficiary.pk,
            "programme": cohort.programme_id,
            "cohort": cohort.pk,
            "household": beneficiary.household_id,
            **records,
        },
        "org_b": org_b,
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    device = totp_device(user)
    assert client.post("/accounts/two-factor/", {"code": current_code(device)}).status_code == 302
    client.get("/bench/floor")  # the first request after sign-in fills the identity cache
    return client


def token_client(user) -> APIClient:
    client = APIClient()
    raw, _ = ApiToken.issue(user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def client_of(world, who: str):
    """A signed-out browser ("anonymous"), a web session of a role, or "api:" and a role's
    token."""
    if who == "anonymous":
        return Client()
    user = world["users"][who.removeprefix("api:")]
    return token_client(user) if who.startswith("api:") else signed_in(user)


def _cases():
    for path, who, budget in BUDGETS:
        yield pytest.param(path, who, budget, id=f"{who} {path}")


@pytest.mark.parametrize(("path", "who", "budget"), list(_cases()))
def test_query_budget(world, settings, path, who, budget, assert_queries):
    settings.AFTERCARE_BENCH_FLOOR = True
    values = dict(world["values"])
    if path.startswith("/api/"):
        values["organisation"] = world["org_b"].pk
    url = path.format(**values)
    client = client_of(world, who)
    client.get(url)  # warm: caches that any request fills
    with assert_queries(budget) as captured:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        print(f"BUDGET {len(captured):3d} {who} {path}")
        if os.environ.get("SHOW_SQL"):
            print("\n".join("   " + q["sql"][:400] for q in captured))
    # A read writes at most its audit event: one INSERT, its own single transaction (no session
    # UPDATE and COMMIT any more, no other write).
    writes = [
        q["sql"]
        for q in captured
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert len(writes) <= 1 and all('"audit_auditevent"' in sql for sql in writes), writes
