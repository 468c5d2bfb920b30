"""The one wall around a survivor's record: every read or change of a case passes here.

`access_case(actor, case_id, section=..., write=...)` answers once, for one caller and one
case, what that caller may see and do: the organisation that holds the case sees all of it;
an organisation the case was referred to sees, while the referral is accepted or in progress,
what the survivor agreed to share (`Referral.shared_sections`) plus the services delivered
and its own notes; anyone else gets the same not-found as for a case that does not exist.

Pages, the API, exports, imports, charts and the risk, livelihood, voice and interop domains
take a case only through it and hand the returned `CaseAccess` on, so a template or a panel
never re-decides what is visible: it receives the sections computed here.

`Section` is the one vocabulary of the parts of a case; nothing else lists them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.policy import Action, Actor, can, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.models import Survivor
from aftercare.cases.models.survivor import sharing_referrals


class Section(models.TextChoices):
    """The parts of a case. The label is the one a survivor's consent names."""

    IDENTITY = "identity", gettext_lazy("Identity and contact details")
    NEEDS = "needs", gettext_lazy("Needs")
    PLAN = "plan", gettext_lazy("Care plan")
    SERVICES = "services", gettext_lazy("Services delivered")
    RISK = "risk", gettext_lazy("Re-trafficking risk")
    LEGAL = "legal", gettext_lazy("Court case")
    LIVELIHOOD = "livelihood", gettext_lazy("Livelihood")
    NOTES = "notes", gettext_lazy("Notes")
    DOCUMENTS = "documents", gettext_lazy("Documents")
    CONSENT = "consent", gettext_lazy("Consent")
    HISTORY = "history", gettext_lazy("History")


ALL_SECTIONS = frozenset(Section)
# What a survivor may agree to share with an organisation she is referred to.
SHAREABLE = (
    Section.IDENTITY,
    Section.NEEDS,
    Section.PLAN,
    Section.SERVICES,
    Section.RISK,
    Section.LEGAL,
)
SHAREABLE_CHOICES = [(section.value, section.label) for section in SHAREABLE]
DEFAULT_SHARED = [Section.NEEDS, Section.PLAN]
# A partner always sees the services delivered (it delivers some) and its own notes.
PARTNER_ALWAYS = frozenset({Section.SERVICES, Section.NOTES})
# And it records there, and only there: the rest of the record stays with its holder.
PARTNER_WRITES = frozenset({Section.SERVICES, Section.NOTES})

# The case page's navigation, in page order: (anchor, label, section it needs or None).
PAGE = (
    ("overview", gettext_lazy("Overview"), None),
    ("plan", gettext_lazy("Plan"), Section.PLAN),
    ("needs", gettext_lazy("Needs"), Section.NEEDS),
    ("services", gettext_lazy("Services"), Section.SERVICES),
    ("risk", gettext_lazy("Risk"), Section.RISK),
    ("livelihood", gettext_lazy("Livelihood"), Section.LIVELIHOOD),
    ("referrals", gettext_lazy("Referrals"), None),
    ("notes", gettext_lazy("Notes"), Section.NOTES),
    ("legal", gettext_lazy("Legal"), Section.LEGAL),
    ("documents", gettext_lazy("Documents"), Section.DOCUMENTS),
    ("consent", gettext_lazy("Consent"), Section.CONSENT),
    ("history", gettext_lazy("History"), Section.HISTORY),
)

OWNER, PARTNER = "owner", "partner"


def shareable(values) -> list[str]:
    """Keep, sorted, only the sections a survivor may agree to share."""
    allowed = {section.value for section in SHAREABLE}
    return sorted({str(value) for value in values if str(value) in allowed})


@dataclass(frozen=True)
class CaseAccess:
    """What one caller may see and do on one case, computed once by `access_case`."""

    actor: Actor
    survivor: Survivor
    relation: str  # OWNER or PARTNER
    sections: frozenset[Section]
    referral: object | None = None  # the accepted referral that shares the case with a partner

    @property
    def is_owner(self) -> bool:
        return self.relation == OWNER

    def sees(self, section: Section | str) -> bool:
        return section in self.sections

    @property
    def may_edit(self) -> bool:
        """Change the record itself: the holder's case workers and supervisors, never after
        anonymising."""
        return (
            self.is_owner and can(self.actor, Action.EDIT_CASE) and not self.survivor.anonymised_at
        )

    @property
    def may_contribute(self) -> bool:
        """Record a service delivered or a note of one's own: holder and partner alike."""
        return can(self.actor, Action.EDIT_CASE) and not self.survivor.anonymised_at

    def may_write(self, section: Section | str) -> bool:
        return self.may_edit or (self.may_contribute and section in PARTNER_WRITES)

    @property
    def nav(self) -> list[tuple[str, str]]:
        return [
            (anchor, label)
            for anchor, label, section in PAGE
            if section is None or section in self.sections
        ]

    @property
    def display_name(self) -> str:
        """The name this caller may read: the full name with `identity`, else the name she uses."""
        return self.survivor.full_name if self.sees(Section.IDENTITY) else self.survivor.given_name

    def require(self, section: Section | str) -> None:
        if section not in self.sections:
            raise PermissionDenied(NOT_SHARED.get(section, NOT_SHARED[None])())

    def require_holder(self) -> None:
        """For what only the organisation holding the case sees or records (mentoring, care
        settings)."""
        if not self.is_owner:
            raise PermissionDenied(_("Only the organisation that holds this case may do that."))

    def require_write(self, section: Section | str | None = None) -> None:
        if not self.is_owner and section not in PARTNER_WRITES:
            raise PermissionDenied(_("Only the organisation that holds this case may do that."))


