"""Who is responsible for a case: assignment, handover with a note, and each worker's load.

A case is held by its organisation; within it, one worker is responsible
(`Survivor.assigned_worker`)
and a team may share it (`Survivor.team`). Only the holding organisation assigns: a partner that
reads the case through a referral never changes who holds it. The worker responsible hands a
case over; a supervisor reassigns any case of the organisation. Each change leaves a `Handover`
with a note for the new worker (encrypted), an audit event, and a notification.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Team, User
from aftercare.accounts.policy import Action, Actor, can, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.access import CaseAccess
from aftercare.cases.models import OPEN_STATUSES, Handover, Survivor
from aftercare.cases.models.survivor import sharing_referrals
from aftercare.cases.services import HOLDING_ROLES
from aftercare.core.errors import DomainError, StaleVersion
from aftercare.core.ids import parse_uuid
from aftercare.core.notices import Notice
from aftercare.core.notify import notify_user

MAX_NOTE = 4000
RISK_HIGH = 3  # Survivor.risk_rank of a high risk


class NotAssignable(DomainError):
    """The chosen worker or team cannot hold this organisation's case."""


def case_holders(organisation_id) -> QuerySet[User]:
    """The active members of the organisation who may hold cases, by name."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=organisation_id,
            memberships__is_active=True,
            memberships__role__in=HOLDING_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def worker_label(user: User | None) -> str:
    """A worker as colleagues know them: the full name, else the username."""
    if user is None:
        return ""
    return user.get_full_name() or user.username


def may_reassign(actor: Actor, survivor: Survivor) -> bool:
    """A supervisor of the holding organisation, or the worker now responsible for the case."""
    if survivor.organisation_id != actor.organisation_id or survivor.anonymised_at:
        return False
    if can(actor, Action.REASSIGN_CASE):
        return True
    return can(actor, Action.HAND_OVER_CASE) and survivor.assigned_worker_id == actor.user.pk


@transaction.atomic
def reassign_case(
    actor: Actor,
    case: CaseAccess,
    *,
    to_worker: str,
    team: str | None = None,
    note: str = "",
    version: int | None = None,
) -> Handover:
    """Make `to_worker` responsible for the case (and set its team), with a handover note.

    `case` comes from `access_case`; the case row is locked here so two supervisors handing the
    same case out at once cannot both win. `version`, when given, must be the case's current one.
    """
    if not case.is_owner:
        raise Http404("No such case")
    current = (
        Survivor.objects.owned_by(actor).select_for_update().filter(pk=case.survivor.pk).first()
    )
    if current is None:
        raise Http404("No such case")
    if not may_reassign(actor, current):
        raise PermissionDenied(
            _("Only a supervisor or the worker responsible for this case may hand it over.")
        )
    if version is not None and version != current.version:
        raise StaleVersion(
            _("This case was changed by someone else since you opened it. Reload and try again."),
            field="version",
        )
    worker = case_holders(actor.organisation_id).filter(pk=_uuid_or_none(to_worker)).first()
    if worker is None:
        raise NotAssignable(
            _("Choose an active case worker or supervisor of your organisation."), field="to_worker"
        )
    chosen_team = None
    if team:
        chosen_team = Team.objects.of(actor.organisation_id).filter(pk=_uuid_or_none(team)).first()
        if chosen_team is None:
            raise NotAssignable(_("Choose one of your organisation's teams."), field="team")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError(
            _("Keep the handover note under %(n)d characters.") % {"n": MAX_NOTE}, field="note"
        )
    if worker.pk == current.assigned_worker_id and chosen_team == current.team:
        raise NotAssignable(
            _("The case is already held by this worker and team."), field="to_worker"
        )
    previous = current.assigned_worker_id
    handover = Handover.objects.create(
        survivor=current,
        organisation_id=actor.organisation_id,
        from_worker_id=previous,
        to_worker=worker,
        team=chosen_team,
        note=note,
        handed_over_by=actor.user,
    )
    current.assigned_worker, current.team = worker, chosen_team
    current.version += 1
    current.save(update_fields=["assigned_worker", "team", "version", "updated_at"])
    record(
        actor, AuditAction.UPDATE, current, fields=["assigned_worker", "team"], reason="handover"
    )
    if worker.pk != actor.user.pk:
        notify_user(
            worker,
            Notice("cases.assigned", {"code": current.case_code, "by": worker_label(actor.user)}),
            link=f"/cases/{current.pk}/#overview",
            organisation=actor.organisation,
        )
    case.survivor.assigned_worker, case.survivor.team, case.survivor.version = (
        worker,
        chosen_team,
        current.version,
    )
    return handover


def _uuid_or_none(value) -> str | None:
    key = parse_uuid(value)
    return None if key is None else str(key)


def latest_handover(case: CaseAccess) -> Handover | None:
    """The last handover of a case, for its holder's page (a partner never reads the note)."""
    if not case.is_owner:
        return None
    return case.survivor.handovers.select_related(
        "from_worker", "to_worker", "handed_over_by"
    ).first()


