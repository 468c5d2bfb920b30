"""Referring a survivor, answering, following and closing the referral.

The state machine is the table `TRANSITIONS`; each move checks which side may make it,
locks the row, checks the version, writes one event and one audit entry, and notifies the
other side. Everything a receiving organisation may see before it accepts is in
`minimum_view`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Organisation
from aftercare.accounts.policy import Action, Actor, can, require
from aftercare.accounts.roles import Role
from aftercare.accounts.services import notify_members
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases import care, duplicates, search
from aftercare.cases.access import DEFAULT_SHARED, CaseAccess, access_case, listed_names, shareable
from aftercare.cases.models import OPEN_STATUSES as OPEN_CASE_STATUSES
from aftercare.cases.models import Consent, ConsentMethod, ConsentPurpose, NeedLevel, Survivor
from aftercare.cases.services import new_case_code
from aftercare.core import crypto
from aftercare.core.errors import ConsentRequired, DomainError, StaleVersion, TransitionNotAllowed
from aftercare.core.notices import Notice, choice, choice_list, when
from aftercare.core.notify import notify_user
from aftercare.core.tasks import enqueue
from aftercare.network.services import refresh_referral_stats
from aftercare.network.taxonomy import ServiceDomain
from aftercare.referrals.models import SHARING_STATUSES, Referral, ReferralEvent, ReferralStatus

S = ReferralStatus
RECEIVER, SENDER, SYSTEM = "receiver", "sender", "system"
RESPONDERS = (Role.CASE_WORKER, Role.SUPERVISOR, Role.ADMIN)


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    party: str
    needs_text: str = ""  # the field that must explain the move, if any


TRANSITIONS: dict[str, Transition] = {
    "accept": Transition(frozenset({S.SENT}), S.ACCEPTED, RECEIVER),
    "decline": Transition(frozenset({S.SENT}), S.DECLINED, RECEIVER, needs_text="reason"),
    "expire": Transition(frozenset({S.SENT}), S.EXPIRED, SYSTEM),
    "start": Transition(frozenset({S.ACCEPTED}), S.IN_PROGRESS, RECEIVER),
    "complete": Transition(
        frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.COMPLETED, RECEIVER, needs_text="outcome"
    ),
    "cancel": Transition(frozenset({S.SENT, S.ACCEPTED, S.IN_PROGRESS}), S.CANCELLED, SENDER),
}


ACTION_NAMES = {
    "accept": gettext_lazy("accept"),
    "decline": gettext_lazy("decline"),
    "start": gettext_lazy("start"),
    "complete": gettext_lazy("complete"),
    "cancel": gettext_lazy("cancel"),
}


def response_hours(urgent: bool) -> int:
    return (
        settings.AFTERCARE_REFERRAL_URGENT_HOURS
        if urgent
        else settings.AFTERCARE_REFERRAL_RESPONSE_HOURS
    )


def _link(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


# Making a referral --------------------------------------------------------------------------


def _validate(
    domains: Iterable[str], reason: str, to_organisation: Organisation, actor: Actor
) -> list[str]:
    domains = sorted(set(domains))
    if not domains:
        raise DomainError(_("Name at least one service."), field="domains")
    unknown = [d for d in domains if d not in ServiceDomain.values]
    if unknown:
        raise DomainError(
            _("Unknown service: %(codes)s.") % {"codes": ", ".join(unknown)}, field="domains"
        )
    if not reason.strip():
        raise DomainError(_("Say why you are referring."), field="reason")
    if to_organisation.pk == actor.organisation_id:
        raise DomainError(
            _("Refer to another organisation, not your own."), field="to_organisation"
        )
    if not to_organisation.is_active:
        raise DomainError(
            _("That organisation is not active in the network."), field="to_organisation"
        )
    return domains


@transaction.atomic
def refer_survivor(
    actor: Actor,
    survivor: Survivor,
    to_organisation: Organisation,
    domains: Iterable[str],
    reason: str,
    *,
    shared_sections: Iterable[str] = DEFAULT_SHARED,
    emergency_justification: str = "",
    transfer: bool = False,
) -> Referral:
    """Refer a case of the actor's organisation, which needs the survivor's consent to referral.

    Without consent the referral is refused (ConsentRequired → 409), unless an emergency
    override is made with a written justification, which is audited as such. A referral
    source refers only the people she brought in herself.

    `transfer` asks that the whole case move to the receiver; that needs her consent to the
    transfer, never an override, and happens only once a supervisor approves (`approve_transfer`).
    """
    require(actor, Action.MAKE_REFERRAL)
    if not referable_cases(actor).filter(pk=survivor.pk).exists():
        raise Http404("No such case")
    domains = _validate(domains, reason, to_organisation, actor)
    override = False
    if not care.has_consent(survivor, ConsentPurpose.REFERRAL, to_organisation):
        if not emergency_justification.strip():
            raise ConsentRequired(
                _(
                    "The survivor has not consented to referral. Record her consent "
                    "first, or make an emergency referral with a written justification."
                ),
                field="survivor",
            )
        require(actor, Action.EMERGENCY_REFERRAL)
        override = True
    if transfer and not care.has_consent(survivor, ConsentPurpose.TRANSFER, to_organisation):
        raise ConsentRequired(
            _(
                "She has not agreed that her case moves to "
                "%(org)s. Record her consent to the transfer first."
            )
            % {"org": to_organisation.name},
            field="transfer",
        )
    needs = care.current_needs(survivor)
    urgent = any(needs.get(d) == NeedLevel.URGENT for d in domains)
    now = timezone.now()
    referral = Referral.objects.create(
        survivor=survivor,
        from_organisation=actor.organisation,
        to_organisation=to_organisation,
        created_by=actor.user,
        domains=domains,
        reason=reason.strip(),
        urgent=urgent,
        shared_sections=shareable(shared_sections),
        transfer=transfer,
        emergency_override=override,
        override_justification=emergency_justification.strip() if override else "",
        respond_by=now + timedelta(hours=response_hours(urgent)),
        created_at=now,
    )
    ReferralEvent.objects.create(
        referral=referral, to_status=S.SENT, by=actor.user, note=reason.strip()
    )
    if transfer and actor.role == Role.SUPERVISOR:
        referral.transfer_approved_by, referral.transfer_approved_at = (
            actor.user,
            now,
        )  # she is the approver
        referral.save(update_fields=["transfer_approved_by", "transfer_approved_at"])
    record(
        actor,
        AuditAction.CREATE,
        referral,
        fields=domains,
        reason=(
            _("EMERGENCY OVERRIDE without referral consent: %(why)s")
            % {"why": emergency_justification.strip()}
        )
        if override
        else "",
    )
    notify_members(
        to_organisation,
        RESPONDERS,
        Notice(
            "referral.new",
            {
                "code": survivor.case_code,
                "domains": choice_list(ServiceDomain, domains),
                "deadline": when(referral.respond_by),
            },
        ),
        _link(referral),
    )
    _schedule_deadline_tasks(referral)
    return referral


@transaction.atomic
def refer_new_person(
    actor: Actor,
    person: Mapping[str, Any],
    to_organisation: Organisation,
    domains: Iterable[str],
    reason: str,
    *,
    consent_method: str = ConsentMethod.VERBAL,
    consent_given: bool,
    shared_sections: Iterable[str] = DEFAULT_SHARED,
    transfer_consent_given: bool = False,
) -> Referral:
    """A referral source (prosecutor, police, hotline) refers someone who has no case yet.

    A pseudonymous case is opened in the referring organisation, holding only what was
    given and the consent captured on the form. It moves to the receiving organisation only
    if she also agreed to that transfer, once the receiver accepts and a supervisor of the
    referring organisation approves; until then the receiver sees what she agreed to share.
    """

    require(actor, Action.MAKE_REFERRAL)
    domains = _validate(domains, reason, to_organisation, actor)
    if not consent_given:
        raise ConsentRequired(
            _("Ask her first: a referral needs her consent."), field="consent_given"
        )
    if not str(person.get("given_name", "")).strip():
        raise DomainError(_("Give at least a first name or the name she uses."), field="given_name")
    survivor = Survivor(
        organisation=actor.organisation,
        created_by=actor.user,
        case_code=new_case_code(),
        **{
            k: v
            for k, v in person.items()
            if k
            in (
                "given_name",
                "family_name",
                "phone",
                "year_of_birth",
                "gender",
                "languages",
                "region",
            )
        },
    )

    survivor.name_index = crypto.blind_index(survivor.full_name)
    survivor.save()
    duplicates.store_tokens(survivor)
    search.store_keys(survivor)
    record(actor, AuditAction.CREATE, survivor, fields=person.keys(), reason="opened by a referral")
    for purpose in (ConsentPurpose.REFERRAL, ConsentPurpose.SERVICE_DELIVERY):
        Consent.objects.create(
            survivor=survivor,
            purpose=purpose,
            granted=True,
            method=consent_method,
            recorded_by=actor.user,
            notes=_("Captured on the referral form."),
        )
    if transfer_consent_given:
        Consent.objects.create(
            survivor=survivor,
            purpose=ConsentPurpose.TRANSFER,
            organisation=to_organisation,
            granted=True,
            method=consent_method,
            recorded_by=actor.user,
            notes=_("Captured on the referral form."),
        )
    return refer_survivor(
        actor,
        survivor,
        to_organisation,
        domains,
        reason,
        shared_sections=shared_sections,
        transfer=transfer_consent_given,
    )


def referable_cases(actor: Actor):
    """Cases the actor may refer: case staff their organisation's caseload; a referral source
    only the people she brought in herself (she cannot otherwise open a case)."""
    if not can(actor, Action.MAKE_REFERRAL):
        return Survivor.objects.none()
    cases = Survivor.objects.filter(organisation_id=actor.organisation_id)
    if actor.role == Role.REFERRAL_SOURCE:
        cases = cases.filter(created_by=actor.user)
    return cases


def referable_case(actor: Actor, case_id) -> Survivor:
    """The one case the actor is about to refer, or 404.

    Case staff reach it through `access_case` (audited) and only as its holder: a partner that
    sees a shared case does not refer it on. A referral source has no case access at all; she
    reaches only a case she opened herself (`referable_cases`), and the read is audited the same
    way.
    """
    require(actor, Action.MAKE_REFERRAL)
    if can(actor, Action.VIEW_CASES):
        case = access_case(actor, case_id, reason="referral")
        if not case.is_owner:
            raise Http404("No such case")
        return case.survivor
    try:
        key = uuid.UUID(str(case_id))
    except ValueError as exc:
        raise Http404("No such case") from exc
    survivor = referable_cases(actor).select_related("region").filter(pk=key).first()
    if survivor is None:
        raise Http404("No such case")
    record(actor, AuditAction.READ, survivor, reason="referral")
    return survivor


def cases_to_refer(actor: Actor, code: str = ""):
    """The open cases the actor may refer, newest first, for "refer here"; by a part of the case
    code."""
    cases = referable_cases(actor).filter(status__in=OPEN_CASE_STATUSES, anonymised_at__isnull=True)
    if code.strip():
        cases = cases.filter(case_code__icontains=code.strip())
    return cases.order_by("-created_at", "pk")


# Moving a referral --------------------------------------------------------------------------


def get_referral(actor: Actor, referral_id, *, for_update: bool = False) -> Referral:
    """A referral the actor's organisation is party to; 404 for anyone else."""
    try:
        key = uuid.UUID(str(referral_id))
    except ValueError as exc:
        raise Http404("No such referral") from exc
    rows = Referral.objects.visible_to(actor).select_related(
        "survivor", "from_organisation", "to_organisation"
    )
    if for_update:
        rows = rows.select_for_update(of=("self",))
    referral = rows.filter(pk=key).first()
    if referral is None:
        raise Http404("No such referral")
    return referral