NOT_SHARED = {
    Section.RISK: lambda: _(
        "The survivor has not agreed to share their risk and wellbeing with you."
    ),
    Section.LIVELIHOOD: lambda: _(
        "The survivor has not agreed to share their livelihood record with you."
    ),
    None: lambda: _("The survivor has not agreed to share this part of her case with you."),
}


def access_case(
    actor: Actor,
    case_id,
    *,
    section: Section | str | None = None,
    write: bool = False,
    reason: str = "",
    audit: bool = True,
    for_update: bool = False,
) -> CaseAccess:
    """The case `case_id` as `actor` may use it; raise Http404 for a case the actor may not know
    about (another organisation's, an unknown id, a role without cases), PermissionDenied for
    a section not shared with a partner or a change only the holder may make.

    The read is recorded in the audit trail under the case, so the holder's supervisor sees
    a partner's reads in the case's own trail.
    """
    if not can(actor, Action.VIEW_CASES):
        raise Http404("No such case")
    try:
        key = uuid.UUID(str(case_id))
    except ValueError as exc:
        raise Http404("No such case") from exc
    rows = Survivor.objects.select_related("region", "organisation", "assigned_worker", "team")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    survivor = rows.filter(pk=key).first()
    if survivor is None:
        raise Http404("No such case")
    case = case_access_for(actor, survivor)
    if case is None:
        raise Http404("No such case")
    if section is not None:
        case.require(section)
    if write:
        case.require_write(section)
    if audit:
        record(actor, AuditAction.READ, survivor, reason=reason)
    return case


def case_access_for(actor: Actor, survivor: Survivor) -> CaseAccess | None:
    """The access of `actor` to a case already loaded (a list, an import); None for no access.

    Not audited: the caller records what it reads.
    """
    if not can(actor, Action.VIEW_CASES):
        return None
    if survivor.organisation_id == actor.organisation_id:
        return CaseAccess(actor, survivor, OWNER, ALL_SECTIONS)
    referral = (
        sharing_referrals(actor.organisation_id)
        .filter(survivor=survivor)
        .order_by("-accepted_at")
        .first()
    )
    if referral is None:
        return None
    shared = {Section(s) for s in shareable(referral.shared_sections)}
    return CaseAccess(actor, survivor, PARTNER, frozenset(shared | PARTNER_ALWAYS), referral)


def require_holder(actor: Actor, survivor: Survivor) -> None:
    """For domain operations that change what only the holder changes (a second wall under the
    views)."""
    if survivor.organisation_id != actor.organisation_id:
        raise PermissionDenied(_("Only the organisation that holds this case may do that."))


def held_case(actor: Actor, survivor_id, action: Action, *, reason: str = "") -> Survivor:
    """A case for what only the organisation holding it sees or records (mentoring, care
    settings): 403 for a role without `action`, 404 for a case the actor may not know about,
    403 for a partner organisation. The read is audited with `reason`."""
    require(actor, action)
    case = access_case(actor, survivor_id, reason=reason)
    case.require_holder()
    return case.survivor


def identity_shared_ids(actor: Actor) -> set:
    """Cases shared with the actor's organisation whose survivor agreed to share her identity
    with it: the newest accepted referral decides, as in `case_access_for`. One query."""
    if not can(actor, Action.VIEW_CASES):
        return set()
    latest: dict = {}
    rows = (
        sharing_referrals(actor.organisation_id)
        .order_by("survivor_id", "-accepted_at")
        .values_list("survivor_id", "shared_sections")
    )
    for survivor_id, sections in rows:
        latest.setdefault(survivor_id, sections or [])
    return {pk for pk, sections in latest.items() if Section.IDENTITY.value in sections}


def listed_names(actor: Actor, cases: Mapping) -> dict:
    """First names to show beside the case codes of a list, given {case id: id of the
    organisation holding it}, for the cases whose identity the actor may see (its
    organisation holds them, or she agreed to share her identity with it); the others stay
    codes only.

    Lists load cases without their encrypted identifiers; this reads and decrypts the given
    name of those rows alone, in one query (two if some rows are shared by a referral).
    """
    if not cases or not can(actor, Action.VIEW_CASES):
        return {}
    allowed = {
        pk for pk, organisation_id in cases.items() if organisation_id == actor.organisation_id
    }
    if len(allowed) < len(cases):
        allowed |= set(cases) & identity_shared_ids(actor)
    if not allowed:
        return {}
    names = Survivor.objects.filter(pk__in=allowed, anonymised_at__isnull=True).values_list(
        "pk", "given_name"
    )
    return {pk: name for pk, name in names if name}


def with_listed_names(actor: Actor, survivors) -> list:
    """The rows (cases), each with `listed_name` set ("" where only the code may be shown)."""
    rows = list(survivors)
    names = listed_names(actor, {s.pk: s.organisation_id for s in rows})
    for survivor in rows:
        survivor.listed_name = names.get(survivor.pk, "")
    return rows
