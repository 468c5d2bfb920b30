"""Export jobs: a large export is built in the background, kept encrypted, and deleted when it
expires."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    CASELOAD = "caseload", _("Caseload (one row per case, no identifiers)")
    INDICATORS = "indicators", _("Funder indicators")
    GAPS = "gaps", _("Gap map")
    CTDC = "ctdc", _("CTDC anonymised export")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    PDF = "pdf", "PDF"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Failed")


class ExportJobQuerySet(models.QuerySet):
    def mine(self, actor) -> ExportJobQuerySet:
        """Only the actor's own jobs, made in the organisation they act in now."""
        return self.filter(requested_by=actor.user, organisation_id=actor.organisation_id)

    def expired(self, now=None) -> ExportJobQuerySet:
        return self.filter(expires_at__lt=now or timezone.now())


class ExportJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=12, choices=ExportKind.choices)
    format = models.CharField(max_length=4, choices=ExportFormat.choices)
    params = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(max_length=30)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="percent done")
    rows = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    note = models.TextField(
        blank=True, help_text="what the file holds, e.g. the CTDC export's suppression figures"
    )
    filename = models.CharField(max_length=120, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # The file, sealed (encrypted in chunks with the field keys, core.sealed) in STORAGES["sealed"];
    # deleted with the row on expiry. `content` holds files made before exports were streamed.
    stored_file = models.CharField(max_length=200, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0, help_text="bytes, before encryption")
    content = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Touched when the worker claims the job and at every progress step: a running job whose
    # heartbeat stops lost its worker (reports.export_jobs.fail_stalled).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}.{self.format} ({self.status})"

    def audit_label(self) -> str:
        return f"export {self.kind}.{self.format}"

    @property
    def is_ready(self) -> bool:
        return self.status == ExportStatus.DONE and self.expires_at > timezone.now()
