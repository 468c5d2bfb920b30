"""The partner network: where organisations work, which services they offer, how full they are."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.network.taxonomy import BEDDED_DOMAINS, ServiceDomain


class RegionLevel(models.TextChoices):
    COUNTRY = "country", _("Country")
    PROVINCE = "province", _("Province or state")
    DISTRICT = "district", _("District")
    SUB_COUNTY = "sub_county", _("Sub-county")


PATH_SEPARATOR = "/"


class Region(models.Model):
    """A node of the region tree: country → province/state → district → sub-county.

    `path` holds the ids from the root down to this node (``<country>/<province>/<self>/``),
    so a search finds a region's ancestors without a query and its descendants with one
    indexed prefix match.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    country = models.CharField(max_length=2)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["country", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = (self.parent.path if self.parent_id else "") + self.pk.hex + PATH_SEPARATOR
        self.depth = self.path.count(PATH_SEPARATOR) - 1
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            self._move_descendants(old_path)

    def _move_descendants(self, old_path: str) -> None:
        """After a move in the tree, rewrite the paths below this node in one statement."""
        moved = Region.objects.filter(path__startswith=old_path).exclude(pk=self.pk)
        moved.update(
            path=Concat(models.Value(self.path), Substr("path", len(old_path) + 1)),
            depth=models.F("depth") + (self.depth - old_path.count(PATH_SEPARATOR) + 1),
        )

    def ancestor_ids(self) -> list[uuid.UUID]:
        """Ids from the parent up to the root, nearest first."""
        return [uuid.UUID(part) for part in reversed(self.path.split(PATH_SEPARATOR)[:-2])]

    def ancestors(self) -> list[Region]:
        """The parent, its parent, up to the country, nearest first."""
        ids = self.ancestor_ids()
        by_id = Region.objects.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]


def capacity_cutoff(now: datetime | None = None) -> datetime:
    """Capacity updated before this moment is stale (AFTERCARE_CAPACITY_STALE_DAYS)."""
    return (now or timezone.now()) - timedelta(days=settings.AFTERCARE_CAPACITY_STALE_DAYS)


class OrganisationService(models.Model):
    """A service an organisation offers, with who is eligible and its live capacity.

    Capacity is optional: `None` means "not counted here", not zero. Beds are counted only
    for services that house people (`BEDDED_DOMAINS`); caseload slots for any service.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="services"
    )
    domain = models.CharField(_("service"), max_length=30, choices=ServiceDomain.choices)
    eligibility_notes = models.TextField(_("eligibility notes"), blank=True)
    beds_total = models.PositiveIntegerField(_("beds in total"), null=True, blank=True)
    beds_available = models.PositiveIntegerField(_("beds free"), null=True, blank=True)
    slots_total = models.PositiveIntegerField(_("caseload slots in total"), null=True, blank=True)
    slots_available = models.PositiveIntegerField(_("caseload slots free"), null=True, blank=True)
    capacity_updated_at = models.DateTimeField(_("capacity last updated"), null=True, blank=True)
    capacity_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    capacity_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "domain"], name="one_service_per_domain"
            ),
            models.CheckConstraint(
                condition=models.Q(beds_available__isnull=True)
                | models.Q(beds_total__isnull=True)
                | models.Q(beds_available__lte=models.F("beds_total")),
                name="beds_available_within_total",
            ),
            models.CheckConstraint(
                condition=models.Q(slots_available__isnull=True)
                | models.Q(slots_total__isnull=True)
                | models.Q(slots_available__lte=models.F("slots_total")),
                name="slots_available_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_domain_display()}"

    def audit_label(self) -> str:
        return f"{self.organisation.slug} · {self.domain}"

    @property
    def has_beds(self) -> bool:
        return self.domain in BEDDED_DOMAINS

    @property
    def counts_capacity(self) -> bool:
        return self.capacity_updated_at is not None

    def is_stale(self, now: datetime | None = None) -> bool:
        return self.capacity_updated_at is not None and self.capacity_updated_at < capacity_cutoff(
            now
        )


class ReferralStats(models.Model):
    """How an organisation answers the referrals it receives, kept by the referrals app.

    Written only by `network.services.refresh_referral_stats`; the directory ranks on
    `median_response_hours` and the profile shows the rates. No row means no referrals yet.
    """

    organisation = models.OneToOneField(
        "accounts.Organisation",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="referral_stats",
    )
    received = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    median_response_hours = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "referral stats"

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.accepted}/{self.received} accepted"

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted among the referrals answered (accepted or declined)."""
        answered = self.accepted + self.declined
        return self.accepted / answered if answered else None

    @property
    def completion_rate(self) -> float | None:
        """Completed among the referrals accepted."""
        return self.completed / self.accepted if self.accepted else None


class CapacitySummary(models.Model):
    """An organisation's free places over all its services, kept so the directory ranks fast.

    Derived from its `OrganisationService` rows by `network.services.refresh_capacity_summary`,
    which every change of capacity or of the services offered calls; never edited by hand.
    """

    organisation = models.OneToOneField(
        "accounts.Organisation",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="capacity_summary",
    )
    beds_free = models.PositiveIntegerField(null=True, blank=True)
    slots_free = models.PositiveIntegerField(null=True, blank=True)
    checked_at = models.DateTimeField(
        null=True, blank=True, help_text="the oldest update among services that count"
    )

    class Meta:
        verbose_name_plural = "capacity summaries"

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.beds_free} beds, {self.slots_free} slots free"
