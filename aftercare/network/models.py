"""The partner network: where organisations work and which services they offer."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from aftercare.network.taxonomy import ServiceDomain


class RegionLevel(models.TextChoices):
    COUNTRY = "country", _("Country")
    PROVINCE = "province", _("Province or state")
    DISTRICT = "district", _("District")


class Region(models.Model):
    """A node of the region tree: country → province/state → district."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    country = models.CharField(max_length=2)

    class Meta:
        ordering = ["country", "name"]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Region]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class OrganisationService(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="services")
    domain = models.CharField(max_length=30, choices=ServiceDomain.choices)
    eligibility_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "domain"], name="one_service_per_domain")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_domain_display()}"
