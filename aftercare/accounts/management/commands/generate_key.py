from django.core.management.base import BaseCommand

from aftercare.core import crypto


class Command(BaseCommand):
    help = "Print a new random Fernet key for AFTERCARE_FIELD_KEYS (or AFTERCARE_BLIND_INDEX_KEY)."

    def handle(self, *args, **options):
        self.stdout.write(crypto.generate_key())
