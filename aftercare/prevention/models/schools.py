"""Schools in the programme: teachers trained, and the cases each school identified,
reported and followed up (seed 004: "identify, respond to, and follow up on cases")."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.prevention.models.base import NamedRecord, scoped


class SchoolLevel(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("Secondary")
    VOCATIONAL = "vocational", _("Vocational or technical")


class School(NamedRecord):
    """A school an organisation supports. The school may itself be a member of the network."""

    audit_noun = "school"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="prevention_schools",
        help_text=_("The organisation that supports the school."),
    )
    name = models.CharField(_("name"), max_length=160)
    level = models.CharField(
        _("level"), max_length=12, choices=SchoolLevel.choices, default=SchoolLevel.PRIMARY
    )
    region = models.ForeignKey(
        "network.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    joined_on = models.DateField(_("joined the programme on"), default=timezone.localdate)
    is_active = models.BooleanField(_("in the programme"), default=True)
    member_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("the school in the directory"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(NamedRecord.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="prevention_school_name_once"
            )
        ]


class CapacitySession(models.Model):
    """A capacity-building session with a school's teachers, counted by sex."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    facilitators = models.CharField(_("facilitators"), max_length=200, blank=True)
    teachers_female = models.PositiveIntegerField(_("women teachers trained"), default=0)
    teachers_male = models.PositiveIntegerField(_("men teachers trained"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = scoped("school__organisation").as_manager()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.school} · {self.held_on}"

    @property
    def teachers_total(self) -> int:
        return self.teachers_female + self.teachers_male

    def audit_label(self) -> str:
        return f"session at {self.school.name} on {self.held_on}"


class Concern(models.TextChoices):
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Commercial sexual exploitation")
    TRAFFICKING = "trafficking", _("Trafficking or recruitment")
    CHILD_LABOUR = "child_labour", _("Child labour")
    CHILD_MARRIAGE = "child_marriage", _("Child marriage")
    ABUSE = "abuse", _("Abuse or neglect")
    OTHER = "other", _("Other")


class ReportedTo(models.TextChoices):
    POLICE = "police", _("Police (child and family protection unit)")
    SOCIAL_WELFARE = "social_welfare", _("Probation and social welfare or children's officer")
    HELPLINE = "helpline", _("Child helpline (116)")
    PARTNER = "partner", _("A partner organisation")
    HEALTH = "health", _("Health worker")
    LOCAL_LEADER = "local_leader", _("Local council or chief")
    OTHER = "other", _("Other")


class CaseStage(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    REPORTED = "reported", _("Reported")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", _("Closed")


class SchoolCase(models.Model):
    """A child a school identified as at risk or exploited, by the school's own reference.

    Never a name: the school keeps its register, Aftercare keeps the path from identification
    to report to follow-up, and the days it took to report.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="cases")
    reference = models.CharField(
        _("school's reference"),
        max_length=40,
        help_text=_("The school's own reference for the child. Never a name."),
    )
    concern = models.CharField(_("concern"), max_length=24, choices=Concern.choices)
    identified_on = models.DateField(_("identified on"))
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    reported_to = models.CharField(
        _("reported to"), max_length=16, choices=ReportedTo.choices, blank=True
    )
    reported_to_detail = models.CharField(
        _("reported to (which office or person)"), max_length=160, blank=True
    )
    referred_to = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("partner organisation"),
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=CaseStage.choices, default=CaseStage.IDENTIFIED
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = scoped("school__organisation").as_manager()

    class Meta:
        ordering = ["-identified_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reference"], name="prevention_case_reference_once"
            ),
            models.CheckConstraint(
                condition=Q(reported_on__isnull=True) | Q(reported_on__gte=F("identified_on")),
                name="prevention_case_reported_after_identified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.reference}"

    def audit_label(self) -> str:
        return f"school case {self.reference}"

    @property
    def days_to_report(self) -> int | None:
        """Whole days from identification to report; None while it is not reported."""
        if self.reported_on is None:
            return None
        return (self.reported_on - self.identified_on).days


class FollowUpOutcome(models.TextChoices):
    IN_SCHOOL = "in_school", _("In school")
    RECEIVING_SERVICES = "receiving_services", _("Receiving services")
    AT_RISK = "at_risk", _("Still at risk: follow up again")
    MOVED = "moved", _("Moved away")
    NOT_REACHED = "not_reached", _("Could not be reached")
    SAFE = "safe", _("Safe: no further follow-up needed")


# Outcomes after which the case is closed.
CLOSING_OUTCOMES = frozenset({FollowUpOutcome.SAFE, FollowUpOutcome.MOVED})


class SchoolFollowUp(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(SchoolCase, on_delete=models.CASCADE, related_name="follow_ups")
    followed_on = models.DateField(_("followed up on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=FollowUpOutcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True, help_text=_("No names."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = scoped("case__school__organisation").as_manager()

    class Meta:
        ordering = ["-followed_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.case} · {self.followed_on}"

    def audit_label(self) -> str:
        return f"follow-up of school case {self.case.reference}"
