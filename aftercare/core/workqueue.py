"""The work queue: what is waiting for this person today, each item one click from the action.

One module for the dashboard and `GET /api/v1/my-work`, so the page and the API never differ.
`for_actor` asks only the kinds the actor's role works on (`KINDS_BY_ROLE`); each kind is one
function running one bounded query (at most `LIMIT` rows, or a single aggregate), scoped
through the same visibility rules as the pages it links to: a case item only for a case the
actor's organisation holds, a referral only one `Referral.objects.visible_to` gives, network
figures only as counts (with the report's small-cell rule), never a survivor of another
organisation.

Which cases are "mine" is decided in one place, `narrow_to_mine`: today the cases the actor's
organisation holds. When cases get an assigned worker, that is where a case worker's queue
narrows to her own caseload.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from aftercare.accounts.policy import Action, Actor, can
from aftercare.accounts.roles import Role

LIMIT = 20  # items of one kind; the page links to the full list behind each
FOLLOW_UP_AHEAD_DAYS = 7  # follow-ups due within a week are shown before they are late
PLAN_REVIEW_DAYS = 90  # a care plan is reviewed every 90 days (the indicator's window)
PLAN_REVIEW_AHEAD_DAYS = 14
COMMENT_DAYS = 30  # a survivor's comment from the portal waits for an answer this long at most
REFERRAL_UPDATE_DAYS = 30  # a referral source sees her closed referrals for a month
CAPACITY_STALE_DAYS = 30  # a directory's free places older than this are not to be trusted
CAPTURE_DAYS = 14  # refused or conflicting offline submissions, for the field worker to redo
REPORT_DUE_DAYS = 30  # after a quarter ends, its indicators are due for this long


@dataclass(frozen=True)
class WorkItem:
    """One thing to do. `url` opens the exact page (and section) where it is done."""

    kind: str
    title: str
    detail: str
    url: str
    due: date | None = None
    urgent: bool = False
    count: int | None = None  # for an item that stands for several records (network figures)
    survivor: uuid.UUID | None = None
    referral: uuid.UUID | None = None

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


def narrow_to_mine(actor: Actor, rows: QuerySet, via: str = "") -> QuerySet:
    """Keep the rows about cases that are the actor's to work on; `via` is the path from a row
    to its case ("" for cases themselves, "survivor__" for records of a case).

    The one place that says whose cases are "mine": cases the actor's organisation holds (a
    shared case is followed up by the organisation holding it); for a case worker, those she is
    responsible for and those nobody is responsible for yet (so that no follow-up falls between
    two workers before a supervisor hands the case out). Supervisors and admins see the whole
    organisation's."""
    rows = rows.filter(**{f"{via}organisation_id": actor.organisation_id})
    if actor.role == Role.CASE_WORKER:
        rows = rows.filter(
            Q(**{f"{via}assigned_worker_id": actor.user.pk}) | Q(**{f"{via}assigned_worker__isnull": True})
        )
    return rows


def _mine(actor: Actor, rows: QuerySet, via: str = "") -> QuerySet:
    """`narrow_to_mine`, for open cases only (`cases.models.survivor.open_q`): no work waits on
    a closed case."""
    from aftercare.cases.models.survivor import open_q

    return narrow_to_mine(actor, rows, via).filter(open_q(via))


def _case_url(survivor_id, section: str = "") -> str:
    return reverse("cases:detail", args=[survivor_id]) + (f"#{section}" if section else "")


# Case work: case workers, supervisors, admins -------------------------------------------------


def follow_ups(actor: Actor) -> list[WorkItem]:
    """Risk follow-ups due within a week or overdue, soonest first (`Survivor.risk_due`)."""
    from aftercare.cases.models import Survivor

    if not can(actor, Action.ASSESS_RISK):
        return []
    horizon = timezone.localdate() + timedelta(days=FOLLOW_UP_AHEAD_DAYS)
    cases = _mine(actor, Survivor.objects.all()).filter(risk_due__lte=horizon)
    rows = cases.order_by("risk_due", "-risk_rank", "case_code").values_list("pk", "case_code", "risk_due")[:LIMIT]
    return [
        WorkItem(kind="follow_up", title=_("Risk follow-up"), detail=code, due=due, survivor=pk,
                 url=reverse("risk:assess", args=[pk]))
        for pk, code, due in rows
    ]


