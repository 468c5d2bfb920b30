"""Posting a form to a domain operation from a page: the one helper every app's views use.

`submit` runs the operation with the form's cleaned data when the form is valid, says what
happened (a success message, the domain error's words, or each field's errors with its
label) and sends the user back to the page they acted on.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect

from aftercare.core.errors import DomainError


def form_errors(request, form, where: str = "") -> None:
    """Each of the form's errors as a message, named by its field's label; `where` names the
    part of the page the form sits in, so the page can show the message there (see `flash_by_place`)."""
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


def submit(request, form, action: Callable[[dict], object], success: str, back_to: str):
    """Call `action` with the form's data if it is valid; say what happened; go back to the page."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, success)
    else:
        form_errors(request, form)
    return redirect(back_to)
