"""What the prevention pages share: the form-page pattern and the acting organisation."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render

from aftercare.core.errors import DomainError


def add_domain_error(form, exc: DomainError) -> None:
    """Put a service's error on the form field it names (its first part), else on the form."""
    field = (exc.field or "").split(".")[0]
    form.add_error(field if field in form.fields and field != "version" else None, exc.message)


def form_page(request, form, *, title: str, back: tuple[str, str], save: Callable, success: Callable,
              lede: str = "", template: str = "prevention/form.html", context: dict | None = None):
    """Render `form`; on a valid POST call `save(cleaned_data)`, then `success(obj)` gives the
    message and the address to go to. A domain error is shown on its field."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            message, target = success(obj)
            messages.success(request, message)
            return redirect(target)
    return render(request, template, {"form": form, "title": title, "back_url": back[0], "back_label": back[1],
                                      "lede": lede, **(context or {})})
