from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "aftercare.voice"
    label = "voice"
    verbose_name = _("Survivor voice")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from aftercare.voice.portal_accounts import note_failed_sign_in

        user_login_failed.connect(note_failed_sign_in, dispatch_uid="voice-portal-daily-failures")
