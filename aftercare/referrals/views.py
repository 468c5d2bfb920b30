"""Referral pages: the inbox and outbox, one referral, making one, answering one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftercare.accounts.roles import Role
from aftercare.cases.access import Section, case_access_for, shareable
from aftercare.core.errors import DomainError
from aftercare.core.policy import Action, can, require
from aftercare.referrals import services
from aftercare.referrals.forms import NewPersonReferralForm, ReferralForm, TransitionForm
from aftercare.referrals.models import Referral, ReferralStatus

ACTION_LABELS = {
    "accept": _("Accept"), "decline": _("Decline"), "start": _("Start work"), "complete": _("Mark completed"),
    "cancel": _("Cancel referral"),
}


@login_required
def referral_list(request):
    actor = request.actor
    require(actor, Action.VIEW_REFERRALS)
    direction = request.GET.get("direction", "incoming" if actor.role != "referral_source" else "outgoing")
    rows = Referral.objects.visible_to(actor).select_related("survivor", "to_organisation", "from_organisation")
    rows = rows.filter(to_organisation_id=actor.organisation_id) if direction == "incoming" else rows.filter(from_organisation_id=actor.organisation_id)
    rows = rows.in_answer_order()
    status = request.GET.get("status", "")
    if status in ReferralStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "referrals/list.html", {
        "page": page, "direction": direction, "status": status, "statuses": ReferralStatus.choices,
        "can_refer_new": can(actor, Action.MAKE_REFERRAL) and actor.role == "referral_source",
    })


@login_required
def referral_detail(request, referral_id):
    actor = request.actor
    referral = services.get_referral(actor, referral_id)
    side = "receiver" if referral.to_organisation_id == actor.organisation_id else "sender"
    allowed = [
        (action, ACTION_LABELS[action], move.needs_text)
        for action, move in services.TRANSITIONS.items()
        if move.party == side and referral.status in move.sources
        and can(actor, Action.RESPOND_REFERRAL if side == "receiver" else Action.MAKE_REFERRAL)
    ]
    return render(request, "referrals/detail.html", {
        "referral": referral, "side": side, "summary": services.minimum_view(referral), "actions": allowed,
        "events": referral.events.select_related("by"), "form": TransitionForm(initial={"version": referral.version}),
        "can_open_case": case_access_for(actor, referral.survivor) is not None,
        "shared_labels": [Section(s).label for s in shareable(referral.shared_sections)],
        "can_approve_transfer": referral.transfer and referral.transfer_approved_at is None and referral.is_open
        and actor.role == Role.SUPERVISOR and referral.from_organisation_id == actor.organisation_id,
        "can_refer_again": side == "sender" and referral.status in ("declined", "expired", "cancelled")
        and can(actor, Action.MAKE_REFERRAL) and referral.survivor.organisation_id == actor.organisation_id,
    })


@login_required
@require_POST
def referral_transition(request, referral_id, action):
    if action not in ACTION_LABELS:
        raise Http404
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; reload the page."))
        return redirect("referrals:detail", referral_id=referral_id)
    try:
        services.transition(request.actor, referral_id, action, text=form.cleaned_data["text"], version=form.cleaned_data["version"])
        messages.success(request, _("Referral updated."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("referrals:detail", referral_id=referral_id)


@login_required
@require_POST
def approve_transfer(request, referral_id):
    try:
        services.approve_transfer(request.actor, referral_id)
        messages.success(request, _("Transfer approved."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("referrals:detail", referral_id=referral_id)


@login_required
def refer_case(request, survivor_id):
    """Refer a case the actor's organisation holds (or re-refer one a referral source opened)."""
    actor = request.actor
    require(actor, Action.MAKE_REFERRAL)
    survivor = services.referable_cases(actor).filter(pk=survivor_id).first() if _is_uuid(survivor_id) else None
    if survivor is None:
        raise Http404
    form = ReferralForm(request.POST or None, exclude_organisation=actor.organisation,
                        initial={"domains": request.GET.getlist("domain"), "to_organisation": request.GET.get("to")})
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.refer_survivor(actor, survivor, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Referral sent. They have until %(deadline)s to answer.") % {"deadline": referral.respond_by.strftime("%d %b %Y %H:%M UTC")})
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/new.html", {"form": form, "survivor": survivor})


@login_required
def refer_new_person(request):
    actor = request.actor
    require(actor, Action.MAKE_REFERRAL)
    form = NewPersonReferralForm(request.POST or None, exclude_organisation=actor.organisation,
                                 initial={"domains": request.GET.getlist("domain"), "to_organisation": request.GET.get("to")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = {k: data.pop(k) for k in ("given_name", "phone", "year_of_birth", "gender") if data.get(k) not in (None, "")}
        try:
            referral = services.refer_new_person(
                actor, person, data["to_organisation"], data["domains"], data["reason"],
                consent_given=data["consent_given"], consent_method=data["consent_method"],
                shared_sections=data["shared_sections"], transfer_consent_given=data["transfer_consent_given"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Referral sent. You will be told when they answer."))
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/new.html", {"form": form, "survivor": None})


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
