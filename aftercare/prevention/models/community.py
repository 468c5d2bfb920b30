"""Community dialogues and awareness events with their attendance, and mixed-media campaigns."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.prevention.models.base import AgeGroup, Sex, scoped


class ActivityKind(models.TextChoices):
    DIALOGUE = "dialogue", _("Community dialogue")
    AWARENESS = "awareness", _("Awareness event")


class CommunityActivity(models.Model):
    """A dialogue or awareness event on a day, in a place, on topics, with its attendance.

    `version` counts changes to the attendance, so a count recorded offline against an older
    version is reported as a conflict instead of overwriting someone else's figures.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=ActivityKind.choices, default=ActivityKind.DIALOGUE
    )
    held_on = models.DateField(_("held on"))
    region = models.ForeignKey(
        "network.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    venue = models.CharField(_("venue"), max_length=120, blank=True)
    topics = models.JSONField(_("topics"), default=list)
    facilitators = models.CharField(_("facilitators"), max_length=200, blank=True)
    champions = models.ManyToManyField(
        "prevention.Champion", blank=True, related_name="activities_facilitated"
    )
    version = models.PositiveIntegerField(default=1)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = scoped("organisation").as_manager()

    class Meta:
        ordering = ["-held_on", "-created_at"]
        verbose_name_plural = "community activities"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.region} · {self.held_on}"

    def audit_label(self) -> str:
        return f"{self.kind} in {self.region.name} on {self.held_on}"


class Attendance(models.Model):
    """How many people of one sex and age group attended an activity."""

    activity = models.ForeignKey(
        CommunityActivity, on_delete=models.CASCADE, related_name="attendance"
    )
    sex = models.CharField(max_length=6, choices=Sex.choices)
    age_group = models.CharField(max_length=8, choices=AgeGroup.choices)
    count = models.PositiveIntegerField(default=0)

    objects = scoped("activity__organisation").as_manager()

    class Meta:
        ordering = ["sex", "age_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "sex", "age_group"], name="prevention_attendance_cell_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sex} {self.age_group}: {self.count}"


class Medium(models.TextChoices):
    RADIO = "radio", _("Radio")
    TELEVISION = "television", _("Television")
    PRINT = "print", _("Posters, leaflets and billboards")
    SMS = "sms", _("Text messages")
    SOCIAL_MEDIA = "social_media", _("Social media")
    DRAMA = "drama", _("Drama, music and dance")
    PUBLIC_ADDRESS = "public_address", _("Public address and market announcements")
    OTHER = "other", _("Other")


class Campaign(models.Model):
    """An awareness campaign in one medium, with the reach its organisers estimate."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=160)
    medium = models.CharField(_("medium"), max_length=16, choices=Medium.choices)
    topics = models.JSONField(_("topics"), default=list)
    region = models.ForeignKey(
        "network.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    estimated_reach = models.PositiveIntegerField(_("estimated reach (people)"))
    reach_basis = models.CharField(
        _("how the reach was estimated"),
        max_length=200,
        blank=True,
        help_text=_("For example: the station's listenership survey, posters × footfall."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = scoped("organisation").as_manager()

    class Meta:
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return f"campaign {self.name}"
