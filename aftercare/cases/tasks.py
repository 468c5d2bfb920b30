"""Background work for cases: committing a checked spreadsheet import.

Opening 5,000 cases one by one through intake takes longer than a web request may last, so
the upload page hands the commit to the task interface (in-process in the embedded mode, a
Celery worker in production) and the result comes back as a notification.
"""

from __future__ import annotations

from collections.abc import Callable

from celery import shared_task
from django.urls import reverse

from aftercare.accounts.models import Organisation, User
from aftercare.accounts.services import actor_for
from aftercare.cases import case_import as importer
from aftercare.cases import sheets
from aftercare.core.notices import Notice
from aftercare.core.notify import notify_user
from aftercare.core.sheet_import import commit_held


@shared_task
def commit_import(
    user_id: str, organisation_id: str, key: str, digest: str, kind: str, language: str = ""
) -> int:
    """Commit the held file as the user in the organisation it was checked for; return the cases
    opened.

    The file's problems are worded in `language`, the uploader's when they asked for the import.

    The notifications name no survivor and quote no cell: they are also sent by e-mail.
    """

    def done(report) -> Notice:
        message = Notice("cases.import.done", {"n": report.rows})
        if report.possible_duplicates:
            message = message.then(
                Notice("cases.import.duplicates", {"n": report.possible_duplicates})
            )
        return message

    return commit_spreadsheet(
        user_id,
        organisation_id,
        key,
        digest,
        kind,
        language,
        commit=importer.commit,
        notices="cases.import",
        again="cases:import",
        done=done,
    )


def commit_spreadsheet(
    user_id: str,
    organisation_id: str,
    key: str,
    digest: str,
    kind: str,
    language: str,
    *,
    commit: Callable,
    notices: str,
    again: str,
    done: Callable,
) -> int:
    """A spreadsheet import's commit task (`core.sheet_import.commit_held`) as the user in the
    organisation the file was checked for: `commit(actor, content, kind)` imports it, the notices
    `<notices>.expired|not_allowed|refused|stopped` send the uploader back to `again`, and
    `done(report)` is the notice of an import that is in. Returns the cases opened."""
    user = User.objects.get(pk=user_id)
    organisation = Organisation.objects.get(pk=organisation_id)
    back = reverse(again)
    report = commit_held(
        key,
        digest,
        language,
        lambda content: commit(actor_for(user, organisation_id), content, kind),
        lambda what, params: notify_user(
            user, Notice(f"{notices}.{what}", params), back, organisation
        ),
        sheets.ImportRefused,
    )
    if report is None:
        return 0
    notify_user(user, done(report), reverse("cases:list"), organisation)
    return report.rows
