"""What risk contributes to the composed pages (`aftercare.casefile`): the risk and wellbeing
panel of the case page, the follow-ups and alerts of the work queue, and its part of merging
two records of one person. Each function takes the `CaseAccess` from `cases.access.access_case`
(or the actor, for the queue), never a case fetched another way."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, can, require
from aftercare.cases.access import CaseAccess, Section
from aftercare.cases.models import Survivor
from aftercare.cases.sections import open_and_mine
from aftercare.core.work_items import LIMIT, WorkItem
from aftercare.risk import services
from aftercare.risk.models import Alert, AlertKind, AlertStatus, Assessment, SurvivorRisk
from aftercare.risk.services import LEVEL_RANK, RiskLevel

FOLLOW_UP_AHEAD_DAYS = 7  # follow-ups due within a week are shown before they are late

# The case page --------------------------------------------------------------------------------

PANEL = Section.RISK  # the section `access_case` checks before the panel is read


def case_page(case: CaseAccess) -> dict:
    """Whether the page offers the risk panel: read by its own request when opened, so offered
    only to whoever may read it."""
    return {"risk_panel": case.sees(Section.RISK) and can(case.actor, Action.VIEW_RISK)}


def case_panel(case: CaseAccess) -> tuple[str, dict]:
    """The risk and wellbeing panels, read only when she opens them (htmx), so the page's own
    cost does not carry their assessments, alerts and measures."""
    require(
        case.actor, Action.VIEW_RISK
    )  # as on the risk page; the case page offers it to these roles only
    return "risk/_case_panel.html", {
        **services.case_risk_context(case),
        **services.case_wellbeing_context(case),
    }


# The work queue ------------------------------------------------------------------------------


def follow_ups(actor: Actor) -> list[WorkItem]:
    """Risk follow-ups due within a week or overdue, soonest first (`Survivor.risk_due`)."""
    if not can(actor, Action.ASSESS_RISK):
        return []
    horizon = timezone.localdate() + timedelta(days=FOLLOW_UP_AHEAD_DAYS)
    cases = open_and_mine(actor, Survivor.objects.all()).filter(risk_due__lte=horizon)
    rows = cases.order_by("risk_due", "-risk_rank", "case_code").values_list(
        "pk", "case_code", "risk_due"
    )[:LIMIT]
    return [
        WorkItem(
            kind="follow_up",
            title=_("Risk follow-up"),
            detail=code,
            due=due,
            survivor=pk,
            url=reverse("risk:assess", args=[pk]),
        )
        for pk, code, due in rows
    ]


def risk_alerts(actor: Actor) -> list[WorkItem]:
    """Open re-trafficking risk alerts on the organisation's cases, newest first."""
    if not can(actor, Action.VIEW_RISK_ALERTS):
        return []
    alerts = open_and_mine(actor, Alert.objects.visible_to(actor), "survivor__").filter(
        status=AlertStatus.OPEN
    )
    labels = dict(AlertKind.choices)
    rows = alerts.order_by("-raised_at", "pk").values_list(
        "survivor_id", "survivor__case_code", "kind", "due_date"
    )
    return [
        WorkItem(
            kind="risk_alert",
            title=str(labels.get(kind, kind)),
            detail=code,
            survivor=survivor_id,
            urgent=kind == AlertKind.HIGH_RISK,
            due=due,  # the missed follow-up date, for that kind
            url=reverse("risk:survivor", args=[survivor_id]),
        )
        for survivor_id, code, kind, due in rows[:LIMIT]
    ]


# Merging two records of one person (casefile.merge) -----------------------------------------


def settle_alerts(keep: Survivor, other: Survivor) -> None:
    """Before the records move: an open alert of a kind the kept case also has open is one
    alert, so the other's is settled."""
    open_kept = set(
        Alert.objects.filter(survivor=keep, status=AlertStatus.OPEN).values_list(
            "kind", "factor_code"
        )
    )
    for alert in Alert.objects.filter(survivor=other, status=AlertStatus.OPEN):
        if (alert.kind, alert.factor_code) in open_kept:
            Alert.objects.filter(pk=alert.pk).update(status=AlertStatus.RESOLVED)


def refresh_risk_copy(keep: Survivor) -> None:
    """After the kept case is saved: the caseload sorts by a copy of the current risk, so copy
    it again from what the kept case now holds."""
    newest = Assessment.objects.filter(survivor=keep).order_by("-assessed_at").first()
    if newest is None:
        return
    SurvivorRisk.objects.filter(assessment=newest).exclude(
        survivor=keep
    ).delete()  # derived: rebuilt below
    SurvivorRisk.objects.update_or_create(
        survivor=keep,
        defaults={
            "assessment": newest,
            "level": newest.level,
            "rank": LEVEL_RANK[RiskLevel(newest.level)],
            "score": newest.score,
            "last_assessed": newest.assessed_at,
            "next_follow_up": newest.next_follow_up,
        },
    )
    Survivor.objects.filter(pk=keep.pk).update(
        risk_rank=LEVEL_RANK[RiskLevel(newest.level)], risk_due=newest.next_follow_up
    )
