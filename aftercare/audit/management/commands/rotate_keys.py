"""`aftercare rotate-keys`: re-encrypt every encrypted field under the first key, and say so in
the audit trail.

The encryption is core's (aftercare.core.crypto); the command lives in audit, the layer just
above core, because a rotation is recorded in the trail and core imports no app above it.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core import crypto
from aftercare.core.fields import encrypted_fields


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field under the first key of AFTERCARE_FIELD_KEYS. Put the new "
        "key first, keep the old ones after it, run this, then remove the old keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        crypto.reset_key_cache()
        total = 0
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if not fields:
                continue
            count = 0
            # Reading decrypts with whichever key opens each value; writing encrypts with the first.
            with transaction.atomic():
                batch = []
                for obj in model._base_manager.only("pk", *fields).iterator(chunk_size=batch_size):
                    batch.append(obj)
                    if len(batch) >= batch_size:
                        model._base_manager.bulk_update(batch, fields)
                        count += len(batch)
                        batch = []
                if batch:
                    model._base_manager.bulk_update(batch, fields)
                    count += len(batch)
            total += count
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
        record(None, AuditAction.ROTATE_KEYS, object_type="core.keys", label=f"{total} rows")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows now use the first key."))
