"""Committing a checked HTCDS spreadsheet in the background, as the cases import does."""

from __future__ import annotations

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aftercare.accounts.models import Organisation, User
from aftercare.accounts.services import actor_for
from aftercare.cases import importer as cases_importer
from aftercare.cases import sheets
from aftercare.core.notify import notify_user
from aftercare.interop import importer


@shared_task
def commit_htcds_import(user_id: str, organisation_id: str, key: str, digest: str, kind: str) -> int:
    """Commit the held file as the user in the organisation it was checked for; return the cases opened.

    The notifications name no survivor and quote no cell: they are also sent by e-mail.
    """
    user = User.objects.get(pk=user_id)
    organisation = Organisation.objects.get(pk=organisation_id)
    again = reverse("interop:htcds")
    content = cases_importer.take(key, digest)
    if content is None:
        notify_user(user, _("An HTCDS import did not start: the checked file had expired. Upload it again."), again, organisation)
        return 0
    try:
        report = importer.commit_file(actor_for(user, organisation_id), content, kind)
    except PermissionDenied:
        notify_user(user, _("An HTCDS import was refused: you may no longer open cases here. Nothing was imported."), again, organisation)
        return 0
    except sheets.ImportRefused as exc:
        notify_user(user, _("An HTCDS import was refused: %(why)s Nothing was imported.") % {"why": exc.message}, again, organisation)
        return 0
    if not report.committed:
        notify_user(user, _(
            "An HTCDS import stopped at line %(line)s: nothing was imported. Check the file again to see why."
        ) % {"line": report.errors[0].line}, again, organisation)
        return 0
    message = ngettext("Imported %(n)d case from an HTCDS file.", "Imported %(n)d cases from an HTCDS file.", report.rows) % {"n": report.rows}
    notify_user(user, message, reverse("cases:list"), organisation)
    return report.rows
