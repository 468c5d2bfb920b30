"""The guided referral: which services she needs, which partners fit, and what each move means.

From the case, the latest needs assessment chooses the services; the directory's own ranking
(aftercare.network.search) orders the partners for those services, her region, her population
and her languages, and says why; one's own organisation is never offered. After each move of
the referral, `what_happened` puts in words what it did and what comes next, for the side that
made it, with deadlines in that side's time zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.zones import organisation_zone, zoned
from aftercare.cases import care
from aftercare.cases.models import ConsentPurpose, Gender, NeedLevel, Survivor
from aftercare.cases.models.plan import NEED_RANK
from aftercare.core.policy import Actor
from aftercare.network.search import DirectoryMatch, DirectoryQuery, RegionScope, search_directory
from aftercare.network.taxonomy import Population, ServiceDomain
from aftercare.referrals.models import Referral, ReferralStatus

PARTNERS_SHOWN = 8


def needed_domains(needs: Mapping[str, str]) -> list[str]:
    """The service domains with a need (anything above "none"), most pressing first."""
    wanted = [
        d
        for d, level in needs.items()
        if level in NEED_RANK and level != NeedLevel.NONE and d in ServiceDomain.values
    ]
    return sorted(wanted, key=lambda d: (-NEED_RANK[needs[d]], d))


def population_of(survivor: Survivor) -> str:
    """The directory population she belongs to, as far as her case says ("" when it does not)."""
    minor = survivor.is_minor
    if survivor.gender == Gender.WOMAN:
        return Population.GIRLS if minor else Population.WOMEN
    if survivor.gender == Gender.MAN:
        return Population.BOYS if minor else Population.MEN
    if survivor.gender == Gender.TRANSGENDER:
        return Population.TRANSGENDER
    return ""


def partner_query(actor: Actor, survivor: Survivor, domains: Iterable[str]) -> DirectoryQuery:
    """The directory query for referring her: these services, near her, never our own
    organisation."""
    return DirectoryQuery(
        services=tuple(dict.fromkeys(d for d in domains if d in ServiceDomain.values)),
        region=RegionScope.of(survivor.region) if survivor.region_id else None,
        exclude_organisation=actor.organisation_id,
        region_required=False,
        prefer_population=population_of(survivor),
        prefer_languages=tuple(str(code).lower() for code in (survivor.languages or [])),
    )


def partner_suggestions(
    actor: Actor, survivor: Survivor, domains: Iterable[str], *, limit: int = PARTNERS_SHOWN
) -> list[DirectoryMatch]:
    """The best-fitting partners for these services, with the reasons and their free places.

    With no service chosen yet there is nothing to rank for: none are suggested.
    """
    query = partner_query(actor, survivor, domains)
    if not query.services:
        return []
    return search_directory(query)[:limit]


def consent_missing(survivor: Survivor, to_organisation=None) -> bool:
    """Whether a referral (to that organisation, if chosen) would need the emergency override."""
    return not care.has_consent(survivor, ConsentPurpose.REFERRAL, to_organisation)


# What happened, and what comes next ---------------------------------------------------------


def _deadline(referral: Referral, organisation) -> str:
    with timezone.override(organisation_zone(organisation)):
        return zoned(referral.respond_by, "j M H:i")


def what_happened(actor: Actor, referral: Referral, action: str) -> str:
    """One or two sentences for the side that made the move: what it did and what comes next."""
    name = referral.survivor.given_name or referral.survivor.case_code
    sender, receiver = referral.from_organisation.name, referral.to_organisation.name
    words = {
        "send": lambda: (
            _(
                "Referral sent to %(org)s. They will answer by "
                "%(deadline)s; you will be told when they do."
            )
            % {"org": receiver, "deadline": _deadline(referral, actor.organisation)}
        ),
        "accept": lambda: (
            (
                _(
                    "Referral accepted. %(name)s's case is now held by your organisation: "
                    "continue her care plan and record the first service when it starts."
                )
                if referral.transferred_at
                else _(
                    "Referral accepted. %(name)s's case is now shared "
                    "with you: record the first service when it starts."
                )
            )
            % {"name": name}
        ),
        "decline": lambda: (
            _("Referral declined. %(org)s has been told why and can refer %(name)s elsewhere.")
            % {"org": sender, "name": name}
        ),
        "start": lambda: _(
            "Work started. Record each service you deliver, and mark "
            "the referral completed with its outcome when it ends."
        ),
        "complete": lambda: (
            _("Referral completed. %(org)s has been told the outcome.") % {"org": sender}
            if referral.transferred_at
            else _(
                "Referral completed. %(org)s has been told the "
                "outcome; %(name)s's case is no longer shared with you."
            )
            % {"org": sender, "name": name}
        ),
        "cancel": lambda: (
            (
                _("Referral cancelled. %(org)s has been told and no longer sees %(name)s's case.")
                if referral.accepted_at
                else _("Referral cancelled. %(org)s has been told; it will not answer now.")
            )
            % {"org": receiver, "name": name}
        ),
        "approve_transfer": lambda: (
            (
                _(
                    "Transfer approved. %(name)s's case is now held "
                    "by %(org)s; your organisation no longer holds it."
                )
                if referral.transferred_at
                else _(
                    "Transfer approved. %(name)s's case moves "
                    "to %(org)s once they accept the referral."
                )
            )
            % {"name": name, "org": receiver}
        ),
    }
    return words[action]()


def next_step(actor: Actor, referral: Referral) -> str:
    """What the referral waits for now, as the side reading it should understand it."""
    receiving = referral.to_organisation_id == actor.organisation_id
    status = referral.status
    if status == ReferralStatus.SENT:
        deadline = zoned(referral.respond_by, "j M H:i")
        return (
            _("Accept or decline by %(deadline)s.")
            if receiving
            else _("Waiting for %(org)s to answer, by %(deadline)s.")
        ) % {"deadline": deadline, "org": referral.to_organisation.name}
    if status == ReferralStatus.ACCEPTED:
        return (
            _("Start work when the first service begins.")
            if receiving
            else _("Accepted: %(org)s will start work with her.")
            % {"org": referral.to_organisation.name}
        )
    if status == ReferralStatus.IN_PROGRESS:
        return (
            _("Record the services you deliver; complete the referral with its outcome.")
            if receiving
            else _("In progress: you will see the outcome when %(org)s completes it.")
            % {"org": referral.to_organisation.name}
        )
    return ""
