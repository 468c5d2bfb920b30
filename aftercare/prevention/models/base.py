"""What the prevention tables share: disaggregation by sex and age group, topics, scoping."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.policy import Action, can


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class AgeGroup(models.TextChoices):
    """Age groups of attendance. "Men" in the headline share are males of 18 and over."""

    UNDER_18 = "under_18", _("Under 18")
    AGE_18_35 = "18_35", _("18–35")
    AGE_36_59 = "36_59", _("36–59")
    AGE_60_PLUS = "60_plus", _("60 and over")


ADULT_AGE_GROUPS = (AgeGroup.AGE_18_35, AgeGroup.AGE_36_59, AgeGroup.AGE_60_PLUS)


class Topic(models.TextChoices):
    """What a dialogue, event or campaign is about (seed 004 names the first five)."""

    GIRLS_EDUCATION = "girls_education", _("Education for children, especially girls")
    PROTECTING_CHILDREN = (
        "protecting_children",
        _("What families and communities can do to protect children"),
    )
    SURVIVOR_STIGMA = "survivor_stigma", _("Stigma and discrimination against survivors")
    ORDINANCE_BYLAWS = "ordinance_bylaws", _("The ordinance and by-laws")
    TRAFFICKING_AWARENESS = "trafficking_awareness", _("Child trafficking and how to prevent it")
    SOCIAL_NORMS = "social_norms", _("Child-friendly social norms")
    OTHER = "other", _("Other")


class OrganisationScoped(models.QuerySet):
    """Records of the actor's own organisation, for a role that may see prevention work.

    `organisation_path` names the lookup from the model to the owning organisation.
    """

    organisation_path = "organisation"

    def visible_to(self, actor) -> models.QuerySet:
        if not can(actor, Action.VIEW_PREVENTION):
            return self.none()
        return self.filter(**{f"{self.organisation_path}_id": actor.organisation_id})

    def of_organisation(self, organisation) -> models.QuerySet:
        """All the records of one organisation, or of the whole network when it is None."""
        if organisation is None:
            return self.all()
        return self.filter(
            **{f"{self.organisation_path}_id": getattr(organisation, "pk", organisation)}
        )


def scoped(path: str) -> type[OrganisationScoped]:
    return type(
        f"ScopedBy{path.title().replace('__', '')}",
        (OrganisationScoped,),
        {"organisation_path": path},
    )


class NamedRecord(models.Model):
    """A record an organisation keeps by name (a school, a champion, a survey): listed and shown
    by its name, scoped to its organisation, and named in the audit trail as `audit_noun` and
    its `audit_field`. Abstract, and with no field of its own: it adds no column."""

    audit_noun: ClassVar[str] = ""
    audit_field: ClassVar[str] = "name"

    objects = scoped("organisation").as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return f"{self.audit_noun} {getattr(self, self.audit_field)}"
