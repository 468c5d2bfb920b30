from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "aftercare.voice"
    label = "voice"
    verbose_name = _("Survivor voice")
    default_auto_field = "django.db.models.BigAutoField"
