"""Domain operations on the directory. The pages, the API and other apps call these."""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Min, Prefetch, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organisation
from aftercare.accounts.policy import Action, Actor, can_for_organisation, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.errors import DomainError, StaleVersion
from aftercare.network.models import CapacitySummary, OrganisationService, ReferralStats, Region

PROFILE_FIELDS = (
    "name",
    "kind",
    "region",
    "time_zone",
    "description",
    "populations",
    "languages",
    "public_phone",
    "public_email",
    "website",
    "street_address",
    "restricted_phone",
    "restricted_email",
    "restricted_notes",
)
RESTRICTED_FIELDS = ("street_address", "restricted_phone", "restricted_email", "restricted_notes")
CAPACITY_FIELDS = ("beds_total", "beds_available", "slots_total", "slots_available")


def get_organisation(actor: Actor, key) -> Organisation:
    """An active organisation of the directory, by id or slug; 404 for anything else."""
    require(actor, Action.VIEW_DIRECTORY)
    organisations = Organisation.objects.filter(is_active=True).select_related(
        "region", "referral_stats"
    )
    organisations = organisations.prefetch_related(
        Prefetch("services", queryset=OrganisationService.objects.order_by("domain")),
        Prefetch("regions_served", queryset=Region.objects.order_by("depth", "name")),
    )
    try:
        lookup = {"pk": uuid.UUID(str(key))}
    except ValueError:
        lookup = {"slug": str(key)}
    try:
        return organisations.get(**lookup)
    except Organisation.DoesNotExist as exc:
        raise Http404("No such organisation") from exc


def own_organisation(actor: Actor, key, action: Action) -> Organisation:
    """The actor's own organisation, for a change only its admins make.

    Another organisation answers 404 (its settings are not the caller's business); a role
    in the right organisation that may not make the change answers 403.
    """
    organisation = get_organisation(actor, key)
    if organisation.pk != actor.organisation_id:
        raise Http404("No such organisation")
    require(actor, action)
    return organisation


def can_see_restricted(actor: Actor, organisation: Organisation) -> bool:
    """Street address and restricted contacts: the organisation's own case staff only."""
    return can_for_organisation(actor, Action.VIEW_RESTRICTED_CONTACTS, organisation)


def restricted_details(actor: Actor, organisation: Organisation) -> dict[str, str] | None:
    """The restricted part of a profile, or None for anyone who may not see it."""
    if not can_see_restricted(actor, organisation):
        return None
    return {name: getattr(organisation, name) for name in RESTRICTED_FIELDS}


@transaction.atomic
def update_profile(
    actor: Actor,
    organisation: Organisation,
    data: Mapping[str, Any],
    version: int,
    *,
    regions_served: Iterable[Region] | None = None,
    services: Mapping[str, str] | None = None,
) -> Organisation:
    """Change the directory profile if `version` is still current.

    `services` maps each service domain offered to its eligibility notes: domains left out
    stop being offered (with their capacity), new ones start.
    """
    if not can_for_organisation(actor, Action.MANAGE_ORGANISATION, organisation):
        raise PermissionDenied(_("Only this organisation's admins may change its profile."))
    values = {f: data[f] for f in PROFILE_FIELDS if f in data}
    rows = Organisation.objects.filter(pk=organisation.pk, version=version).update(
        version=version + 1
    )
    if rows != 1:
        raise StaleVersion(
            _(
                "This profile was changed by someone else "
                "(you had version %(v)d); reload and try again."
            )
            % {"v": version},
            field="version",
        )
    for name, value in values.items():
        setattr(organisation, name, value)
    if organisation.region_id:
        organisation.country = organisation.region.country
    organisation.version = version + 1
    organisation.save(update_fields=[*values, "country", "version"])
    changed = set(values)
    if regions_served is not None:
        organisation.regions_served.set(regions_served)
        changed.add("regions_served")
    if services is not None:
        _set_services(organisation, services)
        refresh_capacity_summary(organisation.pk)
        changed.add("services")
    record(actor, AuditAction.UPDATE, organisation, fields=changed)
    return organisation


def _set_services(organisation: Organisation, services: Mapping[str, str]) -> None:
    organisation.services.exclude(domain__in=list(services)).delete()
    existing = {s.domain: s for s in organisation.services.all()}
    for domain, notes in services.items():
        service = existing.get(domain)
        if service is None:
            OrganisationService.objects.create(
                organisation=organisation, domain=domain, eligibility_notes=notes
            )
        elif service.eligibility_notes != notes:
            service.eligibility_notes = notes
            service.save(update_fields=["eligibility_notes"])


