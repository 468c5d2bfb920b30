"""`aftercare audit-archive --before 2026-01`: old months of the audit trail out of the database."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from aftercare.audit import partitions
from aftercare.core import sealed


class Command(BaseCommand):
    help = (
        "Detach the audit trail's monthly partitions (PostgreSQL) that end on or before --before "
        "(YYYY-MM), write each one sealed (CSV, encrypted with the field keys) to the sealed-file "
        "storage, check it reads back whole, then drop it. --show NAME prints an archived file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--before", help="first month kept, YYYY-MM")
        parser.add_argument(
            "--show", help="print the CSV of an archived partition (its stored name)"
        )

    def handle(self, *args, before=None, show=None, **options):
        if show:
            for chunk in sealed.read_chunks(show):
                self.stdout.buffer.write(chunk) if hasattr(
                    self.stdout, "buffer"
                ) else self.stdout.write(chunk.decode(), ending="")
            return
        if not before:
            raise CommandError("give --before YYYY-MM (or --show NAME)")
        try:
            year, month = (int(part) for part in before.split("-"))
            first_kept = date(year, month, 1)
        except ValueError as exc:
            raise CommandError("--before must be a month, YYYY-MM") from exc
        try:
            archived = partitions.archive_before(first_kept)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for item in archived:
            self.stdout.write(f"{item.partition}: {item.rows} rows archived to {item.stored}")
        if not archived:
            self.stdout.write("nothing to archive")
