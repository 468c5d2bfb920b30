"""Pages: a case's mentoring and leadership roles, the organisation's mentors, and the
survivor's own "my mentor" page in the portal. Thin: services decide."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from aftercare.core.policy import Action, can
from aftercare.core.submit import submit
from aftercare.mentoring import services
from aftercare.mentoring.forms import EndMatchForm, MatchForm, MentorForm, RoleForm, SessionForm
from aftercare.voice.views.portal import survivor_portal


def _back(survivor) -> str:
    return reverse("mentoring:case", args=[survivor.pk])


@require_safe
@login_required
def case(request, survivor_id):
    actor = request.actor
    survivor = services.case_to_read(actor, survivor_id)
    can_record = can(actor, Action.EDIT_CASE)
    context = {
        "survivor": survivor, "matches": list(services.matches_of(survivor)), "roles": list(services.roles_of(survivor)),
        "can_record": can_record,
    }
    if can_record:
        context.update(match_form=MatchForm(mentors=services.mentors_of(actor).filter(is_active=True), auto_id="match-%s"),
                       session_form=SessionForm(auto_id=False), role_form=RoleForm(auto_id="role-%s"))
    return render(request, "mentoring/case.html", context)


@login_required
@require_POST
def match(request, survivor_id):
    actor = request.actor
    survivor = services.case_to_record(actor, survivor_id)
    form = MatchForm(request.POST, mentors=services.mentors_of(actor))
    return submit(request, form, lambda data: services.match_mentor(actor, survivor, data), _("Mentor matched."), _back(survivor))


@login_required
@require_POST
def end_match(request, survivor_id, match_id):
    actor = request.actor
    survivor = services.case_to_record(actor, survivor_id)
    return submit(request, EndMatchForm(request.POST), lambda data: services.end_match(actor, survivor, match_id, data["end"]),
                  _("The match is ended."), _back(survivor))


@login_required
@require_POST
def session(request, survivor_id, match_id):
    actor = request.actor
    survivor = services.case_to_record(actor, survivor_id)
    return submit(request, SessionForm(request.POST), lambda data: services.record_session(actor, survivor, match_id, data),
                  _("Session recorded."), _back(survivor))


@login_required
@require_POST
def role(request, survivor_id):
    actor = request.actor
    survivor = services.case_to_record(actor, survivor_id)
    return submit(request, RoleForm(request.POST), lambda data: services.add_role(actor, survivor, data),
                  _("Role recorded."), _back(survivor))


@login_required
def mentors(request):
    actor = request.actor
    rows = services.mentors_of(actor)
    can_record = can(actor, Action.EDIT_CASE)
    if request.method == "POST" and can_record:
        return submit(request, MentorForm(request.POST), lambda data: services.add_mentor(actor, data),
                      _("Mentor added."), reverse("mentoring:mentors"))
    return render(request, "mentoring/mentors.html",
                  {"rows": rows, "form": MentorForm() if can_record else None})


@survivor_portal
def portal(request, account):
    return render(request, "mentoring/portal.html", {**services.own_mentoring(request.actor, account), "here": "mentor"})
