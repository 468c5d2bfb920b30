"""`aftercare check-deploy`: everything that makes this configuration unfit for production.

Run it with the production environment before starting the servers (the systemd units and
`make prod-local` do). `aftercare` runs this command with the start-up refusal in settings
held back, so it lists every problem instead of stopping at the first.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Report every insecure production setting and "
        "every `check --deploy` finding; exit 1 if any."
    )

    def handle(self, *args, **options):
        problems = list(settings.INSECURE_PRODUCTION_SETTINGS)
        if not settings.PRODUCTION:
            problems.insert(0, "AFTERCARE_PRODUCTION is off")
        findings = [
            m for m in checks.run_checks(include_deployment_checks=True) if not m.is_silenced()
        ]
        for message in findings:
            # Errors and the deployment (security) warnings count; other apps' warnings are shown.
            if message.is_serious() or (message.id or "").startswith("security."):
                problems.append(f"{message.id}: {message.msg}")
            else:
                self.stdout.write(f"note  {message.id}: {message.msg}")
        for silenced in settings.SILENCED_SYSTEM_CHECKS:
            self.stdout.write(f"silenced by AFTERCARE_SILENCED_CHECKS: {silenced}")
        if problems:
            for problem in problems:
                self.stderr.write(f"FAIL  {problem}")
            raise CommandError(f"{len(problems)} problem(s): not fit for production.")
        self.stdout.write(
            self.style.SUCCESS("Fit for production: no insecure setting, no deployment warning.")
        )
