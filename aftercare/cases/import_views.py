"""The spreadsheet import pages: upload, the dry-run report, then commit.

Between the check and the commit button the file waits in the cache, encrypted with the
field key, for 15 minutes (`importer.hold`); the session keeps only its cache key, its SHA-256
and the organisation it was checked for. So the commit imports exactly the file the user
reviewed, one click later, and the plaintext never reaches a disk: the upload is held in
memory (not in Django's temporary file) and dropped beyond 5 MB. The commit itself runs
through the task interface (`tasks.commit_import`), as 5,000 intakes outlast a web request.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from aftercare.accounts.policy import Action, require
from aftercare.cases import importer, sheets, tasks
from aftercare.cases.forms import ImportForm
from aftercare.core.errors import DomainError
from aftercare.core.tasks import enqueue
from aftercare.core.uploads import MemoryUploadUpTo

SESSION_KEY = "cases_import"
ERRORS_SHOWN = 500
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request, form, report=None, digest: str = "", status: int = 200):
    errors = report.errors[:ERRORS_SHOWN] if report else []
    return render(
        request, "cases/import.html",
        {
            "form": form, "report": report, "errors": errors, "digest": digest,
            "more_errors": len(report.errors) - len(errors) if report else 0,
            "columns": importer.columns(), "max_rows": f"{sheets.MAX_ROWS:,}",
        },
        status=status,
    )


@csrf_exempt  # the CSRF check would read the body before our upload handler is in place ...
@login_required
def upload(request):
    require(request.actor, Action.CREATE_CASE)
    handler = MemoryUploadUpTo(request, sheets.MAX_BYTES)
    request.upload_handlers = [handler]
    return _upload(request, handler)


@csrf_protect  # ... so it runs here, once the handler is set
def _upload(request, handler: MemoryUploadUpTo):
    if request.method != "POST":
        return _page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        if handler.too_large:  # the handler dropped it: say why rather than "required"
            form.errors["file"] = form.error_class([_("The file is larger than 5 MB. Split it into smaller files.")])
        return _page(request, form, status=400)
    upload_file = form.cleaned_data["file"]
    content = upload_file.read()
    try:
        kind = sheets.kind_of(upload_file.name)
        report = importer.check(request.actor, content, kind)
    except DomainError as exc:
        form.add_error("file", exc.message)
        return _page(request, form, status=400)
    _release(request)
    digest = _hold(request, content, kind, report.rows) if report.ok else ""
    return _page(request, ImportForm(), report, digest)


@login_required
@require_POST
def commit(request):
    actor = request.actor
    require(actor, Action.CREATE_CASE)
    held = importer.take_held(request, SESSION_KEY)
    if held is None:
        messages.error(request, _("The checked file is no longer held: it is kept for 15 minutes. Upload it again."))
        return redirect("cases:import")
    enqueue(tasks.commit_import, str(request.user.pk), held["organisation"], held["key"], held["digest"], held["kind"],
            translation.get_language())
    messages.info(request, ngettext(
        "%(n)d case is being imported. A notification will say when it is in.",
        "%(n)d cases are being imported. A notification will say when they are in.",
        held["rows"],
    ) % {"n": held["rows"]})
    return redirect("cases:list")


@login_required
def template(request):
    require(request.actor, Action.CREATE_CASE)
    response = HttpResponse(importer.template_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="aftercare-cases-template.xlsx"'
    return response


def _hold(request, content: bytes, kind: str, rows: int) -> str:
    """Hold the checked file for the commit button; the session keeps only where it is and its digest."""
    key, digest = importer.hold(content)
    request.session[SESSION_KEY] = {
        "key": key, "digest": digest, "kind": kind, "rows": rows, "organisation": str(request.actor.organisation_id),
    }
    return digest


def _release(request) -> None:
    held = request.session.pop(SESSION_KEY, None)
    if held:
        importer.release(held["key"])
