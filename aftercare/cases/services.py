"""Domain operations on a survivor's case. The pages, the API and the CLI all call these."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, require
from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditAction, AuditEvent
from aftercare.audit.services import record
from aftercare.cases import duplicates, search
from aftercare.cases.models import (
    CaseNote,
    CaseStatus,
    ClosureReason,
    Document,
    DuplicateToken,
    SearchKey,
    StatusChange,
    Survivor,
    TraffickingEvent,
)
from aftercare.core import crypto
from aftercare.core.errors import DomainError, StaleVersion, TransitionNotAllowed
from aftercare.core.fields import encrypted_fields

# Crockford's base32 without the look-alikes, so a code read aloud over a phone survives.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
# Her profile without a direct identifier: what the case list shows (`SurvivorSummary`).
PSEUDONYMOUS_FIELDS = (
    "gender",
    "nationality",
    "region",
    "exploitation_types",
    "means_of_control",
    "recruiter_relation",
    "country_of_exploitation",
    "identified_by",
    "languages",
)
# What identifies her, or her guardian, directly: a list that shows none of it defers these.
DIRECT_IDENTIFIERS = ("given_name", "family_name", "phone", "address", "date_of_birth", "id_number")
GUARDIAN_IDENTIFIERS = ("guardian_name", "guardian_phone")
IDENTIFIER_FIELDS = (*DIRECT_IDENTIFIERS, *GUARDIAN_IDENTIFIERS)
PROFILE_FIELDS = (
    *DIRECT_IDENTIFIERS,
    "year_of_birth",
    *PSEUDONYMOUS_FIELDS,
    *GUARDIAN_IDENTIFIERS,
    "guardian_relation",
)
EDITABLE_FIELDS = (*PROFILE_FIELDS, "status", "closure_reason")
# The roles that may be responsible for a case (aftercare.cases.assignment uses the same).
HOLDING_ROLES = (Role.CASE_WORKER, Role.SUPERVISOR)

# The case lifecycle: one table, so an illegal move is refused in one place.
TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.INTAKE: {CaseStatus.ACTIVE, CaseStatus.CLOSED},
    CaseStatus.ACTIVE: {CaseStatus.STABLE, CaseStatus.CLOSED},
    CaseStatus.STABLE: {CaseStatus.ACTIVE, CaseStatus.CLOSED},
    CaseStatus.CLOSED: {CaseStatus.ACTIVE},  # reopening keeps the history in StatusChange
}


class GuardianRequired(DomainError):
    """A minor's case needs a guardian on record."""


class PossibleDuplicateFound(DomainError):
    """Intake found possible matches and the worker has not yet said she is someone else."""

    status_code = 409
    code = "possible_duplicate"

    def __init__(self, matches: duplicates.Matches):
        super().__init__(
            _(
                "This person may already have a case. Open the "
                "existing case, or confirm that she is someone else."
            ),
            field="confirm_new",
        )
        self.matches = matches


def derive_birth_year(values: dict[str, Any]) -> None:
    """A date of birth also gives the year of birth, which is what the pseudonymous profile,
    the age band, the minor check and a partner's view use; the two must not disagree."""
    born = values.get("date_of_birth")
    if not born:
        return
    year = values.get("year_of_birth")
    if year is None:
        values["year_of_birth"] = born.year
    elif year != born.year:
        raise DomainError(
            _("The year of birth does not match the date of birth."), field="year_of_birth"
        )


def new_case_code() -> str:
    """A pseudonymous code, unique across the network (checked by a unique constraint)."""
    return "AC-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(7))


def check_minor(values: Mapping[str, Any]) -> None:
    """A minor's case needs a guardian on record (intake, changes and imports ask the same)."""
    year = values.get("year_of_birth")
    if year is not None and timezone.now().year - year < 18 and not values.get("guardian_name"):
        raise GuardianRequired(
            _("This survivor is a minor: record the guardian's name."), field="guardian_name"
        )


