"""Demo risk histories and wellbeing results, so the demo's case pages show charts.

Idempotent: each case-holding organisation gets histories for up to `PER_ORGANISATION` of its
open cases, and only cases with no assessment yet are given one. Histories are seeded by case
code, so loading twice on a fresh database gives the same figures.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from aftercare.accounts.models import Membership
from aftercare.accounts.roles import Role
from aftercare.cases.models import CaseStatus, Survivor
from aftercare.risk.measures import active_measures, save_measurement
from aftercare.risk.models import Answer, FactorKind
from aftercare.risk.services import active_instrument, flag_overdue_follow_ups, save_assessment

PER_ORGANISATION = 12


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(11, 0)))


def _answers(factors, rng: random.Random, recovery: float, contact: bool) -> dict[str, str]:
    """Risk factors fade and protective ones grow as `recovery` goes from 0 to 1."""
    answers = {}
    for factor in factors:
        if factor.code == "trafficker_contact":
            answers[factor.code] = Answer.PRESENT if contact else Answer.ABSENT
            continue
        chance = (
            (0.55 - 0.4 * recovery) if factor.kind == FactorKind.RISK else (0.1 + 0.6 * recovery)
        )
        roll = rng.random()
        answers[factor.code] = (
            Answer.PRESENT
            if roll < chance * 0.7
            else Answer.PARTLY
            if roll < chance
            else Answer.ABSENT
        )
    return answers


def _measure_answers(measure, rng: random.Random, recovery: float) -> dict[str, int]:
    low, high = measure.scale_min, measure.scale_max
    answers = {}
    for item in measure.items.all():
        value = round(low + (high - low) * min(1, max(0, recovery + rng.uniform(-0.25, 0.25))))
        answers[str(item.number)] = (low + high - value) if item.reversed else value
    return answers


def _history(survivor: Survivor, instrument, measures, by, today: date) -> None:
    rng = random.Random(f"risk-demo:{survivor.case_code}")
    factors = list(instrument.factors.all())
    visits = rng.randint(2, 5)
    day = today - timedelta(days=rng.randint(0, 100) + 45 * (visits - 1))
    recovery = rng.uniform(0.1, 0.4)
    setback_at = rng.randrange(visits) if rng.random() < 0.15 else -1
    for visit in range(visits):
        contact = visit == setback_at
        save_assessment(
            survivor, instrument, _answers(factors, rng, recovery, contact), by=by, at=_at(day)
        )
        for measure in measures:
            if measure.code == "rosenberg" or rng.random() < 0.6:
                save_measurement(
                    survivor, measure, _measure_answers(measure, rng, recovery), by=by, at=_at(day)
                )
        recovery = min(1.0, recovery + rng.uniform(0.05, 0.25) - (0.3 if contact else 0))
        day = min(today, day + timedelta(days=rng.randint(30, 60)))


@transaction.atomic
def load(organisations, *, today: date | None = None) -> dict:
    """Give demo cases of these organisations risk histories; returns counts of what was added."""
    today = today or timezone.localdate()
    instrument = active_instrument()
    measures = active_measures()
    assessed = 0
    for organisation in organisations:
        cases = Survivor.objects.filter(organisation=organisation).exclude(status=CaseStatus.CLOSED)
        have = cases.filter(current_risk__isnull=False).count()
        worker = (
            Membership.objects.filter(organisation=organisation, role=Role.CASE_WORKER)
            .select_related("user")
            .first()
        )
        for survivor in cases.filter(current_risk__isnull=True).order_by("case_code")[
            : max(0, PER_ORGANISATION - have)
        ]:
            _history(survivor, instrument, measures, worker.user if worker else None, today)
            assessed += 1
    return {"assessed": assessed, "overdue_flagged": flag_overdue_follow_ups(today=today)}
