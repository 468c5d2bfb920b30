"""Referral pages: the inbox and outbox, one referral, making one, answering one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Organisation
from aftercare.accounts.policy import Action, can, require
from aftercare.accounts.roles import Role
from aftercare.cases import care
from aftercare.cases.access import Section, case_access_for, shareable
from aftercare.core.errors import DomainError
from aftercare.core.ids import is_uuid
from aftercare.network.services import get_organisation
from aftercare.network.taxonomy import ServiceDomain
from aftercare.referrals import guide, services
from aftercare.referrals.forms import GuidedReferralForm, NewPersonReferralForm, TransitionForm
from aftercare.referrals.models import Referral, ReferralStatus

ACTION_LABELS = {
    "accept": gettext_lazy("Accept"),
    "decline": gettext_lazy("Decline"),
    "start": gettext_lazy("Start work"),
    "complete": gettext_lazy("Mark completed"),
    "cancel": gettext_lazy("Cancel referral"),
}


@login_required
def referral_list(request):
    actor = request.actor
    require(actor, Action.VIEW_REFERRALS)
    direction = request.GET.get(
        "direction", "incoming" if actor.role != "referral_source" else "outgoing"
    )
    rows = Referral.objects.visible_to(actor).select_related(
        "survivor", "to_organisation", "from_organisation"
    )
    rows = (
        rows.filter(to_organisation_id=actor.organisation_id)
        if direction == "incoming"
        else rows.filter(from_organisation_id=actor.organisation_id)
    )
    rows = rows.in_answer_order()
    status = request.GET.get("status", "")
    if status in ReferralStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    page.object_list = services.with_listed_names(actor, page.object_list)
    return render(
        request,
        "referrals/list.html",
        {
            "page": page,
            "direction": direction,
            "status": status,
            "statuses": ReferralStatus.choices,
            "can_refer_new": can(actor, Action.MAKE_REFERRAL) and actor.role == "referral_source",
        },
    )


@login_required
def referral_detail(request, referral_id):
    actor = request.actor
    referral = services.get_referral(actor, referral_id)
    side = "receiver" if referral.to_organisation_id == actor.organisation_id else "sender"
    allowed = [
        (action, ACTION_LABELS[action], move.needs_text)
        for action, move in services.TRANSITIONS.items()
        if move.party == side
        and referral.status in move.sources
        and can(actor, Action.RESPOND_REFERRAL if side == "receiver" else Action.MAKE_REFERRAL)
    ]
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "side": side,
            "summary": services.minimum_view(referral),
            "actions": allowed,
            "next_step": guide.next_step(actor, referral),
            "events": referral.events.select_related("by"),
            "form": TransitionForm(initial={"version": referral.version}),
            "can_open_case": case_access_for(actor, referral.survivor) is not None,
            "shared_labels": [Section(s).label for s in shareable(referral.shared_sections)],
            "can_approve_transfer": referral.transfer
            and referral.transfer_approved_at is None
            and referral.is_open
            and actor.role == Role.SUPERVISOR
            and referral.from_organisation_id == actor.organisation_id,
            "can_refer_again": side == "sender"
            and referral.status in ("declined", "expired", "cancelled")
            and can(actor, Action.MAKE_REFERRAL)
            and referral.survivor.organisation_id == actor.organisation_id,
        },
    )


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
        referral = services.transition(
            request.actor,
            referral_id,
            action,
            text=form.cleaned_data["text"],
            version=form.cleaned_data["version"],
        )
        messages.success(request, guide.what_happened(request.actor, referral, action))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("referrals:detail", referral_id=referral_id)


@login_required
@require_POST
def approve_transfer(request, referral_id):
    try:
        referral = services.approve_transfer(request.actor, referral_id)
        messages.success(request, guide.what_happened(request.actor, referral, "approve_transfer"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("referrals:detail", referral_id=referral_id)


@login_required
def refer_case(request, survivor_id):
    """Refer a case: the services she needs pre-chosen, the partners ranked for them with the
    reasons.

    An htmx request (the services changed) answers with the ranked partners only.
    """
    actor = request.actor
    survivor = services.referable_case(actor, survivor_id)
    needs = care.current_needs(survivor) if can(actor, Action.VIEW_CASES) else {}
    proposed = _asked_domains(request) or guide.needed_domains(needs)
    data = request.POST if request.method == "POST" else None
    chosen_id = (data or request.GET).get("to_organisation") or request.GET.get("to") or ""
    chosen = _organisation(chosen_id, actor)
    form = GuidedReferralForm(
        data,
        exclude_organisation=actor.organisation,
        consent_missing=guide.consent_missing(survivor, chosen),
        needs=needs,
        initial={"domains": proposed, "to_organisation": chosen.pk if chosen else None},
    )
    if data is not None and form.is_valid():
        try:
            referral = services.refer_survivor(actor, survivor, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, guide.what_happened(actor, referral, "send"))
            return redirect("referrals:detail", referral_id=referral.pk)
    if request.method == "POST":
        domains = form.chosen_domains()
    else:
        domains = _asked_domains(request) if "ranking" in request.GET else proposed
    partners = guide.partner_suggestions(actor, survivor, domains)
    context = {
        "form": form,
        "survivor": survivor,
        "needs": needs,
        "partners": partners,
        "ranked_for": domains,
        "chosen": chosen,
        "chosen_id": str(chosen.pk) if chosen else "",
        "chosen_listed": chosen is not None
        and any(m.organisation_id == chosen.pk for m in partners),
        "can_open_case": can(actor, Action.VIEW_CASES),
    }
    if request.headers.get("HX-Request"):
        return render(request, "referrals/_partners.html", context)
    return render(request, "referrals/new.html", context)


@login_required
def refer_here(request, slug):
    """ "Refer here" from a directory profile: pick one of the cases you may refer, then the
    form."""
    actor = request.actor
    require(actor, Action.MAKE_REFERRAL)
    organisation = get_organisation(actor, slug)
    if organisation.pk == actor.organisation_id:
        raise Http404("Refer to another organisation")
    code = request.GET.get("code", "").strip()[:16]
    page = Paginator(services.cases_to_refer(actor, code), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/refer_here.html",
        {
            "organisation": organisation,
            "page": page,
            "code": code,
            "can_refer_new": actor.role == Role.REFERRAL_SOURCE,
        },
    )


def _asked_domains(request) -> list[str]:
    """Services named in the address (`?domain=`), or ticked on the form (htmx, `domains`)."""
    asked = request.GET.getlist("domain") or request.GET.getlist("domains")
    return [d for d in dict.fromkeys(asked) if d in ServiceDomain.values]


def _organisation(key: str, actor) -> Organisation | None:
    """The active organisation named by id, other than the actor's own (never proposed)."""
    if not is_uuid(key):
        return None
    return (
        Organisation.objects.filter(pk=key, is_active=True)
        .exclude(pk=actor.organisation_id)
        .first()
    )


@login_required
def refer_new_person(request):
    actor = request.actor
    require(actor, Action.MAKE_REFERRAL)
    form = NewPersonReferralForm(
        request.POST or None,
        exclude_organisation=actor.organisation,
        initial={
            "domains": request.GET.getlist("domain"),
            "to_organisation": request.GET.get("to"),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = {
            k: data.pop(k)
            for k in ("given_name", "phone", "year_of_birth", "gender")
            if data.get(k) not in (None, "")
        }
        try:
            referral = services.refer_new_person(
                actor,
                person,
                data["to_organisation"],
                data["domains"],
                data["reason"],
                consent_given=data["consent_given"],
                consent_method=data["consent_method"],
                shared_sections=data["shared_sections"],
                transfer_consent_given=data["transfer_consent_given"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Referral sent. You will be told when they answer."))
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/new.html", {"form": form, "survivor": None})