def check_capacity(service: OrganisationService, values: dict[str, int | None]) -> None:
    """Raise a field error for capacity that cannot be true of this service."""
    for name, value in values.items():
        if value is not None and value < 0:
            raise DomainError(_("Enter zero or more."), field=name)
    if not service.has_beds:
        for name in ("beds_total", "beds_available"):
            if values.get(name) is not None:
                raise DomainError(_("Only housing services count beds."), field=name)
    for kind, label in (("beds", _("beds")), ("slots", _("caseload slots"))):
        total, free = values.get(f"{kind}_total"), values.get(f"{kind}_available")
        if total is not None and free is not None and free > total:
            raise DomainError(
                _("There cannot be more free %(what)s than %(what)s in total.") % {"what": label},
                field=f"{kind}_available",
            )


@transaction.atomic
def update_capacity(
    actor: Actor, service: OrganisationService, changes: Mapping[str, int | None], version: int
) -> OrganisationService:
    """Set a service's live capacity if `version` is still current.

    Saving, even with the same figures, stamps the capacity as confirmed now, which is
    what keeps it from being flagged as stale.
    """
    if not can_for_organisation(actor, Action.UPDATE_CAPACITY, service.organisation_id):
        raise PermissionDenied(_("Only this organisation's admins may update its capacity."))
    values = {name: getattr(service, name) for name in CAPACITY_FIELDS}
    values.update({name: changes[name] for name in CAPACITY_FIELDS if name in changes})
    check_capacity(service, values)
    now = timezone.now()
    # Conditional on the version so two concurrent writers cannot both succeed.
    rows = OrganisationService.objects.filter(pk=service.pk, capacity_version=version).update(
        **values,
        capacity_updated_at=now,
        capacity_updated_by=actor.user,
        capacity_version=version + 1,
    )
    if rows != 1:
        raise StaleVersion(
            _(
                "This capacity was changed by someone else "
                "(you had version %(v)d); reload and try again."
            )
            % {"v": version},
            field="version",
        )
    for name, value in values.items():
        setattr(service, name, value)
    service.capacity_updated_at, service.capacity_updated_by = now, actor.user
    service.capacity_version = version + 1
    refresh_capacity_summary(service.organisation_id)
    record(actor, AuditAction.UPDATE, service, fields=[n for n in CAPACITY_FIELDS if n in changes])
    return service


@transaction.atomic
def update_capacities(
    actor: Actor, updates: Iterable[tuple[OrganisationService, Mapping[str, int | None], int]]
) -> list[OrganisationService]:
    """Several services' capacity at once (the capacity page): all saved, or none."""
    return [
        update_capacity(actor, service, changes, version) for service, changes, version in updates
    ]


def refresh_capacity_summary(organisation_id) -> CapacitySummary:
    """Recompute an organisation's free places over all its services (see CapacitySummary)."""
    figures = OrganisationService.objects.filter(organisation_id=organisation_id).aggregate(
        beds_free=Sum("beds_available"),
        slots_free=Sum("slots_available"),
        checked_at=Min("capacity_updated_at"),
    )
    summary, _created = CapacitySummary.objects.update_or_create(
        organisation_id=organisation_id, defaults=figures
    )
    return summary


class ReferralTimes(Protocol):
    """What the directory needs to know about one referral an organisation received."""

    sent_at: datetime
    accepted_at: datetime | None
    declined_at: datetime | None
    completed_at: datetime | None


def refresh_referral_stats(
    organisation: Organisation, referrals: Iterable[ReferralTimes]
) -> ReferralStats:
    """Recompute an organisation's referral figures from every referral it has received.

    The referrals app calls this after each transition with the receiving organisation's
    referrals (model instances or anything with the four attributes of `ReferralTimes`;
    cancelled ones left out). Acceptance rate is accepted / (accepted + declined);
    completion rate is completed / accepted; the median time to accept, in hours, is what
    the directory ranks on.
    """
    received = accepted = declined = completed = 0
    hours_to_accept = []
    for referral in referrals:
        received += 1
        if referral.accepted_at is not None:
            accepted += 1
            hours_to_accept.append(
                max(0.0, (referral.accepted_at - referral.sent_at).total_seconds() / 3600)
            )
            if referral.completed_at is not None:
                completed += 1
        elif referral.declined_at is not None:
            declined += 1
    stats, _created = ReferralStats.objects.update_or_create(
        organisation=organisation,
        defaults={
            "received": received,
            "accepted": accepted,
            "declined": declined,
            "completed": completed,
            "median_response_hours": statistics.median(hours_to_accept)
            if hours_to_accept
            else None,
        },
    )
    return stats