def intake_survivor(
    actor: Actor, data: Mapping[str, Any], *, confirm_new: bool = True
) -> tuple[Survivor, duplicates.PossibleDuplicate]:
    """Open a case in the actor's organisation; also say whether it may already exist.

    The case worker (or supervisor) who opens it is responsible for it until it is handed over.
    With `confirm_new=False` (the intake page and API before the worker has seen the matches)
    nothing is saved when a possible match exists: `PossibleDuplicateFound` carries them. The
    spreadsheet imports show their count in the preview before saving, and pass True.
    """
    require(actor, Action.CREATE_CASE)
    values = {field: data[field] for field in PROFILE_FIELDS if field in data}
    derive_birth_year(values)
    check_minor(values)
    if not confirm_new:
        matches = duplicates.possible_matches(
            actor,
            values.get("given_name", ""),
            values.get("family_name", ""),
            values.get("year_of_birth"),
        )
        if matches.found:
            raise PossibleDuplicateFound(matches)
    possible = duplicates.check(
        actor.organisation_id,
        values.get("given_name", ""),
        values.get("family_name", ""),
        values.get("year_of_birth"),
    )
    for attempt in range(5):
        survivor = Survivor(
            organisation=actor.organisation,
            created_by=actor.user,
            case_code=new_case_code(),
            assigned_worker=actor.user if actor.role in HOLDING_ROLES else None,
            **values,
        )
        survivor.name_index = crypto.blind_index(survivor.full_name)
        try:
            with transaction.atomic():
                survivor.save()
                duplicates.store_tokens(survivor)
                search.store_keys(survivor)
                record(actor, AuditAction.CREATE, survivor, fields=values.keys())
            return survivor, possible
        except IntegrityError:
            if attempt == 4 or not Survivor.objects.filter(case_code=survivor.case_code).exists():
                raise
    raise AssertionError("unreachable")


def _transition(actor: Actor, survivor: Survivor, to_status: str, reason: str) -> StatusChange:
    if survivor.closure_reason == ClosureReason.DUPLICATE:
        raise TransitionNotAllowed(
            _("This case was merged into another: work on the case that was kept."), field="status"
        )
    if to_status not in TRANSITIONS[survivor.status]:
        raise TransitionNotAllowed(
            _("A case cannot move from %(from)s to %(to)s.")
            % {
                "from": CaseStatus(survivor.status).label,
                "to": CaseStatus(to_status).label if to_status in CaseStatus.values else to_status,
            },
            field="status",
        )
    if to_status == CaseStatus.CLOSED:
        require(actor, Action.CLOSE_CASE)
        if reason == ClosureReason.DUPLICATE:
            raise DomainError(
                _("To close a case as a duplicate, merge it into the case that is kept."),
                field="closure_reason",
            )
        if reason not in ClosureReason.values:
            raise DomainError(_("Say why the case is closed."), field="closure_reason")
        survivor.closure_reason, survivor.closed_at = reason, timezone.now()
    elif survivor.status == CaseStatus.CLOSED:
        survivor.closure_reason, survivor.closed_at = "", None
    change = StatusChange(
        survivor=survivor,
        from_status=survivor.status,
        to_status=to_status,
        reason=reason,
        changed_by=actor.user,
    )
    survivor.status = to_status
    return change


@transaction.atomic
def update_survivor(
    actor: Actor, survivor: Survivor, data: Mapping[str, Any], version: int
) -> Survivor:
    """Change a case if `version` is still current; a stale version loses nothing and raises 409."""
    require(actor, Action.EDIT_CASE)
    current = Survivor.objects.owned_by(actor).select_for_update().filter(pk=survivor.pk).first()
    if current is None:
        raise Http404("No such case")
    if current.version != version:
        changed = (
            ", ".join(str(_verbose(name)) for name in fields_changed_since(current, version)) or "-"
        )
        raise StaleVersion(
            _(
                "This case was changed by someone else since you opened "
                "it (fields changed: %(fields)s). Reload and try again."
            )
            % {"fields": changed},
            field="version",
        )
    data = dict(data)
    if data.get("date_of_birth") and "year_of_birth" not in data:
        data["year_of_birth"] = data["date_of_birth"].year
    derive_birth_year(
        {
            "date_of_birth": data.get("date_of_birth", current.date_of_birth),
            "year_of_birth": data.get("year_of_birth", current.year_of_birth),
        }
    )
    changed = [f for f in PROFILE_FIELDS if f in data and getattr(current, f) != data[f]]
    for field in changed:
        setattr(current, field, data[field])
    check_minor({f: getattr(current, f) for f in ("year_of_birth", "guardian_name")})
    status_change = None
    if "status" in data and data["status"] != current.status:
        status_change = _transition(actor, current, data["status"], data.get("closure_reason", ""))
        changed += ["status", "closure_reason", "closed_at"]
    current.name_index = crypto.blind_index(current.full_name)
    current.version = version + 1
    current.save()
    if status_change:
        status_change.save()
    if {"given_name", "family_name", "year_of_birth"} & set(changed):
        duplicates.store_tokens(current)
    if {"given_name", "family_name"} & set(changed):
        search.store_keys(current)
    record(actor, AuditAction.UPDATE, current, fields=changed)
    return current


