"""Policy milestones: an ordinance or by-law moving from drafted to enforced, at a level of
government (seed 004: the Child Protection Ordinance, by-laws in four sub-counties of Napak)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.prevention.models.base import scoped


class PolicyKind(models.TextChoices):
    ORDINANCE = "ordinance", _("Ordinance")
    BY_LAW = "by_law", _("By-law")
    POLICY = "policy", _("Policy or regulation")


class PolicyLevel(models.TextChoices):
    """The level of government, read from the level of the region the instrument covers."""

    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Province, state or county")
    DISTRICT = "district", _("District")
    SUB_COUNTY = "sub_county", _("Sub-county")


class Stage(models.TextChoices):
    """In order: each instrument moves one stage forward at a time (`milestones.NEXT`)."""

    DRAFTED = "drafted", _("Drafted")
    LOBBIED = "lobbied", _("Lobbied")
    PASSED = "passed", _("Passed")
    ENFORCED = "enforced", _("Enforced")


class PolicyInstrument(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=PolicyKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=PolicyLevel.choices, editable=False)
    region = models.ForeignKey(
        "network.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.DRAFTED, editable=False
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = scoped("organisation").as_manager()

    class Meta:
        ordering = ["level", "region__name", "title"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"{self.kind} {self.title}"


class Milestone(models.Model):
    """The day an instrument reached a stage. One per stage; the history is never rewritten."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    instrument = models.ForeignKey(
        PolicyInstrument, on_delete=models.CASCADE, related_name="milestones"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    reached_on = models.DateField(_("reached on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = scoped("instrument__organisation").as_manager()

    class Meta:
        ordering = ["reached_on", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "stage"], name="prevention_milestone_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} · {self.stage}"
