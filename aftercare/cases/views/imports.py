"""The spreadsheet import pages: upload, the dry-run report, then commit.

The flow (memory-only upload, the checked file held encrypted for 15 minutes, the commit in
the background) is `core.sheet_import`'s; here are what the cases import checks and shows.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from aftercare.accounts.policy import Action, require
from aftercare.cases import case_import as importer
from aftercare.cases import sheets, tasks
from aftercare.cases.forms import ImportForm
from aftercare.core.sheet_import import SheetImport, report_context

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request, form, report=None, digest: str = "", status: int = 200):
    return render(
        request,
        "cases/import.html",
        {
            "form": form,
            "digest": digest,
            **report_context(report),
            "columns": importer.columns(),
            "max_rows": f"{sheets.MAX_ROWS:,}",
        },
        status=status,
    )


IMPORT = SheetImport(
    session_key="cases_import",
    permission=Action.CREATE_CASE,
    form_class=ImportForm,
    max_bytes=sheets.MAX_BYTES,
    kind_of=sheets.kind_of,
    check=importer.check,
    page=_page,
    commit_task=tasks.commit_import,
    again="cases:import",
    done="cases:list",
    on_get=lambda request: _page(request, ImportForm()),
)
upload = IMPORT.upload_view()
commit = IMPORT.commit_view()


@login_required
def template(request):
    require(request.actor, Action.CREATE_CASE)
    response = HttpResponse(importer.template_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="aftercare-cases-template.xlsx"'
    return response