def referrals_to_answer(actor: Actor) -> list[WorkItem]:
    """Referrals sent to the organisation and not yet answered: urgent ones first, then by the
    deadline to answer (never by when they were sent: a newer referral does not push an urgent
    one down)."""
    from aftercare.referrals.models import Referral, ReferralStatus

    if not can(actor, Action.RESPOND_REFERRAL):
        return []
    rows = (
        Referral.objects.visible_to(actor)
        .filter(to_organisation_id=actor.organisation_id, status=ReferralStatus.SENT)
        .in_answer_order()
        .values_list("pk", "urgent", "respond_by", "from_organisation__name")[:LIMIT]
    )
    return [
        WorkItem(kind="referral_response", title=_("Urgent referral to answer") if urgent else _("Referral to answer"),
                 detail=_("From %(organisation)s") % {"organisation": sender}, urgent=urgent, referral=pk,
                 due=timezone.localdate(respond_by), url=reverse("referrals:detail", args=[pk]))
        for pk, urgent, respond_by, sender in rows
    ]


def transfers_to_approve(actor: Actor) -> list[WorkItem]:
    """Transfers of the organisation's cases waiting for a supervisor's approval."""
    from aftercare.referrals.models import OPEN_STATUSES, Referral

    if actor.role != Role.SUPERVISOR:
        return []
    rows = (
        Referral.objects.visible_to(actor)
        .filter(from_organisation_id=actor.organisation_id, transfer=True, transfer_approved_at__isnull=True,
                status__in=OPEN_STATUSES)
        .order_by("respond_by", "pk")
        .values_list("pk", "survivor__case_code", "to_organisation__name", "respond_by")[:LIMIT]
    )
    return [
        WorkItem(kind="transfer_approval", title=_("Transfer to approve"),
                 detail=_("%(code)s to %(organisation)s") % {"code": code, "organisation": receiver},
                 due=timezone.localdate(respond_by), referral=pk, url=reverse("referrals:detail", args=[pk]))
        for pk, code, receiver, respond_by in rows
    ]


def plan_reviews(actor: Actor) -> list[WorkItem]:
    """Care plans (open cases with at least one goal) whose review is due within two weeks or
    overdue: 90 days after the last review, or after the first goal when never reviewed."""
    from aftercare.cases.models import Goal, Survivor

    if not can(actor, Action.EDIT_CASE):
        return []
    today = timezone.localdate()
    cases = (
        _mine(actor, Survivor.objects.all())
        .filter(Exists(Goal.objects.filter(survivor=OuterRef("pk"))))
        .annotate(since=Coalesce(Max("plan_reviews__reviewed_on"), TruncDate(Min("goals__created_at"))))
        .filter(since__lte=today - timedelta(days=PLAN_REVIEW_DAYS - PLAN_REVIEW_AHEAD_DAYS))
        .order_by("since", "case_code")
        .values_list("pk", "case_code", "since")[:LIMIT]
    )
    return [
        WorkItem(kind="plan_review", title=_("Care plan review"), detail=code, survivor=pk,
                 due=since + timedelta(days=PLAN_REVIEW_DAYS), url=_case_url(pk, "plan"))
        for pk, code, since in cases
    ]


def risk_alerts(actor: Actor) -> list[WorkItem]:
    """Open re-trafficking risk alerts on the organisation's cases, newest first."""
    from aftercare.risk.models import Alert, AlertKind, AlertStatus

    if not can(actor, Action.VIEW_RISK_ALERTS):
        return []
    alerts = _mine(actor, Alert.objects.visible_to(actor), "survivor__").filter(status=AlertStatus.OPEN)
    labels = dict(AlertKind.choices)
    rows = alerts.order_by("-raised_at", "pk").values_list("survivor_id", "survivor__case_code", "kind", "due_date")
    return [
        WorkItem(kind="risk_alert", title=str(labels.get(kind, kind)), detail=code, survivor=survivor_id,
                 urgent=kind == AlertKind.HIGH_RISK, due=due,  # the missed follow-up date, for that kind
                 url=reverse("risk:survivor", args=[survivor_id]))
        for survivor_id, code, kind, due in rows[:LIMIT]
    ]


def portal_comments(actor: Actor) -> list[WorkItem]:
    """Comments survivors left on their care-plan goals from the portal in the last 30 days
    that nobody of the case team has answered on the goal since."""
    if not can(actor, Action.VIEW_CASES):
        return []
    from aftercare.voice.models import GoalComment

    since = timezone.now() - timedelta(days=COMMENT_DAYS)
    answered = GoalComment.objects.filter(goal=OuterRef("goal"), by_survivor=False, created_at__gt=OuterRef("created_at"))
    comments = (
        _mine(actor, GoalComment.objects.filter(by_survivor=True, created_at__gte=since), "goal__survivor__")
        .exclude(Exists(answered))
        .order_by("created_at", "pk")
        .values_list("goal__survivor_id", "goal__survivor__case_code", "created_at")[:LIMIT]
    )
    return [
        WorkItem(kind="portal_comment", title=_("Comment from the survivor on her plan"), detail=code,
                 survivor=survivor_id, due=timezone.localdate(at), url=_case_url(survivor_id, "plan"))
        for survivor_id, code, at in comments
    ]


