"""The roles a membership can carry. What each may do is decided in aftercare.accounts.policy."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SURVIVOR = "survivor", _("Survivor")
    CASE_WORKER = "case_worker", _("Case worker")
    SUPERVISOR = "supervisor", _("Supervisor")
    REFERRAL_SOURCE = "referral_source", _("Referral source")
    NETWORK_COORDINATOR = "network_coordinator", _("Network coordinator")
    ME_OFFICER = "me_officer", _("M&E officer")
    ADMIN = "admin", _("Organisation admin")
    # Prevention in the community (schools, champions, dialogues), often offline; sees no cases.
    FIELD_WORKER = "field_worker", _("Field worker")


STAFF_ROLES = frozenset(Role) - {Role.SURVIVOR}
