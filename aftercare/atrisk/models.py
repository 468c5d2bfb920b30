"""People at risk who were never trafficked: a lighter beneficiary record.

Seed 000 trains "individuals that have been identified as high risk", seed 003 houses anyone at
risk first, seed 004 supports vulnerable households. They are not survivors: no trafficking
history, no case, no plan. The record holds only what enrolment needs (a code, the given name
encrypted, year of birth, gender, region, household) and her consent, kept as history like a
survivor's. Her training, jobs and housing are rows of this app that point at livelihoods'
cohorts and employers, so no survivor record or survivor indicator is touched by them; her
household support is the livelihoods household she belongs to.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.policy import Action, can
from aftercare.cases.models import ConsentMethod, Gender
from aftercare.core.fields import EncryptedTextField
from aftercare.core.models import Recorded, Span, ends_after_start
from aftercare.livelihoods.models import EnrolmentStatus


class BeneficiaryQuerySet(models.QuerySet):
    def visible_to(self, actor) -> BeneficiaryQuerySet:
        """Her organisation's alone, for case roles: no referral shares her with anyone."""
        if not can(actor, Action.VIEW_CASES):
            return self.none()
        return self.filter(organisation_id=actor.organisation_id)


class Beneficiary(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("code"), max_length=16, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="beneficiaries"
    )
    given_name = EncryptedTextField(_("given name"))
    year_of_birth = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(
        _("gender"), max_length=12, choices=Gender.choices, default=Gender.UNKNOWN
    )
    region = models.ForeignKey(
        "network.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    household = models.ForeignKey(
        "livelihoods.Household",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="beneficiaries",
        verbose_name=_("household"),
    )
    # The newest consent row of each purpose, copied here so lists and indicators filter on it.
    consents_to_enrolment = models.BooleanField(default=False, editable=False)
    consents_to_data_use = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    version = models.PositiveIntegerField(default=1)

    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="beneficiary_org_created")
        ]

    def __str__(self) -> str:
        return self.code

    def audit_label(self) -> str:
        return self.code


class BeneficiaryConsentPurpose(models.TextChoices):
    ENROLMENT = "enrolment", _("Being enrolled in the programme")
    DATA_USE = "data_use", _("Use of their data in reports")


class GivenBy(models.TextChoices):
    PERSON = "person", _("The person")
    GUARDIAN = "guardian", _("The guardian")


class BeneficiaryConsent(models.Model):
    """One decision, never edited: a withdrawal is a newer row with `granted=False`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(
        _("purpose"), max_length=12, choices=BeneficiaryConsentPurpose.choices
    )
    granted = models.BooleanField(_("granted"))
    method = models.CharField(_("how it was given"), max_length=10, choices=ConsentMethod.choices)
    given_by = models.CharField(
        _("given by"), max_length=10, choices=GivenBy.choices, default=GivenBy.PERSON
    )
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return (
            f"{self.purpose} {'granted' if self.granted else 'withdrawn'} "
            f"{self.recorded_at:%Y-%m-%d}"
        )


class TrainingEnrolment(Recorded):
    """Her place in a livelihoods cohort (any partner's programme)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="training")
    cohort = models.ForeignKey(
        "livelihoods.Cohort", on_delete=models.PROTECT, related_name="+", verbose_name=_("cohort")
    )
    enrolled_on = models.DateField(_("enrolled on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=80, blank=True)

    class Meta:
        ordering = ["-enrolled_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "beneficiary"], name="one_beneficiary_enrolment_per_cohort"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cohort}: {self.status}"


class JobPlacement(Recorded):
    """A job with one of the network's partner employers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="jobs")
    employer = models.ForeignKey(
        "livelihoods.PartnerEmployer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("employer"),
    )
    role = models.CharField(_("role"), max_length=120)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            ends_after_start("beneficiary_job_ends_after_start", "start_date", "end_date")
        ]

    def __str__(self) -> str:
        return f"{self.role} at {self.employer}"


class HousingKind(models.TextChoices):
    TRANSITIONAL = "transitional", _("Transitional housing")
    RENT_SUPPORT = "rent_support", _("Help with rent")
    HOSTEL = "hostel", _("Working women's hostel")
    EMERGENCY = "emergency", _("Emergency shelter")
    OTHER = "other", _("Other")


class Housing(Recorded, Span):
    """Housing first for anyone at risk (seed 003): what she was given, from when, until when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="housing")
    kind = models.CharField(_("housing"), max_length=15, choices=HousingKind.choices)

    class Meta:
        ordering = ["-start"]
        constraints = [ends_after_start("beneficiary_housing_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}"
