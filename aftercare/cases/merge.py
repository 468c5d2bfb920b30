"""Merging two records of one person into one.

A supervisor finds that her organisation opened the same survivor twice. Merging keeps one
case and moves every record of the other onto it (consents, needs, plan, services, notes,
risk, referrals, livelihoods, voice... every foreign key to `Survivor`, found from the model
graph so that a record added later is not forgotten), all in one transaction. What a domain
must settle around the move (risk's open alerts, its copy of the current risk) it says itself,
and the composition layer passes it in (`aftercare.casefile.merge`), so cases knows no domain. The
other case
stays, closed with the reason "duplicate" and `merged_into` naming the kept case, so its code
still leads somewhere and its audit trail (append-only, under its own `case_id`) is read with
the kept case's (`trail_case_ids`). A duplicate leaves every count (`Survivor.objects.counted`).

Only within one organisation: the other organisation's record is not the supervisor's to read,
let alone move, so a case of another organisation is not found (404).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases import duplicates, plan_review, service_order
from aftercare.cases.models import (
    CaseStatus,
    ClosureReason,
    DuplicateToken,
    SearchKey,
    StatusChange,
    Survivor,
)
from aftercare.core.errors import DomainError, StaleVersion

BeforeMove = Callable[[Survivor, Survivor], None]  # (keep, other), before the records move
AfterSave = Callable[[Survivor], None]  # (keep), once the kept case is saved


class MergeRefused(DomainError):
    """The two cases cannot be merged (the same case, anonymised, already merged)."""


def _relations():
    """Every foreign key to `Survivor` (hidden ones and many-to-many tables included), but the
    duplicate's own link and the name tokens and search keys, which belong to each record's own
    name."""
    for relation in Survivor._meta.get_fields(include_hidden=True):
        if not relation.is_relation or not relation.auto_created or relation.concrete:
            continue
        if relation.related_model in (Survivor, DuplicateToken, SearchKey) or relation.many_to_many:
            continue  # a many-to-many is moved through its table, which is itself listed here
        yield relation


def _unique_sets(model, field_name: str):
    """The unique sets of `model` that include the survivor field, as (other fields, condition)."""
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if field_name in fields:
            yield [f for f in fields if f != field_name], getattr(constraint, "condition", None)
    for fields in model._meta.unique_together:
        if field_name in fields:
            yield [f for f in fields if f != field_name], None


def _colliding(model, field_name: str, keep: Survivor, other: Survivor) -> bool:
    """Whether moving the other's rows would give the kept case two rows where one is allowed."""
    for others, condition in _unique_sets(model, field_name):
        rows = (
            model._base_manager.filter(condition)
            if condition is not None
            else model._base_manager.all()
        )
        kept = set(rows.filter(**{field_name: keep}).values_list(*others))
        if kept & set(rows.filter(**{field_name: other}).values_list(*others)):
            return True
    return False


def _move_records(keep: Survivor, other: Survivor, before_move: Sequence[BeforeMove]) -> list[str]:
    """Point every record of `other` at `keep`; returns the record types moved (for the audit).

    A record a case holds one of (her current risk, a portal account, interop details) moves only
    when the kept case has none; otherwise the kept case's stays current and the other's stays
    with the closed duplicate. Two records the database allows only once (a savings account per
    currency, an enrolment per cohort) refuse the merge: a person decides which one is right.
    """
    for settle in before_move:
        settle(keep, other)
    relations = list(_relations())
    for relation in relations:
        model, name = relation.related_model, relation.field.name
        if not relation.one_to_one and _colliding(model, name, keep, other):
            raise MergeRefused(
                _(
                    "Both cases hold the same kind of record "
                    "(%(kind)s). Correct one of them first, then merge."
                )
                % {"kind": model._meta.verbose_name},
                field="other",
            )
    moved = []
    for relation in relations:
        model, name = relation.related_model, relation.field.name
        rows = model._base_manager.filter(**{name: other})
        if relation.one_to_one and model._base_manager.filter(**{name: keep}).exists():
            continue
        if rows.update(**{name: keep}):
            moved.append(model._meta.label_lower)
    DuplicateToken.objects.filter(survivor=other).delete()
    SearchKey.objects.filter(survivor=other).delete()  # a closed duplicate is found by no search
    return sorted(moved)


