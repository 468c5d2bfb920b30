"""`aftercare import-cases FILE.xlsx|csv --org SLUG --as USERNAME [--commit]`.

A dry run unless `--commit`: it prints every error as `line N, column "X": message` and
exits non-zero when there is one. The acting user must be a case worker or supervisor of
the organisation, because each case opened is recorded in the audit trail under their name.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from aftercare.accounts.models import Organisation, User
from aftercare.accounts.policy import Action, can
from aftercare.accounts.services import actor_for
from aftercare.cases import case_import as importer
from aftercare.cases import sheets


class Command(BaseCommand):
    help = (
        "Check a spreadsheet of cases (.xlsx or .csv) and, with --commit, "
        "open a case for every row (all or nothing). A dry run by default."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="the .xlsx or .csv file; its first row holds the column headers"
        )
        parser.add_argument(
            "--org", required=True, help="slug of the organisation that will hold the cases"
        )
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help=(
                "username of the case worker or supervisor of that "
                "organisation who imports (audited as the actor)"
            ),
        )
        parser.add_argument(
            "--commit", action="store_true", help="write the cases (default: check only)"
        )

    def handle(self, *args, file, org, username, commit, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        kind = self.run_step(sheets.kind_of, path.name)
        if path.stat().st_size > sheets.MAX_BYTES:
            raise CommandError("The file is larger than 5 MB. Split it into smaller files.")
        actor = self.actor(org, username)
        operation = importer.commit if commit else importer.check
        report = self.run_step(operation, actor, path.read_bytes(), kind)
        for error in report.errors:
            self.stdout.write(str(error))
        self.stdout.write(
            f"{report.rows} rows: {report.rows_ok} without errors, {report.rows_with_errors} "
            f"with errors; {report.possible_duplicates} possible duplicates."
        )
        if report.errors:
            raise CommandError(f"{len(report.errors)} errors: nothing was imported.")
        if report.committed:
            self.stdout.write(self.style.SUCCESS(f"Imported {report.rows} cases into {org}."))
        else:
            self.stdout.write("Dry run: nothing was written. Run again with --commit to import.")

    def actor(self, slug: str, username: str):
        if not Organisation.objects.filter(slug=slug).exists():
            raise CommandError(f"No organisation {slug!r}")
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}")
        actor = actor_for(user, slug)
        if not can(actor, Action.CREATE_CASE):
            raise CommandError(
                f"{username} is not a case worker or supervisor "
                f"of {slug}: only they may import cases there."
            )
        return actor

    @staticmethod
    def run_step(operation, *args):
        try:
            return operation(*args)
        except (sheets.ImportRefused, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
