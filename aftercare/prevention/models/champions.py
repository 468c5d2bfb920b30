"""Child protection champions: community, religious and cultural leaders and private-sector
actors trained to model child protection and to support awareness-raising (seed 004)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.prevention.models.base import NamedRecord, Sex, scoped


class ChampionKind(models.TextChoices):
    COMMUNITY_LEADER = "community_leader", _("Community leader")
    RELIGIOUS_LEADER = "religious_leader", _("Religious leader")
    CULTURAL_LEADER = "cultural_leader", _("Cultural leader")
    PRIVATE_SECTOR = "private_sector", _("Private-sector actor")
    OTHER = "other", _("Other")


class Champion(NamedRecord):
    """A champion is a public figure acting in public, so their name is kept (unencrypted)."""

    audit_noun = "champion"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=ChampionKind.choices)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    region = models.ForeignKey(
        "network.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    is_active = models.BooleanField(_("active"), default=True)
    status_changed_on = models.DateField(_("active or inactive since"), default=timezone.localdate)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)


class ChampionTraining(models.Model):
    """A training of champions; who attended is the list of champions trained."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    region = models.ForeignKey(
        "network.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    facilitators = models.CharField(_("facilitators"), max_length=200, blank=True)
    champions = models.ManyToManyField(
        Champion, related_name="trainings", verbose_name=_("champions trained")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = scoped("organisation").as_manager()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.topic} · {self.held_on}"

    def audit_label(self) -> str:
        return f"champion training on {self.held_on}"


class ChampionActivityKind(models.TextChoices):
    DIALOGUE = "dialogue", _("Led or spoke at a dialogue")
    AWARENESS = "awareness", _("Awareness-raising")
    REFERRAL = "referral", _("Referred a child at risk")
    HOME_VISIT = "home_visit", _("Home visit")
    MEDIATION = "mediation", _("Family or community mediation")
    OTHER = "other", _("Other")


class ChampionActivity(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    champion = models.ForeignKey(Champion, on_delete=models.CASCADE, related_name="activities")
    held_on = models.DateField(_("on"))
    kind = models.CharField(_("kind"), max_length=12, choices=ChampionActivityKind.choices)
    description = models.CharField(
        _("what happened"), max_length=300, blank=True, help_text=_("No names of children.")
    )
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = scoped("champion__organisation").as_manager()

    class Meta:
        ordering = ["-held_on"]
        verbose_name_plural = "champion activities"

    def __str__(self) -> str:
        return f"{self.champion} · {self.held_on}"

    def audit_label(self) -> str:
        return f"activity of champion {self.champion.name}"
