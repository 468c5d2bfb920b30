from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from aftercare.accounts.models import Organisation
from aftercare.core.policy import Action, require
from aftercare.network.models import OrganisationService
from aftercare.network.taxonomy import ServiceDomain


@login_required
def directory(request):
    """The partner directory: public profile and services of every active organisation."""
    require(request.actor, Action.VIEW_DIRECTORY)
    domain = request.GET.get("service", "")
    organisations = Organisation.objects.filter(is_active=True).select_related("region").prefetch_related(
        Prefetch("services", queryset=OrganisationService.objects.order_by("domain"))
    )
    if domain:
        organisations = organisations.filter(services__domain=domain)
    return render(
        request,
        "network/directory.html",
        {"organisations": organisations, "domains": ServiceDomain.choices, "domain": domain},
    )
