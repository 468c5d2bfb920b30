"""What survivors' voice contributes to the composed work queue (`aftercare.casefile`): her
comments from the portal waiting for an answer, and the ratings and comments to moderate."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aftercare.accounts.policy import Action, Actor, can
from aftercare.cases.sections import case_url, open_and_mine
from aftercare.core.work_items import LIMIT, WorkItem
from aftercare.voice.models import CommentStatus, FlagStatus, GoalComment, Rating, RatingFlag

COMMENT_DAYS = 30  # a survivor's comment from the portal waits for an answer this long at most


def portal_comments(actor: Actor) -> list[WorkItem]:
    """Comments survivors left on their care-plan goals from the portal in the last 30 days
    that nobody of the case team has answered on the goal since."""
    if not can(actor, Action.VIEW_CASES):
        return []
    since = timezone.now() - timedelta(days=COMMENT_DAYS)
    answered = GoalComment.objects.filter(
        goal=OuterRef("goal"), by_survivor=False, created_at__gt=OuterRef("created_at")
    )
    comments = (
        open_and_mine(
            actor,
            GoalComment.objects.filter(by_survivor=True, created_at__gte=since),
            "goal__survivor__",
        )
        .exclude(Exists(answered))
        .order_by("created_at", "pk")
        .values_list("goal__survivor_id", "goal__survivor__case_code", "created_at")[:LIMIT]
    )
    return [
        WorkItem(
            kind="portal_comment",
            title=_("Comment from the survivor on her plan"),
            detail=code,
            survivor=survivor_id,
            due=timezone.localdate(at),
            url=case_url(survivor_id, "plan"),
        )
        for survivor_id, code, at in comments
    ]


def moderation(actor: Actor) -> list[WorkItem]:
    """Rating patterns held back from publication and comments waiting to be screened."""
    if not can(actor, Action.MODERATE_FEEDBACK):
        return []
    flags = RatingFlag.objects.filter(status=FlagStatus.OPEN).aggregate(n=Count("pk"))["n"]
    comments = Rating.objects.filter(comment_status=CommentStatus.PENDING).aggregate(n=Count("pk"))[
        "n"
    ]
    url = reverse("voice:moderation")
    items = []
    if flags:
        items.append(
            WorkItem(
                kind="ratings_held",
                title=_("Ratings held back to check"),
                count=flags,
                url=url,
                detail=ngettext(
                    "%(n)s unusual pattern of ratings", "%(n)s unusual patterns of ratings", flags
                )
                % {"n": flags},
            )
        )
    if comments:
        items.append(
            WorkItem(
                kind="comments_to_screen",
                title=_("Survivors' comments to screen"),
                count=comments,
                url=url,
                detail=ngettext("%(n)s comment", "%(n)s comments", comments) % {"n": comments},
            )
        )
    return items
