"""The HTCDS page: export the caseload, and import a file with a dry run before the commit.

The import goes as every spreadsheet import does (`core.sheet_import`): held in memory, never
in a temporary file; the checked file waits encrypted in the cache for 15 minutes and the
commit runs through the task interface.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from aftercare.accounts.policy import Action, can, require
from aftercare.cases import sheets
from aftercare.cases.forms import ImportForm
from aftercare.core.sheet_import import SheetImport, report_context
from aftercare.interop import htcds_import as importer
from aftercare.interop import mapping, tasks
from aftercare.interop.api import export_response


def _page(request, form=None, report=None, digest: str = "", status: int = 200):
    actor = request.actor
    if not (can(actor, Action.EXPORT_CASES) or can(actor, Action.CREATE_CASE)):
        require(actor, Action.EXPORT_CASES)
    return render(
        request,
        "interop/htcds.html",
        {
            "form": form or ImportForm(),
            "digest": digest,
            **report_context(report),
            "can_export": can(actor, Action.EXPORT_CASES),
            "can_import": can(actor, Action.CREATE_CASE),
            "standard": mapping.STANDARD,
            "max_rows": f"{sheets.MAX_ROWS:,}",
        },
        status=status,
    )


@login_required
def htcds(request):
    return _page(request)


@login_required
def export(request, file_format: str):
    if file_format not in ("xlsx", "json"):
        raise Http404("No such format")
    return export_response(request.actor, None, file_format)


IMPORT = SheetImport(
    session_key="htcds_import",
    permission=Action.CREATE_CASE,
    form_class=ImportForm,
    max_bytes=sheets.MAX_BYTES,
    kind_of=sheets.kind_of,
    check=importer.check_file,
    page=_page,
    commit_task=tasks.commit_htcds_import,
    again="interop:htcds",
    done="cases:list",
    on_get=lambda request: redirect("interop:htcds"),
)
upload = IMPORT.upload_view()
commit = IMPORT.commit_view()
