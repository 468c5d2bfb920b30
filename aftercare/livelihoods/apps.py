from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivelihoodsConfig(AppConfig):
    name = "aftercare.livelihoods"
    label = "livelihoods"
    verbose_name = _("Livelihoods, education and economic empowerment")
    default_auto_field = "django.db.models.BigAutoField"
