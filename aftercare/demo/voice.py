"""Survivor voice in the demo network: duty bearers, a year of ratings (some groups large
enough to publish, some not), and survivor.amara's portal account on a Hope for Women case.

Idempotent: duty bearers are matched by name, ratings are added only once, and the portal
account is made only if survivor.amara has none.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aftercare.accounts.models import Organisation, User
from aftercare.accounts.roles import Role
from aftercare.cases import care
from aftercare.cases.models import NeedsAssessment, Survivor
from aftercare.core.policy import Actor
from aftercare.network.models import Region
from aftercare.voice import integrity, ratings
from aftercare.voice.models import (
    DIMENSIONS,
    CommentStatus,
    DutyBearer,
    FeedbackCode,
    Rating,
    SurvivorAccount,
)
from aftercare.voice.screening import screen

DEMO_SURVIVOR = "survivor.amara"
DEMO_PIN = "246810"

# (name, kind, organisation slug or None, region code, registered by)
DUTY_BEARERS = [
    (
        "Sister N. Dlamini, ward nurse",
        "health_worker",
        "chris-hani-clinic",
        "za-gp-johannesburg",
        "hope-for-women-sa",
    ),
    (
        "Constable M. Khumalo, trafficking desk",
        "police",
        "saps-gauteng-trafficking",
        "za-gp-johannesburg",
        "hope-for-women-sa",
    ),
    (
        "Ms P. Naidoo, social worker",
        "social_worker",
        "hope-for-women-sa",
        "za-gp-johannesburg",
        "hope-for-women-sa",
    ),
    (
        "Bliss and Bloom workshop supervisor",
        "employer",
        "bliss-and-bloom",
        "za-gp-johannesburg",
        "hope-for-women-sa",
    ),
    (
        "Panchayat member, Ghatakpukur ward",
        "panchayat_member",
        None,
        "in-wb-south-24-parganas",
        "bbss-south-24-parganas",
    ),
    (
        "Block Development Officer, Canning-I",
        "block_development_officer",
        None,
        "in-wb-south-24-parganas",
        "bbss-south-24-parganas",
    ),
    (
        "Advocate R. Banerjee, legal aid",
        "lawyer",
        "sanjog-kolkata",
        "in-wb-kolkata",
        "sanjog-kolkata",
    ),
    (
        "Head teacher, Malindi Girls' Secondary",
        "teacher",
        "malindi-girls-school",
        "ke-kilifi-malindi",
        "tdh-kenya-coast",
    ),
    (
        "Coast General Hospital, outpatients",
        "hospital",
        "coast-general-hospital",
        "ke-mombasa-mvita",
        "tdh-kenya-coast",
    ),
]

# Subject (organisation slug or duty-bearer name), number of ratings, typical score, domain.
# Groups of five or more are published; the smaller ones are withheld on purpose.
RATINGS = [
    ("hope-for-women-sa", 14, 4.4, "mental_health"),
    ("chris-hani-clinic", 9, 3.6, "medical"),
    ("sanjog-kolkata", 11, 4.2, "family_reintegration"),
    ("gauteng-safe-house", 7, 3.1, "housing"),
    ("saps-gauteng-trafficking", 6, 2.6, "legal"),
    ("coast-general-hospital", 3, 3.5, "medical"),
    ("Sister N. Dlamini, ward nurse", 8, 4.6, "medical"),
    ("Block Development Officer, Canning-I", 7, 2.4, "documentation"),
    ("Advocate R. Banerjee, legal aid", 5, 4.0, "legal"),
    ("Constable M. Khumalo, trafficking desk", 3, 2.0, "legal"),
    ("Panchayat member, Ghatakpukur ward", 4, 3.0, "family_reintegration"),
]
COMMENTS = [
    ("She explained every step before the hearing. I was not afraid.", CommentStatus.APPROVED),
    ("They listened to me and did not judge me.", CommentStatus.APPROVED),
    ("I waited three weeks for the papers.", CommentStatus.APPROVED),
    ("Please call me on 082 555 0199, the officer shouted at me.", CommentStatus.PENDING),
    ("Ask for Thandeka at the front desk, she helped me a lot.", CommentStatus.PENDING),
]


def _completed_quarter_months(today: date, quarters: int = 4) -> list[date]:
    """The first day of each month in the `quarters` completed quarters before today's."""
    start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    months = []
    month = start
    for _ in range(quarters * 3):
        month = (month - timedelta(days=1)).replace(day=1)
        months.append(month)
    return months


def load_duty_bearers(organisations: dict[str, Organisation]) -> dict[str, DutyBearer]:
    regions = {r.code: r for r in Region.objects.filter(code__in=[d[3] for d in DUTY_BEARERS])}
    bearers = {}
    for name, kind, org_slug, region_code, registered_by in DUTY_BEARERS:
        bearers[name], _ = DutyBearer.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "organisation": organisations.get(org_slug) if org_slug else None,
                "region": regions.get(region_code),
                "registered_by": organisations[registered_by],
            },
        )
    return bearers


def load_ratings(
    organisations: dict[str, Organisation], bearers: dict[str, DutyBearer], seed: int = 5
) -> int:
    if Rating.objects.exists():
        return 0
    rng = random.Random(seed)
    months = _completed_quarter_months(timezone.localdate())
    rows = []
    for subject, count, typical, domain in RATINGS:
        target = (
            {"organisation": organisations[subject]}
            if subject in organisations
            else {"duty_bearer": bearers[subject]}
        )
        for _ in range(count):
            scores = {d: min(5, max(1, round(rng.gauss(typical, 0.8)))) for d in DIMENSIONS}
            comment, status = ("", CommentStatus.NONE)
            if rng.random() < 0.25:
                comment, status = rng.choice(COMMENTS)
            quote = (
                screen(
                    comment, allowed=[str(target.get("organisation") or target.get("duty_bearer"))]
                ).text
                if comment
                else ""
            )
            rows.append(
                Rating(
                    **target,
                    domain=domain,
                    channel=rng.choice(["portal", "code", "sms"]),
                    period=rng.choice(months),
                    comment=comment,
                    comment_status=status,
                    quote=quote,
                    comment_flags=screen(comment).flags if comment else [],
                    **scores,
                )
            )
    Rating.objects.bulk_create(rows)
    return len(rows)


