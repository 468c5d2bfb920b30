"""Mentors, matches, sessions and survivors' leadership roles: the operations and who may do them.

The organisation holding a case reads and records its mentoring and leadership roles; a
survivor reads her own in the portal. Mentors belong to one organisation and are matched only
with its own cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.access import require_holder
from aftercare.cases.models import Survivor
from aftercare.core.errors import DomainError
from aftercare.mentoring.models import LeadershipRole, Mentor, MentoringSession, MentorMatch


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field=field)


def mentors_of(actor: Actor) -> QuerySet[Mentor]:
    require(actor, Action.VIEW_CASES)
    return Mentor.objects.filter(organisation_id=actor.organisation_id)


@transaction.atomic
def add_mentor(actor: Actor, values: Mapping[str, Any]) -> Mentor:
    require(actor, Action.EDIT_CASE)
    name = (values.get("name") or "").strip()
    if not name:
        raise DomainError(_("Give the mentor's name."), field="name")
    mentor = Mentor.objects.create(
        organisation_id=actor.organisation_id, kind=values["kind"], name=name
    )
    record(actor, AuditAction.CREATE, mentor, fields=["kind", "name"])
    return mentor


def _own_mentor(actor: Actor, mentor) -> Mentor:
    mentor_id = getattr(mentor, "pk", mentor)
    found = Mentor.objects.filter(
        pk=mentor_id, organisation_id=actor.organisation_id, is_active=True
    ).first()
    if found is None:
        raise DomainError(_("Choose one of your organisation's mentors."), field="mentor")
    return found


@transaction.atomic
def match_mentor(actor: Actor, survivor: Survivor, values: Mapping[str, Any]) -> MentorMatch:
    require(actor, Action.EDIT_CASE)
    require_holder(actor, survivor)
    mentor = _own_mentor(actor, values["mentor"])
    _not_future(values["start"], "start")
    if survivor.mentor_matches.filter(mentor=mentor, end__isnull=True).exists():
        raise DomainError(_("She is already matched with this mentor."), field="mentor")
    match = MentorMatch.objects.create(
        survivor=survivor,
        mentor=mentor,
        start=values["start"],
        focus=values.get("focus", ""),
        recorded_by=actor.user,
    )
    record(actor, AuditAction.CREATE, match, fields=["mentor", "start", "focus"])
    return match


def _match_of(survivor: Survivor, match_id) -> MentorMatch:
    match = survivor.mentor_matches.select_for_update().filter(pk=match_id).first()
    if match is None:
        raise DomainError(_("No such mentor match for this case."), field="match")
    return match


@transaction.atomic
def end_match(actor: Actor, survivor: Survivor, match_id, end: date) -> MentorMatch:
    require(actor, Action.EDIT_CASE)
    require_holder(actor, survivor)
    match = _match_of(survivor, match_id)
    _not_future(end, "end")
    if end < match.start:
        raise DomainError(_("The match cannot end before it started."), field="end")
    match.end = end
    match.save(update_fields=["end"])
    record(actor, AuditAction.UPDATE, match, fields=["end"])
    return match


@transaction.atomic
def record_session(
    actor: Actor, survivor: Survivor, match_id, values: Mapping[str, Any]
) -> MentoringSession:
    require(actor, Action.EDIT_CASE)
    require_holder(actor, survivor)
    match = _match_of(survivor, match_id)
    held_on = values["held_on"]
    _not_future(held_on, "held_on")
    if held_on < match.start or (match.end and held_on > match.end):
        raise DomainError(_("The session is outside the dates of the match."), field="held_on")
    session = MentoringSession.objects.create(
        match=match,
        held_on=held_on,
        topic=values["topic"],
        minutes=values.get("minutes"),
        notes=values.get("notes", ""),
        recorded_by=actor.user,
    )
    record(actor, AuditAction.CREATE, session, fields=["held_on", "topic", "minutes"])
    return session


def matches_of(survivor: Survivor) -> QuerySet[MentorMatch]:
    return (
        survivor.mentor_matches.select_related("mentor")
        .prefetch_related("sessions")
        .annotate(session_count=Count("sessions"), last_session=Max("sessions__held_on"))
    )


def current_matches(survivor: Survivor) -> list[MentorMatch]:
    """Her mentors now (matches not ended by today), for the care plan: one query."""
    today = timezone.localdate()
    return list(
        survivor.mentor_matches.select_related("mentor")
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .order_by("start")
    )


@transaction.atomic
def add_role(actor: Actor, survivor: Survivor, values: Mapping[str, Any]) -> LeadershipRole:
    require(actor, Action.EDIT_CASE)
    require_holder(actor, survivor)
    _not_future(values["start"], "start")
    if values.get("end") and values["end"] < values["start"]:
        raise DomainError(_("The role cannot end before it started."), field="end")
    role = LeadershipRole.objects.create(
        survivor=survivor,
        kind=values["kind"],
        organisation=values.get("organisation"),
        start=values["start"],
        end=values.get("end"),
        counted=bool(values.get("counted")),
        recorded_by=actor.user,
    )
    record(actor, AuditAction.CREATE, role, fields=["kind", "start", "counted"])
    return role


def roles_of(survivor: Survivor) -> QuerySet[LeadershipRole]:
    return survivor.leadership_roles.select_related("organisation")


def own_mentoring(actor: Actor, account) -> dict:
    """What a survivor sees of her own mentoring and roles: her case, from her account only."""
    require(actor, Action.VIEW_OWN_PLAN)
    if account is None or account.user_id != actor.user.pk:
        raise PermissionDenied
    survivor = account.survivor
    record(actor, AuditAction.READ, survivor, reason="survivor portal: mentoring")
    today = timezone.localdate()
    # Her page shows how many meetings, not the meetings themselves: no sessions prefetched.
    matches = matches_of(survivor).prefetch_related(None)
    roles = list(roles_of(survivor))  # now and past, in one read
    return {
        "matches": [m for m in matches if m.end is None or m.end >= today],
        "roles": [r for r in roles if r.end is None or r.end >= today],
        "past_roles": [r for r in roles if r.end is not None and r.end < today],
    }
