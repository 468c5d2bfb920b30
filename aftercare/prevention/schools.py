"""Schools: joining the programme, training teachers, and a case from identification
through report to follow-up. Each write is audited; a case moves only forward."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organisation
from aftercare.accounts.policy import Action, Actor, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.errors import DomainError, StaleVersion, TransitionNotAllowed
from aftercare.prevention.access import get_visible
from aftercare.prevention.models import (
    CapacitySession,
    CaseStage,
    Concern,
    FollowUpOutcome,
    ReportedTo,
    School,
    SchoolCase,
    SchoolFollowUp,
)
from aftercare.prevention.models.schools import CLOSING_OUTCOMES
from aftercare.prevention.parsing import parse_count, parse_day


def _save_once(instance, message: str, field: str) -> None:
    """Save a new record whose `field` must be unique: a second one is the caller's error on
    that field (the constraint decides, so two people saving at once cannot both pass)."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise DomainError(message, field=field) from exc


@transaction.atomic
def add_school(
    actor: Actor,
    *,
    name: str,
    region,
    level: str = "primary",
    joined_on=None,
    member_organisation: Organisation | None = None,
) -> School:
    require(actor, Action.MANAGE_PREVENTION)
    if not (name or "").strip():
        raise DomainError(_("Give the school's name."), field="name")
    if region is None:
        raise DomainError(_("Choose where the school is."), field="region")
    school = School(
        organisation=actor.organisation,
        name=name.strip(),
        region=region,
        level=level,
        member_organisation=member_organisation,
    )
    if joined_on is not None:
        school.joined_on = parse_day(joined_on, "joined_on")
    _save_once(school, _("Your organisation already has a school of this name."), "name")
    record(actor, AuditAction.CREATE, school, fields=["name", "region", "level"])
    return school


@transaction.atomic
def record_session(
    actor: Actor,
    school,
    *,
    held_on,
    topic: str,
    teachers_female=0,
    teachers_male=0,
    facilitators: str = "",
) -> CapacitySession:
    school = get_visible(actor, School, school, action=Action.RECORD_PREVENTION)
    if not (topic or "").strip():
        raise DomainError(_("Say what the session was about."), field="topic")
    female, male = (
        parse_count(teachers_female, "teachers_female"),
        parse_count(teachers_male, "teachers_male"),
    )
    if female + male == 0:
        raise DomainError(_("Count at least one teacher trained."), field="teachers_female")
    session = CapacitySession.objects.create(
        school=school,
        held_on=parse_day(held_on, "held_on"),
        topic=topic.strip(),
        facilitators=facilitators.strip(),
        teachers_female=female,
        teachers_male=male,
        recorded_by=actor.user,
    )
    record(
        actor, AuditAction.CREATE, session, fields=["held_on", "teachers_female", "teachers_male"]
    )
    return session


@transaction.atomic
def identify_case(
    actor: Actor, school, *, reference: str, concern: str, identified_on
) -> SchoolCase:
    """A school identified a child of concern. `reference` is the school's, never a name."""
    school = get_visible(actor, School, school, action=Action.RECORD_PREVENTION)
    reference = (reference or "").strip()
    if not reference:
        raise DomainError(
            _("Give the school's reference for the child (not a name)."), field="reference"
        )
    if concern not in Concern.values:
        raise DomainError(_("Choose a concern from the list."), field="concern")
    case = SchoolCase(
        school=school,
        reference=reference,
        concern=concern,
        identified_on=parse_day(identified_on, "identified_on"),
        created_by=actor.user,
    )
    _save_once(case, _("This school already has a case with this reference."), "reference")
    record(actor, AuditAction.CREATE, case, fields=["reference", "concern", "identified_on"])
    return case


def _check_version(case: SchoolCase, version) -> None:
    if version is not None and int(version) != case.version:
        raise StaleVersion(
            _("This case changed since you opened it. Reload it and try again."), field="version"
        )


@transaction.atomic
def report_case(
    actor: Actor,
    case_id,
    *,
    reported_on,
    reported_to: str,
    detail: str = "",
    referred_to: Organisation | None = None,
    version=None,
) -> SchoolCase:
    """Identified → reported: to whom and when; the days it took are kept with the case."""
    case = get_visible(actor, SchoolCase, case_id, action=Action.RECORD_PREVENTION, for_update=True)
    _check_version(case, version)
    if case.stage != CaseStage.IDENTIFIED:
        raise TransitionNotAllowed(_("This case was already reported."), field="stage")
    day = parse_day(reported_on, "reported_on")
    if day < case.identified_on:
        raise DomainError(
            _("A case cannot be reported before it was identified."), field="reported_on"
        )
    if reported_to not in ReportedTo.values:
        raise DomainError(_("Choose whom the case was reported to."), field="reported_to")
    case.reported_on, case.reported_to = day, reported_to
    case.reported_to_detail, case.referred_to = detail.strip(), referred_to
    case.stage = CaseStage.REPORTED
    case.version += 1
    case.save()
    record(actor, AuditAction.UPDATE, case, fields=["stage", "reported_on", "reported_to"])
    return case


class CaseClosed(DomainError):
    """A follow-up of a case someone closed: a conflict the field worker should see."""

    status_code = 409
    code = "case_closed"


@transaction.atomic
def follow_up(
    actor: Actor, case_id, *, followed_on, outcome: str, note: str = ""
) -> SchoolFollowUp:
    """A follow-up of a reported case. `safe` or `moved` closes it; a closed case takes none."""
    case = get_visible(actor, SchoolCase, case_id, action=Action.RECORD_PREVENTION, for_update=True)
    if case.stage == CaseStage.CLOSED:
        raise CaseClosed(
            _("This case was closed on %(day)s; the follow-up was not added.")
            % {"day": case.closed_on.isoformat() if case.closed_on else "?"},
            field="case",
        )
    if case.stage == CaseStage.IDENTIFIED:
        raise TransitionNotAllowed(
            _("Record whom the case was reported to before following it up."), field="case"
        )
    day = parse_day(followed_on, "followed_on")
    if day < case.identified_on:
        raise DomainError(
            _("A follow-up cannot come before the case was identified."), field="followed_on"
        )
    if outcome not in FollowUpOutcome.values:
        raise DomainError(_("Choose an outcome from the list."), field="outcome")
    entry = SchoolFollowUp.objects.create(
        case=case,
        followed_on=day,
        outcome=outcome,
        note=(note or "").strip()[:500],
        recorded_by=actor.user,
    )
    case.stage = CaseStage.CLOSED if outcome in CLOSING_OUTCOMES else CaseStage.FOLLOWED_UP
    case.closed_on = day if case.stage == CaseStage.CLOSED else None
    case.version += 1
    case.save(update_fields=["stage", "closed_on", "version"])
    record(actor, AuditAction.CREATE, entry, fields=["followed_on", "outcome"])
    return entry
