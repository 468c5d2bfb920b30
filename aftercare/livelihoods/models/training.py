"""Vocational training and apprenticeships: programmes, cohorts, enrolments and attendance."""

from __future__ import annotations

import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.livelihoods.models.base import Named, by_user


class ProgrammeKind(models.TextChoices):
    TRAINING = "training", _("Vocational training")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")


class TrainingProgramme(Named):
    """A course a partner runs, e.g. goldsmithing at a jewellery centre or house management."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="training_programmes",
        verbose_name=_("provider"),
    )
    name = models.CharField(_("name"), max_length=200)
    trade = models.CharField(_("trade"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=15, choices=ProgrammeKind.choices, default=ProgrammeKind.TRAINING
    )
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration in weeks"), validators=[MinValueValidator(1)]
    )
    certification = models.CharField(
        _("certification"),
        max_length=200,
        blank=True,
        help_text=_("the certificate awarded, and by whom"),
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("open for enrolment"), default=True)
    created_by = by_user()
    created_at = models.DateTimeField(default=timezone.now)


class Cohort(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(
        TrainingProgramme, on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(_("name"), max_length=120)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    region = models.ForeignKey(
        "network.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("where"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="cohort_ends_after_start",
                violation_error_message=_("The cohort cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.name}"

    def audit_label(self) -> str:
        return str(self)[:200]


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="training_enrolments"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    enrolled_on = models.DateField(_("enrolled on"), default=timezone.localdate)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=80, blank=True)
    certificate_issued_on = models.DateField(_("certificate issued on"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    created_by = by_user()
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-enrolled_on"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "survivor"], name="one_enrolment_per_cohort")
        ]

    def __str__(self) -> str:
        return f"{self.cohort}: {self.status}"

    def audit_label(self) -> str:
        return f"{self.survivor.case_code} training enrolment"


class SessionAttendance(models.Model):
    """Whether the trainee came to one day of training (one row per enrolment and day)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    date = models.DateField(_("date"))
    present = models.BooleanField(_("present"))
    recorded_by = by_user()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "date"], name="one_attendance_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.date}: {'present' if self.present else 'absent'}"
