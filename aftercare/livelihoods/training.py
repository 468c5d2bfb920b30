"""Training and apprenticeships: programmes and cohorts any partner offers to the network, and
enrolments the organisation holding a case makes, with attendance and the certificate."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.models import Survivor
from aftercare.core.errors import DomainError, StaleVersion, TransitionNotAllowed
from aftercare.core.ids import get_by_id
from aftercare.livelihoods import access
from aftercare.livelihoods.models import (
    Cohort,
    Enrolment,
    EnrolmentStatus,
    SessionAttendance,
    TrainingProgramme,
)


def programmes(actor: Actor):
    require(actor, Action.VIEW_LIVELIHOODS)
    return (
        TrainingProgramme.objects.filter(is_active=True)
        .select_related("provider")
        .prefetch_related("cohorts")
    )


def get_programme(actor: Actor, programme_id) -> TrainingProgramme:
    return get_by_id(programmes(actor), programme_id, "No such programme")


def get_cohort(actor: Actor, cohort_id) -> Cohort:
    require(actor, Action.VIEW_LIVELIHOODS)
    return get_by_id(
        Cohort.objects.select_related("programme__provider").filter(programme__is_active=True),
        cohort_id,
        "No such cohort",
    )


@transaction.atomic
def add_programme(actor: Actor, data: Mapping[str, Any]) -> TrainingProgramme:
    """A programme; its provider is the actor's organisation unless another is named."""
    require(actor, Action.RECORD_LIVELIHOOD)
    fields = ("name", "trade", "kind", "duration_weeks", "certification", "description")
    values = {f: data[f] for f in fields if f in data}
    programme = TrainingProgramme.objects.create(
        provider=data.get("provider") or actor.organisation, created_by=actor.user, **values
    )
    record(actor, AuditAction.CREATE, programme, fields=values.keys())
    return programme


@transaction.atomic
def add_cohort(actor: Actor, programme: TrainingProgramme, data: Mapping[str, Any]) -> Cohort:
    require(actor, Action.RECORD_LIVELIHOOD)
    end = data.get("end_date")
    if end and end < data["start_date"]:
        raise DomainError(_("The cohort cannot end before it starts."), field="end_date")
    cohort = Cohort.objects.create(
        programme=programme,
        name=data["name"],
        start_date=data["start_date"],
        end_date=end,
        region=data.get("region"),
    )
    record(actor, AuditAction.CREATE, cohort, fields=["name", "start_date", "end_date"])
    return cohort


def enrolments_of(survivor: Survivor):
    return survivor.training_enrolments.select_related("cohort__programme__provider").annotate(
        sessions=Count("attendance"),
        present=Count("attendance", filter=Q(attendance__present=True)),
    )


def get_enrolment(survivor: Survivor, enrolment_id) -> Enrolment:
    return get_by_id(enrolments_of(survivor), enrolment_id, "No such enrolment")


def cohort_enrolments(actor: Actor, cohort: Cohort):
    """The cohort's enrolments the actor may know of: those of cases the actor can see."""
    visible = Survivor.objects.visible_to(actor).values("pk")
    return (
        cohort.enrolments.filter(survivor__in=visible)
        .select_related("survivor")
        .annotate(
            sessions=Count("attendance"),
            present=Count("attendance", filter=Q(attendance__present=True)),
        )
        .order_by("survivor__case_code")
    )


@transaction.atomic
def enrol(
    actor: Actor, survivor: Survivor, cohort: Cohort, *, enrolled_on: date | None = None
) -> Enrolment:
    access.require_record(actor, survivor)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                cohort=cohort,
                survivor=survivor,
                organisation=actor.organisation,
                enrolled_on=enrolled_on or timezone.localdate(),
                created_by=actor.user,
            )
    except IntegrityError as exc:
        raise TransitionNotAllowed(
            _("This survivor is already enrolled in that cohort."), field="cohort"
        ) from exc
    record(actor, AuditAction.CREATE, enrolment, fields=["cohort"])
    return enrolment


@transaction.atomic
def mark_attendance(
    actor: Actor, enrolment: Enrolment, *, on: date, present: bool
) -> SessionAttendance:
    """One day's attendance; marking the same day again replaces the mark."""
    access.require_record(actor, enrolment.survivor)
    if on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="date")
    if on < enrolment.cohort.start_date or (
        enrolment.cohort.end_date and on > enrolment.cohort.end_date
    ):
        raise DomainError(_("That day is outside the cohort's dates."), field="date")
    row, _created = SessionAttendance.objects.update_or_create(
        enrolment=enrolment,
        date=on,
        defaults={"present": present, "recorded_by": actor.user, "recorded_at": timezone.now()},
    )
    record(actor, AuditAction.UPDATE, enrolment, fields=["attendance"])
    return row


@transaction.atomic
def finish(actor: Actor, enrolment: Enrolment, data: Mapping[str, Any], version: int) -> Enrolment:
    """Complete (with the certificate, if one was awarded) or withdraw an enrolment."""
    access.require_record(actor, enrolment.survivor)
    current = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("survivor")
        .get(pk=enrolment.pk)
    )
    if current.version != version:
        raise StaleVersion(
            _(
                "This enrolment was changed by someone else "
                "since you opened it. Reload and try again."
            ),
            field="version",
        )
    status = data.get("status", current.status)
    if status not in EnrolmentStatus.values:
        raise DomainError(_("Choose a status."), field="status")
    changed = []
    for field in (
        "status",
        "completed_on",
        "certificate_number",
        "certificate_issued_on",
        "withdrawal_reason",
    ):
        if field in data and getattr(current, field) != data[field]:
            setattr(current, field, data[field])
            changed.append(field)
    if status == EnrolmentStatus.COMPLETED and not current.completed_on:
        current.completed_on = timezone.localdate()
        changed.append("completed_on")
    if status == EnrolmentStatus.WITHDRAWN and not current.withdrawal_reason:
        raise DomainError(_("Say why the trainee left."), field="withdrawal_reason")
    if current.certificate_number and status != EnrolmentStatus.COMPLETED:
        raise DomainError(_("A certificate is for a completed course."), field="certificate_number")
    current.version = version + 1
    current.save()
    record(actor, AuditAction.UPDATE, current, fields=changed)
    return current
