"""`aftercare htcds-doc [--check]`: write docs/HTCDS.md from the mapping, or say whether it is
current."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from aftercare.interop import doc


class Command(BaseCommand):
    help = "Write docs/HTCDS.md, the HTCDS mapping table, from aftercare/interop/mapping.py."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="fail if docs/HTCDS.md differs from the mapping"
        )

    def handle(self, *args, check, **options):
        if check:
            current = doc.DOC_PATH.read_text(encoding="utf-8") if doc.DOC_PATH.exists() else ""
            if current != doc.render():
                raise CommandError(
                    "docs/HTCDS.md is out of step with the mapping: run `aftercare htcds-doc`."
                )
            self.stdout.write("docs/HTCDS.md is current.")
            return
        self.stdout.write(f"wrote {doc.write()}")
