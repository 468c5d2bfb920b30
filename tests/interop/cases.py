"""Generated cases that between them take every value of every picklist the HTCDS mapping maps."""

from __future__ import annotations

import datetime

from django.utils import timezone

from aftercare.cases.models import (
    CaseStatus,
    ClosureReason,
    ConsentPurpose,
    ExploitationType,
    Gender,
    GivenBy,
    GoalStatus,
    IdentifiedBy,
    MeansOfControl,
    RecruiterRelation,
    Survivor,
    TraffickingEvent,
    TraffickingEventType,
)
from aftercare.cases.services import PROFILE_FIELDS
from aftercare.network.taxonomy import ServiceDomain
from tests.factories import ConsentFactory, GoalFactory, RegionFactory, SurvivorFactory

COUNTRIES = ["KE", "IN", "ZA", "UG", "NP", "GH", "AE"]
# A case closed as a duplicate is never exported (it was merged into the case kept): not generated.
REASONS = [reason for reason in ClosureReason.values if reason != ClosureReason.DUPLICATE]
CASES = len(CaseStatus.values) * len(REASONS)  # every status, and every reason for closing


def pick(values, i):
    return values[i % len(values)]


def generate(organisation, count: int = CASES) -> list[Survivor]:
    region = RegionFactory(code="napak", name="Napak", country="UG")
    this_year = timezone.now().year
    survivors = []
    for i in range(count):
        status = pick(CaseStatus.values, i)
        minor = i == 5
        year = this_year - 15 if minor else 1970 + i
        survivor = SurvivorFactory(
            organisation=organisation,
            given_name=f"Case{i:02d}",
            family_name=f"Generated{i:02d}",
            phone=f"+25470000{i:04d}" if i % 3 else "",
            address=f"{i} Example Road, Mombasa" if i % 2 else "",
            date_of_birth=datetime.date(year, 1 + i % 12, 1 + i % 28) if i % 4 == 1 else None,
            id_number=f"ID{i:05d}" if i % 5 == 0 else "",
            year_of_birth=year,
            gender=pick(Gender.values, i),
            nationality=pick(COUNTRIES, i),
            region=region if i % 3 == 0 else None,
            exploitation_types=sorted(
                {pick(ExploitationType.values, i), pick(ExploitationType.values, i + 3)}
            ),
            means_of_control=sorted(
                {pick(MeansOfControl.values, i), pick(MeansOfControl.values, i + 5)}
            )
            if i % 6
            else [],
            country_of_exploitation=pick(COUNTRIES, i + 2) if i % 7 else "",
            identified_by=pick(["", *IdentifiedBy.values], i),
            recruiter_relation=pick(["", *RecruiterRelation.values], i),
            languages=["sw", "en"] if i % 2 else [],
            guardian_name="Guardian Example" if minor else "",
            guardian_phone="+254711000000" if minor else "",
            guardian_relation="aunt" if minor else "",
            status=status,
            closure_reason=pick(REASONS, i // len(CaseStatus.values))
            if status == CaseStatus.CLOSED
            else "",
        )
        given_by = GivenBy.GUARDIAN if minor else GivenBy.SURVIVOR
        decisions = {
            ConsentPurpose.SERVICE_DELIVERY: True,
            ConsentPurpose.REFERRAL: True,
            ConsentPurpose.ANONYMISED_REPORTING: pick([True, False, None], i),
            ConsentPurpose.CONTACT: pick([None, True, False], i),
        }
        for purpose, granted in decisions.items():
            if granted is not None:
                ConsentFactory(
                    survivor=survivor,
                    purpose=purpose,
                    granted=granted,
                    method="verbal",
                    given_by=given_by,
                )
        for j in range(2):
            GoalFactory(
                survivor=survivor,
                domain=pick(ServiceDomain.values, 2 * i + j),
                description=f"Goal {j} of case {i}",
                actions="Weekly visits" if j else "",
                status=pick(GoalStatus.values, i + j),
                target_date=datetime.date(2027, 1 + j, 1 + i % 28) if (i + j) % 2 else None,
            )
        for j in range(i % 3 + 1):
            TraffickingEvent.objects.create(
                survivor=survivor,
                kind=pick(TraffickingEventType.values, i + j),
                date=datetime.date(2020, 1 + j, 1 + i % 28) if j else None,
                country=pick(COUNTRIES, i + j),
                place=f"Town {i}-{j}" if (i + j) % 2 else "",
                description=f"Event {j} of case {i}" if j % 2 == 0 else "",
            )
        survivors.append(survivor)
    return survivors


def snapshot(survivor: Survivor) -> dict:
    """Everything of a case the HTCDS mapping carries both ways."""
    survivor.refresh_from_db()
    profile = {name: getattr(survivor, name) for name in PROFILE_FIELDS}
    profile["region"] = survivor.region.code if survivor.region else None
    consents = {}
    for consent in survivor.consents.order_by("-recorded_at", "-id"):
        consents.setdefault(consent.purpose, consent.granted)
    return {
        "profile": profile,
        "status": survivor.status,
        "closure_reason": survivor.closure_reason,
        "consents": consents,
        "goals": sorted(
            (g.domain, g.description, g.actions, g.target_date, g.status)
            for g in survivor.goals.all()
        ),
        "events": sorted(
            (e.kind, e.date or datetime.date.min, e.country, e.place, e.description)
            for e in survivor.trafficking_events.all()
        ),
    }
