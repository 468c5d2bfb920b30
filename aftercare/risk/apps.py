from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "aftercare.risk"
    label = "risk"
    verbose_name = _("Re-trafficking risk and wellbeing")
    default_auto_field = "django.db.models.BigAutoField"
