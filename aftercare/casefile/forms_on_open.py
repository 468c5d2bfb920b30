"""The case page's forms, each read when its section is opened (issue 18).

The case page showed about nine forms (some 130 widgets, and the organisations they offer) on
every view, whether or not the case worker opened one. Each is now a disclosure that fetches
its form with htmx when opened (`casefile.page.FORMS`); without JavaScript its link leads to
a page that shows the same form. The forms post where they always posted, and a refusal still
comes back to the case page as a message beside the section (`core.submit.flash_by_place`).

A form is shown only to whoever may post it: the case comes through `access_case` with the
section and the write rule of the form's own POST (`cases.views.case.case_action`), so a
partner or a role that may not change the section is refused here (403, or 404 for a case she
may not know about) exactly as the POST would refuse her.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from aftercare.accounts.policy import Action, require
from aftercare.casefile import page
from aftercare.cases.access import access_case


@require_safe
@login_required
def case_form(request, survivor_id, name: str):
    """One form of the case page: the fragment alone for htmx, else on a page of its own."""
    form = page.FORMS.get(name)
    if form is None:
        raise Http404
    actor = request.actor
    case = access_case(actor, survivor_id, section=form.section, write=True)
    require(actor, Action.EDIT_CASE)
    if not case.may_write(form.section):  # an anonymised case: nothing is recorded on it
        raise PermissionDenied(_("This case can no longer be changed."))
    fragment, context = form.read(case)
    context = {
        **context,
        "survivor": case.survivor,
        "fragment": fragment,
        "title": form.title,
        "anchor": form.section.value if form.section else "overview",
    }
    if request.headers.get("HX-Request"):
        return render(request, fragment, context)
    return render(request, "casefile/form.html", context)
