"""What referrals contribute to the composed pages (`aftercare.casefile`): the referrals
section of the case page, and the referrals waiting in the work queue (to answer, transfers
to approve, those a referral source made, and the coordinator's counts of those unanswered).
Each function takes the `CaseAccess` from `cases.access.access_case`, or the actor."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, can
from aftercare.accounts.roles import Role
from aftercare.cases.access import CaseAccess
from aftercare.core.work_items import LIMIT, WorkItem
from aftercare.referrals import services
from aftercare.referrals.models import OPEN_STATUSES, Referral, ReferralStatus

REFERRAL_UPDATE_DAYS = 30  # a referral source sees her closed referrals for a month


def case_page(case: CaseAccess) -> dict:
    """The referrals section of the case page: this case's referrals the actor's side is party
    to."""
    return services.case_referral_context(case)


# The work queue ------------------------------------------------------------------------------


def referrals_to_answer(actor: Actor) -> list[WorkItem]:
    """Referrals sent to the organisation and not yet answered: urgent ones first, then by the
    deadline to answer (never by when they were sent: a newer referral does not push an urgent
    one down)."""
    if not can(actor, Action.RESPOND_REFERRAL):
        return []
    rows = (
        Referral.objects.visible_to(actor)
        .filter(to_organisation_id=actor.organisation_id, status=ReferralStatus.SENT)
        .in_answer_order()
        .values_list("pk", "urgent", "respond_by", "from_organisation__name")[:LIMIT]
    )
    return [
        WorkItem(
            kind="referral_response",
            title=_("Urgent referral to answer") if urgent else _("Referral to answer"),
            detail=_("From %(organisation)s") % {"organisation": sender},
            urgent=urgent,
            referral=pk,
            due=timezone.localdate(respond_by),
            url=reverse("referrals:detail", args=[pk]),
        )
        for pk, urgent, respond_by, sender in rows
    ]


def transfers_to_approve(actor: Actor) -> list[WorkItem]:
    """Transfers of the organisation's cases waiting for a supervisor's approval."""
    if actor.role != Role.SUPERVISOR:
        return []
    rows = (
        Referral.objects.visible_to(actor)
        .filter(
            from_organisation_id=actor.organisation_id,
            transfer=True,
            transfer_approved_at__isnull=True,
            status__in=OPEN_STATUSES,
        )
        .order_by("respond_by", "pk")
        .values_list("pk", "survivor__case_code", "to_organisation__name", "respond_by")[:LIMIT]
    )
    return [
        WorkItem(
            kind="transfer_approval",
            title=_("Transfer to approve"),
            detail=_("%(code)s to %(organisation)s") % {"code": code, "organisation": receiver},
            due=timezone.localdate(respond_by),
            referral=pk,
            url=reverse("referrals:detail", args=[pk]),
        )
        for pk, code, receiver, respond_by in rows
    ]


def referrals_made(actor: Actor) -> list[WorkItem]:
    """The referrals she made: those still open, and those closed in the last month, with
    their state. No case code: a referral source does not see the case."""
    if actor.role != Role.REFERRAL_SOURCE or not can(actor, Action.VIEW_REFERRALS):
        return []
    recent = timezone.now() - timedelta(days=REFERRAL_UPDATE_DAYS)
    rows = (
        Referral.objects.visible_to(actor)
        .filter(Q(status__in=OPEN_STATUSES) | Q(closed_at__gte=recent))
        .order_by("-urgent", "respond_by", "pk")
        .values_list("pk", "status", "to_organisation__name", "respond_by", "urgent")[:LIMIT]
    )
    labels = dict(ReferralStatus.choices)
    return [
        WorkItem(
            kind="referral_made",
            title=_("Referral to %(organisation)s") % {"organisation": receiver},
            detail=str(labels.get(status, status)),
            referral=pk,
            urgent=urgent,
            due=timezone.localdate(respond_by) if status == ReferralStatus.SENT else None,
            url=reverse("referrals:detail", args=[pk]),
        )
        for pk, status, receiver, respond_by, urgent in rows
    ]


def unanswered_referrals(actor: Actor) -> list[WorkItem]:
    """Per organisation, how many referrals sent to it are past their deadline unanswered
    (counts only: the coordinator does not see referrals themselves)."""
    if actor.role != Role.NETWORK_COORDINATOR:
        return []
    rows = (
        Referral.objects.filter(status=ReferralStatus.SENT, respond_by__lt=timezone.now())
        .values_list("to_organisation__slug", "to_organisation__name")
        .annotate(n=Count("pk"), oldest=Min("respond_by"))
        .order_by("-n", "to_organisation__name")[:LIMIT]
    )
    return [
        WorkItem(
            kind="referrals_unanswered",
            title=_("Referrals past their deadline, unanswered"),
            detail=name,
            count=n,
            due=timezone.localdate(oldest),
            url=reverse("network:profile", args=[slug]),
        )
        for slug, name, n, oldest in rows
    ]