@transaction.atomic
def transition(
    actor: Actor, referral_id, action: str, *, text: str = "", version: int | None = None
) -> Referral:
    """Make one move of the state machine; 409 when not allowed from the current state."""
    move = TRANSITIONS.get(action)
    if move is None or move.party == SYSTEM:
        raise Http404("No such action")
    referral = get_referral(actor, referral_id, for_update=True)
    side = RECEIVER if referral.to_organisation_id == actor.organisation_id else SENDER
    if move.party != side:
        raise PermissionDenied(
            _("Only the receiving organisation may do that.")
            if move.party == RECEIVER
            else _("Only the referring organisation may cancel.")
        )
    require(actor, Action.RESPOND_REFERRAL if move.party == RECEIVER else Action.MAKE_REFERRAL)
    if version is not None and version != referral.version:
        raise StaleVersion(
            _("This referral was changed by someone else; reload it."), field="version"
        )
    if referral.status not in move.sources:
        raise TransitionNotAllowed(
            _("This referral's status is “%(status)s”: “%(action)s” is not possible now.")
            % {"status": referral.get_status_display(), "action": ACTION_NAMES[action]},
            field="status",
        )
    if move.needs_text and not text.strip():
        raise DomainError(
            _("Say why.") if move.needs_text == "reason" else _("Describe the outcome."),
            field=move.needs_text,
        )
    _apply(referral, move, actor.user, text.strip())
    # The move only: its text (why declined, the outcome) describes her and stays encrypted on the
    # referral.
    record(actor, AuditAction.UPDATE, referral, fields=["status"], reason=action)
    _after_transition(referral, action)
    return referral


