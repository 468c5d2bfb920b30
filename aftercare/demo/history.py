"""Case history for the demo network: consents, needs, goals, services, notes and
referrals in every state, so each page has something true-to-life to show.

Runs once: cases that already have a needs assessment are left alone.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from aftercare.accounts.models import Membership, Organisation, User
from aftercare.accounts.roles import Role
from aftercare.cases import care
from aftercare.cases.models import NeedLevel, NeedsAssessment, PlanReview, Survivor
from aftercare.core.policy import Actor
from aftercare.network.models import OrganisationService
from aftercare.referrals import services as referrals
from aftercare.referrals.models import Referral

GOALS = {
    "employment": [
        "I want a job where I am paid every month",
        "Sell the bags I sew at the Saturday market",
    ],
    "education": ["Finish grade 10 and write the exams", "Learn to read and write in English"],
    "housing": ["A room of my own, near my sister", "Move out of the shelter before winter"],
    "mental_health": ["Sleep through the night without nightmares", "Talk to someone every week"],
    "family_reintegration": [
        "Visit my mother and tell her what happened",
        "Go home to my village for the festival",
    ],
    "vocational_training": ["Finish the tailoring course", "Become a goldsmith like my friend"],
    "financial": [
        "Save enough for my daughter's school fees",
        "Open a bank account in my own name",
    ],
    "legal": ["See the man who sold me in court", "Get my passport back"],
}
# Written about the survivor in the third person: {she}, {her} (object) and {hers} (possessive)
# follow the gender recorded for her (pronouns()), so a man's case never reads "she".
NOTES = [
    "Met at the drop-in centre. {She} asked about the sewing course.",
    "Called to confirm the clinic appointment; {she} will go with a peer supporter.",
    "{She} said a man {she} did not know asked for {her} at the gate. Security informed.",
    "Attended the job-readiness workshop and led the group discussion.",
]
DECLINE_REASONS = ["No beds free until next month", "We do not serve this age group"]
OUTCOMES = ["Placed in the tailoring cohort; attending", "Medical check done, follow-up booked"]


def pronouns(survivor: Survivor) -> dict[str, str]:
    """The words for the survivor in staff's notes, by her recorded gender ("they" when it is
    not recorded or is neither woman nor man)."""
    words = {"woman": ("she", "her", "her"), "man": ("he", "him", "his")}.get(
        survivor.gender, ("they", "them", "their")
    )
    she, her, hers = words
    return {
        "she": she,
        "She": she.capitalize(),
        "her": her,
        "hers": hers,
        "Hers": hers.capitalize(),
    }


def about(survivor: Survivor, text: str) -> str:
    return text.format(**pronouns(survivor))


def opened_on(survivor: Survivor):
    """The day her case was opened: nothing is recorded for her before it."""
    return timezone.localtime(survivor.created_at).date()


def since_opening(rng: random.Random, survivor: Survivor, most_days: int):
    """A day in the last `most_days`, not before her case was opened."""
    today = timezone.localdate()
    earliest = max(today - timedelta(days=most_days), opened_on(survivor))
    return earliest + timedelta(days=rng.randint(0, max(0, (today - earliest).days)))


def staff_of(organisation: Organisation) -> Actor:
    """A case worker of the organisation; organisations without a demo login get a staff
    member who cannot sign in (unusable password), so their side of a referral can move."""
    membership = (
        Membership.objects.filter(
            organisation=organisation, role__in=[Role.CASE_WORKER, Role.SUPERVISOR]
        )
        .select_related("user")
        .first()
    )
    if membership is None:
        user, created = User.objects.get_or_create(username=f"staff.{organisation.slug}"[:150])
        if created:
            user.set_unusable_password()
            user.save()
        membership, _ = Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": Role.CASE_WORKER}
        )
    return Actor(user=membership.user, organisation=organisation, role=Role(membership.role))


def providers_by_domain() -> dict[str, list[Organisation]]:
    return {
        domain: list(Organisation.objects.filter(services__domain=domain).distinct())
        for domain in OrganisationService.objects.values_list("domain", flat=True).distinct()
    }


def load(seed: int = 7, per_organisation: int = 24) -> int:
    """Give up to `per_organisation` open cases of each staffed organisation a history."""
    rng = random.Random(seed)
    touched = 0
    providers = providers_by_domain()
    for organisation in Organisation.objects.filter(survivors__isnull=False).distinct():
        actor = staff_of(organisation)
        cases = (
            Survivor.objects.filter(
                organisation=organisation,
                status__in=["active", "stable", "intake"],
                anonymised_at__isnull=True,
            )
            .exclude(pk__in=NeedsAssessment.objects.values("survivor_id"))
            .order_by("case_code")[:per_organisation]
        )
        for survivor in cases:
            give_history(rng, actor, survivor, providers)
            touched += 1
    return touched


def give_history(rng: random.Random, actor: Actor, survivor: Survivor, providers: dict) -> None:
    if survivor.is_minor:
        survivor.guardian_name = survivor.guardian_name or "Guardian of " + survivor.case_code
        Survivor.objects.filter(pk=survivor.pk).update(guardian_name=survivor.guardian_name)
    given_by = "guardian" if survivor.is_minor else "survivor"
    for purpose in ("service_delivery", "referral", "anonymised_reporting"):
        care.record_consent(
            actor, survivor, purpose=purpose, granted=True, method="written", given_by=given_by
        )
    domains = rng.sample(sorted(GOALS), 4)
    levels = [NeedLevel.URGENT, NeedLevel.HIGH, NeedLevel.MEDIUM, NeedLevel.LOW]
    care.assess_needs(actor, survivor, dict(zip(domains, levels, strict=True)))
    for domain in domains[:2]:
        care.add_goal(
            actor,
            survivor,
            {
                "domain": domain,
                "description": rng.choice(GOALS[domain]),
                "status": rng.choice(["not_started", "in_progress", "achieved"]),
                "target_date": timezone.localdate() + timedelta(days=rng.randint(20, 200)),
                "responsible_organisation": actor.organisation,
            },
        )
    offered = sorted(
        set(actor.organisation.services.values_list("domain", flat=True)) - set(domains)
    )
    for _ in range(rng.randint(1, 4)):
        # Its own services, in her needs' domains and now and then in another it offers (food
        # and hygiene kits, outings, mentoring); partners' are recorded once they accept a referral.
        domain = rng.choice(offered) if offered and rng.random() < 0.35 else rng.choice(domains)
        care.record_service(
            actor,
            survivor,
            {
                "domain": domain,
                "organisation": actor.organisation,
                "date": since_opening(rng, survivor, 300),
            },
        )
    care.write_note(actor, survivor, text=about(survivor, rng.choice(NOTES)), sensitivity="general")
    if rng.random() < 0.6:
        _referral(rng, actor, survivor, domains, providers)


def _referral(rng, actor: Actor, survivor: Survivor, domains: list[str], providers: dict) -> None:
    domain = domains[0] if rng.random() < 0.5 else domains[1]
    others = [o for o in providers.get(domain, []) if o.pk != actor.organisation_id]
    nearby = [o for o in others if o.country == actor.organisation.country]
    options = nearby or others
    if not options:
        return
    to = rng.choice(options)
    referral = referrals.refer_survivor(
        actor,
        survivor,
        to,
        [domain],
        about(survivor, "{She} asked for help with ") + f"{domain.replace('_', ' ')}.",
    )
    receiver = staff_of(to)
    fate = rng.random()
    if fate < 0.3:
        return  # stays `sent`, waiting for an answer
    sent = referral.created_at - timedelta(days=rng.randint(1, 90))
    answered = sent + timedelta(hours=rng.randint(2, 60))
    Referral.objects.filter(pk=referral.pk).update(created_at=sent)
    if fate < 0.45:
        referrals.transition(receiver, referral.pk, "decline", text=rng.choice(DECLINE_REASONS))
    else:
        referrals.transition(receiver, referral.pk, "accept")
        care.record_service(
            receiver,
            survivor,
            {
                "domain": domain,
                "organisation": to,
                "date": since_opening(rng, survivor, 60),
            },
        )
        if fate < 0.7:
            referrals.transition(receiver, referral.pk, "start")
        elif fate < 0.95:
            referrals.transition(receiver, referral.pk, "complete", text=rng.choice(OUTCOMES))
        else:
            referrals.transition(
                actor, referral.pk, "cancel", text=about(survivor, "{She} moved away")
            )
    # Answered within hours or days of being sent, as the history of a real network would be.
    updated = Referral.objects.get(pk=referral.pk)
    Referral.objects.filter(pk=referral.pk).update(
        accepted_at=answered if updated.accepted_at else None,
        closed_at=(answered + timedelta(days=rng.randint(3, 40))) if updated.closed_at else None,
    )
    referrals.refresh_stats(to)


REVIEW_OUTCOMES = [  # with {she}/{her}/{hers}, as NOTES
    "Goals kept; {she} would like to add a goal about {hers} daughter's school",
    "One goal achieved; the next step agreed with {her}",
    "Target dates moved at {hers} request",
]


def review_plans(seed: int = 11, share: float = 0.65) -> int:
    """Plan reviews in the last quarter for most open cases with a plan, with the survivor
    taking part in most: the care-plan indicator has something to count. Once only."""
    today = timezone.localdate()
    if PlanReview.objects.filter(reviewed_on__gte=today - timedelta(days=80)).exists():
        return 0
    rng = random.Random(seed)
    reviewed = 0
    for organisation in Organisation.objects.filter(survivors__goals__isnull=False).distinct():
        actor = staff_of(organisation)
        cases = (
            Survivor.objects.filter(
                organisation=organisation,
                status__in=["active", "stable", "intake"],
                goals__isnull=False,
                anonymised_at__isnull=True,
            )
            .distinct()
            .order_by("case_code")
        )
        for survivor in cases:
            if rng.random() < share:
                care.review_plan(
                    actor,
                    survivor,
                    reviewed_on=since_opening(rng, survivor, 80),
                    outcome=about(survivor, rng.choice(REVIEW_OUTCOMES)),
                    survivor_took_part=rng.random() < 0.85,
                )
                reviewed += 1
    return reviewed
