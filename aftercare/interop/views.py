"""The HTCDS page: export the caseload, and import a file with a dry run before the commit.

The upload is handled as the cases import handles it (`cases.import_views`): held in memory,
never in a temporary file; the checked file waits encrypted in the cache for 15 minutes and
the commit runs through the task interface.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from aftercare.accounts.policy import Action, can, require
from aftercare.cases import importer as cases_importer
from aftercare.cases import sheets
from aftercare.cases.forms import ImportForm
from aftercare.core.errors import DomainError
from aftercare.core.tasks import enqueue
from aftercare.core.uploads import MemoryUploadUpTo
from aftercare.interop import importer, mapping, tasks
from aftercare.interop.api import export_response

SESSION_KEY = "htcds_import"
ERRORS_SHOWN = 500


def _page(request, form=None, report=None, digest: str = "", status: int = 200):
    actor = request.actor
    if not (can(actor, Action.EXPORT_CASES) or can(actor, Action.CREATE_CASE)):
        require(actor, Action.EXPORT_CASES)
    errors = report.errors[:ERRORS_SHOWN] if report else []
    return render(request, "interop/htcds.html", {
        "form": form or ImportForm(), "report": report, "errors": errors, "digest": digest,
        "more_errors": len(report.errors) - len(errors) if report else 0,
        "can_export": can(actor, Action.EXPORT_CASES), "can_import": can(actor, Action.CREATE_CASE),
        "standard": mapping.STANDARD, "max_rows": f"{sheets.MAX_ROWS:,}",
    }, status=status)


@login_required
def htcds(request):
    return _page(request)


@login_required
def export(request, file_format: str):
    if file_format not in ("xlsx", "json"):
        raise Http404("No such format")
    return export_response(request.actor, None, file_format)


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
        return redirect("interop:htcds")
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        if handler.too_large:
            form.errors["file"] = form.error_class([_("The file is larger than 5 MB. Split it into smaller files.")])
        return _page(request, form, status=400)
    upload_file = form.cleaned_data["file"]
    content = upload_file.read()
    try:
        kind = sheets.kind_of(upload_file.name)
        report = importer.check_file(request.actor, content, kind)
    except DomainError as exc:
        form.add_error("file", exc.message)
        return _page(request, form, status=400)
    _release(request)
    digest = ""
    if report.ok:
        key, digest = cases_importer.hold(content)
        request.session[SESSION_KEY] = {
            "key": key, "digest": digest, "kind": kind, "rows": report.rows,
            "organisation": str(request.actor.organisation_id),
        }
    return _page(request, ImportForm(), report, digest)


@login_required
@require_POST
def commit(request):
    actor = request.actor
    require(actor, Action.CREATE_CASE)
    held = cases_importer.take_held(request, SESSION_KEY)
    if held is None:
        messages.error(request, _("The checked file is no longer held: it is kept for 15 minutes. Upload it again."))
        return redirect("interop:htcds")
    enqueue(tasks.commit_htcds_import, str(request.user.pk), held["organisation"], held["key"], held["digest"], held["kind"],
            translation.get_language())
    messages.info(request, ngettext(
        "%(n)d case is being imported. A notification will say when it is in.",
        "%(n)d cases are being imported. A notification will say when they are in.",
        held["rows"],
    ) % {"n": held["rows"]})
    return redirect("cases:list")


def _release(request) -> None:
    held = request.session.pop(SESSION_KEY, None)
    if held:
        cases_importer.release(held["key"])
