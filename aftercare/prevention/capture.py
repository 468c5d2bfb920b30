"""Offline field capture: a record made on a phone with no signal, sent later, counted once.

Every record carries a UUID made on the phone when the record was made (`key`). `submit`
stores the key with its outcome and the exact answer, in the transaction that writes the
record, so

* the same key again (the phone never got the answer, or synced twice) gets the same answer
  and writes nothing: exactly once;
* the same key with other content, or from another user, is refused (422), since a key names
  one record;
* attendance counted against an older version of the activity than the server's is a
  conflict (409): nothing is overwritten, and the answer carries both versions for the phone
  to show. Counts identical to the server's are no conflict. A follow-up of a school case
  that was closed meanwhile is a conflict too.

Refusals that depend on who is asking (not signed in, a role without prevention work, a
record of another organisation) are not stored: they are answered afresh each time.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, require
from aftercare.core.errors import DomainError, StaleVersion
from aftercare.prevention import community, schools
from aftercare.prevention.access import get_visible, resolve_region
from aftercare.prevention.models import (
    CommunityActivity,
    SchoolCase,
    Submission,
    SubmissionKind,
    SubmissionOutcome,
)


class KeyReused(DomainError):
    status_code = 422
    code = "key_reused"


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: dict
    replayed: bool = False


class _Conflict(Exception):
    def __init__(self, message: str, record: dict, server: dict, yours: dict):
        super().__init__(message)
        self.message, self.record, self.server, self.yours = message, record, server, yours


def fingerprint(kind: str, data: dict) -> str:
    canonical = json.dumps(
        {"kind": kind, "data": data}, sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def parse_key(raw) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except (TypeError, ValueError) as exc:
        raise DomainError(
            _("Each record needs its key, a UUID made on the device."), field="key"
        ) from exc


def submit(actor: Actor, key, kind: str, data: dict) -> Answer:
    """Apply one captured record once; see the module's docstring for the rules."""
    require(actor, Action.RECORD_PREVENTION)
    key = parse_key(key)
    if kind not in SubmissionKind.values:
        raise DomainError(_("Unknown kind of record."), field="kind")
    if not isinstance(data, dict):
        raise DomainError(_("Give the record's fields as an object."), field="data")
    print_ = fingerprint(kind, data)
    try:
        with transaction.atomic():
            existing = Submission.objects.filter(key=key).first()
            if existing is not None:
                return _replay(actor, existing, print_)
            status_code, body, object_id = _apply(actor, key, kind, data)
            Submission.objects.create(
                key=key,
                organisation=actor.organisation,
                user=actor.user,
                kind=kind,
                fingerprint=print_,
                outcome=body["outcome"],
                status_code=status_code,
                response=body,
                object_id=object_id,
            )
            return Answer(status_code, body)
    except IntegrityError:
        # The same key committed by a concurrent request between our look-up and our insert:
        # everything above was rolled back; answer what that request answered.
        existing = Submission.objects.filter(key=key).first()
        if existing is None:
            raise
        return _replay(actor, existing, print_)


def _replay(actor: Actor, existing: Submission, print_: str) -> Answer:
    if (
        existing.user_id != actor.user.pk
        or existing.organisation_id != actor.organisation_id
        or existing.fingerprint != print_
    ):
        raise KeyReused(
            _("This key was already used for a different record. Make a new record."), field="key"
        )
    return Answer(existing.status_code, existing.response, replayed=True)


def _apply(actor: Actor, key: uuid.UUID, kind: str, data: dict) -> tuple[int, dict, str]:
    base = {"key": str(key), "kind": kind}
    try:
        with transaction.atomic():
            status_code, record, message = APPLY[kind](actor, data)
    except _Conflict as conflict:
        return (
            409,
            {
                **base,
                "outcome": SubmissionOutcome.CONFLICT.value,
                "message": conflict.message,
                "record": conflict.record,
                "server": conflict.server,
                "yours": conflict.yours,
            },
            conflict.record.get("id", ""),
        )
    except DomainError as exc:
        return (
            400,
            {
                **base,
                "outcome": SubmissionOutcome.INVALID.value,
                "message": exc.message,
                "errors": {exc.field or "non_field_errors": [exc.message]},
            },
            "",
        )
    return (
        status_code,
        {**base, "outcome": SubmissionOutcome.APPLIED.value, "message": message, "record": record},
        record["id"],
    )


