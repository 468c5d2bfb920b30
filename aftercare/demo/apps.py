from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo network, its history and synthetic survivors: it reads every app, and no app reads
    it."""

    name = "aftercare.demo"
    label = "demo"
