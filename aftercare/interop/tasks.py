"""Committing a checked HTCDS spreadsheet in the background, as the cases import does."""

from __future__ import annotations

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from aftercare.accounts.models import Organisation, User
from aftercare.accounts.services import actor_for
from aftercare.cases import importer as cases_importer
from aftercare.cases import sheets
from aftercare.core.notices import Notice
from aftercare.core.notify import notify_user
from aftercare.interop import importer


@shared_task
def commit_htcds_import(user_id: str, organisation_id: str, key: str, digest: str, kind: str, language: str = "") -> int:
    """Commit the held file as the user in the organisation it was checked for; return the cases opened.

    The notifications name no survivor and quote no cell: they are also sent by e-mail.
    """
    user = User.objects.get(pk=user_id)
    organisation = Organisation.objects.get(pk=organisation_id)
    again = reverse("interop:htcds")
    content = cases_importer.take(key, digest)
    if content is None:
        notify_user(user, Notice("htcds.import.expired"), again, organisation)
        return 0
    try:
        with translation.override(language or None):  # the file's problems in the uploader's language
            report = importer.commit_file(actor_for(user, organisation_id), content, kind)
    except PermissionDenied:
        notify_user(user, Notice("htcds.import.not_allowed"), again, organisation)
        return 0
    except sheets.ImportRefused as exc:
        notify_user(user, Notice("htcds.import.refused", {"why": str(exc.message)}), again, organisation)
        return 0
    if not report.committed:
        notify_user(user, Notice("htcds.import.stopped", {"line": report.errors[0].line}), again, organisation)
        return 0
    message = Notice("htcds.import.done", {"n": report.rows})
    notify_user(user, message, reverse("cases:list"), organisation)
    return report.rows
