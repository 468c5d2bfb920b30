"""Job placement: partner employers, placements with their fair-wage check, retention follow-ups.

A placement is checked against the region's wage standards when it is recorded and whenever
its pay changes. A flagged wage is saved (the job exists) but shown as flagged everywhere,
and the organisation's supervisors are told. Retention follow-ups at 1, 3, 6 and 12 months
are rows made with the placement; `open_due_follow_ups` tells case staff when one falls due.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, require
from aftercare.accounts.roles import Role
from aftercare.accounts.services import notify_members
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.models import Survivor
from aftercare.core.errors import DomainError, StaleVersion, TransitionNotAllowed
from aftercare.core.ids import get_by_id
from aftercare.core.notices import Notice, choice
from aftercare.core.tasks import enqueue
from aftercare.livelihoods import access, fair_wage
from aftercare.livelihoods.models import (
    RETENTION_MONTHS,
    FairWage,
    LeftReason,
    PartnerEmployer,
    Placement,
    RetentionFollowUp,
    RetentionOutcome,
)
from aftercare.livelihoods.money import clean_amount
from aftercare.livelihoods.months import add_months

CASE_STAFF = (Role.CASE_WORKER, Role.SUPERVISOR)
WAGE_FIELDS = (
    "wage_amount",
    "currency",
    "pay_period",
    "hours_per_week",
    "days_per_week",
    "region",
    "start_date",
)
EDITABLE = ("role", "end_date", "end_reason", *WAGE_FIELDS)


def case_link(survivor: Survivor) -> str:
    return reverse("cases:detail", args=[survivor.pk]) + "#livelihood"


# Partner employers ------------------------------------------------------------------------------


def employers(actor: Actor):
    """The network's partner employers: every member of a case team may choose among them."""
    require(actor, Action.VIEW_LIVELIHOODS)
    return PartnerEmployer.objects.filter(is_active=True).select_related("region", "organisation")


@transaction.atomic
def add_employer(
    actor: Actor, *, name: str, sector: str = "", region=None, organisation=None
) -> PartnerEmployer:
    require(actor, Action.RECORD_LIVELIHOOD)
    name = name.strip()
    if not name:
        raise DomainError(_("Name the employer."), field="name")
    if PartnerEmployer.objects.filter(name__iexact=name, region=region).exists():
        raise DomainError(_("This employer is already a partner."), field="name")
    employer = PartnerEmployer.objects.create(
        name=name,
        sector=sector.strip(),
        region=region,
        organisation=organisation,
        added_by_organisation=actor.organisation,
    )
    record(actor, AuditAction.CREATE, employer, fields=["name", "sector", "region"])
    return employer


# Placements ---------------------------------------------------------------------------------------


def placements_of(survivor: Survivor):
    return survivor.placements.select_related("employer", "region").prefetch_related("follow_ups")


def get_placement(survivor: Survivor, placement_id) -> Placement:
    return get_by_id(placements_of(survivor), placement_id, "No such placement")


def _check(placement: Placement) -> None:
    result = fair_wage.check(
        placement.region,
        amount=placement.wage_amount,
        currency=placement.currency,
        period=placement.pay_period,
        hours_per_week=placement.hours_per_week,
        days_per_week=placement.days_per_week,
        on=placement.start_date,
    )
    placement.fair_wage = result.status
    placement.fair_wage_detail = result.as_detail()


def _validate(values: Mapping[str, Any]) -> None:
    values["wage_amount"] = clean_amount(
        values["wage_amount"], values["currency"], field="wage_amount"
    )
    end = values.get("end_date")
    if end and end < values["start_date"]:
        raise DomainError(_("The job cannot end before it starts."), field="end_date")
    if Decimal(values["hours_per_week"]) > 24 * Decimal(values.get("days_per_week") or 7):
        raise DomainError(
            _("More hours a week than the days worked allow."), field="hours_per_week"
        )


