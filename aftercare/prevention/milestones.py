"""The policy state machine: drafted → lobbied → passed → enforced, one step at a time.

`NEXT` is the whole table. Skipping a stage, going back, or moving an enforced instrument is
`TransitionNotAllowed` (HTTP 409) with the allowed next stage in the message.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.errors import DomainError, StaleVersion, TransitionNotAllowed
from aftercare.network.models import Region, RegionLevel
from aftercare.prevention.access import get_visible
from aftercare.prevention.models import Milestone, PolicyInstrument, PolicyKind, PolicyLevel, Stage
from aftercare.prevention.parsing import parse_day

NEXT: dict[Stage, Stage | None] = {
    Stage.DRAFTED: Stage.LOBBIED,
    Stage.LOBBIED: Stage.PASSED,
    Stage.PASSED: Stage.ENFORCED,
    Stage.ENFORCED: None,
}

LEVEL_OF_REGION = {
    RegionLevel.COUNTRY: PolicyLevel.NATIONAL,
    RegionLevel.PROVINCE: PolicyLevel.PROVINCE,
    RegionLevel.DISTRICT: PolicyLevel.DISTRICT,
    RegionLevel.SUB_COUNTY: PolicyLevel.SUB_COUNTY,
}


def next_stage(stage: str) -> Stage | None:
    return NEXT[Stage(stage)]


@transaction.atomic
def add_instrument(
    actor: Actor, *, title: str, kind: str, region: Region | None, drafted_on, note: str = ""
) -> PolicyInstrument:
    """An ordinance, by-law or policy, drafted on a day; its level is its region's level."""
    require(actor, Action.MANAGE_PREVENTION)
    if not (title or "").strip():
        raise DomainError(_("Give the title."), field="title")
    if kind not in PolicyKind.values:
        raise DomainError(_("Choose an ordinance, a by-law or a policy."), field="kind")
    if region is None:
        raise DomainError(
            _("Choose the country, district or sub-county it covers."), field="region"
        )
    instrument = PolicyInstrument.objects.create(
        organisation=actor.organisation,
        title=title.strip(),
        kind=kind,
        region=region,
        level=LEVEL_OF_REGION[RegionLevel(region.level)],
        created_by=actor.user,
    )
    Milestone.objects.create(
        instrument=instrument,
        stage=Stage.DRAFTED,
        reached_on=parse_day(drafted_on, "reached_on"),
        note=(note or "").strip()[:300],
        recorded_by=actor.user,
    )
    record(actor, AuditAction.CREATE, instrument, fields=["title", "kind", "region", "stage"])
    return instrument


@transaction.atomic
def advance(
    actor: Actor, instrument_id, *, to: str, reached_on, version, note: str = ""
) -> PolicyInstrument:
    """Move an instrument to the next stage, on the day it reached it."""
    instrument = get_visible(
        actor, PolicyInstrument, instrument_id, action=Action.MANAGE_PREVENTION, for_update=True
    )
    if to not in Stage.values:
        raise DomainError(_("Choose a stage: drafted, lobbied, passed or enforced."), field="to")
    try:
        seen = int(version)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Give the version you are changing."), field="version") from exc
    if seen != instrument.version:
        raise StaleVersion(
            _("This instrument changed since you opened it. Reload it and try again."),
            field="version",
        )
    allowed = next_stage(instrument.stage)
    if allowed is None:
        raise TransitionNotAllowed(
            _("“%(title)s” is already enforced; it has no further stage.")
            % {"title": instrument.title},
            field="to",
        )
    if to != allowed:
        raise TransitionNotAllowed(
            _("“%(title)s” is %(current)s: it can only move to %(next)s next, not to %(to)s.")
            % {
                "title": instrument.title,
                "current": Stage(instrument.stage).label.lower(),
                "next": allowed.label.lower(),
                "to": Stage(to).label.lower(),
            },
            field="to",
        )
    day = parse_day(reached_on, "reached_on")
    last = instrument.milestones.order_by("-reached_on").first()
    if last is not None and day < last.reached_on:
        raise DomainError(
            _("This stage cannot be reached before the previous one (%(day)s).")
            % {"day": last.reached_on.isoformat()},
            field="reached_on",
        )
    Milestone.objects.create(
        instrument=instrument,
        stage=to,
        reached_on=day,
        note=(note or "").strip()[:300],
        recorded_by=actor.user,
    )
    instrument.stage = to
    instrument.version += 1
    instrument.save(update_fields=["stage", "version"])
    record(
        actor,
        AuditAction.UPDATE,
        instrument,
        fields=["stage"],
        reason=f"{allowed.value} on {day.isoformat()}",
    )
    return instrument
