"""Committing a checked HTCDS spreadsheet in the background, as the cases import does."""

from __future__ import annotations

from celery import shared_task

from aftercare.cases.tasks import commit_spreadsheet
from aftercare.core.notices import Notice
from aftercare.interop import htcds_import as importer


@shared_task
def commit_htcds_import(
    user_id: str, organisation_id: str, key: str, digest: str, kind: str, language: str = ""
) -> int:
    """Commit the held file as the user in the organisation it was checked for; return the cases
    opened.

    The notifications name no survivor and quote no cell: they are also sent by e-mail.
    """
    return commit_spreadsheet(
        user_id,
        organisation_id,
        key,
        digest,
        kind,
        language,
        commit=importer.commit_file,
        notices="htcds.import",
        again="interop:htcds",
        done=lambda report: Notice("htcds.import.done", {"n": report.rows}),
    )
