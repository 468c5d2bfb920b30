"""What the prevention pages share: the form page with its title and the way back."""

from __future__ import annotations

from collections.abc import Callable

from aftercare.core import submit


def form_page(
    request,
    form,
    *,
    title: str,
    back: tuple[str, str],
    save: Callable,
    success: Callable,
    lede: str = "",
    template: str = "prevention/form.html",
    context: dict | None = None,
):
    """core.submit.form_page on the prevention form template, titled, with a link back."""
    return submit.form_page(
        request,
        form,
        template=template,
        save=save,
        success=success,
        context={
            "title": title,
            "back_url": back[0],
            "back_label": back[1],
            "lede": lede,
            **(context or {}),
        },
    )
