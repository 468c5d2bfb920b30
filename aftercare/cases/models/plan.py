"""Needs over the service domains, and the care plan the survivor co-owns."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.core.fields import EncryptedTextField
from aftercare.core.models import optional_organisation
from aftercare.network.taxonomy import ServiceDomain


class NeedLevel(models.TextChoices):
    NONE = "none", _("None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


NEED_RANK = {level: rank for rank, level in enumerate(NeedLevel.values)}


class NeedsAssessment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="needs_assessments"
    )
    assessed_at = models.DateTimeField(default=timezone.now, db_index=True)
    assessed_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-assessed_at"]

    def __str__(self) -> str:
        return f"needs {self.assessed_at:%Y-%m-%d}"


class NeedItem(models.Model):
    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="items")
    domain = models.CharField(max_length=30, choices=ServiceDomain.choices)
    level = models.CharField(max_length=10, choices=NeedLevel.choices)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="one_level_per_domain")
        ]
        indexes = [models.Index(fields=["domain", "level"], name="need_domain_level")]

    def __str__(self) -> str:
        return f"{self.domain}: {self.level}"


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("No longer wanted")


class Goal(models.Model):
    """A goal in the survivor's own words, with what will be done, by whom and by when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey("cases.Survivor", on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("domain"), max_length=30, choices=ServiceDomain.choices)
    description = EncryptedTextField(_("the goal, in the survivor's own words"))
    actions = EncryptedTextField(_("actions"), blank=True)
    responsible_organisation = optional_organisation(_("responsible organisation"))
    responsible_person = models.CharField(_("responsible person"), max_length=120, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED
    )
    added_by_survivor = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["target_date", "created_at"]

    def __str__(self) -> str:
        return f"{self.domain}: {self.description[:40]}"

    def audit_label(self) -> str:
        return f"{self.survivor.case_code} goal"


class PlanReview(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="plan_reviews"
    )
    reviewed_on = models.DateField(_("review date"), default=timezone.localdate)
    outcome = EncryptedTextField(_("outcome"))
    survivor_took_part = models.BooleanField(_("the survivor took part"), default=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-reviewed_on"]

    def __str__(self) -> str:
        return f"review {self.reviewed_on}"