def _activity_record(activity: CommunityActivity) -> dict:
    return {
        "type": "activity",
        "id": str(activity.pk),
        "label": activity_label(activity),
        "version": activity.version,
    }


def activity_label(activity: CommunityActivity) -> str:
    return f"{activity.get_kind_display()}, {activity.region.name}, {activity.held_on.isoformat()}"


def _summary_words(counts) -> str:
    summary = community.summarise((s, a, n) for s, row in counts.items() for a, n in row.items())
    share = summary.share_of_men
    if share is None:
        return _("%(total)s people, no adults") % {"total": summary.total}
    return _("%(total)s people, %(share)s%% of the adults men") % {
        "total": summary.total,
        "share": round(100 * share),
    }


def _attendance(actor: Actor, data: dict) -> tuple[int, dict, str]:
    activity = get_visible(
        actor,
        CommunityActivity,
        data.get("activity"),
        action=Action.RECORD_PREVENTION,
        for_update=True,
        queryset=CommunityActivity.objects.select_related("region"),
    )
    counts = community.parse_counts(data.get("attendance"))
    try:
        community.set_attendance(actor, activity.pk, counts, data.get("version"))
    except StaleVersion as exc:
        server = community.current_counts(activity)
        if server == counts:  # the same figures reached the server another way: nothing to resolve
            return (
                200,
                _activity_record(activity),
                _("Already on the server: %(words)s.") % {"words": _summary_words(counts)},
            )
        who = activity.attendance_recorded_by
        raise _Conflict(
            _("The attendance of %(activity)s was changed on the server after you counted it.")
            % {"activity": activity_label(activity)},
            record=_activity_record(activity),
            server={
                "version": activity.version,
                "attendance": server,
                "recorded_by": who.username if who else "",
                "recorded_at": activity.attendance_recorded_at.isoformat()
                if activity.attendance_recorded_at
                else None,
            },
            yours={"version": data.get("version"), "attendance": counts},
        ) from exc
    activity.refresh_from_db()
    return (
        201,
        _activity_record(activity),
        _("Attendance saved: %(words)s.") % {"words": _summary_words(counts)},
    )


def _new_activity(actor: Actor, data: dict) -> tuple[int, dict, str]:
    region = resolve_region(data.get("region"))
    activity = community.add_activity(
        actor,
        kind=data.get("kind") or "dialogue",
        held_on=data.get("held_on"),
        region=region,
        topics=data.get("topics"),
        venue=data.get("venue", ""),
        facilitators=data.get("facilitators", ""),
        attendance=data.get("attendance") or {},
    )
    counts = community.current_counts(activity) or {}
    return (
        201,
        _activity_record(activity),
        _("Saved: %(words)s.") % {"words": _summary_words(counts)},
    )


def _follow_up(actor: Actor, data: dict) -> tuple[int, dict, str]:
    case = get_visible(
        actor,
        SchoolCase,
        data.get("case"),
        action=Action.RECORD_PREVENTION,
        queryset=SchoolCase.objects.select_related("school"),
    )
    record = {
        "type": "school_case",
        "id": str(case.pk),
        "label": f"{case.school.name} · {case.reference}",
    }
    try:
        schools.follow_up(
            actor,
            case.pk,
            followed_on=data.get("followed_on"),
            outcome=data.get("outcome"),
            note=data.get("note", ""),
        )
    except schools.CaseClosed as exc:
        case.refresh_from_db()
        raise _Conflict(
            exc.message,
            record={**record, "version": case.version},
            server={
                "version": case.version,
                "stage": case.stage,
                "closed_on": case.closed_on.isoformat() if case.closed_on else None,
            },
            yours={k: data.get(k) for k in ("followed_on", "outcome", "note")},
        ) from exc
    case.refresh_from_db()
    return (
        201,
        {**record, "version": case.version},
        _("Follow-up saved: the case is now %(stage)s.")
        % {"stage": case.get_stage_display().lower()},
    )


APPLY = {
    SubmissionKind.ATTENDANCE: _attendance,
    SubmissionKind.ACTIVITY: _new_activity,
    SubmissionKind.FOLLOW_UP: _follow_up,
}
