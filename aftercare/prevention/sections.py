"""What prevention contributes to the composed work queue (`aftercare.casefile`): a field
worker's school cases to report or follow up, and her offline records the server refused."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, can
from aftercare.core.work_items import LIMIT, WorkItem
from aftercare.prevention.models.capture import Submission, SubmissionKind, SubmissionOutcome
from aftercare.prevention.models.schools import CaseStage, SchoolCase

CAPTURE_DAYS = 14  # refused or conflicting offline submissions, for the field worker to redo


def school_cases(actor: Actor) -> list[WorkItem]:
    """School cases of the organisation still to report (oldest first), then those reported
    and not yet closed, which wait for a follow-up."""
    if not can(actor, Action.RECORD_PREVENTION):
        return []
    rows = (
        SchoolCase.objects.visible_to(actor)
        .exclude(stage=CaseStage.CLOSED)
        .order_by(F("reported_on").asc(nulls_first=True), "identified_on", "pk")
        .values_list("pk", "reference", "school__name", "stage", "identified_on", "reported_on")[
            :LIMIT
        ]
    )
    items = []
    for pk, reference, school, stage, identified, reported in rows:
        to_report = stage == CaseStage.IDENTIFIED
        items.append(
            WorkItem(
                kind="school_case_report" if to_report else "school_follow_up",
                title=_("School case to report") if to_report else _("School case to follow up"),
                detail=f"{school} · {reference}",
                due=identified if to_report else reported,
                urgent=to_report,
                url=reverse(
                    "prevention:case_report" if to_report else "prevention:case_follow_up",
                    args=[pk],
                ),
            )
        )
    return items


def capture_refused(actor: Actor) -> list[WorkItem]:
    """Records the actor sent from the offline outbox that the server refused or found in
    conflict in the last two weeks: to check and record again."""
    if not can(actor, Action.RECORD_PREVENTION):
        return []
    since = timezone.now() - timedelta(days=CAPTURE_DAYS)
    labels = dict(SubmissionKind.choices)
    outcomes = dict(SubmissionOutcome.choices)
    rows = (
        Submission.objects.filter(
            user=actor.user,
            organisation_id=actor.organisation_id,
            received_at__gte=since,
            outcome__in=[SubmissionOutcome.CONFLICT, SubmissionOutcome.INVALID],
        )
        .order_by("-received_at", "pk")
        .values_list("kind", "outcome", "received_at")[:LIMIT]
    )
    return [
        WorkItem(
            kind="capture_refused",
            title=_("Offline record not saved: %(outcome)s") % {"outcome": outcomes[outcome]},
            detail=str(labels.get(kind, kind)),
            due=timezone.localdate(at),
            url=reverse("prevention:capture"),
        )
        for kind, outcome, at in rows
    ]