def filter_caseload(
    cases: QuerySet[Survivor], actor: Actor, *, assigned_to: str = "", team: str = ""
) -> QuerySet[Survivor]:
    """Narrow a visible caseload to one worker's or one team's cases.

    `assigned_to` is "me", "mine" (hers, and the cases partners share with her organisation,
    which nobody here is assigned), "none" (no one responsible yet), or a user id; `team` a team
    id of the actor's organisation. An unknown value matches nothing rather than everything.
    """
    if assigned_to == "me":
        cases = cases.filter(assigned_worker_id=actor.user.pk)
    elif assigned_to == "mine":
        # Hers, or a partner's shared with her organisation. On a visible caseload the scope's
        # own part is narrowed to hers and its shared part kept, so that a page still reads the
        # two parts apart, each from its index (issue 18).
        mine = Q(organisation_id=actor.organisation_id, assigned_worker_id=actor.user.pk)
        narrowed = cases.own_part_narrowed(mine)
        if narrowed is not None:
            cases = narrowed
        else:
            # No scope to narrow: said with the shared ids rather than "not our organisation",
            # so that PostgreSQL reads both from indexes.
            shared = list(
                sharing_referrals(actor.organisation_id).values_list("survivor_id", flat=True)
            )
            theirs = Q(pk__in=shared) & ~Q(organisation_id=actor.organisation_id)
            cases = cases.filter(mine | theirs if shared else mine)
    elif assigned_to == "none":
        cases = cases.filter(organisation_id=actor.organisation_id, assigned_worker__isnull=True)
    elif assigned_to:
        key = _uuid_or_none(assigned_to)
        cases = cases.filter(assigned_worker_id=key) if key else cases.none()
    if team:
        key = _uuid_or_none(team)
        cases = (
            cases.filter(team_id=key, organisation_id=actor.organisation_id)
            if key
            else cases.none()
        )
    return cases


@dataclass
class Load:
    """One worker's or team's open caseload."""

    id: str
    name: str
    open: int = 0
    high_risk: int = 0
    overdue: int = 0
    active_member: bool = True
    members: list[str] = field(default_factory=list)


@dataclass
class Workload:
    workers: list[Load]
    teams: list[Load]
    unassigned: Load
    unassigned_cases: list[Survivor]


def workload(actor: Actor, today: date | None = None) -> Workload:
    """Who holds what in the actor's organisation: open cases, high-risk cases and overdue
    follow-ups per worker and per team, and the open cases no one is responsible for.

    Four queries, whatever the caseload: counts grouped in the database, not cases loaded.
    """
    require(actor, Action.VIEW_WORKLOAD)
    today = today or timezone.localdate()
    open_cases = Survivor.objects.owned_by(actor).filter(status__in=OPEN_STATUSES)
    counts = {
        "open": Count("pk"),
        "high_risk": Count("pk", filter=Q(risk_rank=RISK_HIGH)),
        "overdue": Count("pk", filter=Q(risk_due__lt=today)),
    }
    by_worker = {
        row["assigned_worker"]: row
        for row in open_cases.values("assigned_worker").annotate(**counts)
    }
    by_team = {
        row["team"]: row for row in open_cases.exclude(team=None).values("team").annotate(**counts)
    }
    holders = {user.pk: user for user in case_holders(actor.organisation_id)}
    missing = [pk for pk in by_worker if pk is not None and pk not in holders]
    former = {user.pk: user for user in User.objects.filter(pk__in=missing)} if missing else {}
    workers = []
    for pk, user in [*holders.items(), *former.items()]:
        row = by_worker.get(pk, {})
        workers.append(
            Load(
                str(pk),
                worker_label(user),
                row.get("open", 0),
                row.get("high_risk", 0),
                row.get("overdue", 0),
                active_member=pk in holders,
            )
        )
    workers.sort(key=lambda load: (-load.open, load.name.lower()))
    teams = []
    for team in Team.objects.of(actor.organisation_id).prefetch_related("members"):
        row = by_team.get(team.pk, {})
        teams.append(
            Load(
                str(team.pk),
                team.name,
                row.get("open", 0),
                row.get("high_risk", 0),
                row.get("overdue", 0),
                members=[worker_label(u) for u in team.members.all()],
            )
        )
    row = by_worker.get(None, {})
    unassigned = Load(
        "",
        _("No one responsible"),
        row.get("open", 0),
        row.get("high_risk", 0),
        row.get("overdue", 0),
    )
    unassigned_cases = (
        list(
            open_cases.filter(assigned_worker__isnull=True)
            .only("pk", "case_code", "status", "risk_rank", "risk_due")
            .order_by("-risk_rank", "risk_due", "case_code")[:50]
        )
        if unassigned.open
        else []
    )
    return Workload(workers, teams, unassigned, unassigned_cases)


def filter_choices(actor: Actor) -> dict:
    """The workers and teams a caseload list offers to filter by (two queries)."""
    return {
        "workers": [(str(u.pk), worker_label(u)) for u in case_holders(actor.organisation_id)],
        "teams": [(str(t.pk), t.name) for t in Team.objects.of(actor.organisation_id)],
    }


def form_choices(actor: Actor) -> dict:
    """The choices of the handover form: workers who may hold a case here, and the teams."""
    return filter_choices(actor)
