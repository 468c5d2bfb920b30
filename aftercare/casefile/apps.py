from django.apps import AppConfig


class CasefileConfig(AppConfig):
    """The composition layer: the case page, the dashboard, the work queue and the navigation,
    built from the sections each domain contributes. No models."""

    name = "aftercare.casefile"
    label = "casefile"
