"""The spreadsheet import pages: upload, the dry-run report, then commit.

Between the check and the commit button the file waits in the cache, encrypted with the
field key, for 15 minutes; the session holds only its cache key, its SHA-256 and the
organisation it was checked for. So the commit imports exactly the file the user reviewed,
one click later, and the plaintext never reaches a disk: the upload is held in memory (not
in Django's temporary file) and dropped beyond 5 MB.
"""

from __future__ import annotations

import hashlib
import io
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from aftercare.cases import importer
from aftercare.cases.forms import ImportForm
from aftercare.core import crypto
from aftercare.core.errors import DomainError
from aftercare.core.policy import Action, require

STASH_SECONDS = 15 * 60
SESSION_KEY = "cases_import"
ERRORS_SHOWN = 500
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MemoryUploadUpTo(FileUploadHandler):
    """Keep an upload in memory, never in a temporary file, and drop it beyond `limit` bytes."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_large = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_large = True
            raise SkipFile
        self.file.write(raw_data)

    def file_complete(self, file_size):
        self.file.seek(0)
        return InMemoryUploadedFile(
            self.file, self.field_name, self.file_name, self.content_type, file_size, self.charset,
            self.content_type_extra,
        )


def _page(request, form, report=None, digest: str = "", status: int = 200):
    errors = report.errors[:ERRORS_SHOWN] if report else []
    return render(
        request, "cases/import.html",
        {
            "form": form, "report": report, "errors": errors, "digest": digest,
            "more_errors": len(report.errors) - len(errors) if report else 0,
            "columns": importer.columns(), "max_rows": f"{importer.MAX_ROWS:,}",
        },
        status=status,
    )


@csrf_exempt  # the CSRF check would read the body before our upload handler is in place ...
@login_required
def upload(request):
    require(request.actor, Action.CREATE_CASE)
    handler = MemoryUploadUpTo(request, importer.MAX_BYTES)
    request.upload_handlers = [handler]
    return _upload(request, handler)


@csrf_protect  # ... so it runs here, once the handler is set
def _upload(request, handler: MemoryUploadUpTo):
    if request.method != "POST":
        return _page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if handler.too_large:
        form.add_error("file", _("The file is larger than 5 MB. Split it into smaller files."))
    if not form.is_valid():
        return _page(request, form, status=400)
    upload_file = form.cleaned_data["file"]
    content = upload_file.read()
    try:
        kind = importer.kind_of(upload_file.name)
        report = importer.check(request.actor, content, kind)
    except DomainError as exc:
        form.add_error("file", exc.message)
        return _page(request, form, status=400)
    _drop_stash(request)
    digest = _stash(request, content, kind) if report.ok else ""
    return _page(request, ImportForm(), report, digest)


@login_required
@require_POST
def commit(request):
    actor = request.actor
    require(actor, Action.CREATE_CASE)
    stash = request.session.get(SESSION_KEY) or {}
    content = _take_stash(request, stash) if request.POST.get("digest") == stash.get("digest") else None
    if content is None or stash.get("organisation") != str(actor.organisation_id):
        messages.error(request, _("The checked file is no longer held: it is kept for 15 minutes. Upload it again."))
        return redirect("cases:import")
    report = importer.commit(actor, content, stash["kind"])
    if not report.committed:
        return _page(request, ImportForm(), report, status=400)
    messages.success(request, ngettext("Imported %(n)d case.", "Imported %(n)d cases.", report.rows) % {"n": report.rows})
    if report.possible_duplicates:
        messages.warning(request, ngettext(
            "%(n)d of them may already exist in the network: check it before you continue.",
            "%(n)d of them may already exist in the network: check them before you continue.",
            report.possible_duplicates,
        ) % {"n": report.possible_duplicates})
    return redirect("cases:list")


@login_required
def template(request):
    require(request.actor, Action.CREATE_CASE)
    response = HttpResponse(importer.template_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="aftercare-cases-template.xlsx"'
    return response


def _stash(request, content: bytes, kind: str) -> str:
    """Hold the checked file for the commit button; return its digest for the form."""
    key = f"aftercare:cases-import:{secrets.token_urlsafe(24)}"
    digest = hashlib.sha256(content).hexdigest()
    cache.set(key, crypto.encrypt_bytes(content), timeout=STASH_SECONDS)
    request.session[SESSION_KEY] = {
        "key": key, "digest": digest, "kind": kind, "organisation": str(request.actor.organisation_id),
    }
    return digest


def _take_stash(request, stash: dict) -> bytes | None:
    """The stashed file, once: of two clicks on commit only the one that deletes it imports."""
    token = cache.get(stash.get("key", "")) if stash.get("key") else None
    request.session.pop(SESSION_KEY, None)
    if token is None or not cache.delete(stash["key"]):
        return None
    try:
        content = crypto.decrypt_bytes(token)
    except crypto.DecryptionFailed:
        return None
    return content if hashlib.sha256(content).hexdigest() == stash["digest"] else None


def _drop_stash(request) -> None:
    stash = request.session.pop(SESSION_KEY, None)
    if stash and stash.get("key"):
        cache.delete(stash["key"])