def fields_changed_since(survivor: Survivor, version: int) -> list[str]:
    """Field names changed after `version`: each update adds one version and one audit event."""
    newer = max(0, survivor.version - version)
    events = AuditEvent.objects.filter(
        object_type="cases.survivor", object_id=str(survivor.pk), action=AuditAction.UPDATE
    ).order_by("-at")[:newer]
    return sorted({field for event in events for field in event.fields})


def _verbose(name: str) -> str:
    """A field's label for people ("date of birth"), not its code ("date_of_birth")."""
    try:
        return Survivor._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return name.replace("_", " ")


OPEN = "open"  # the status filter for open cases: `SurvivorQuerySet.open`, the one definition


def search_survivors(
    actor: Actor, query: str = "", status: str = "", held: bool = False
) -> search.SearchResult:
    """The caller's visible cases, with a status and matching `query` if given: any part of a
    case code, or part or a misspelling of the survivor's name (see cases.search), ranked.

    `status="open"` means open cases by the one definition (`SurvivorQuerySet.open`); `held`
    keeps only the cases the actor's organisation holds (not those partners share with it), so
    that `status="open", held=True` lists exactly what the dashboard and the reports count.
    For lists: the encrypted identifiers are not loaded (nor decrypted) at all. A search
    with a query is audited (how many matched and how, never the query).
    """
    cases = (
        Survivor.objects.visible_to(actor)
        .counted()
        .select_related("region", "assigned_worker", "team")
        .defer(*IDENTIFIER_FIELDS)
    )
    if held:
        cases = cases.filter(organisation_id=actor.organisation_id)
    if status == OPEN:
        cases = cases.open()
    elif status:
        cases = cases.filter(status=status)
    query = query.strip()
    if not query:
        return search.SearchResult(cases)
    return search.search(actor, cases, query)


@transaction.atomic
def anonymise(actor: Actor | None, survivor: Survivor, *, reason: str) -> Survivor:
    """Destroy every identifier and identifying record; keep what statistics need.

    Used when a survivor withdraws all consent. Irreversible by design.
    """
    for field in encrypted_fields(Survivor):
        setattr(survivor, field, None if field == "date_of_birth" else "")
    survivor.name_index = ""
    survivor.guardian_relation = ""
    survivor.anonymised_at = timezone.now()
    if survivor.status != CaseStatus.CLOSED:
        StatusChange.objects.create(
            survivor=survivor,
            from_status=survivor.status,
            to_status=CaseStatus.CLOSED,
            reason=ClosureReason.CONSENT_WITHDRAWN,
            changed_by=getattr(actor, "user", None),
        )
        survivor.status = CaseStatus.CLOSED
        survivor.closure_reason = ClosureReason.CONSENT_WITHDRAWN
        survivor.closed_at = timezone.now()
    survivor.version += 1
    survivor.save()
    DuplicateToken.objects.filter(survivor=survivor).delete()
    SearchKey.objects.filter(survivor=survivor).delete()
    Document.objects.filter(survivor=survivor).delete()
    CaseNote.objects.filter(survivor=survivor).update(text="")
    TraffickingEvent.objects.filter(survivor=survivor).update(place="", description="")
    # The HTCDS details of the case keep free text too. Interop builds on cases, so they are
    # reached through the reverse relation (`Survivor.htcds`), not imported.
    htcds = Survivor._meta.get_field("htcds").related_model
    htcds.objects.filter(survivor=survivor).update(
        incoming_referral_details="", closure_reason_text=""
    )
    record(
        actor,
        AuditAction.DELETE,
        survivor,
        fields=["identifiers", "documents", "notes"],
        reason=reason,
    )
    return survivor
