"""Posting a form to a domain operation from a page: the one helper every app's views use.

`submit` runs the operation with the form's cleaned data when the form is valid, says what
happened (a success message, the domain error's words, or each field's errors with its
label) and sends the user back to the page they acted on. `form_view` builds the whole
POST-only view around it from its parts: how to fetch what the form acts on (the access
check), the form, the operation and the message; `record_forms` builds the several forms of
one record's page behind one access check. `form_page` is the other shape: a page of its own
that shows the form again, its errors on their fields, until it is saved.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aftercare.core.errors import DomainError


def form_errors(request, form, where: str = "") -> None:
    """Each of the form's errors as a message, named by its field's label; `where` names the
    part of the page the form sits in, so the page can show the message there (see
    `flash_by_place`)."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error, extra_tags=where)


def flash_by_place(request, places) -> dict[str, list]:
    """The request's messages grouped by the part of the page they belong to, so a message
    appears next to the section where the person acted instead of at the top of a long page,
    out of sight. A message for no place, or for a place this page does not show, is the
    page's own ("page"): none is lost."""
    places = set(places)
    grouped: dict[str, list] = {}
    for message in messages.get_messages(request):
        where = message.extra_tags if message.extra_tags in places else "page"
        grouped.setdefault(where, []).append(message)
    return grouped


def submit(
    request, form, action: Callable[[dict], object], success: str, back_to: str, where: str = ""
):
    """Call `action` with the form's data if it is valid; say what happened; go back to the page.
    `where` names the part of the page the messages belong to (see `flash_by_place`)."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message, extra_tags=where)
        else:
            messages.success(request, success, extra_tags=where)
    else:
        form_errors(request, form, where)
    return redirect(back_to)


def form_view(
    fetch: Callable,
    form_class,
    action: Callable,
    success,
    *,
    form_kwargs: Callable | None = None,
    where: str = "",
    files: bool = False,
):
    """A signed-in, POST-only view that posts `form_class` to `action` and goes back to a page.

    `fetch(actor, **url_ids)` answers `(target, back_to)`: what the form acts on, fetched
    through its access check (404 or 403 before the form is read), and the page to return to.
    `action(actor, target, cleaned_data)` is the domain operation; `form_kwargs(actor, target)`
    any arguments the form needs beyond the POST; `files` gives it the uploads too. `success`
    may be lazy: it is translated per request. `where` is the part of the page the messages
    belong to."""

    @login_required
    @require_POST
    def view(request, **url_ids):
        actor = request.actor
        target, back_to = fetch(actor, **url_ids)
        posted = (request.POST, request.FILES) if files else (request.POST,)
        form = form_class(*posted, **(form_kwargs(actor, target) if form_kwargs else {}))
        return submit(
            request, form, lambda data: action(actor, target, data), str(success), back_to, where
        )

    return view


def fetching(get: Callable, back: Callable[[object], str]) -> Callable:
    """A `fetch` for `form_view`: `get(actor, record_id)` with the address's first id (its
    access check), the address's other ids passed along after it; then back to `back(record)`."""

    def fetch(actor, **url_ids):
        record_id, *others = url_ids.values()
        record = get(actor, record_id)
        return (record, *others), back(record)

    return fetch


def record_forms(get: Callable, back: Callable[[object], str]) -> Callable:
    """The POST forms of one record's page, all behind one access check: `form(form_class,
    operation, success, **options)` builds a `form_view` whose record comes from `get(actor,
    record_id)` (see `fetching`) and which runs `operation(actor, record, *other_ids, data)`."""
    fetch = fetching(get, back)

    def form(form_class, operation: Callable, success, **options):
        def action(actor, target, data):
            return operation(actor, *target, data)

        return form_view(fetch, form_class, action, success, **options)

    return form


def versioned(operation: Callable) -> Callable:
    """An `action` for a form with a `version` field: `operation(actor, target, data, version)`."""
    return lambda actor, target, data: operation(actor, target, data, data.pop("version"))


def add_domain_error(form, exc: DomainError) -> None:
    """Put a service's error on the form field it names (its first part), else on the form."""
    field = (exc.field or "").split(".")[0]
    form.add_error(field if field in form.fields and field != "version" else None, exc.message)


def form_page(
    request, form, *, template: str, save: Callable, success: Callable, context: dict | None = None
):
    """Render `form` on `template`; on a valid POST call `save(cleaned_data)`, then
    `success(obj)` gives the message and the address to go to. A domain error is shown on its
    field."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            message, target = success(obj)
            messages.success(request, message)
            return redirect(target)
    return render(request, template, {"form": form, **(context or {})})
