"""Mentoring and coaching, and the leadership roles survivors take up.

Bliss and Bloom, CAST, A21 and GFEMS all name mentoring: a mentor (staff, a volunteer or a
survivor further along) matched to a survivor for a while, meeting on career preparation,
money, conflict and life skills. Seed 001 hopes that "every survivor who has been served
well ... becomes an empowered leader": the roles she takes up are recorded with her, and
counted only with her consent.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.core.fields import EncryptedTextField
from aftercare.core.models import Recorded, Span, ends_after_start, optional_organisation


class MentorKind(models.TextChoices):
    STAFF = "staff", _("Staff member")
    VOLUNTEER = "volunteer", _("Volunteer")
    PEER = "peer", _("Peer survivor")


class Mentor(models.Model):
    """Someone an organisation matches with survivors. A peer mentor's name is a survivor's
    name, so every mentor's name is kept encrypted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="mentors"
    )
    kind = models.CharField(_("mentor is a"), max_length=10, choices=MentorKind.choices)
    name = EncryptedTextField(_("name"))
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class MentorMatch(Recorded, Span):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="mentor_matches"
    )
    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="matches")
    focus = EncryptedTextField(_("what they will work on"), blank=True)

    class Meta:
        ordering = ["-start"]
        constraints = [ends_after_start("mentor_match_end_after_start")]

    def __str__(self) -> str:
        return f"mentor match {self.start}"

    def is_active_on(self, day) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


class SessionTopic(models.TextChoices):
    CAREER = "career_preparation", _("Career preparation")
    FINANCE = "financial_planning", _("Financial planning")
    CONFLICT = "conflict_resolution", _("Conflict resolution")
    LIFE_SKILLS = "life_skills", _("Life skills")
    EDUCATION = "education", _("School and studies")
    WELLBEING = "wellbeing", _("Wellbeing")
    OTHER = "other", _("Other")


class MentoringSession(Recorded):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    match = models.ForeignKey(MentorMatch, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=20, choices=SessionTopic.choices)
    minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["match", "held_on"])]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} {self.held_on}"


class LeadershipKind(models.TextChoices):
    PEER_SUPPORTER = "peer_supporter", _("Peer supporter")
    MENTOR = "mentor", _("Mentor")
    TRAINER = "trainer", _("Trainer")
    ADVOCATE = "advocate", _("Advocate")
    CHAMPION = "champion", _("Community champion")
    STAFF = "staff_member", _("Staff member")
    COUNCIL = "survivors_council", _("Member of a survivors' council")


class LeadershipRole(Recorded, Span):
    """A role a survivor has taken up. `counted` is her consent to count it in reports."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="leadership_roles"
    )
    kind = models.CharField(_("role"), max_length=20, choices=LeadershipKind.choices)
    organisation = optional_organisation(_("with"))
    counted = models.BooleanField(
        _("she agrees that this role is counted in reports"), default=False
    )

    class Meta:
        ordering = ["-start"]
        constraints = [ends_after_start("leadership_end_after_start")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}"
