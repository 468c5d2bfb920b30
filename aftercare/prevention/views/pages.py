"""What the prevention pages share: the list page of a kind of record, the page that adds one,
and the form page with its title and the way back."""

from __future__ import annotations

from collections.abc import Callable

from django.shortcuts import render

from aftercare.accounts.policy import Action, Actor, can, require
from aftercare.core import submit

# The context name that tells a list page's template whether the actor may add to it.
MAY_ADD = {Action.RECORD_PREVENTION: "can_record", Action.MANAGE_PREVENTION: "can_manage"}


def list_page(request, template: str, context: Callable[[Actor], dict], *, adds: Action):
    """The actor's records of one kind: the right to view prevention checked first, then
    `template` with `context(actor)` and whether the actor may add (the right `adds`)."""
    actor = request.actor
    require(actor, Action.VIEW_PREVENTION)
    return render(request, template, {**context(actor), MAY_ADD[adds]: can(actor, adds)})


def add_page(
    request,
    form_class,
    save: Callable,
    *,
    right: Action | None = Action.RECORD_PREVENTION,
    choices: Callable[[Actor], dict] | None = None,
    **page,
):
    """A page that adds one record: `right` checked first (None when the view has checked it
    fetching the record it adds under), the form bound to the actor's organisation (with
    `choices(actor)`, its other arguments), `save(actor, **data)` on a valid post; `page` is
    form_page's title, back, success and lede."""
    actor = request.actor
    if right is not None:
        require(actor, right)
    form = form_class(
        request.POST or None, organisation=actor.organisation, **(choices(actor) if choices else {})
    )
    return form_page(request, form, save=lambda data: save(actor, **data), **page)


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
