from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareSettingsConfig(AppConfig):
    name = "aftercare.caresettings"
    label = "caresettings"
    verbose_name = _("Care settings and costs")