def _apply(referral: Referral, move: Transition, user, text: str) -> None:
    now = timezone.now()
    ReferralEvent.objects.create(
        referral=referral, from_status=referral.status, to_status=move.target, by=user, note=text
    )
    referral.status = move.target
    referral.version += 1
    if move.target == S.ACCEPTED:
        referral.accepted_at, referral.accepted_by = now, user
    if move.target == S.DECLINED:
        referral.decline_reason = text
    if move.target == S.COMPLETED:
        referral.outcome = text
    if move.target not in (S.ACCEPTED, S.IN_PROGRESS):
        referral.closed_at = now
    referral.save()


def _after_transition(referral: Referral, action: str) -> None:
    survivor = referral.survivor
    if action == "accept":
        _transfer_if_agreed(referral)
    message = Notice(
        "referral.status",
        {
            "code": survivor.case_code,
            "org": referral.to_organisation.name,
            "status": choice(ReferralStatus, referral.status),
        },
    )
    if action == "cancel":
        notify_members(referral.to_organisation, RESPONDERS, message, _link(referral))
    else:
        _notify_sender(referral, message)
    refresh_stats(referral.to_organisation)


# Transferring a case ------------------------------------------------------------------------


@transaction.atomic
def approve_transfer(actor: Actor, referral_id) -> Referral:
    """A supervisor of the organisation holding the case approves moving it to the receiver.

    The case moves when the referral is accepted too and her consent to the transfer is still
    in force; approving first or accepting first, whichever comes last moves it.
    """
    referral = get_referral(actor, referral_id, for_update=True)
    if referral.from_organisation_id != actor.organisation_id or actor.role != Role.SUPERVISOR:
        raise PermissionDenied(
            _("Only a supervisor of the organisation holding the case approves its transfer.")
        )
    if not referral.transfer:
        raise TransitionNotAllowed(
            _("This referral does not ask for a transfer."), field="transfer"
        )
    if referral.transfer_approved_at is not None or referral.status not in (
        S.SENT,
        S.ACCEPTED,
        S.IN_PROGRESS,
    ):
        raise TransitionNotAllowed(_("This transfer cannot be approved now."), field="transfer")
    referral.transfer_approved_by, referral.transfer_approved_at = actor.user, timezone.now()
    referral.version += 1
    referral.save(update_fields=["transfer_approved_by", "transfer_approved_at", "version"])
    record(
        actor,
        AuditAction.UPDATE,
        referral,
        fields=["transfer_approved_at"],
        reason="transfer approved",
    )
    _transfer_if_agreed(referral)
    return referral


