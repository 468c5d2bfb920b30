"""School for young survivors: enrolment, term attendance, grade progression, supplies, and the
social protection programmes they are linked to. Recorded by the organisation holding the case."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.models import Survivor
from aftercare.core.errors import DomainError, StaleVersion
from aftercare.core.ids import get_by_id
from aftercare.core.policy import Actor
from aftercare.livelihoods import access
from aftercare.livelihoods.models import (
    GradeOutcome,
    GradeProgression,
    SchoolEnrolment,
    SchoolStatus,
    SchoolSupply,
    SocialProtection,
    TermAttendance,
)
from aftercare.livelihoods.money import clean_amount

ENROLMENT_FIELDS = ("school", "school_name", "level", "grade", "enrolled_on")
ENDED = (SchoolStatus.COMPLETED, SchoolStatus.TRANSFERRED, SchoolStatus.DROPPED_OUT)


def schooling_of(survivor: Survivor):
    return survivor.school_enrolments.select_related("school").prefetch_related(
        "terms", "progressions"
    )


def get_enrolment(survivor: Survivor, enrolment_id) -> SchoolEnrolment:
    return get_by_id(schooling_of(survivor), enrolment_id, "No such school enrolment")


def _not_future(day, field: str) -> None:
    if day and day > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field=field)


@transaction.atomic
def enrol_in_school(actor: Actor, survivor: Survivor, data: Mapping[str, Any]) -> SchoolEnrolment:
    access.require_record(actor, survivor)
    values = {f: data[f] for f in ENROLMENT_FIELDS if f in data}
    if not values.get("school") and not (values.get("school_name") or "").strip():
        raise DomainError(
            _("Name the school, or choose it from the directory."), field="school_name"
        )
    _not_future(values.get("enrolled_on"), "enrolled_on")
    enrolment = SchoolEnrolment.objects.create(
        survivor=survivor, organisation=actor.organisation, created_by=actor.user, **values
    )
    record(actor, AuditAction.CREATE, enrolment, fields=values.keys())
    return enrolment


@transaction.atomic
def update_school(
    actor: Actor, enrolment: SchoolEnrolment, data: Mapping[str, Any], version: int
) -> SchoolEnrolment:
    """Change the grade or the status (leaving needs a date and, unless completed, a reason)."""
    access.require_record(actor, enrolment.survivor)
    current = (
        SchoolEnrolment.objects.select_for_update(of=("self",))
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
    changed = [
        f
        for f in ("grade", "status", "left_on", "left_reason")
        if f in data and getattr(current, f) != data[f]
    ]
    for field in changed:
        setattr(current, field, data[field])
    if current.status in ENDED and not current.left_on:
        current.left_on = timezone.localdate()
        changed.append("left_on")
    if current.status == SchoolStatus.DROPPED_OUT and not current.left_reason.strip():
        raise DomainError(_("Say why the survivor left school."), field="left_reason")
    if current.left_on and current.left_on < current.enrolled_on:
        raise DomainError(_("Leaving cannot come before enrolling."), field="left_on")
    current.version = version + 1
    current.save()
    record(actor, AuditAction.UPDATE, current, fields=changed)
    return current


@transaction.atomic
def record_term(
    actor: Actor, enrolment: SchoolEnrolment, data: Mapping[str, Any]
) -> TermAttendance:
    """A term's attendance; recording the same term again replaces it (the audit keeps both)."""
    access.require_record(actor, enrolment.survivor)
    if data["days_present"] > data["days_open"]:
        raise DomainError(_("More days attended than the school was open."), field="days_present")
    if data["year"] > timezone.localdate().year:
        raise DomainError(_("That year has not come yet."), field="year")
    term, _created = TermAttendance.objects.update_or_create(
        enrolment=enrolment,
        year=data["year"],
        term=data["term"],
        defaults={
            "days_open": data["days_open"],
            "days_present": data["days_present"],
            "grade": data.get("grade") or enrolment.grade,
            "note": data.get("note", ""),
            "recorded_by": actor.user,
            "recorded_at": timezone.now(),
        },
    )
    record(actor, AuditAction.UPDATE, enrolment, fields=["attendance"])
    return term


@transaction.atomic
def record_progression(
    actor: Actor, enrolment: SchoolEnrolment, data: Mapping[str, Any]
) -> GradeProgression:
    """The end of a school year; promotion moves the enrolment on to the new grade."""
    access.require_record(actor, enrolment.survivor)
    outcome = data["outcome"]
    to_grade = (data.get("to_grade") or "").strip()
    if outcome == GradeOutcome.PROMOTED and not to_grade:
        raise DomainError(_("Say which grade comes next."), field="to_grade")
    if GradeProgression.objects.filter(enrolment=enrolment, year=data["year"]).exists():
        raise DomainError(_("That school year is already recorded."), field="year")
    progression = GradeProgression.objects.create(
        enrolment=enrolment,
        year=data["year"],
        from_grade=data.get("from_grade") or enrolment.grade,
        to_grade=to_grade,
        outcome=outcome,
        recorded_by=actor.user,
    )
    if outcome == GradeOutcome.PROMOTED:
        SchoolEnrolment.objects.filter(pk=enrolment.pk).update(
            grade=to_grade, version=F("version") + 1
        )
    record(actor, AuditAction.UPDATE, enrolment, fields=["progression"])
    return progression


def _money(data: Mapping[str, Any], amount_key: str) -> dict:
    amount, currency = data.get(amount_key), data.get("currency") or ""
    if amount in (None, ""):
        return {amount_key: None, "currency": currency}
    return {amount_key: clean_amount(amount, currency, field=amount_key), "currency": currency}


@transaction.atomic
def record_supplies(actor: Actor, survivor: Survivor, data: Mapping[str, Any]) -> SchoolSupply:
    access.require_record(actor, survivor)
    if not (data.get("items") or "").strip():
        raise DomainError(_("Say what was given."), field="items")
    _not_future(data["provided_on"], "provided_on")
    supply = SchoolSupply.objects.create(
        survivor=survivor,
        organisation=actor.organisation,
        provided_on=data["provided_on"],
        items=data["items"].strip(),
        recorded_by=actor.user,
        **_money(data, "value"),
    )
    record(
        actor,
        AuditAction.CREATE,
        supply,
        label=f"{survivor.case_code} school supplies",
        fields=["items", "value"],
    )
    return supply


@transaction.atomic
def record_social_protection(
    actor: Actor, survivor: Survivor, data: Mapping[str, Any]
) -> SocialProtection:
    access.require_record(actor, survivor)
    if not (data.get("programme") or "").strip():
        raise DomainError(_("Name the programme."), field="programme")
    money = _money(data, "benefit_amount")
    if money["benefit_amount"] is not None and not data.get("benefit_period"):
        raise DomainError(_("Say how often the benefit is paid."), field="benefit_period")
    row = SocialProtection.objects.create(
        survivor=survivor,
        organisation=actor.organisation,
        programme=data["programme"].strip(),
        status=data.get("status") or "applied",
        since=data["since"],
        benefit_period=data.get("benefit_period") or "",
        note=data.get("note", ""),
        recorded_by=actor.user,
        **money,
    )
    record(
        actor,
        AuditAction.CREATE,
        row,
        label=f"{survivor.case_code} social protection",
        fields=["programme", "status"],
    )
    return row
