from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aftercare.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from aftercare.accounts import identity, schema  # noqa: F401 - schema registers the OpenAPI auth scheme

        identity.connect_signals()
