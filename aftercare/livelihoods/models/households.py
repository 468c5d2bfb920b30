"""Household livelihood support for the most vulnerable families, with or without a survivor
registered in the system (seed 004: "improvement of household livelihoods")."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.policy import Action, can
from aftercare.core.fields import EncryptedTextField
from aftercare.livelihoods.models.base import amount_field, by_user, currency_field


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, actor) -> HouseholdQuerySet:
        """A household is its organisation's: other organisations do not learn it exists."""
        if not can(actor, Action.VIEW_LIVELIHOODS):
            return self.none()
        return self.filter(organisation_id=actor.organisation_id)


class Household(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("household code"), max_length=16, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "network.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    # Who to ask for at the door: an identifier, so encrypted like a survivor's name.
    contact_name = EncryptedTextField(_("contact person"), blank=True)
    members = models.PositiveSmallIntegerField(_("people in the household"))
    children = models.PositiveSmallIntegerField(_("of whom children"), default=0)
    survivor = models.ForeignKey(
        "cases.Survivor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="households",
        verbose_name=_("survivor's case, if any"),
    )
    vulnerability = models.TextField(_("why the household is vulnerable"), blank=True)
    created_by = by_user()
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(children__lte=models.F("members")),
                name="children_within_household",
                violation_error_message=_("More children than people in the household."),
            )
        ]

    def __str__(self) -> str:
        return self.code

    def audit_label(self) -> str:
        return self.code


class SupportKind(models.TextChoices):
    CASH_TRANSFER = "cash_transfer", _("Cash transfer")
    BUSINESS_GRANT = "business_grant", _("Small business grant or stock")
    LIVESTOCK = "livestock", _("Livestock")
    SEEDS_TOOLS = "seeds_tools", _("Seeds or tools")
    FOOD = "food", _("Food")
    SCHOOL_COSTS = "school_costs", _("School fees or costs")
    SOCIAL_PROTECTION = "social_protection", _("Linked to social protection")
    SAVINGS_GROUP = "savings_group", _("Savings group")
    TRAINING = "training", _("Skills training")
    OTHER = "other", _("Other")


class HouseholdSupport(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="support")
    kind = models.CharField(_("support"), max_length=20, choices=SupportKind.choices)
    given_on = models.DateField(_("given on"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    value = amount_field(_("value"), null=True, blank=True)
    currency = currency_field(blank=True)
    recorded_by = by_user()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | ~models.Q(currency=""),
                name="support_value_has_currency",
                violation_error_message=_("Give the currency of the value."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.given_on}"


class Situation(models.TextChoices):
    BETTER = "better", _("Better")
    SAME = "same", _("About the same")
    WORSE = "worse", _("Worse")


class HouseholdFollowUp(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="follow_ups")
    support = models.ForeignKey(
        HouseholdSupport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("about the support"),
    )
    visited_on = models.DateField(_("visited on"))
    situation = models.CharField(_("situation"), max_length=10, choices=Situation.choices)
    note = models.TextField(_("what was found"), blank=True)
    next_visit = models.DateField(_("next visit"), null=True, blank=True)
    recorded_by = by_user()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"{self.visited_on}: {self.situation}"
