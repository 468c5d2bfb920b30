"""`aftercare synth --survivors N`: add synthetic survivors for load tests and benchmarks.

Survivors are spread round-robin over the demo network's case-holding organisations (its
regions and organisations are created first if missing) and each gets its `create` audit
event, so the trail grows with the cases as it does in use. Rows go in with `bulk_create`,
one transaction per batch, and only one batch is in memory at a time: a million survivors
need no more memory than a thousand.
"""

from __future__ import annotations

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, reset_queries, transaction

from aftercare.accounts.models import Organisation
from aftercare.audit.models import AuditAction, AuditEvent
from aftercare.cases import search
from aftercare.cases.models import Survivor
from aftercare.cases.services import EDITABLE_FIELDS
from aftercare.demo import network as demo
from aftercare.demo import synthetic
from aftercare.network.models import Region

REASON = "synthetic survivor added by `aftercare synth`"
INSERT_ATTEMPTS = 3


def plain(text: str) -> str:
    return text


def audit_events(batch: list[Survivor]) -> list[AuditEvent]:
    """One `create` event per survivor, as intake records it (no actor: the command did it)."""
    label = Survivor._meta.label_lower
    attnames = {name: Survivor._meta.get_field(name).attname for name in EDITABLE_FIELDS}
    return [
        AuditEvent(
            organisation_id=survivor.organisation_id,
            action=AuditAction.CREATE,
            object_type=label,
            object_id=str(survivor.pk),
            object_label=survivor.case_code,
            fields=sorted(
                name
                for name, attname in attnames.items()
                if getattr(survivor, attname) not in (None, "", [])
            ),
            reason=REASON,
        )
        for survivor in batch
    ]


class Command(BaseCommand):
    help = (
        "Add N synthetic survivors (with their audit events) to the demo network's case-holding "
        "organisations, in bulk. Refused in production mode."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--survivors", type=int, required=True, help="how many survivors to add"
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help="random seed, for repeatable data (default: random)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=2000,
            help="rows per insert transaction (default 2000)",
        )

    def handle(self, *args, survivors, seed, batch_size, **options):
        if settings.PRODUCTION:
            raise CommandError("Synthetic survivors are refused in production mode.")
        if survivors < 0:
            raise CommandError("--survivors must be 0 or more.")
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more.")
        holders, districts = self.network()
        rng = random.Random(seed)
        started = time.perf_counter()
        added = 0
        for batch in synthetic.generate_batches(rng, holders, districts, survivors, batch_size):
            self.insert(rng, batch)
            added += len(batch)
            reset_queries()  # with DEBUG on, Django would otherwise keep every INSERT's SQL
            elapsed = time.perf_counter() - started
            self.stderr.write(
                f"synth: {added}/{survivors} ({added / survivors:.0%}) "
                f"in {elapsed:.1f} s, {added / elapsed:.0f} rows/s",
                style_func=plain,
            )
        elapsed = time.perf_counter() - started
        rate = added / elapsed if elapsed else 0.0
        self.stdout.write(
            f"Added {added} synthetic survivors (and {added} audit events) to "
            f"{len(holders)} organisations in {elapsed:.1f} s: {rate:.0f} rows/s."
        )

    def network(self) -> tuple[list[Organisation], dict[str, list[Region]]]:
        """The case-holding demo organisations and the districts by country, created if missing."""
        slugs = [slug for slug, *_rest, holds in demo.ORGANISATIONS if holds]
        codes = [code for code, *_rest in demo.REGIONS]
        found = Organisation.objects.filter(slug__in=slugs).count()
        if found < len(slugs) or Region.objects.filter(code__in=codes).count() < len(codes):
            demo.load_network()
            self.stdout.write("Created the demo network's regions and organisations.")
        by_slug = Organisation.objects.in_bulk(slugs, field_name="slug")
        districts = demo.districts_by_country(
            Region.objects.filter(code__in=codes).order_by("code")
        )
        return [by_slug[slug] for slug in slugs], districts

    def insert(self, rng: random.Random, batch: list[Survivor]) -> None:
        """Survivors and their audit events in one transaction; new codes if someone took ours
        meanwhile."""
        for attempt in range(1, INSERT_ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    Survivor.objects.bulk_create(batch)
                    search.store_keys_many(batch)
                    AuditEvent.objects.bulk_create(audit_events(batch))
                return
            except IntegrityError:
                if attempt == INSERT_ATTEMPTS or not synthetic.ensure_unique_codes(rng, batch):
                    raise
