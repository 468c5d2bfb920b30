"""Demo mentoring and survivor leadership: mentors in four organisations (staff, volunteers and
survivors further along), matches with sessions over the past months, and survivors who have
become peer supporters, trainers or members of a survivors' council (most agreeing to be
counted). Invented names; idempotent (nothing is added once a mentor exists)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from aftercare.accounts.models import Organisation
from aftercare.cases.models import CaseStatus, Survivor
from aftercare.demo.history import staff_of
from aftercare.mentoring import services
from aftercare.mentoring.models import LeadershipKind, Mentor, SessionTopic

MENTORS = {
    "hope-for-women-sa": [("peer", "Palesa M."), ("volunteer", "Ruth K."), ("staff", "Busi N.")],
    "red-light-durban": [("peer", "Thando Z."), ("staff", "Lwazi D.")],
    "sanjog-kolkata": [("peer", "Rupa D."), ("staff", "Moumita S.")],
    "bbss-south-24-parganas": [("peer", "Anjali M."), ("peer", "Salma B.")],
    "tdh-kenya-coast": [("volunteer", "Achieng O."), ("staff", "Baraka K.")],
}
FOCUS = [
    "Prepare for job interviews",
    "Plan the money from the tailoring job",
    "Settle back with the family",
    "Finish the school year",
    "Start a small stall at the market",
]


@transaction.atomic
def load(
    organisations: dict[str, Organisation], *, today: date | None = None, seed: int = 23
) -> dict:
    if Mentor.objects.exists():
        return {"matches": 0, "leaders": 0}
    rng = random.Random(seed)
    today = today or timezone.localdate()
    matches = leaders = 0
    for slug, people in MENTORS.items():
        organisation = organisations.get(slug)
        if organisation is None:
            continue
        actor = staff_of(organisation)
        mentors = [
            services.add_mentor(actor, {"kind": kind, "name": name}) for kind, name in people
        ]
        cases = Survivor.objects.filter(
            organisation=organisation,
            status__in=[CaseStatus.ACTIVE, CaseStatus.STABLE],
            anonymised_at__isnull=True,
        ).order_by("case_code")
        for survivor in cases[:30]:
            if rng.random() < 0.35:
                start = today - timedelta(days=rng.randint(30, 300))
                match = services.match_mentor(
                    actor,
                    survivor,
                    {"mentor": rng.choice(mentors).pk, "start": start, "focus": rng.choice(FOCUS)},
                )
                for _ in range(rng.randint(1, 6)):
                    held = start + timedelta(days=rng.randint(0, (today - start).days))
                    services.record_session(
                        actor,
                        survivor,
                        match.pk,
                        {
                            "held_on": held,
                            "topic": rng.choice(SessionTopic.values),
                            "minutes": rng.choice([30, 45, 60, 90]),
                        },
                    )
                matches += 1
            if survivor.status == CaseStatus.STABLE and rng.random() < 0.3:
                services.add_role(
                    actor,
                    survivor,
                    {
                        "kind": rng.choice(LeadershipKind.values),
                        "start": today - timedelta(days=rng.randint(10, 400)),
                        "organisation": organisation,
                        "counted": rng.random() < 0.8,
                    },
                )
                leaders += 1
    return {"matches": matches, "leaders": leaders}