@transaction.atomic
def merge_cases(
    actor: Actor,
    keep_id,
    other_id,
    *,
    version: int | None = None,
    before_move: Sequence[BeforeMove],
    after_save: Sequence[AfterSave],
) -> Survivor:
    """Move everything of case `other_id` to case `keep_id` and close `other_id` as its duplicate.

    Both must be held by the actor's organisation (else 404, as for any case the actor may not
    know). `version`, when given, is the kept case's as the supervisor last read it (409 when
    stale).
    The domains' own steps come from the composition layer (`casefile.merge`), which is what
    callers use: `before_move` settles what would collide, `after_save` rebuilds what is derived.
    """
    require(actor, Action.MERGE_CASES)
    try:
        keep_id, other_id = uuid.UUID(str(keep_id)), uuid.UUID(str(other_id))
    except ValueError as exc:
        raise Http404("No such case") from exc
    if keep_id == other_id:
        raise MergeRefused(_("Choose two different cases."), field="other")
    # Locked in a fixed order, so two supervisors merging the same pair cannot deadlock.
    pair = {
        s.pk: s
        for s in Survivor.objects.owned_by(actor)
        .select_for_update()
        .filter(pk__in=[keep_id, other_id])
        .order_by("pk")
    }
    keep, other = pair.get(keep_id), pair.get(other_id)
    if keep is None or other is None:
        raise Http404("No such case")
    if version is not None and keep.version != version:
        raise StaleVersion(
            _("This case was changed by someone else since you opened it. Reload and try again."),
            field="version",
        )
    if keep.anonymised_at or other.anonymised_at:
        raise MergeRefused(_("An anonymised case cannot be merged."), field="other")
    if ClosureReason.DUPLICATE in (keep.closure_reason, other.closure_reason):
        raise MergeRefused(_("One of these cases was already merged into another."), field="other")

    moved = _move_records(keep, other, before_move)
    # Her identity as the kept case knew it, completed by what only the other knew.
    filled = []
    for field in (
        "family_name",
        "phone",
        "address",
        "date_of_birth",
        "id_number",
        "year_of_birth",
        "nationality",
        "guardian_name",
        "guardian_phone",
        "guardian_relation",
        "country_of_exploitation",
        "identified_by",
    ):
        if getattr(keep, field) in ("", None) and getattr(other, field) not in ("", None):
            setattr(keep, field, getattr(other, field))
            filled.append(field)
    keep.version += 1
    keep.save()
    plan_review.refresh(keep)  # her plan is both records' goals and reviews now
    service_order.refresh(keep.pk)  # and her services, each after the one before it
    for rebuild in after_save:  # after the save, which would write an old copy back
        rebuild(keep)
    # Her names from both records: a later intake under either finds the kept case.
    wanted = duplicates.tokens(
        keep.given_name, keep.family_name, keep.year_of_birth
    ) | duplicates.tokens(
        other.given_name, other.family_name, other.year_of_birth or keep.year_of_birth
    )
    DuplicateToken.objects.filter(survivor=keep).delete()
    DuplicateToken.objects.bulk_create(
        DuplicateToken(survivor=keep, token=t) for t in sorted(wanted)
    )

    now = timezone.now()
    StatusChange.objects.create(
        survivor=other,
        from_status=other.status,
        to_status=CaseStatus.CLOSED,
        reason=ClosureReason.DUPLICATE,
        changed_by=actor.user,
    )
    other.status, other.closure_reason, other.closed_at, other.merged_into = (
        CaseStatus.CLOSED,
        ClosureReason.DUPLICATE,
        now,
        keep,
    )
    other.version += 1
    other.save()
    plan_review.refresh(other)  # its goals moved: no plan left to review
    reason = _("Merged %(other)s into %(keep)s.") % {
        "other": other.case_code,
        "keep": keep.case_code,
    }
    record(actor, AuditAction.UPDATE, keep, fields=["merged_cases", *filled, *moved], reason=reason)
    record(
        actor,
        AuditAction.UPDATE,
        other,
        fields=["status", "closure_reason", "merged_into"],
        reason=reason,
    )
    return keep


def trail_case_ids(survivor: Survivor) -> list:
    """The case ids whose audit trail is this case's: its own and those merged into it (and
    theirs)."""
    ids, frontier = [survivor.pk], [survivor.pk]
    while frontier:
        frontier = list(
            Survivor.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)
        )
        ids += [pk for pk in frontier if pk not in ids]
    return ids


def merge_candidates(actor: Actor, keep: Survivor):
    """The other cases of the actor's organisation that could be merged into `keep`: open or
    closed, never anonymised or already merged. Identifiers are not loaded (a list)."""
    from aftercare.cases.services import IDENTIFIER_FIELDS

    return (
        Survivor.objects.owned_by(actor)
        .counted()
        .filter(anonymised_at__isnull=True)
        .exclude(pk=keep.pk)
        .defer(*[f for f in IDENTIFIER_FIELDS if f != "given_name"])
    )


def possible_duplicates_of(actor: Actor, keep: Survivor) -> list[Survivor]:
    """The organisation's other cases that share a name token with `keep` (the usual duplicates)."""
    wanted = DuplicateToken.objects.filter(survivor=keep).values("token")
    ids = (
        DuplicateToken.objects.filter(token__in=wanted).exclude(survivor=keep).values("survivor_id")
    )
    return list(
        merge_candidates(actor, keep)
        .filter(pk__in=ids)
        .only("id", "case_code", "given_name", "year_of_birth", "organisation_id")
        .order_by("case_code")[:20]
    )


def case_id_by_code(actor: Actor, code: str):
    """The id of the organisation's case with this code, or None (then the merge answers 404)."""
    return (
        Survivor.objects.owned_by(actor)
        .filter(case_code=code.strip().upper())
        .values_list("pk", flat=True)
        .first()
        or "-"
    )