def detentions_without_lawyer(actor: Actor) -> list[WorkItem]:
    """Survivors held in a closed setting longer than the limit without having seen a lawyer."""
    if not can(actor, Action.VIEW_CARE_SETTINGS):
        return []
    from aftercare.caresettings.models import CLOSED_KINDS, CareSetting

    limit = settings.AFTERCARE_DETENTION_LAWYER_DAYS
    today = timezone.localdate()
    rows = (
        _mine(actor, CareSetting.objects.filter(kind__in=list(CLOSED_KINDS), end__isnull=True), "survivor__")
        .filter(start__lt=today - timedelta(days=limit))
        .exclude(lawyer_access=True)
        .order_by("start", "pk")
        .values_list("survivor_id", "survivor__case_code", "start")[:LIMIT]
    )
    return [
        WorkItem(kind="detention_lawyer", title=_("Held in a closed setting without a lawyer"), detail=code,
                 urgent=True, survivor=survivor_id, due=start + timedelta(days=limit),
                 url=reverse("caresettings:case", args=[survivor_id]))
        for survivor_id, code, start in rows
    ]


# A referral source ---------------------------------------------------------------------------


def referrals_made(actor: Actor) -> list[WorkItem]:
    """The referrals she made: those still open, and those closed in the last month, with
    their state. No case code: a referral source does not see the case."""
    from aftercare.referrals.models import OPEN_STATUSES, Referral, ReferralStatus

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
        WorkItem(kind="referral_made", title=_("Referral to %(organisation)s") % {"organisation": receiver},
                 detail=str(labels.get(status, status)), referral=pk, urgent=urgent,
                 due=timezone.localdate(respond_by) if status == ReferralStatus.SENT else None,
                 url=reverse("referrals:detail", args=[pk]))
        for pk, status, receiver, respond_by, urgent in rows
    ]


# The network coordinator ---------------------------------------------------------------------


def moderation(actor: Actor) -> list[WorkItem]:
    """Rating patterns held back from publication and comments waiting to be screened."""
    if not can(actor, Action.MODERATE_FEEDBACK):
        return []
    from aftercare.voice.models import CommentStatus, FlagStatus, Rating, RatingFlag

    flags = RatingFlag.objects.filter(status=FlagStatus.OPEN).aggregate(n=Count("pk"))["n"]
    comments = Rating.objects.filter(comment_status=CommentStatus.PENDING).aggregate(n=Count("pk"))["n"]
    url = reverse("voice:moderation")
    items = []
    if flags:
        items.append(WorkItem(kind="ratings_held", title=_("Ratings held back to check"), count=flags, url=url,
                              detail=ngettext("%(n)s unusual pattern of ratings", "%(n)s unusual patterns of ratings",
                                              flags) % {"n": flags}))
    if comments:
        items.append(WorkItem(kind="comments_to_screen", title=_("Survivors' comments to screen"), count=comments, url=url,
                              detail=ngettext("%(n)s comment", "%(n)s comments", comments) % {"n": comments}))
    return items


def stale_capacity(actor: Actor) -> list[WorkItem]:
    """Organisations whose free places in the directory have not been updated for a month:
    referrals are sent on those figures."""
    if actor.role != Role.NETWORK_COORDINATOR:
        return []
    from aftercare.accounts.models import Organisation

    cutoff = timezone.now() - timedelta(days=CAPACITY_STALE_DAYS)
    rows = (
        Organisation.objects.filter(is_active=True, capacity_summary__checked_at__lt=cutoff)
        .order_by("capacity_summary__checked_at", "name")
        .values_list("slug", "name", "capacity_summary__checked_at")[:LIMIT]
    )
    return [
        WorkItem(kind="capacity_stale", title=_("Free places not updated for a month"), detail=name,
                 due=timezone.localdate(checked) + timedelta(days=CAPACITY_STALE_DAYS),
                 url=reverse("network:profile", args=[slug]))
        for slug, name, checked in rows
    ]


