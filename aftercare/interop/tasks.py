"""Committing a checked HTCDS spreadsheet in the background (`core.sheet_import.commit_held`)."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse

from aftercare.accounts.models import Organisation, User
from aftercare.accounts.services import actor_for
from aftercare.cases import sheets
from aftercare.core.notices import Notice
from aftercare.core.notify import notify_user
from aftercare.core.sheet_import import commit_held
from aftercare.interop import importer


@shared_task
def commit_htcds_import(user_id: str, organisation_id: str, key: str, digest: str, kind: str, language: str = "") -> int:
    """Commit the held file as the user in the organisation it was checked for; return the cases opened.

    The notifications name no survivor and quote no cell: they are also sent by e-mail.
    """
    user = User.objects.get(pk=user_id)
    organisation = Organisation.objects.get(pk=organisation_id)
    again = reverse("interop:htcds")
    report = commit_held(
        key, digest, language, lambda content: importer.commit_file(actor_for(user, organisation_id), content, kind),
        lambda what, params: notify_user(user, Notice(f"htcds.import.{what}", params), again, organisation),
        sheets.ImportRefused,
    )
    if report is None:
        return 0
    notify_user(user, Notice("htcds.import.done", {"n": report.rows}), reverse("cases:list"), organisation)
    return report.rows
