"""Importing a spreadsheet: upload, a dry run that writes nothing, the held file, the commit.

Every import of the product goes the same way, whatever its rows mean (cases from a
spreadsheet, an HTCDS file): the upload is held in memory, never in Django's temporary file,
and dropped beyond its limit; the file is checked and the report shown; a file without
errors waits in the cache, encrypted with the field key, for 15 minutes, and the session
keeps only its cache key, its SHA-256 and the organisation it was checked for. So the commit
imports exactly the file the user reviewed, one click later, and the plaintext never reaches
a disk. The commit runs through the task interface, as 5,000 rows outlast a web request.

`SheetImport` holds what differs between two imports (the check, the page, the task, where
to go back to) and builds the upload and commit views; `commit_held` is the task's body.
Nothing here knows what a row is.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from aftercare.core import crypto
from aftercare.core.errors import DomainError
from aftercare.core.policy import require
from aftercare.core.tasks import enqueue
from aftercare.core.uploads import MemoryUploadUpTo

HOLD_SECONDS = 15 * 60
ERRORS_SHOWN = 500


# Holding a checked file until the commit ------------------------------------------------


def hold(content: bytes) -> tuple[str, str]:
    """Keep a checked file for its commit, encrypted with the field key, in the cache for
    15 minutes (never on disk in plaintext); return its cache key and its SHA-256."""
    key = f"aftercare:sheet-import:{secrets.token_urlsafe(24)}"
    cache.set(key, crypto.encrypt_bytes(content), timeout=HOLD_SECONDS)
    return key, hashlib.sha256(content).hexdigest()


def is_held(key: str) -> bool:
    return cache.get(key) is not None


def take(key: str, digest: str) -> bytes | None:
    """The held file, if it is still the one checked, and only once: of two commits of the same
    file (a double click) only the one whose delete succeeds gets it."""
    token = cache.get(key)
    if token is None or not cache.delete(key):
        return None
    try:
        content = crypto.decrypt_bytes(token)
    except crypto.DecryptionFailed:
        return None
    return content if hashlib.sha256(content).hexdigest() == digest else None


def release(key: str) -> None:
    cache.delete(key)


def take_held(request, session_key: str) -> dict | None:
    """The file checked in this session, if the form names it, it belongs to the actor's
    current organisation and is still held; taken out of the session either way, so one
    file is committed at most once."""
    held = request.session.pop(session_key, None) or {}
    current = (
        held
        and request.POST.get("digest") == held["digest"]
        and held["organisation"] == str(request.actor.organisation_id)
        and is_held(held["key"])
    )
    if current:
        return held
    if held:
        release(held["key"])
    return None


# The pages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetImport:
    """What one import's pages need to know.

    `check(actor, content, kind)` is the dry run and answers a report with `ok`, `rows` and
    `errors`, or raises a DomainError about the file as a whole; `page(request, form, report,
    digest, status)` renders the import page; `commit_task(user_id, organisation_id, key,
    digest, kind, language)` commits a held file; `kind_of(filename)` names the file's kind
    (or raises a DomainError). `again` is the address to upload afresh, `done` the one to go
    to once the commit is on its way; `on_get` answers a GET of the upload address."""

    session_key: str
    permission: str
    form_class: type
    max_bytes: int
    kind_of: Callable[[str], str]
    check: Callable[..., Any]
    page: Callable[..., Any]
    commit_task: Callable[..., Any]
    again: str
    done: str
    on_get: Callable[..., Any]

    def upload_view(self):
        @csrf_protect  # ... so it runs here, once the handler is set
        def checked(request, handler: MemoryUploadUpTo):
            if request.method != "POST":
                return self.on_get(request)
            form = self.form_class(request.POST, request.FILES)
            if not form.is_valid():
                if handler.too_large:  # the handler dropped it: say why rather than "required"
                    form.errors["file"] = form.error_class(
                        [_("The file is larger than 5 MB. Split it into smaller files.")]
                    )
                return self.page(request, form, status=400)
            upload_file = form.cleaned_data["file"]
            content = upload_file.read()
            try:
                kind = self.kind_of(upload_file.name)
                report = self.check(request.actor, content, kind)
            except DomainError as exc:
                form.add_error("file", exc.message)
                return self.page(request, form, status=400)
            self._release(request)
            digest = self._hold(request, content, kind, report.rows) if report.ok else ""
            return self.page(request, self.form_class(), report, digest)

        @csrf_exempt  # the CSRF check would read the body before our upload handler is in place ...
        @login_required
        def upload(request):
            require(request.actor, self.permission)
            handler = MemoryUploadUpTo(request, self.max_bytes)
            request.upload_handlers = [handler]
            return checked(request, handler)

        return upload

    def commit_view(self):
        @login_required
        @require_POST
        def commit(request):
            require(request.actor, self.permission)
            held = take_held(request, self.session_key)
            if held is None:
                messages.error(
                    request,
                    _(
                        "The checked file is no longer held: it is kept for 15 minutes. "
                        "Upload it again."
                    ),
                )
                return redirect(self.again)
            enqueue(
                self.commit_task,
                str(request.user.pk),
                held["organisation"],
                held["key"],
                held["digest"],
                held["kind"],
                translation.get_language(),
            )
            messages.info(
                request,
                ngettext(
                    "%(n)d case is being imported. A notification will say when it is in.",
                    "%(n)d cases are being imported. A notification will say when they are in.",
                    held["rows"],
                )
                % {"n": held["rows"]},
            )
            return redirect(self.done)

        return commit

    def _hold(self, request, content: bytes, kind: str, rows: int) -> str:
        """Hold the checked file for the commit button; the session keeps only where it is and its
        digest."""
        key, digest = hold(content)
        request.session[self.session_key] = {
            "key": key,
            "digest": digest,
            "kind": kind,
            "rows": rows,
            "organisation": str(request.actor.organisation_id),
        }
        return digest

    def _release(self, request) -> None:
        held = request.session.pop(self.session_key, None)
        if held:
            release(held["key"])


def error_messages(detail) -> Iterator[str]:
    """Every message of a serializer's errors, however nested, as text: a row's problems."""
    if isinstance(detail, dict):
        for value in detail.values():
            yield from error_messages(value)
    elif isinstance(detail, list):
        for value in detail:
            yield from error_messages(value)
    else:
        yield str(detail)


def report_context(report) -> dict:
    """The report's part of an import page: the first errors, and how many more there are."""
    errors = report.errors[:ERRORS_SHOWN] if report else []
    return {
        "report": report,
        "errors": errors,
        "more_errors": len(report.errors) - len(errors) if report else 0,
    }


# The commit, in the background -------------------------------------------------------------


def commit_held(
    key: str,
    digest: str,
    language: str,
    commit: Callable[[bytes], Any],
    tell: Callable[[str, dict], None],
    refused: type[DomainError],
):
    """The body of an import's commit task: take the held file and commit it, the file's
    problems worded in `language` (the uploader's). Answers the report of a committed file;
    otherwise tells the uploader why not (`tell(what, params)`: "expired", "not_allowed",
    "refused" or "stopped") and answers None."""
    content = take(key, digest)
    if content is None:
        tell("expired", {})
        return None
    try:
        with translation.override(language or None):
            report = commit(content)
    except PermissionDenied:
        tell("not_allowed", {})
        return None
    except refused as exc:
        tell("refused", {"why": str(exc.message)})
        return None
    if not report.committed:
        tell("stopped", {"line": report.errors[0].line})
        return None
    return report
