"""What a survivor sees and does in the portal, always on their own case and nothing else.

Every function takes the survivor's `SurvivorAccount` (found from the signed-in user, never
from an id in the request), so another survivor's case cannot even be named.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Organisation
from aftercare.accounts.policy import Action, Actor, require
from aftercare.accounts.roles import Role
from aftercare.accounts.services import notify_members
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases import care
from aftercare.cases.access import Section
from aftercare.cases.models import Consent, ConsentMethod, ConsentPurpose, Goal, GoalStatus
from aftercare.core.errors import DomainError
from aftercare.core.notices import Notice
from aftercare.network.taxonomy import ServiceDomain
from aftercare.referrals.models import SHARING_STATUSES, Referral, ReferralStatus
from aftercare.voice.models import GoalComment, SurvivorAccount
from aftercare.voice.portal_accounts import close_account

MAX_TEXT = 1000

PLAIN_GOAL_STATUS = {
    GoalStatus.NOT_STARTED: gettext_lazy("Not started yet"),
    GoalStatus.IN_PROGRESS: gettext_lazy("Working on it"),
    GoalStatus.ACHIEVED: gettext_lazy("Done"),
    GoalStatus.DROPPED: gettext_lazy("You no longer want this"),
}
PLAIN_CONSENT = {
    ConsentPurpose.SERVICE_DELIVERY: gettext_lazy(
        "Staff may use what they know about you to help you."
    ),
    ConsentPurpose.REFERRAL: gettext_lazy(
        "Staff may send you to another organisation for help, and tell it what it needs to know."
    ),
    ConsentPurpose.ANONYMISED_REPORTING: gettext_lazy(
        "You may be counted in reports, without your name or anything that shows it is you."
    ),
    ConsentPurpose.CONTACT: gettext_lazy("Staff may call or visit you."),
    ConsentPurpose.TRANSFER: gettext_lazy("A new group may look after you and keep your file."),
}
PLAIN_REFERRAL_STATUS = {
    ReferralStatus.SENT: gettext_lazy("Waiting for their answer"),
    ReferralStatus.ACCEPTED: gettext_lazy("They said yes"),
    ReferralStatus.DECLINED: gettext_lazy("They said no"),
    ReferralStatus.EXPIRED: gettext_lazy("No answer came"),
    ReferralStatus.IN_PROGRESS: gettext_lazy("They are helping you"),
    ReferralStatus.COMPLETED: gettext_lazy("Finished"),
    ReferralStatus.CANCELLED: gettext_lazy("Stopped"),
}
NOTIFIED_ROLES = (Role.CASE_WORKER, Role.SUPERVISOR)


class ConfirmationNeeded(DomainError):
    """Withdrawing the last consent anonymises the case: the survivor must confirm first."""

    status_code = 409
    code = "confirmation_needed"


def _own(actor: Actor, account: SurvivorAccount) -> None:
    require(actor, Action.VIEW_OWN_PLAN)
    if account.user_id != actor.user.pk:
        raise PermissionDenied


def _tell_case_staff(account: SurvivorAccount, key: str, section: str) -> None:
    survivor = account.survivor
    link = reverse("cases:detail", args=[survivor.pk]) + f"#{section}"
    notify_members(
        survivor.organisation, NOTIFIED_ROLES, Notice(key, {"code": survivor.case_code}), link
    )


# The plan ---------------------------------------------------------------------------------------


@dataclass
class PlanGoal:
    goal: Goal
    status: str
    comments: list[GoalComment]


def plan(actor: Actor, account: SurvivorAccount) -> list[PlanGoal]:
    _own(actor, account)
    goals = account.survivor.goals.select_related("responsible_organisation").prefetch_related(
        "comments"
    )
    record(actor, AuditAction.READ, account.survivor, reason="survivor portal: plan")
    return [
        PlanGoal(
            goal=g,
            status=str(PLAIN_GOAL_STATUS.get(g.status, g.status)),
            comments=list(g.comments.all()),
        )
        for g in goals
    ]


@transaction.atomic
def add_own_goal(actor: Actor, account: SurvivorAccount, *, domain: str, description: str) -> Goal:
    _own(actor, account)
    description = description.strip()
    if not description:
        raise DomainError(_("Write your goal in your own words."), field="description")
    if len(description) > MAX_TEXT:
        raise DomainError(
            _("Keep it under %(n)s characters.") % {"n": MAX_TEXT}, field="description"
        )
    if domain not in ServiceDomain.values:
        raise DomainError(_("Choose what the goal is about."), field="domain")
    goal = care.add_goal(
        actor, account.survivor, {"domain": domain, "description": description}, by_survivor=True
    )
    _tell_case_staff(account, "portal.goal_added", "plan")
    return goal


@transaction.atomic
def comment_on_goal(actor: Actor, account: SurvivorAccount, goal_id, text: str) -> GoalComment:
    _own(actor, account)
    try:
        goal = account.survivor.goals.get(pk=uuid.UUID(str(goal_id)))
    except (ValueError, Goal.DoesNotExist) as exc:
        raise Http404("No such goal") from exc
    text = text.strip()
    if not text:
        raise DomainError(_("Write your comment."), field="text")
    if len(text) > MAX_TEXT:
        raise DomainError(_("Keep it under %(n)s characters.") % {"n": MAX_TEXT}, field="text")
    comment = GoalComment.objects.create(goal=goal, text=text, by_survivor=True, author=actor.user)
    record(actor, AuditAction.CREATE, comment, label=f"{account.survivor.case_code} goal comment")
    _tell_case_staff(account, "portal.goal_comment", "plan")
    return comment


# Consent ------------------------------------------------------------------------------------------


@dataclass
class ConsentRow:
    purpose: str
    label: str
    explanation: str
    organisation: Organisation | None
    decision: Consent | None

    @property
    def granted(self) -> bool:
        return bool(self.decision and self.decision.granted)

    @property
    def key(self) -> str:
        return f"{self.purpose}:{self.organisation.pk if self.organisation else ''}"


def consents(actor: Actor, account: SurvivorAccount) -> list[ConsentRow]:
    _own(actor, account)
    record(actor, AuditAction.READ, account.survivor, reason="survivor portal: consent")
    current = care.latest_consents(account.survivor)
    rows = [
        ConsentRow(code, str(label), str(PLAIN_CONSENT[code]), None, current.get((code, None)))
        for code, label in ConsentPurpose.choices
    ]
    for (purpose, org_id), decision in sorted(current.items(), key=lambda item: str(item[0])):
        if org_id is not None:
            rows.append(
                ConsentRow(
                    purpose,
                    str(ConsentPurpose(purpose).label),
                    str(PLAIN_CONSENT[purpose]),
                    decision.organisation,
                    decision,
                )
            )
    return rows


def withdrawal_closes_case(account: SurvivorAccount, purpose: str, organisation_id=None) -> bool:
    """Whether this withdrawal would leave no consent at all (and so anonymise the case)."""
    current = care.latest_consents(account.survivor)
    return not any(c.granted for key, c in current.items() if key != (purpose, organisation_id))


@transaction.atomic
def withdraw_consent(
    actor: Actor,
    account: SurvivorAccount,
    purpose: str,
    organisation_id=None,
    *,
    confirmed: bool = False,
) -> Consent:
    """Withdraw at once (method `digital`). The last one anonymises the case and closes the
    account, so it needs `confirmed`."""
    _own(actor, account)
    if purpose not in ConsentPurpose.values:
        raise DomainError(_("Unknown purpose."), field="purpose")
    organisation = None
    if organisation_id:
        try:  # a malformed id is an unknown organisation, not a server error
            organisation = Organisation.objects.filter(pk=uuid.UUID(str(organisation_id))).first()
        except ValueError:
            organisation = None
        if organisation is None:
            raise DomainError(_("Unknown organisation."), field="organisation")
    decision = care.latest_consents(account.survivor).get(
        (purpose, getattr(organisation, "pk", None))
    )
    if decision is None or not decision.granted:
        raise DomainError(
            _("You have not given this consent, so there is nothing to withdraw."), field="purpose"
        )
    if (
        withdrawal_closes_case(account, purpose, getattr(organisation, "pk", None))
        and not confirmed
    ):
        raise ConfirmationNeeded(
            _(
                "This is your last consent. If you withdraw it, "
                "your case is closed and your details are deleted."
            )
        )
    consent = care.record_consent(
        actor,
        account.survivor,
        purpose=purpose,
        granted=False,
        method=ConsentMethod.DIGITAL,
        organisation=organisation,
        notes=_("Withdrawn by the survivor in the portal."),
        by_survivor=True,
    )
    account.survivor.refresh_from_db()
    if account.survivor.anonymised_at:
        close_account(None, account, reason="the survivor withdrew all consent")
    else:
        _tell_case_staff(account, "portal.consent_withdrawn", "consent")
    return consent


# Referrals and who holds the data ---------------------------------------------------------------


def referrals(actor: Actor, account: SurvivorAccount) -> list[dict]:
    """Where the survivor was referred, and the status in plain words; nothing staff wrote."""
    _own(actor, account)
    record(actor, AuditAction.READ, account.survivor, reason="survivor portal: referrals")
    rows = (
        Referral.objects.filter(survivor=account.survivor)
        .select_related("to_organisation")
        .order_by("-created_at")
    )
    domains = dict(ServiceDomain.choices)
    return [
        {
            "organisation": r.to_organisation.name,
            "services": [str(domains.get(d, d)) for d in r.domains],
            "status": r.status,
            "status_text": str(PLAIN_REFERRAL_STATUS.get(r.status, r.status)),
            "sent_on": r.created_at.date(),
        }
        for r in rows
    ]


def data_holders(actor: Actor, account: SurvivorAccount) -> list[dict]:
    """The organisation that holds the case, and each one it is shared with by an open,
    accepted referral, with what that one may see."""
    _own(actor, account)
    survivor = account.survivor
    record(actor, AuditAction.READ, survivor, reason="survivor portal: who holds the data")
    sections = dict(Section.choices)
    holders = [{"organisation": survivor.organisation.name, "owner": True, "sections": []}]
    shared = Referral.objects.filter(survivor=survivor, status__in=SHARING_STATUSES).select_related(
        "to_organisation"
    )
    seen = set()
    for referral in shared:
        if referral.to_organisation_id in seen:
            continue
        seen.add(referral.to_organisation_id)
        holders.append(
            {
                "organisation": referral.to_organisation.name,
                "owner": False,
                "sections": [str(sections.get(s, s)) for s in referral.shared_sections],
            }
        )
    return holders