def unanswered_referrals(actor: Actor) -> list[WorkItem]:
    """Per organisation, how many referrals sent to it are past their deadline unanswered
    (counts only: the coordinator does not see referrals themselves)."""
    if actor.role != Role.NETWORK_COORDINATOR:
        return []
    from aftercare.referrals.models import Referral, ReferralStatus

    rows = (
        Referral.objects.filter(status=ReferralStatus.SENT, respond_by__lt=timezone.now())
        .values_list("to_organisation__slug", "to_organisation__name")
        .annotate(n=Count("pk"), oldest=Min("respond_by"))
        .order_by("-n", "to_organisation__name")[:LIMIT]
    )
    return [
        WorkItem(kind="referrals_unanswered", title=_("Referrals past their deadline, unanswered"), detail=name, count=n,
                 due=timezone.localdate(oldest), url=reverse("network:profile", args=[slug]))
        for slug, name, n, oldest in rows
    ]


def network_gaps(actor: Actor) -> list[WorkItem]:
    """Places and services where the needs of open cases outrun what the network offers."""
    if actor.role != Role.NETWORK_COORDINATOR:
        return []
    from aftercare.cases.counting import scope_for
    from aftercare.reports import gaps

    found = gaps.gap_map(scope_for(actor))
    short = sum(1 for row in found.rows for cell in row.cells if cell.status in ("no_provider", "full", "short"))
    if not short:
        return []
    return [WorkItem(kind="network_gap", title=_("Gaps in the network"), count=short,
                     detail=ngettext("%(n)s region and service where needs outrun provision",
                                     "%(n)s regions and services where needs outrun provision", short) % {"n": short},
                     url=reverse("reports:gaps") + "?" + urlencode({"scope": "network"}))]


# The M&E officer -----------------------------------------------------------------------------


def exports_ready(actor: Actor) -> list[WorkItem]:
    """The actor's own exports that are ready to download and not yet expired."""
    if not can(actor, Action.VIEW_AGGREGATE_REPORTS):
        return []
    from aftercare.reports.models import ExportJob, ExportKind, ExportStatus

    labels = dict(ExportKind.choices)
    rows = (
        ExportJob.objects.mine(actor).filter(status=ExportStatus.DONE, expires_at__gt=timezone.now())
        .order_by("expires_at", "pk").values_list("kind", "format", "expires_at")[:LIMIT]
    )
    return [
        WorkItem(kind="export_ready", title=_("Export ready to download"), detail=f"{labels.get(kind, kind)} ({fmt.upper()})",
                 due=timezone.localdate(expires), url=reverse("reports:exports"))
        for kind, fmt, expires in rows
    ]


def report_due(actor: Actor) -> list[WorkItem]:
    """The funder indicators of the quarter that ended less than a month ago."""
    if actor.role != Role.ME_OFFICER:
        return []
    today = timezone.localdate()
    this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = this_quarter - timedelta(days=1)
    if (today - end).days > REPORT_DUE_DAYS:
        return []
    start = date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    query = urlencode({"from": start.isoformat(), "to": end.isoformat()})
    return [WorkItem(kind="report_due", title=_("Quarterly indicators due"),
                     detail=_("%(start)s to %(end)s") % {"start": start.isoformat(), "end": end.isoformat()},
                     due=end + timedelta(days=REPORT_DUE_DAYS), url=reverse("reports:indicators") + "?" + query)]


def data_quality(actor: Actor) -> list[WorkItem]:
    """Open cases in the network missing what the indicators are broken down by (year of
    birth, region, exploitation type), as counts under the small-cell rule."""
    if actor.role != Role.ME_OFFICER:
        return []
    from aftercare.cases.models import Survivor
    from aftercare.core.stats import cells

    minimum = settings.AFTERCARE_SMALL_CELL_MIN
    missing = Survivor.objects.open().aggregate(
        year=Count("pk", filter=Q(year_of_birth__isnull=True)),
        region=Count("pk", filter=Q(region__isnull=True)),
        kind=Count("pk", filter=Q(exploitation_types=[])),
    )
    labels = {
        "year": _("Open cases with no year of birth"),
        "region": _("Open cases with no region"),
        "kind": _("Open cases with no form of exploitation recorded"),
    }
    items = []
    for key, label in labels.items():
        n = missing[key]
        if not n:
            continue
        shown = cells.hide_count(n, minimum)
        detail = (ngettext("%(n)s case", "%(n)s cases", n) % {"n": n}) if shown is not None else \
            _("Fewer than %(n)s cases") % {"n": minimum}
        items.append(WorkItem(kind="data_quality", title=label, detail=detail, count=shown,
                              url=reverse("reports:indicators")))
    return items


# A field worker ------------------------------------------------------------------------------


