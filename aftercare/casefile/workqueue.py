"""The work queue: what is waiting for this person today, each item one click from the action.

One module for the dashboard and `GET /api/v1/my-work`, so the page and the API never differ.
`for_actor` asks only the kinds the actor's role works on (`KINDS_BY_ROLE`); each kind is one
function of its domain's `sections.py`, running one bounded query (at most
`core.workqueue.LIMIT` rows, or a single aggregate), scoped through the same visibility rules
as the pages it links to: a case item only for a case the actor's organisation holds (which
cases are "mine" is decided once, in `cases.sections.narrow_to_mine`), a referral only one
`Referral.objects.visible_to` gives, network figures only as counts (with the report's
small-cell rule), never a survivor of another organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.roles import Role
from aftercare.caresettings import sections as caresettings
from aftercare.cases import sections as cases
from aftercare.core.policy import Actor
from aftercare.core.work_items import WorkItem
from aftercare.network import sections as network
from aftercare.prevention import sections as prevention
from aftercare.referrals import sections as referrals
from aftercare.reports import sections as reports
from aftercare.risk import sections as risk
from aftercare.voice import sections as voice

CASE_WORK = [
    risk.follow_ups,
    referrals.referrals_to_answer,
    referrals.transfers_to_approve,
    risk.risk_alerts,
    cases.plan_reviews,
    voice.portal_comments,
    caresettings.detentions_without_lawyer,
]
KINDS_BY_ROLE: dict[str, list[Callable[[Actor], list[WorkItem]]]] = {
    Role.CASE_WORKER: CASE_WORK,
    Role.SUPERVISOR: CASE_WORK,
    Role.ADMIN: [risk.risk_alerts, caresettings.detentions_without_lawyer, reports.exports_ready],
    Role.REFERRAL_SOURCE: [referrals.referrals_made],
    Role.NETWORK_COORDINATOR: [
        voice.moderation,
        referrals.unanswered_referrals,
        network.stale_capacity,
        reports.network_gaps,
        reports.exports_ready,
    ],
    Role.ME_OFFICER: [reports.report_due, reports.data_quality, reports.exports_ready],
    Role.FIELD_WORKER: [prevention.school_cases, prevention.capture_refused],
}


def for_actor(actor: Actor | None) -> list[WorkItem]:
    """The actor's whole queue, in the order of `KINDS_BY_ROLE`, each kind sorted by its own
    rule."""
    if actor is None or actor.is_anonymous:
        return []
    items: list[WorkItem] = []
    for kind in KINDS_BY_ROLE.get(actor.role, []):
        items.extend(kind(actor))
    return items


KIND_LABELS = {
    "follow_up": gettext_lazy("Risk follow-ups due"),
    "referral_response": gettext_lazy("Referrals waiting for your answer"),
    "transfer_approval": gettext_lazy("Transfers to approve"),
    "risk_alert": gettext_lazy("Risk alerts"),
    "plan_review": gettext_lazy("Care plan reviews due"),
    "portal_comment": gettext_lazy("Survivors' comments from the portal"),
    "detention_lawyer": gettext_lazy("Detention without a lawyer"),
    "referral_made": gettext_lazy("Referrals you made"),
    "ratings_held": gettext_lazy("Ratings to moderate"),
    "comments_to_screen": gettext_lazy("Ratings to moderate"),
    "referrals_unanswered": gettext_lazy("Organisations with referrals unanswered"),
    "capacity_stale": gettext_lazy("Organisations to remind about free places"),
    "network_gap": gettext_lazy("Gaps in the network"),
    "export_ready": gettext_lazy("Exports ready"),
    "report_due": gettext_lazy("Reports due"),
    "data_quality": gettext_lazy("Data to complete"),
    "school_case_report": gettext_lazy("School cases to report"),
    "school_follow_up": gettext_lazy("School cases to follow up"),
    "capture_refused": gettext_lazy("Offline records not saved"),
}


@dataclass(frozen=True)
class Group:
    heading: str
    items: list[WorkItem]


def grouped(items: list[WorkItem]) -> list[Group]:
    """Items under one heading per kind of work, in the queue's order."""
    groups: dict[str, list[WorkItem]] = {}
    for item in items:
        groups.setdefault(str(KIND_LABELS.get(item.kind, item.kind)), []).append(item)
    return [Group(heading, rows) for heading, rows in groups.items()]


def shortcuts(actor: Actor | None) -> list[tuple[str, str]]:
    """Where a role's own work starts, beside its queue (label, url): no query."""
    if actor is None or actor.is_anonymous:
        return []
    links = {
        Role.REFERRAL_SOURCE: [
            (_("Refer someone"), "referrals:new_person"),
            (_("Your referrals"), "referrals:list"),
        ],
        Role.NETWORK_COORDINATOR: [
            (_("Moderation"), "voice:moderation"),
            (_("Gap map"), "reports:gaps"),
            (_("Reports"), "reports:dashboard"),
        ],
        Role.ME_OFFICER: [
            (_("Funder indicators"), "reports:indicators"),
            (_("Exports"), "reports:exports"),
            (_("Reports"), "reports:dashboard"),
        ],
        Role.FIELD_WORKER: [
            (_("Record in the field (works offline)"), "prevention:capture"),
            (_("Schools"), "prevention:schools"),
            (_("Prevention"), "prevention:home"),
        ],
        Role.CASE_WORKER: [
            (_("Risk alerts"), "risk:alerts"),
            (_("Incoming referrals"), "referrals:list"),
        ],
        Role.SUPERVISOR: [
            (_("Risk alerts"), "risk:alerts"),
            (_("Incoming referrals"), "referrals:list"),
            (_("Reports"), "reports:dashboard"),
        ],
        Role.ADMIN: [(_("Risk alerts"), "risk:alerts"), (_("Reports"), "reports:dashboard")],
    }.get(actor.role, [])
    return [(label, reverse(name)) for label, name in links] + [
        (_("Directory"), reverse("network:directory"))
    ]
