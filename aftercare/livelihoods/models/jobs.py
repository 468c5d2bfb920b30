"""Job placement with partner employers: the wage, its fair-wage check, and retention."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.livelihoods.models.base import (
    Named,
    PayPeriod,
    amount_field,
    by_user,
    currency_field,
)


class PartnerEmployer(Named):
    """A company that hires survivors through the network; it need not be in the directory."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("directory entry"),
    )
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    region = models.ForeignKey(
        "network.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    added_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("active partner"), default=True)
    created_at = models.DateTimeField(default=timezone.now)


class FairWage(models.TextChoices):
    FAIR = "fair", _("At or above the living wage")
    MEETS_MINIMUM = "meets_minimum", _("At or above the minimum wage (no living wage on record)")
    BELOW_LIVING = "below_living", _("Below the living wage")
    BELOW_MINIMUM = "below_minimum", _("Below the minimum wage")
    NO_STANDARD = "no_standard", _("Not checked: no wage standard for the region")
    NO_RATE = "no_rate", _("Not checked: no exchange rate to the standard's currency")


FLAGGED = frozenset(
    {FairWage.BELOW_LIVING, FairWage.BELOW_MINIMUM, FairWage.NO_STANDARD, FairWage.NO_RATE}
)


class PlacementQuerySet(models.QuerySet):
    def flagged(self) -> PlacementQuerySet:
        return self.filter(fair_wage__in=FLAGGED)


class Placement(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="placements"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    employer = models.ForeignKey(
        PartnerEmployer,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("employer"),
    )
    role = models.CharField(_("role"), max_length=120)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True)
    hours_per_week = models.DecimalField(
        _("hours a week"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(100)],
    )
    days_per_week = models.DecimalField(
        _("days a week"),
        max_digits=3,
        decimal_places=1,
        default=Decimal(5),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(7)],
    )
    wage_amount = amount_field(_("wage"))
    currency = currency_field()
    pay_period = models.CharField(_("pay period"), max_length=10, choices=PayPeriod.choices)
    region = models.ForeignKey(
        "network.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("where the job is"),
    )
    # The fair-wage check as made when the wage was recorded: its result and its arithmetic.
    fair_wage = models.CharField(
        _("fair wage"), max_length=15, choices=FairWage.choices, db_index=True
    )
    fair_wage_detail = models.JSONField(default=dict, blank=True, editable=False)
    created_by = by_user()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wage_amount__gt=0),
                name="placement_wage_positive",
                violation_error_message=_("Enter a wage above zero."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="placement_ends_after_start",
                violation_error_message=_("The job cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} at {self.employer}"

    def audit_label(self) -> str:
        return f"{self.survivor.case_code} placement"

    @property
    def flagged(self) -> bool:
        return self.fair_wage in FLAGGED


RETENTION_MONTHS = (1, 3, 6, 12)


class RetentionOutcome(models.TextChoices):
    PENDING = "pending", _("Not yet recorded")
    RETAINED = "retained", _("Still in the job")
    LEFT = "left", _("Left the job")
    NOT_NEEDED = "not_needed", _("Not needed: the job had ended")


class LeftReason(models.TextChoices):
    RESIGNED = "resigned", _("Resigned")
    DISMISSED = "dismissed", _("Dismissed")
    CONTRACT_ENDED = "contract_ended", _("Contract ended")
    BETTER_JOB = "better_job", _("Found a better job")
    UNSAFE = "unsafe", _("Unsafe or exploitative conditions")
    HEALTH = "health", _("Health")
    FAMILY = "family", _("Family reasons")
    RELOCATED = "relocated", _("Moved away")
    OTHER = "other", _("Other")


class RetentionFollowUp(models.Model):
    """Still in the job 1, 3, 6 and 12 months on? Created with the placement."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after the start"))
    due_on = models.DateField(_("due on"))
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=RetentionOutcome.choices,
        default=RetentionOutcome.PENDING,
    )
    left_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=LeftReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    opened_at = models.DateTimeField(
        null=True, blank=True, help_text="when case staff were told it is due"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = by_user()

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "months"], name="one_follow_up_per_milestone"
            )
        ]
        indexes = [models.Index(fields=["outcome", "opened_at", "due_on"], name="retention_due")]

    def __str__(self) -> str:
        return f"{self.months}-month follow-up ({self.outcome})"

    def audit_label(self) -> str:
        return f"{self.placement.survivor.case_code} {self.months}-month retention"
