"""Operations on what a case holds: consent, needs, the care plan, services, notes,
documents and the court case. Each checks the policy, writes in one transaction and
records itself in the audit trail."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organisation
from aftercare.accounts.policy import Action, Actor, can_read_note, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases import plan_review, service_order
from aftercare.cases.access import require_holder
from aftercare.cases.models import (
    CaseNote,
    Consent,
    ConsentPurpose,
    Document,
    GivenBy,
    Goal,
    LegalCase,
    NeedItem,
    NeedLevel,
    NeedsAssessment,
    PlanReview,
    ServiceDelivery,
    Survivor,
)
from aftercare.cases.services import anonymise
from aftercare.core import crypto
from aftercare.core.errors import DomainError, StaleVersion
from aftercare.network.taxonomy import ServiceDomain

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Accepted uploads, recognised by their first bytes rather than by the name they came with.
DOCUMENT_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def partner_organisations(survivor: Survivor, own):
    """The organisations a case's forms offer: the actor's own, the one holding the case,
    and those it was referred to or that delivered a service. A network may have hundreds;
    the directory is where to find new ones.

    Each relation is read in a subquery of its own, by this case's index: joining a
    partner's referrals with its services (and taking DISTINCT) multiplies every
    partner's whole history and, at a network's scale, never finishes.
    """

    return Organisation.objects.filter(_offered(survivor, own)).order_by("name")


def _offered(survivor: Survivor, own) -> Q:
    referred = survivor.referrals.values("to_organisation_id")
    served = survivor.services.values("organisation_id")
    return Q(pk__in=[own.pk, survivor.organisation_id]) | Q(pk__in=referred) | Q(pk__in=served)


def _may_provide(actor: Actor, survivor: Survivor) -> Q:
    accepted = survivor.referrals.filter(status__in=PARTNER_REFERRAL_STATUSES)
    partners = Q(
        pk__in=accepted.filter(from_organisation_id=actor.organisation_id).values(
            "to_organisation_id"
        )
    ) | Q(
        pk__in=accepted.filter(to_organisation_id=actor.organisation_id).values(
            "from_organisation_id"
        )
    )
    return Q(pk=actor.organisation_id) | partners


def latest_consents(survivor: Survivor) -> dict[tuple[str, object], Consent]:
    """The decision in force per (purpose, organisation id or None)."""
    current: dict[tuple[str, object], Consent] = {}
    for consent in survivor.consents.order_by("-recorded_at", "-id").select_related("organisation"):
        current.setdefault((consent.purpose, consent.organisation_id), consent)
    return current


def has_consent(survivor: Survivor, purpose: str, organisation=None) -> bool:
    """Whether the survivor's newest decision allows `purpose` (for `organisation`, if named).

    A decision about one organisation overrides the general one for that organisation.
    """
    rows = survivor.consents.filter(purpose=purpose)
    if organisation is not None:
        specific = rows.filter(organisation=organisation).order_by("-recorded_at").first()
        if specific is not None:
            return specific.granted
    general = rows.filter(organisation__isnull=True).order_by("-recorded_at").first()
    return bool(general and general.granted)


def survivors_with_consent(queryset, purpose: str):
    """Narrow a survivor queryset to those whose newest general decision grants `purpose`.

    Said as a semi-join: the survivors of the granted general decisions on `purpose` that no
    later general decision follows. A withdrawal recorded at the same moment as a grant wins:
    where the two cannot be ordered, the survivor is left out. PostgreSQL reads the decisions
    once and hashes them; a subquery per survivor (the newest decision, ORDER BY … LIMIT 1)
    probed the index once for every case in the scope, 0.7 s of the CTDC export's 0.9 s query at
    100,000 survivors, and its cost estimate switched on JIT compilation, another 0.9 s (issue 18).
    """
    general = Consent.objects.filter(purpose=purpose, organisation__isnull=True)
    later = general.filter(survivor=OuterRef("survivor")).filter(
        Q(recorded_at__gt=OuterRef("recorded_at"))
        | Q(recorded_at=OuterRef("recorded_at"), granted=False)
    )
    in_force = general.filter(granted=True).filter(~Exists(later))
    return queryset.filter(pk__in=in_force.values("survivor_id"))


@transaction.atomic
def record_consent(
    actor: Actor,
    survivor: Survivor,
    *,
    purpose: str,
    granted: bool,
    method: str,
    given_by: str = GivenBy.SURVIVOR,
    organisation=None,
    notes: str = "",
    by_survivor: bool = False,
) -> Consent:
    """Record a decision; a withdrawal takes effect at once. A minor's consent is the guardian's.

    `by_survivor`: the survivor decides in their own portal (aftercare.voice checks it is their
    case).
    """
    if not by_survivor:
        require(actor, Action.EDIT_CASE)
        require_holder(actor, survivor)
    if purpose not in ConsentPurpose.values:
        raise DomainError(_("Unknown purpose."), field="purpose")
    if survivor.is_minor and granted and given_by != GivenBy.GUARDIAN:
        raise DomainError(
            _("This survivor is a minor: consent must be given by the guardian."), field="given_by"
        )
    consent = Consent.objects.create(
        survivor=survivor,
        purpose=purpose,
        granted=granted,
        method=method,
        given_by=given_by,
        organisation=organisation,
        recorded_by=actor.user,
        notes=notes,
    )
    record(
        actor,
        AuditAction.CREATE,
        consent,
        label=f"{survivor.case_code} consent",
        fields=[purpose, "granted" if granted else "withdrawn"],
    )
    if not granted and not any(c.granted for c in latest_consents(survivor).values()):
        anonymise(actor, survivor, reason=_("The survivor withdrew all consent."))
    return consent


# Needs -----------------------------------------------------------------------------------


@transaction.atomic
def assess_needs(actor: Actor, survivor: Survivor, needs: Mapping[str, str]) -> NeedsAssessment:
    """A new assessment over the service domains that were assessed.

    A domain not given (or given as "") was not assessed and gets no item: it must not read as
    `none`, which says she was asked and needs nothing there (issue 16). At least one is needed.
    """
    require(actor, Action.EDIT_CASE)
    require_holder(actor, survivor)
    assessed = {code: level for code, level in needs.items() if level}
    errors = {
        code: _("Unknown service domain.") for code in assessed if code not in ServiceDomain.values
    }
    errors |= {
        code: _("Use one of: none, low, medium, high, urgent.")
        for code, level in assessed.items()
        if code in ServiceDomain.values and level not in NeedLevel.values
    }
    if not assessed:
        errors["needs"] = _("Assess at least one service domain.")
    if errors:
        raise NeedsInvalid(errors)
    assessment = NeedsAssessment.objects.create(
        survivor=survivor, assessed_by=actor.user, organisation=actor.organisation
    )
    NeedItem.objects.bulk_create(
        NeedItem(assessment=assessment, domain=code, level=assessed[code])
        for code in ServiceDomain.values
        if code in assessed
    )
    record(
        actor,
        AuditAction.CREATE,
        assessment,
        label=f"{survivor.case_code} needs",
        fields=assessed.keys(),
    )
    return assessment


class NeedsInvalid(DomainError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(_("Some needs are not valid."), field="needs")
        self.errors = errors


def current_needs(survivor: Survivor) -> dict[str, str]:
    latest = survivor.needs_assessments.order_by("-assessed_at").first()
    if latest is None:
        return {}
    return {item.domain: item.level for item in latest.items.all()}


def current_needs_of(survivor_ids) -> dict:
    """`current_needs` for many survivors in one query, for lists: {survivor id: {domain:
    level}}."""
    latest = NeedsAssessment.objects.filter(
        survivor_id=OuterRef("assessment__survivor_id")
    ).order_by("-assessed_at")
    items = NeedItem.objects.filter(
        assessment__survivor_id__in=list(survivor_ids),
        assessment_id=Subquery(latest.values("pk")[:1]),
    ).values_list("assessment__survivor_id", "domain", "level")
    needs: dict = {}
    for survivor_id, domain, level in items:
        needs.setdefault(survivor_id, {})[domain] = level
    return needs


# Care plan -------------------------------------------------------------------------------

GOAL_FIELDS = (
    "domain",
    "description",
    "actions",
    "responsible_organisation",
    "responsible_person",
    "target_date",
    "status",
)


@transaction.atomic
def add_goal(
    actor: Actor, survivor: Survivor, data: Mapping[str, Any], *, by_survivor: bool = False
) -> Goal:
    if not by_survivor:
        require(actor, Action.EDIT_CASE)
        require_holder(actor, survivor)
    goal = Goal.objects.create(
        survivor=survivor,
        created_by=actor.user,
        added_by_survivor=by_survivor,
        **{f: data[f] for f in GOAL_FIELDS if f in data},
    )
    if survivor.plan_review_due is None:  # her first goal: the plan's review falls due
        plan_review.refresh(survivor)
    record(actor, AuditAction.CREATE, goal, fields=[f for f in GOAL_FIELDS if f in data])
    return goal


@transaction.atomic
def update_goal(actor: Actor, goal: Goal, data: Mapping[str, Any], version: int) -> Goal:
    require(actor, Action.EDIT_CASE)
    require_holder(actor, goal.survivor)
    rows = Goal.objects.filter(pk=goal.pk, version=version)
    changed = [f for f in GOAL_FIELDS if f in data and getattr(goal, f) != data[f]]
    for field in changed:
        setattr(goal, field, data[field])
    goal.version = version + 1
    if rows.update(**{f: getattr(goal, f) for f in changed}, version=goal.version) != 1:
        raise StaleVersion(
            _("This goal was changed by someone else; reload to see the changes."), field="version"
        )
    record(actor, AuditAction.UPDATE, goal, fields=changed)
    return goal


@transaction.atomic
def review_plan(
    actor: Actor, survivor: Survivor, *, reviewed_on: date, outcome: str, survivor_took_part: bool
) -> PlanReview:
    require(actor, Action.EDIT_CASE)
    require_holder(actor, survivor)
    review = PlanReview.objects.create(
        survivor=survivor,
        reviewed_on=reviewed_on,
        outcome=outcome,
        survivor_took_part=survivor_took_part,
        reviewed_by=actor.user,
    )
    plan_review.refresh(survivor)  # due again 90 days after the last review
    record(actor, AuditAction.CREATE, review, label=f"{survivor.case_code} plan review")
    return review


# Services, notes, documents, court ---------------------------------------------------------

# Referrals through which two organisations work on a case together: accepted, and then started
# or completed. A sent, declined, expired or cancelled referral makes no partner.
PARTNER_REFERRAL_STATUSES = ("accepted", "in_progress", "completed")


def service_organisations(actor: Actor, survivor: Survivor):
    """The organisations a service on this case may be recorded for by the actor: its own, and
    each partner linked to it by an accepted referral of this survivor (either way round).

    A service names who to rate, and feedback codes are issued for it: an organisation that
    could record services "by" another one could have it rated by codes of its own making.
    """

    return Organisation.objects.filter(_may_provide(actor, survivor)).order_by("name")


SERVICE_FIELDS = ("domain", "organisation", "date", "duty_bearer", "notes")


class NotAPartner(DomainError):
    """A service recorded for an organisation the recorder does not work with on this case."""

    status_code = 403
    code = "not_a_partner"


@transaction.atomic
def record_service(actor: Actor, survivor: Survivor, data: Mapping[str, Any]) -> ServiceDelivery:
    """A service delivered to the survivor, by the actor's organisation or by a partner through
    an accepted referral; its duty bearer, if any, is an active entry of the registry."""
    require(actor, Action.EDIT_CASE)
    organisation = data.get("organisation") or actor.organisation
    if not service_organisations(actor, survivor).filter(pk=organisation.pk).exists():
        raise NotAPartner(
            _(
                "You can record a service only for your own organisation, or for one "
                "this survivor was referred to (or from) that accepted the referral."
            ),
            field="organisation",
        )
    bearer = data.get("duty_bearer")
    if bearer is not None and not bearer.is_active:
        raise DomainError(
            _("This duty bearer is no longer in the registry; choose another."), field="duty_bearer"
        )
    service = ServiceDelivery.objects.create(
        survivor=survivor,
        recorded_by=actor.user,
        **{f: data[f] for f in SERVICE_FIELDS if f in data and f != "organisation"},
        organisation=organisation,
    )
    service_order.refresh(survivor.pk, known=service)  # her services' order, for reports
    record(
        actor,
        AuditAction.CREATE,
        service,
        label=f"{survivor.case_code} service",
        fields=[service.domain],
    )
    return service


@transaction.atomic
def write_note(actor: Actor, survivor: Survivor, *, text: str, sensitivity: str) -> CaseNote:
    require(actor, Action.EDIT_CASE)
    if not can_read_note(actor, sensitivity):
        raise DomainError(_("Only clinicians may write clinical notes."), field="sensitivity")
    note = CaseNote.objects.create(
        survivor=survivor,
        organisation=actor.organisation,
        sensitivity=sensitivity,
        text=text,
        written_by=actor.user,
    )
    record(actor, AuditAction.CREATE, note, label=f"{survivor.case_code} {sensitivity} note")
    return note


def notes_visible_to(actor: Actor, survivor: Survivor):
    """The notes the actor may read: clinical ones only for clinicians."""
    notes = survivor.notes.filter(organisation_id=actor.organisation_id).select_related(
        "written_by"
    )
    if not can_read_note(actor, "clinical"):
        notes = notes.exclude(sensitivity="clinical")
    return notes


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in DOCUMENT_SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


@transaction.atomic
def upload_document(
    actor: Actor, survivor: Survivor, *, kind: str, filename: str, content: bytes
) -> Document:
    """Store a PDF, PNG or JPEG of at most 10 MB, encrypted; anything else is refused clearly."""

    require(actor, Action.EDIT_CASE)
    require_holder(actor, survivor)
    if not content:
        raise DomainError(_("The file is empty."), field="file")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DomainError(_("The file is larger than 10 MB."), field="file")
    content_type = sniff_content_type(content[:16])
    if content_type is None:
        raise DomainError(_("Only PDF, PNG and JPEG files can be uploaded."), field="file")
    document = Document.objects.create(
        survivor=survivor,
        organisation=actor.organisation,
        kind=kind,
        filename=filename[:200],
        content_type=content_type,
        size=len(content),
        content=crypto.encrypt_bytes(content),
        uploaded_by=actor.user,
    )
    record(
        actor, AuditAction.CREATE, document, label=f"{survivor.case_code} document", fields=[kind]
    )
    return document


def read_document(actor: Actor, document: Document) -> bytes:
    record(actor, AuditAction.READ, document, label=f"{document.survivor.case_code} document")
    return crypto.decrypt_bytes(bytes(document.content))


LEGAL_FIELDS = (
    "stage",
    "court_reference",
    "prosecutor_office",
    "next_hearing",
    "witness_support",
    "compensation_claimed",
    "compensation_amount",
    "compensation_currency",
    "compensation_status",
)


@transaction.atomic
def save_legal_case(
    actor: Actor,
    survivor: Survivor,
    data: Mapping[str, Any],
    legal: LegalCase | None = None,
    version: int | None = None,
) -> LegalCase:
    require(actor, Action.EDIT_CASE)
    require_holder(actor, survivor)
    if legal is None:
        legal = LegalCase.objects.create(
            survivor=survivor, **{f: data[f] for f in LEGAL_FIELDS if f in data}
        )
        record(actor, AuditAction.CREATE, legal, label=f"{survivor.case_code} court case")
        return legal
    changed = [f for f in LEGAL_FIELDS if f in data and getattr(legal, f) != data[f]]
    for field in changed:
        setattr(legal, field, data[field])
    if (
        LegalCase.objects.filter(pk=legal.pk, version=version).update(
            **{f: getattr(legal, f) for f in changed}, version=(version or 0) + 1
        )
        != 1
    ):
        raise StaleVersion(
            _("This court case was changed by someone else; reload to see the changes."),
            field="version",
        )
    legal.version = (version or 0) + 1
    record(
        actor, AuditAction.UPDATE, legal, label=f"{survivor.case_code} court case", fields=changed
    )
    return legal
