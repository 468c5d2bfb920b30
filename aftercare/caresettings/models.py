"""Where a survivor lives and under what regime, as periods; and what the programmes cost.

The Shakti article (seed 001) claims that rehabilitation in freedom, in the community, works
better and costs less than a locked shelter home. Recording each period of care with its
regime (may she leave? has she seen a lawyer? has she appealed?) and each programme's costs
by category is what lets a network examine that claim with its own figures.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.core.models import Recorded, Span, ends_after_start, optional_organisation
from aftercare.livelihoods.models.base import amount_field, currency_field
from aftercare.network.taxonomy import ServiceDomain


class CareSettingKind(models.TextChoices):
    COMMUNITY_FAMILY = "community_family", _("In the community, with her family")
    COMMUNITY_INDEPENDENT = "community_independent", _("In the community, on her own")
    KINSHIP_FOSTER = "kinship_foster", _("In the community, in foster or kinship care")
    OPEN_SHELTER = "open_shelter", _("Open shelter (she may come and go)")
    CLOSED_SHELTER = "closed_shelter", _("Closed shelter or detention")
    TRANSITIONAL_HOUSING = "transitional_housing", _("Transitional housing")
    OTHER = "other", _("Other")


class SettingGroup(models.TextChoices):
    """The settings compared: the three community kinds are one group, as in the article."""

    COMMUNITY = "community", _("Community-based")
    OPEN_SHELTER = "open_shelter", _("Open shelter")
    CLOSED_SHELTER = "closed_shelter", _("Closed shelter or detention")
    TRANSITIONAL_HOUSING = "transitional_housing", _("Transitional housing")
    OTHER = "other", _("Other")


GROUP_OF: dict[str, str] = {
    CareSettingKind.COMMUNITY_FAMILY: SettingGroup.COMMUNITY,
    CareSettingKind.COMMUNITY_INDEPENDENT: SettingGroup.COMMUNITY,
    CareSettingKind.KINSHIP_FOSTER: SettingGroup.COMMUNITY,
    CareSettingKind.OPEN_SHELTER: SettingGroup.OPEN_SHELTER,
    CareSettingKind.CLOSED_SHELTER: SettingGroup.CLOSED_SHELTER,
    CareSettingKind.TRANSITIONAL_HOUSING: SettingGroup.TRANSITIONAL_HOUSING,
    CareSettingKind.OTHER: SettingGroup.OTHER,
}
CLOSED_KINDS = frozenset({CareSettingKind.CLOSED_SHELTER})


class Appeal(models.TextChoices):
    NONE = "none", _("No appeal")
    LODGED = "lodged", _("Appeal lodged, not yet decided")
    GRANTED = "granted", _("Appeal granted: she was released")
    REFUSED = "refused", _("Appeal refused")


class CareSetting(Recorded, Span):
    """One period of where she lives. Periods of one case do not overlap; the open one has no
    end."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="care_settings"
    )
    kind = models.CharField(_("where she lives"), max_length=24, choices=CareSettingKind.choices)
    organisation = optional_organisation(_("organisation running it"))
    # Asked of a closed setting only (None elsewhere): the article's survivors "can't even
    # reach out to a lawyer to appeal against their forced detention".
    may_leave = models.BooleanField(_("she may leave when she wishes"), null=True, blank=True)
    lawyer_access = models.BooleanField(_("she has had access to a lawyer"), null=True, blank=True)
    lawyer_access_on = models.DateField(_("first saw a lawyer on"), null=True, blank=True)
    appeal = models.CharField(
        _("appeal against her detention"), max_length=10, choices=Appeal.choices, blank=True
    )
    appeal_on = models.DateField(_("appeal lodged on"), null=True, blank=True)
    alerted_at = models.DateTimeField(
        null=True, blank=True
    )  # when the supervisor was told of no lawyer
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-start", "-created_at"]
        indexes = [
            models.Index(fields=["survivor", "start"]),
            models.Index(fields=["kind", "start"]),
        ]
        constraints = [
            ends_after_start("care_setting_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}–{self.end or ''}"

    @property
    def group(self) -> str:
        return GROUP_OF[self.kind]

    @property
    def is_closed(self) -> bool:
        return self.kind in CLOSED_KINDS

    def days(self, today=None) -> int:
        """Length of stay in days, to today while she is still there."""
        last = self.end or today or timezone.localdate()
        return max((last - self.start).days, 0)

    def days_without_lawyer(self, today=None) -> int | None:
        """For a closed setting: days from its start until she first saw a lawyer (or until now)."""
        if not self.is_closed:
            return None
        until = self.lawyer_access_on if self.lawyer_access and self.lawyer_access_on else None
        if self.lawyer_access and until is None:
            return 0
        last = until or self.end or today or timezone.localdate()
        return max((last - self.start).days, 0)


class CostCategory(models.TextChoices):
    SHELTER_RUNNING = (
        "shelter_running",
        _("Running a shelter or residence (rent, food, utilities, guards)"),
    )
    HOUSING = "housing", _("Housing support in the community (rent, deposits)")
    STAFF = "staff", _("Staff (case workers, counsellors, house mothers)")
    STIPENDS = "stipends", _("Stipends and allowances to survivors")
    TRAINING = "training", _("Training and education")
    MEDICAL = "medical", _("Medical and mental health care")
    LEGAL = "legal", _("Legal aid")
    TRANSPORT = "transport", _("Transport and follow-up visits")
    ADMINISTRATION = "administration", _("Administration and overheads")
    OTHER = "other", _("Other")


class ProgrammeCost(Recorded):
    """What an organisation spent on one category over a period, attributed where it can be."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="programme_costs"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    amount = amount_field()
    currency = currency_field()
    setting_group = models.CharField(
        _("care setting it paid for"),
        max_length=24,
        choices=SettingGroup.choices,
        blank=True,
        help_text=_("Leave empty for a cost shared by every setting (administration, most staff)."),
    )
    service_domain = models.CharField(
        _("service it paid for"), max_length=30, choices=ServiceDomain.choices, blank=True
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["-period_start", "category"]
        indexes = [models.Index(fields=["organisation", "period_start"])]
        constraints = [
            ends_after_start(
                "programme_cost_period_order", "period_start", "period_end", open_ended=False
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="programme_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount} {self.currency}"