def _tell_supervisors_if_flagged(actor: Actor, placement: Placement) -> None:
    if placement.flagged:
        notify_members(
            placement.organisation,
            [Role.SUPERVISOR],
            Notice(
                "livelihoods.fair_wage_flag",
                {
                    "code": placement.survivor.case_code,
                    "status": choice(FairWage, placement.fair_wage),
                    "role": placement.role,
                    "employer": placement.employer.name,
                },
            ),
            case_link(placement.survivor),
        )


@transaction.atomic
def place(actor: Actor, survivor: Survivor, data: Mapping[str, Any]) -> Placement:
    """Record a job; check its wage; schedule its retention follow-ups; open any already due."""
    access.require_record(actor, survivor)
    values = {
        field: data[field]
        for field in ("employer", "role", *WAGE_FIELDS, "end_date")
        if field in data
    }
    values.setdefault("days_per_week", Decimal(5))
    values["region"] = values.get("region") or survivor.region
    _validate(values)
    placement = Placement(
        survivor=survivor, organisation=actor.organisation, created_by=actor.user, **values
    )
    _check(placement)
    placement.save()
    RetentionFollowUp.objects.bulk_create(
        RetentionFollowUp(placement=placement, months=m, due_on=add_months(placement.start_date, m))
        for m in RETENTION_MONTHS
    )
    if placement.end_date:
        _close_follow_ups_after(placement, placement.end_date)
    record(actor, AuditAction.CREATE, placement, fields=[*values, "fair_wage"])
    _tell_supervisors_if_flagged(actor, placement)
    from aftercare.livelihoods import tasks

    enqueue(tasks.open_due_follow_ups, str(survivor.organisation_id))
    return placement


@transaction.atomic
def update_placement(
    actor: Actor, placement: Placement, data: Mapping[str, Any], version: int
) -> Placement:
    """Change a placement if `version` is still current (409 otherwise); a new wage is checked
    again."""
    access.require_record(actor, placement.survivor)
    current = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("survivor", "employer", "region")
        .get(pk=placement.pk)
    )
    if current.version != version:
        raise StaleVersion(
            _(
                "This placement was changed by someone else "
                "since you opened it. Reload and try again."
            ),
            field="version",
        )
    changed = [f for f in EDITABLE if f in data and getattr(current, f) != data[f]]
    for field in changed:
        setattr(current, field, data[field])
    values = {f: getattr(current, f) for f in (*WAGE_FIELDS, "end_date")}
    _validate(values)
    current.wage_amount = values["wage_amount"]
    was_flagged = current.flagged
    if set(changed) & set(WAGE_FIELDS):
        _check(current)
        changed.append("fair_wage")
    current.version = version + 1
    current.save()
    if "start_date" in changed:
        for follow_up in current.follow_ups.filter(outcome=RetentionOutcome.PENDING):
            follow_up.due_on = add_months(current.start_date, follow_up.months)
            follow_up.save(update_fields=["due_on"])
    if current.end_date:
        _close_follow_ups_after(current, current.end_date)
    record(actor, AuditAction.UPDATE, current, fields=changed)
    if current.flagged and not was_flagged:
        _tell_supervisors_if_flagged(actor, current)
    return current


def _close_follow_ups_after(placement: Placement, ended: date) -> None:
    """Follow-ups falling after the job ended are not needed."""
    placement.follow_ups.filter(outcome=RetentionOutcome.PENDING, due_on__gt=ended).update(
        outcome=RetentionOutcome.NOT_NEEDED
    )


# Retention --------------------------------------------------------------------------------------