def _transfer_if_agreed(referral: Referral) -> bool:
    """Move the case to the receiver if, and only if, everything a transfer needs is there."""
    survivor = Survivor.objects.select_for_update().get(pk=referral.survivor_id)
    ready = (
        referral.transfer
        and referral.transfer_approved_at is not None
        and referral.transferred_at is None
        and referral.status in SHARING_STATUSES
        and survivor.organisation_id == referral.from_organisation_id
        and care.has_consent(survivor, ConsentPurpose.TRANSFER, referral.to_organisation)
    )
    if not ready:
        return False
    now = timezone.now()
    Survivor.objects.filter(pk=survivor.pk).update(
        organisation=referral.to_organisation, version=survivor.version + 1
    )
    search.move_keys(survivor.pk, referral.to_organisation_id)
    Referral.objects.filter(pk=referral.pk).update(transferred_at=now)
    referral.transferred_at = now
    record(
        None,
        AuditAction.UPDATE,
        survivor,
        fields=["organisation"],
        organisation_id=referral.from_organisation_id,
        reason=f"transferred to {referral.to_organisation.name} by referral {referral.pk}",
    )
    return True


def _notify_sender(referral: Referral, message: Notice) -> None:
    if referral.created_by is not None:
        notify_user(referral.created_by, message, _link(referral), referral.from_organisation)
    else:
        notify_members(referral.from_organisation, RESPONDERS, message, _link(referral))


