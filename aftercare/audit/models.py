"""The append-only audit trail.

Rows can be added and read, never changed or removed: the model refuses it, its queryset
refuses bulk update and delete, and a database trigger (see the migrations) refuses it
to anyone who goes around the ORM.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    READ = "read", _("viewed")
    LIST = "list", _("listed")
    EXPORT = "export", _("exported")
    SIGN_IN = "sign_in", _("signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("failed to sign in")
    SIGN_OUT = "sign_out", _("signed out")
    TWO_FACTOR = "two_factor", _("changed two-factor sign-in")
    ROTATE_KEYS = "rotate_keys", _("rotated encryption keys")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("the audit trail is append-only")

    def delete(self):
        raise AppendOnlyError("the audit trail is append-only")

    def of_organisation(self, organisation_id) -> AuditEventQuerySet:
        """One organisation's trail. Who may read it is accounts' rule
        (accounts.services.audit_trail)."""
        return self.filter(organisation_id=organisation_id)


class AuditEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Plain ids, not foreign keys: the trail must outlive what it describes.
    actor_id = models.UUIDField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=30, blank=True)
    organisation_id = models.UUIDField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_label = models.CharField(max_length=200, blank=True)
    # The survivor's case the event concerns, whoever's organisation acted: the case's own trail.
    case_id = models.UUIDField(null=True, blank=True, db_index=True)
    fields = models.JSONField(default=list, blank=True, help_text=_("names of fields touched"))
    reason = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["organisation_id", "-at"], name="audit_org_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("the audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("the audit trail is append-only")