@transaction.atomic
def record_retention(
    actor: Actor,
    placement: Placement,
    months: int,
    *,
    outcome: str,
    left_reason: str = "",
    note: str = "",
    left_on: date | None = None,
    today: date | None = None,
) -> RetentionFollowUp:
    """Retained or left (with the reason). Recorded once; leaving ends the job and the later
    follow-ups."""
    access.require_record(actor, placement.survivor)
    today = today or timezone.localdate()
    follow_up = (
        RetentionFollowUp.objects.select_for_update()
        .filter(placement=placement, months=months)
        .first()
    )
    if follow_up is None:
        raise Http404("No such follow-up")
    if follow_up.outcome != RetentionOutcome.PENDING:
        raise TransitionNotAllowed(
            _("The %(n)s-month follow-up is already recorded (%(outcome)s).")
            % {"n": months, "outcome": follow_up.get_outcome_display()},
            field="outcome",
        )
    if outcome == RetentionOutcome.RETAINED:
        if follow_up.due_on > today:
            raise TransitionNotAllowed(
                _("The %(n)s-month follow-up is not due until %(date)s.")
                % {"n": months, "date": follow_up.due_on.isoformat()},
                field="outcome",
            )
        left_reason = ""
    elif outcome == RetentionOutcome.LEFT:
        if left_reason not in LeftReason.values:
            raise DomainError(_("Say why the job was left."), field="left_reason")
    else:
        raise DomainError(_("Record either retained or left."), field="outcome")
    follow_up.outcome, follow_up.left_reason, follow_up.note = outcome, left_reason, note.strip()
    follow_up.recorded_at, follow_up.recorded_by = timezone.now(), actor.user
    follow_up.save()
    fields = ["outcome", "left_reason"]
    if outcome == RetentionOutcome.LEFT:
        job = Placement.objects.select_for_update().get(pk=placement.pk)
        ended = max(job.start_date, min(left_on or today, today))
        if job.end_date is None or job.end_date > ended:
            job.end_date = ended
        job.end_reason = job.end_reason or LeftReason(left_reason).label
        job.version += 1
        job.save(update_fields=["end_date", "end_reason", "version", "updated_at"])
        _close_follow_ups_after(job, job.end_date)
        fields.append("end_date")
    record(actor, AuditAction.UPDATE, follow_up, fields=fields)
    return follow_up


def due_follow_ups(actor: Actor, today: date | None = None):
    """Follow-ups due and not yet recorded for the actor's organisation's cases."""
    require(actor, Action.VIEW_LIVELIHOODS)
    today = today or timezone.localdate()
    return (
        RetentionFollowUp.objects.filter(
            outcome=RetentionOutcome.PENDING,
            due_on__lte=today,
            placement__survivor__organisation_id=actor.organisation_id,
        )
        .select_related("placement__survivor", "placement__employer")
        .order_by("due_on")
    )


def open_due_follow_ups(*, organisation_id=None, today: date | None = None) -> int:
    """Tell case staff of each follow-up that has fallen due, once; returns how many were opened.

    Safe to run from several workers at once: a follow-up is claimed by setting `opened_at`
    where it is still empty, and only the claimant sends the notifications.
    """
    today = today or timezone.localdate()
    due = RetentionFollowUp.objects.filter(
        outcome=RetentionOutcome.PENDING, opened_at__isnull=True, due_on__lte=today
    )
    if organisation_id:
        due = due.filter(placement__survivor__organisation_id=organisation_id)
    opened = 0
    for follow_up in due.select_related(
        "placement__survivor__organisation", "placement__employer"
    ).order_by("due_on")[:500]:
        with transaction.atomic():
            claimed = RetentionFollowUp.objects.filter(
                pk=follow_up.pk, opened_at__isnull=True
            ).update(opened_at=timezone.now())
            if not claimed:
                continue
            survivor = follow_up.placement.survivor
            notify_members(
                survivor.organisation,
                CASE_STAFF,
                Notice(
                    "livelihoods.retention_due",
                    {
                        "code": survivor.case_code,
                        "employer": follow_up.placement.employer.name,
                        "n": follow_up.months,
                    },
                ),
                case_link(survivor),
            )
            opened += 1
    return opened


def open_due_if_stale(organisation_id) -> None:
    """Open one organisation's due follow-ups at most hourly, when its to-do list is looked at.

    Keeps the list and the notifications current where no Celery beat runs (the embedded mode).
    """
    if organisation_id and cache.add(
        f"livelihoods:follow-ups-opened:{organisation_id}", True, timeout=3600
    ):
        open_due_follow_ups(organisation_id=organisation_id)
