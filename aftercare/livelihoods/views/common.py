"""What the livelihood pages share: submitting a form to a service and going back."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect

from aftercare.cases.views import form_errors
from aftercare.core.errors import DomainError


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