def link_demo_survivor(organisation: Organisation) -> SurvivorAccount | None:
    """survivor.amara's own case: an open adult case of Hope for Women SA with a history."""
    user = User.objects.filter(username=DEMO_SURVIVOR).first()
    if user is None:
        return None
    existing = SurvivorAccount.objects.filter(user=user).first()
    if existing is not None:
        return existing
    survivor = (
        Survivor.objects.filter(
            organisation=organisation,
            status__in=["active", "stable"],
            anonymised_at__isnull=True,
            portal_account__isnull=True,
            pk__in=NeedsAssessment.objects.values("survivor_id"),
            year_of_birth__lte=timezone.localdate().year - 18,
        )
        .order_by("case_code")
        .first()
    )
    if survivor is None:
        return None
    account = SurvivorAccount(user=user, survivor=survivor)
    account.set_pin(DEMO_PIN)
    account.save()
    actor = Actor(user=user, organisation=organisation, role=Role.SURVIVOR)
    if survivor.goals.count() < 2:
        care.add_goal(
            actor,
            survivor,
            {"domain": "employment", "description": "I want a job where I am paid every month"},
            by_survivor=True,
        )
    care.add_goal(
        actor,
        survivor,
        {
            "domain": "vocational_training",
            "description": "Finish the sewing course and sell my bags at the Saturday market",
        },
        by_survivor=True,
    )
    return account


# Six survivors of Gauteng Safe House "rate" it through its own codes within two days of this
# quarter: the pattern the coordinator's moderation queue is there to catch (two flags: a burst
# of one organisation's codes, and a subject rated only through its own codes).
FLAGGED_SUBJECT = "gauteng-safe-house"
FLAGGED_COUNT = 6
DEMO_CASE_WORKER = "cw.thandi"
# A code for trying a rating by SMS: DEMO01, DEMO02, ... (a new one once the last was used).
DEMO_CODE_PREFIX = "DEMO"


def _case_worker(organisation: Organisation) -> Actor | None:
    user = User.objects.filter(username=DEMO_CASE_WORKER).first()
    return Actor(user=user, organisation=organisation, role=Role.CASE_WORKER) if user else None


def load_flagged_ratings(organisations: dict[str, Organisation]) -> int:
    shelter = organisations.get(FLAGGED_SUBJECT)
    worker = _case_worker(shelter) if shelter else None
    if worker is None or FeedbackCode.objects.filter(issued_by_organisation=shelter).exists():
        return 0
    survivors = Survivor.objects.filter(organisation=shelter, anonymised_at__isnull=True).order_by(
        "case_code"
    )[:FLAGGED_COUNT]
    today = timezone.localdate()
    for i, survivor in enumerate(survivors):
        service = care.record_service(
            worker, survivor, {"domain": "housing", "organisation": shelter, "date": today}
        )
        raw, code = ratings.issue_code(worker, service, shelter.pk, language="en")
        ratings.rate_with_code(raw, dict.fromkeys(DIMENSIONS, 5))
        FeedbackCode.objects.filter(pk=code.pk).update(
            used_on=max(today.replace(day=1), today - timedelta(days=i % 2))
        )
    integrity.scan(today)
    return len(survivors)


def demo_sms_code(account: SurvivorAccount | None) -> str:
    """An unused code for survivor.amara's newest Hope for Women service, to try a rating by SMS."""
    if account is None:
        return ""
    survivor = account.survivor
    hope = survivor.organisation
    worker = _case_worker(hope)
    if worker is None:
        return ""
    n = 1
    while True:
        raw = f"{DEMO_CODE_PREFIX}{n:02d}"
        code = FeedbackCode.objects.filter(code_hash=ratings.code_hash(raw)).first()
        if code is None:
            break
        if code.is_usable:
            return raw
        n += 1
    service = (
        survivor.services.filter(organisation=hope)
        .exclude(
            pk__in=FeedbackCode.objects.filter(service__survivor=survivor).values("service_id")
        )
        .order_by("-date")
        .first()
    )
    if service is None or ratings.already_rated(
        survivor, service, ratings.Subject(organisation=hope)
    ):
        service = care.record_service(
            worker,
            survivor,
            {
                "domain": "mental_health",
                "organisation": hope,
                "date": timezone.localdate(),
                "notes": "Counselling session",
            },
        )
    FeedbackCode.objects.create(
        code_hash=ratings.code_hash(raw),
        service=service,
        organisation=hope,
        domain=service.domain,
        language="en",
        issued_by=worker.user,
        issued_by_organisation=hope,
        expires_at=timezone.now() + timedelta(days=settings.AFTERCARE_FEEDBACK_CODE_DAYS),
    )
    return raw


@transaction.atomic
def load(organisations: dict[str, Organisation]) -> dict:
    bearers = load_duty_bearers(organisations)
    added = load_ratings(organisations, bearers)
    account = link_demo_survivor(organisations["hope-for-women-sa"])
    flagged = load_flagged_ratings(organisations)
    return {
        "duty_bearers": len(bearers),
        "ratings_added": added,
        "portal": account.survivor.case_code if account else None,
        "flagged_ratings": flagged,
        "sms_code": demo_sms_code(account),
    }
