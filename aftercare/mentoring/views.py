"""Pages: a case's mentoring and leadership roles, the organisation's mentors, and the
survivor's own "my mentor" page in the portal. Thin: services decide."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from aftercare.accounts.policy import Action, can
from aftercare.core.submit import record_forms, submit
from aftercare.mentoring import access, services
from aftercare.mentoring.forms import EndMatchForm, MatchForm, MentorForm, RoleForm, SessionForm
from aftercare.voice.views.portal import survivor_portal


def _back(survivor) -> str:
    return reverse("mentoring:case", args=[survivor.pk])


@require_safe
@login_required
def case(request, survivor_id):
    actor = request.actor
    survivor = access.case_to_read(actor, survivor_id)
    can_record = can(actor, Action.EDIT_CASE)
    context = {
        "survivor": survivor,
        "matches": list(services.matches_of(survivor)),
        "roles": list(services.roles_of(survivor)),
        "can_record": can_record,
    }
    if can_record:
        context.update(
            match_form=MatchForm(
                mentors=services.mentors_of(actor).filter(is_active=True), auto_id="match-%s"
            ),
            session_form=SessionForm(auto_id=False),
            role_form=RoleForm(auto_id="role-%s"),
        )
    return render(request, "mentoring/case.html", context)


_form = record_forms(access.case_to_record, _back)


def _mentors(actor, target) -> dict:
    return {"mentors": services.mentors_of(actor)}


match = _form(
    MatchForm, services.match_mentor, gettext_lazy("Mentor matched."), form_kwargs=_mentors
)
end_match = _form(
    EndMatchForm,
    lambda actor, survivor, match_id, data: services.end_match(
        actor, survivor, match_id, data["end"]
    ),
    gettext_lazy("The match is ended."),
)
session = _form(SessionForm, services.record_session, gettext_lazy("Session recorded."))
role = _form(RoleForm, services.add_role, gettext_lazy("Role recorded."))


@login_required
def mentors(request):
    actor = request.actor
    rows = services.mentors_of(actor)
    can_record = can(actor, Action.EDIT_CASE)
    if request.method == "POST" and can_record:
        return submit(
            request,
            MentorForm(request.POST),
            lambda data: services.add_mentor(actor, data),
            _("Mentor added."),
            reverse("mentoring:mentors"),
        )
    return render(
        request,
        "mentoring/mentors.html",
        {"rows": rows, "form": MentorForm() if can_record else None},
    )


@survivor_portal
def portal(request, account):
    return render(
        request,
        "mentoring/portal.html",
        {**services.own_mentoring(request.actor, account), "here": "mentor"},
    )
