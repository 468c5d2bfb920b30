"""Directory pages. Thin: parse, call network.services or network.search, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, can, can_for_organisation, require
from aftercare.core.errors import DomainError
from aftercare.network import services
from aftercare.network.forms import CapacityForm, DirectoryFilterForm, OrganisationProfileForm
from aftercare.network.languages import language_name
from aftercare.network.models import Region
from aftercare.network.search import response_words, search_directory
from aftercare.network.taxonomy import Population

PAGE_SIZE = 30


@login_required
def directory(request):
    """The partner directory: who offers what, where, with room now, best fit first."""
    require(request.actor, Action.VIEW_DIRECTORY)
    form = DirectoryFilterForm(request.GET)
    page = None
    if form.is_valid():
        results = search_directory(form.to_query())
        number = request.GET.get("page", "1")
        start = (int(number) - 1) * PAGE_SIZE if number.isdigit() and int(number) > 0 else 0
        results[
            start : start + PAGE_SIZE
        ]  # the page and its count in one query; Paginator reuses both
        page = Paginator(results, PAGE_SIZE).get_page(number)
    template = (
        "network/_results.html" if request.headers.get("HX-Request") else "network/directory.html"
    )
    return render(
        request, template, {"form": form, "page": page, "query_string": _without_page(request)}
    )


def _without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def region_suggestions(request):
    """Options for the region box's datalist, as the searcher types (htmx)."""
    require(request.actor, Action.VIEW_DIRECTORY)
    typed = request.GET.get("region", "").strip()
    regions = Region.objects.none()
    if len(typed) >= 2:
        regions = (
            Region.objects.filter(name__icontains=typed)
            .select_related("parent")
            .order_by("depth", "name")[:15]
        )
    return render(request, "network/_region_options.html", {"regions": regions})


@login_required
def profile(request, slug):
    actor = request.actor
    organisation = services.get_organisation(actor, slug)
    now = timezone.now()
    offered = list(organisation.services.all())
    stats = getattr(organisation, "referral_stats", None)
    context = {
        "organisation": organisation,
        "services": offered,
        "capacity_rows": [s for s in offered if s.counts_capacity],
        "stale_services": [s for s in offered if s.is_stale(now)],
        "populations": [p.label for p in Population if p.value in organisation.populations],
        "languages": [language_name(code) for code in organisation.languages],
        "restricted": services.restricted_details(actor, organisation),
        "stats": stats if stats is not None and stats.received else None,
        "response": response_words(stats.median_response_hours)
        if stats and stats.median_response_hours is not None
        else "",
        "can_edit": can_for_organisation(actor, Action.MANAGE_ORGANISATION, organisation),
        "can_update_capacity": can_for_organisation(actor, Action.UPDATE_CAPACITY, organisation),
        "can_refer_here": can(actor, Action.MAKE_REFERRAL)
        and organisation.pk != actor.organisation_id,
    }
    return render(request, "network/profile.html", context)


@login_required
def edit_profile(request, slug):
    actor = request.actor
    organisation = services.own_organisation(actor, slug, Action.MANAGE_ORGANISATION)
    form = OrganisationProfileForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(
                actor,
                organisation,
                form.profile_data(),
                form.cleaned_data["version"],
                regions_served=form.cleaned_data["regions_served"],
                services=form.services_offered(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("network:profile", slug=organisation.slug)
    return render(
        request, "network/edit_profile.html", {"organisation": organisation, "form": form}
    )


@login_required
def edit_capacity(request, slug):
    actor = request.actor
    organisation = services.own_organisation(actor, slug, Action.UPDATE_CAPACITY)
    offered = list(organisation.services.all())
    forms = [CapacityForm(request.POST or None, service=service) for service in offered]
    error = ""
    if request.method == "POST" and all(form.is_valid() for form in forms):
        try:
            services.update_capacities(
                actor,
                [(form.service, form.changes(), form.cleaned_data["version"]) for form in forms],
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Capacity saved."))
            return redirect("network:profile", slug=organisation.slug)
    return render(
        request,
        "network/edit_capacity.html",
        {"organisation": organisation, "forms": forms, "error": error, "now": timezone.now()},
    )
