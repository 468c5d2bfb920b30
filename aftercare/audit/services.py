"""Recording to the audit trail. Domain services call `record` explicitly, never a signal."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from aftercare.audit.models import AuditAction, AuditEvent
from aftercare.core.middleware import current_request_meta


def record(
    actor,
    action: AuditAction,
    obj: models.Model | None = None,
    *,
    fields: Iterable[str] = (),
    reason: str = "",
    label: str = "",
    object_type: str = "",
    organisation_id=None,
    case_id=None,
) -> AuditEvent:
    """Append one event: who (actor), in which organisation, did what to which record, why."""
    user = getattr(actor, "user", actor)
    meta = current_request_meta()
    return AuditEvent.objects.create(
        actor_id=getattr(user, "pk", None),
        actor_username=getattr(user, "username", "") or "",
        actor_role=str(getattr(actor, "role", "") or ""),
        organisation_id=organisation_id or getattr(actor, "organisation_id", None),
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else "",
        object_label=label or (audit_label(obj) if obj is not None else ""),
        case_id=case_id or case_of(obj),
        fields=sorted(fields),
        reason=reason,
        request_id=meta.get("request_id", ""),
        ip_address=meta.get("ip"),
    )


def audit_label(obj: models.Model) -> str:
    """A label safe to keep in the trail: a case code, never a name."""
    label = getattr(obj, "audit_label", None)
    return str(label() if callable(label) else label or obj.pk)[:200]


def case_of(obj: models.Model | None):
    """The survivor's case a record belongs to, so a partner's change shows in the case's trail."""
    if obj is None:
        return None
    if obj._meta.label_lower == "cases.survivor":
        return obj.pk
    return getattr(obj, "survivor_id", None)
