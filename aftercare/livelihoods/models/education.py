"""School for young survivors: enrolment, attendance by term, grade progression, supplies,
and the social protection programmes the survivor is enrolled in."""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.livelihoods.models.base import PayPeriod, amount_field, by_user, currency_field


class SchoolLevel(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("Secondary")
    BRIDGING = "bridging", _("Bridging or catch-up class")
    TECHNICAL = "technical", _("Technical or vocational school")


class SchoolStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    TRANSFERRED = "transferred", _("Transferred")
    DROPPED_OUT = "dropped_out", _("Dropped out")


class SchoolEnrolment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="school_enrolments"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("school in the directory"),
    )
    school_name = models.CharField(
        _("school"), max_length=200, blank=True, help_text=_("if it is not in the directory")
    )
    level = models.CharField(_("level"), max_length=10, choices=SchoolLevel.choices)
    grade = models.CharField(_("grade or class now"), max_length=40)
    enrolled_on = models.DateField(_("enrolled on"))
    status = models.CharField(
        _("status"), max_length=12, choices=SchoolStatus.choices, default=SchoolStatus.ENROLLED
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    created_by = by_user()
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-enrolled_on"]

    def __str__(self) -> str:
        return self.school_display

    def audit_label(self) -> str:
        return f"{self.survivor.case_code} school enrolment"

    @property
    def school_display(self) -> str:
        return self.school.name if self.school_id else self.school_name


class TermAttendance(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrolment = models.ForeignKey(SchoolEnrolment, on_delete=models.CASCADE, related_name="terms")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    term = models.PositiveSmallIntegerField(
        _("term"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    days_open = models.PositiveSmallIntegerField(
        _("school days in the term"), validators=[MinValueValidator(1)]
    )
    days_present = models.PositiveSmallIntegerField(_("days attended"))
    grade = models.CharField(_("grade or class"), max_length=40)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = by_user()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-term"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "year", "term"], name="one_row_per_term"),
            models.CheckConstraint(
                condition=models.Q(days_present__lte=models.F("days_open")),
                name="attendance_within_term",
                violation_error_message=_("More days attended than the school was open."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} term {self.term}: {self.days_present}/{self.days_open}"

    @property
    def rate(self) -> float:
        return self.days_present / self.days_open if self.days_open else 0.0


class GradeOutcome(models.TextChoices):
    PROMOTED = "promoted", _("Promoted")
    REPEATED = "repeated", _("Repeating the year")
    COMPLETED = "completed", _("Completed the level")


class GradeProgression(models.Model):
    """The end of a school year: from which grade to which."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrolment = models.ForeignKey(
        SchoolEnrolment, on_delete=models.CASCADE, related_name="progressions"
    )
    year = models.PositiveSmallIntegerField(
        _("school year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    from_grade = models.CharField(_("from grade"), max_length=40)
    to_grade = models.CharField(_("to grade"), max_length=40, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=GradeOutcome.choices)
    recorded_by = by_user()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "year"], name="one_progression_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.from_grade} → {self.to_grade or '-'} ({self.outcome})"


class SchoolSupply(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="school_supplies"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    provided_on = models.DateField(_("provided on"))
    items = models.CharField(
        _("what was given"),
        max_length=300,
        help_text=_("e.g. uniform, shoes, books, fees for term 2"),
    )
    value = amount_field(_("value"), null=True, blank=True)
    currency = currency_field(blank=True)
    recorded_by = by_user()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-provided_on"]
        verbose_name_plural = "school supplies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | ~models.Q(currency=""),
                name="supply_value_has_currency",
                violation_error_message=_("Give the currency of the value."),
            )
        ]

    def __str__(self) -> str:
        return self.items


class ProtectionStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ENROLLED = "enrolled", _("Enrolled")
    REFUSED = "refused", _("Refused")
    ENDED = "ended", _("Ended")


class SocialProtection(models.Model):
    """A state or community programme the survivor is linked to: a child grant, cash transfer,
    health cover."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="social_protection"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    programme = models.CharField(_("programme"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProtectionStatus.choices,
        default=ProtectionStatus.APPLIED,
    )
    since = models.DateField(_("since"))
    benefit_amount = amount_field(_("benefit"), null=True, blank=True)
    currency = currency_field(blank=True)
    benefit_period = models.CharField(
        _("paid"), max_length=10, choices=PayPeriod.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = by_user()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-since"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(benefit_amount__isnull=True)
                | (~models.Q(currency="") & ~models.Q(benefit_period="")),
                name="benefit_has_currency_and_period",
                violation_error_message=_(
                    "Give the currency of the benefit and how often it is paid."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.programme
