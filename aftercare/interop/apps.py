from django.apps import AppConfig


class InteropConfig(AppConfig):
    """Interoperability: the HTCDS 2.0 case data standard, in (spreadsheets, ODK, Kobo) and out."""

    name = "aftercare.interop"
    label = "interop"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from aftercare.interop import schema  # noqa: F401 - registers the OpenAPI auth scheme
