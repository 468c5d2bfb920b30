"""The one service taxonomy every organisation, need, plan goal and referral uses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceDomain(models.TextChoices):
    SAFETY = "safety", _("Safety and protection")
    HOUSING = "housing", _("Safe housing")
    MEDICAL = "medical", _("Medical care")
    DENTAL = "dental", _("Dental care")
    MENTAL_HEALTH = "mental_health", _("Mental health and trauma therapy")
    LEGAL = "legal", _("Legal support")
    EDUCATION = "education", _("Education")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    EMPLOYMENT = "employment", _("Employment")
    FINANCIAL = "financial", _("Financial support and savings")
    FAMILY_REINTEGRATION = "family_reintegration", _("Family reintegration")
    REPATRIATION = "repatriation", _("Repatriation")
    DOCUMENTATION = "documentation", _("Identity documents")
    CREATIVE_EXPRESSION = "creative_expression", _("Creative expression")
    PEER_SUPPORT = "peer_support", _("Peer support")
    SUBSTANCE_USE = "substance_use", _("Substance use support")
    # The articles name these too: food, clothing and hygiene kits (002, 004); social and
    # cultural activities (001, 003); mentoring and coaching (Bliss and Bloom, CAST, A21, GFEMS).
    BASIC_NECESSITIES = "basic_necessities", _("Basic necessities (food, clothing, hygiene)")
    SOCIAL_CULTURAL = "social_cultural", _("Social and cultural activities")
    MENTORING = "mentoring", _("Mentoring and coaching")


class Population(models.TextChoices):
    """Who an organisation serves; the directory filters on these."""

    WOMEN = "women", _("Women")
    MEN = "men", _("Men")
    GIRLS = "girls", _("Girls")
    BOYS = "boys", _("Boys")
    TRANSGENDER = "transgender", _("Transgender people")
    FAMILIES = "families", _("Families")
    FOREIGN_NATIONALS = "foreign_nationals", _("Foreign nationals")
    LGBTQI = "lgbtqi", _("LGBTQI+ people")


# Services that house people, so their capacity is counted in beds as well as caseload slots.
BEDDED_DOMAINS = frozenset({ServiceDomain.HOUSING})