# Deadlines ----------------------------------------------------------------------------------


def _schedule_deadline_tasks(referral: Referral) -> None:
    """With Celery, a reminder before the deadline and expiry after it; in-process, beat's sweep
    does it."""
    from aftercare.referrals import tasks

    if not settings.AFTERCARE_TASKS_EAGER:
        before = referral.respond_by - timedelta(hours=settings.AFTERCARE_REFERRAL_REMINDER_HOURS)
        tasks.remind_one.apply_async(args=[str(referral.pk)], eta=before)
        tasks.expire_one.apply_async(args=[str(referral.pk)], eta=referral.respond_by)
    else:
        enqueue(tasks.sweep_deadlines)


@transaction.atomic
def remind(referral_id, now=None) -> bool:
    now = now or timezone.now()
    referral = (
        Referral.objects.select_for_update()
        .select_related("survivor", "to_organisation")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None or referral.status != S.SENT or referral.reminded_at is not None:
        return False
    if referral.respond_by - now > timedelta(hours=settings.AFTERCARE_REFERRAL_REMINDER_HOURS):
        return False
    referral.reminded_at = now
    referral.save(update_fields=["reminded_at"])
    notify_members(
        referral.to_organisation,
        RESPONDERS,
        Notice(
            "referral.reminder",
            {"code": referral.survivor.case_code, "deadline": when(referral.respond_by)},
        ),
        _link(referral),
    )
    return True


@transaction.atomic
def expire(referral_id, now=None) -> bool:
    now = now or timezone.now()
    referral = (
        Referral.objects.select_for_update()
        .select_related("survivor", "to_organisation", "from_organisation")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None or referral.status != S.SENT or referral.respond_by > now:
        return False
    _apply(referral, TRANSITIONS["expire"], None, _("No answer before the deadline."))
    record(
        None,
        AuditAction.UPDATE,
        referral,
        fields=["status"],
        reason="expired",
        organisation_id=referral.to_organisation_id,
    )
    _notify_sender(
        referral,
        Notice(
            "referral.expired",
            {"code": referral.survivor.case_code, "org": referral.to_organisation.name},
        ),
    )
    refresh_stats(referral.to_organisation)
    return True


def sweep(now=None) -> dict:
    """Remind and expire every referral whose time has come; idempotent."""
    now = now or timezone.now()
    due = Referral.objects.filter(status=S.SENT)
    reminders = due.filter(
        reminded_at__isnull=True,
        respond_by__lte=now + timedelta(hours=settings.AFTERCARE_REFERRAL_REMINDER_HOURS),
        respond_by__gt=now,
    )
    reminded = sum(remind(pk, now) for pk in reminders.values_list("pk", flat=True))
    expired = sum(
        expire(pk, now) for pk in due.filter(respond_by__lte=now).values_list("pk", flat=True)
    )
    return {"reminded": reminded, "expired": expired}


# What each side sees ------------------------------------------------------------------------


def minimum_view(referral: Referral, needs: Mapping[str, str] | None = None) -> dict:
    """What the receiving side sees before it accepts: no more than it needs to decide.

    A list passes each survivor's `needs` (from `care.current_needs_of`) to save two queries a row.
    """
    survivor = referral.survivor
    needs = care.current_needs(survivor) if needs is None else needs
    return {
        "case_code": survivor.case_code,
        "first_name": survivor.given_name,
        "age_band": str(survivor.age_band),
        "is_minor": survivor.is_minor,
        "languages": survivor.languages,
        "needs": {d: needs.get(d, "") for d in referral.domains},
        "reason": referral.reason,
    }


def with_listed_names(actor: Actor, referrals) -> list:
    """The rows (referrals), each with `listed_name`: the survivor's first name to show beside
    the case code, or "" where only the code may be shown.

    The same rule as the case list (`access.listed_names`: her own organisation's cases, or her
    identity shared by an accepted referral), plus the existing rule for a referral not yet
    accepted: its receiver already sees her first name in the minimum view it decides on, so an
    incoming referral still waiting for an answer shows it too. Once declined, expired or
    cancelled, it goes back to the code alone unless the general rule allows it.
    """
    rows = list(referrals)
    if not can(actor, Action.VIEW_CASES):
        for referral in rows:
            referral.listed_name = ""
        return rows
    names = listed_names(actor, {r.survivor_id: r.survivor.organisation_id for r in rows})
    for referral in rows:
        awaiting_us = (
            referral.status == ReferralStatus.SENT
            and referral.to_organisation_id == actor.organisation_id
        )
        pending_name = (
            referral.survivor.given_name
            if awaiting_us and referral.survivor.anonymised_at is None
            else ""
        )
        referral.listed_name = names.get(referral.survivor_id, "") or pending_name or ""
    return rows


def case_referral_context(case: CaseAccess) -> dict:
    """The referrals section of a case page: this case's referrals the actor's side is party to."""
    referrals = (
        Referral.objects.visible_to(case.actor)
        .filter(survivor=case.survivor)
        .select_related("to_organisation", "from_organisation")
    )
    return {
        "referrals_section": True,
        "case_referrals": list(referrals),
        "can_refer": can(case.actor, Action.MAKE_REFERRAL) and case.is_owner,
        "shared_by": case.referral,
    }


# Statistics ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Times:
    """One received referral as network.services.ReferralTimes describes it."""

    sent_at: datetime
    accepted_at: datetime | None
    declined_at: datetime | None
    completed_at: datetime | None


def refresh_stats(organisation: Organisation) -> None:
    """Feed the directory's figures for this organisation: acceptance and completion rates
    and the median time to accept. An expiry counts as a refusal; cancellations do not count."""
    rows = Referral.objects.filter(to_organisation=organisation).exclude(status=S.CANCELLED)
    times = [
        _Times(
            sent_at=r.created_at,
            accepted_at=r.accepted_at,
            declined_at=r.closed_at if r.status in (S.DECLINED, S.EXPIRED) else None,
            completed_at=r.closed_at if r.status == S.COMPLETED else None,
        )
        for r in rows.only("created_at", "accepted_at", "closed_at", "status")
    ]
    refresh_referral_stats(organisation, times)
