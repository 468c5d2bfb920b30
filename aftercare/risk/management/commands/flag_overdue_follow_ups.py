from django.core.management.base import BaseCommand

from aftercare.risk import services


class Command(BaseCommand):
    help = (
        "Open an alert for every open case whose risk "
        "follow-up date has passed (safe to run often)."
    )

    def handle(self, *args, **options):
        flagged = services.flag_overdue_follow_ups()
        self.stdout.write(f"{flagged} overdue follow-ups flagged.")