def school_cases(actor: Actor) -> list[WorkItem]:
    """School cases of the organisation still to report (oldest first), then those reported
    and not yet closed, which wait for a follow-up."""
    if not can(actor, Action.RECORD_PREVENTION):
        return []
    from aftercare.prevention.models.schools import CaseStage, SchoolCase

    rows = (
        SchoolCase.objects.visible_to(actor).exclude(stage=CaseStage.CLOSED)
        .order_by(F("reported_on").asc(nulls_first=True), "identified_on", "pk")
        .values_list("pk", "reference", "school__name", "stage", "identified_on", "reported_on")[:LIMIT]
    )
    items = []
    for pk, reference, school, stage, identified, reported in rows:
        to_report = stage == CaseStage.IDENTIFIED
        items.append(WorkItem(
            kind="school_case_report" if to_report else "school_follow_up",
            title=_("School case to report") if to_report else _("School case to follow up"),
            detail=f"{school} · {reference}", due=identified if to_report else reported, urgent=to_report,
            url=reverse("prevention:case_report" if to_report else "prevention:case_follow_up", args=[pk]),
        ))
    return items


def capture_refused(actor: Actor) -> list[WorkItem]:
    """Records the actor sent from the offline outbox that the server refused or found in
    conflict in the last two weeks: to check and record again."""
    if not can(actor, Action.RECORD_PREVENTION):
        return []
    from aftercare.prevention.models.capture import Submission, SubmissionKind, SubmissionOutcome

    since = timezone.now() - timedelta(days=CAPTURE_DAYS)
    labels = dict(SubmissionKind.choices)
    outcomes = dict(SubmissionOutcome.choices)
    rows = (
        Submission.objects.filter(user=actor.user, organisation_id=actor.organisation_id, received_at__gte=since,
                                  outcome__in=[SubmissionOutcome.CONFLICT, SubmissionOutcome.INVALID])
        .order_by("-received_at", "pk").values_list("kind", "outcome", "received_at")[:LIMIT]
    )
    return [
        WorkItem(kind="capture_refused", title=_("Offline record not saved: %(outcome)s") % {"outcome": outcomes[outcome]},
                 detail=str(labels.get(kind, kind)), due=timezone.localdate(at), url=reverse("prevention:capture"))
        for kind, outcome, at in rows
    ]


CASE_WORK = [follow_ups, referrals_to_answer, transfers_to_approve, risk_alerts, plan_reviews, portal_comments,
             detentions_without_lawyer]
KINDS_BY_ROLE: dict[str, list[Callable[[Actor], list[WorkItem]]]] = {
    Role.CASE_WORKER: CASE_WORK,
    Role.SUPERVISOR: CASE_WORK,
    Role.ADMIN: [risk_alerts, detentions_without_lawyer, exports_ready],
    Role.REFERRAL_SOURCE: [referrals_made],
    Role.NETWORK_COORDINATOR: [moderation, unanswered_referrals, stale_capacity, network_gaps, exports_ready],
    Role.ME_OFFICER: [report_due, data_quality, exports_ready],
    Role.FIELD_WORKER: [school_cases, capture_refused],
}


def for_actor(actor: Actor | None) -> list[WorkItem]:
    """The actor's whole queue, in the order of `KINDS_BY_ROLE`, each kind sorted by its own rule."""
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
        Role.REFERRAL_SOURCE: [(_("Refer someone"), "referrals:new_person"), (_("Your referrals"), "referrals:list")],
        Role.NETWORK_COORDINATOR: [(_("Moderation"), "voice:moderation"), (_("Gap map"), "reports:gaps"),
                                   (_("Reports"), "reports:dashboard")],
        Role.ME_OFFICER: [(_("Funder indicators"), "reports:indicators"), (_("Exports"), "reports:exports"),
                          (_("Reports"), "reports:dashboard")],
        Role.FIELD_WORKER: [(_("Record in the field (works offline)"), "prevention:capture"),
                            (_("Schools"), "prevention:schools"), (_("Prevention"), "prevention:home")],
        Role.CASE_WORKER: [(_("Risk alerts"), "risk:alerts"), (_("Incoming referrals"), "referrals:list")],
        Role.SUPERVISOR: [(_("Risk alerts"), "risk:alerts"), (_("Incoming referrals"), "referrals:list"),
                          (_("Reports"), "reports:dashboard")],
        Role.ADMIN: [(_("Risk alerts"), "risk:alerts"), (_("Reports"), "reports:dashboard")],
    }.get(actor.role, [])
    return [(label, reverse(name)) for label, name in links] + [(_("Directory"), reverse("network:directory"))]
