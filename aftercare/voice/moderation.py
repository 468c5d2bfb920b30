"""The coordinator's part: screening comments before they are quoted, and choosing good practice."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.errors import DomainError
from aftercare.voice.models import CommentStatus, GoodPractice, Rating
from aftercare.voice.ratings import Subject
from aftercare.voice.screening import screen


def pending_comments(actor: Actor):
    """Comments waiting for a decision, without dates and in no order that reveals one."""
    require(actor, Action.MODERATE_FEEDBACK)
    return (
        Rating.objects.filter(comment_status=CommentStatus.PENDING)
        .select_related("organisation", "duty_bearer")
        .only(
            "id",
            "organisation__name",
            "duty_bearer__name",
            "domain",
            "comment",
            "comment_flags",
            "quote",
            "comment_status",
        )
    )


@transaction.atomic
def moderate(actor: Actor, rating_id, *, approve: bool, quote: str = "") -> Rating:
    """Approve a comment for quoting (in the wording given, screened again) or reject it."""
    require(actor, Action.MODERATE_FEEDBACK)
    try:
        rating = Rating.objects.select_for_update().get(
            pk=uuid.UUID(str(rating_id)), comment_status=CommentStatus.PENDING
        )
    except (ValueError, Rating.DoesNotExist) as exc:
        raise Http404("No such comment") from exc
    if approve:
        subject = (
            Subject(organisation=rating.organisation)
            if rating.organisation_id
            else Subject(duty_bearer=rating.duty_bearer)
        )
        wording = screen(quote.strip() or rating.quote, allowed=[subject.name]).text
        if not wording:
            raise DomainError(_("Give the wording to quote."), field="quote")
        rating.quote, rating.comment_status = wording, CommentStatus.APPROVED
    else:
        rating.quote, rating.comment_status = "", CommentStatus.REJECTED
    rating.save(update_fields=["quote", "comment_status"])
    record(
        actor,
        AuditAction.UPDATE,
        object_type="voice.rating_comment",
        label="comment approved" if approve else "comment rejected",
    )
    return rating


@transaction.atomic
def highlight(actor: Actor, subject: Subject, text: str) -> GoodPractice:
    require(actor, Action.MODERATE_FEEDBACK)
    if not text.strip():
        raise DomainError(_("Say what they do well."), field="text")
    practice = GoodPractice.objects.create(
        **subject.fields(), text=text.strip(), chosen_by=actor.user
    )
    record(actor, AuditAction.CREATE, practice, label=f"good practice: {subject.name}"[:200])
    return practice


@transaction.atomic
def retire_highlight(actor: Actor, practice_id) -> None:
    require(actor, Action.MODERATE_FEEDBACK)
    updated = GoodPractice.objects.filter(pk=practice_id, is_active=True).update(is_active=False)
    if not updated:
        raise Http404("No such highlight")
    record(
        actor, AuditAction.UPDATE, object_type="voice.goodpractice", label="good practice retired"
    )
