"""Child protection champions: enrolling them, their trainings and activities, and whether
they are still active."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.errors import DomainError, StaleVersion
from aftercare.prevention.access import get_visible
from aftercare.prevention.models import (
    Champion,
    ChampionActivity,
    ChampionActivityKind,
    ChampionKind,
    ChampionTraining,
    Sex,
)
from aftercare.prevention.parsing import parse_count, parse_day


@transaction.atomic
def add_champion(
    actor: Actor, *, name: str, kind: str, sex: str, region, joined_on=None
) -> Champion:
    require(actor, Action.RECORD_PREVENTION)
    if not (name or "").strip():
        raise DomainError(_("Give the champion's name."), field="name")
    if kind not in ChampionKind.values:
        raise DomainError(_("Choose a kind of champion from the list."), field="kind")
    if sex not in Sex.values:
        raise DomainError(_("Choose female or male."), field="sex")
    if region is None:
        raise DomainError(_("Choose where the champion works."), field="region")
    champion = Champion(
        organisation=actor.organisation, name=name.strip(), kind=kind, sex=sex, region=region
    )
    if joined_on:
        champion.joined_on = champion.status_changed_on = parse_day(joined_on, "joined_on")
    champion.save()
    record(actor, AuditAction.CREATE, champion, fields=["name", "kind", "sex", "region"])
    return champion


@transaction.atomic
def set_active(actor: Actor, champion_id, active: bool, version, *, on=None) -> Champion:
    """Mark a champion active or inactive from a day (today unless given)."""
    champion = get_visible(
        actor, Champion, champion_id, action=Action.RECORD_PREVENTION, for_update=True
    )
    if version is not None and int(version) != champion.version:
        raise StaleVersion(_("This champion changed since you opened the page."), field="version")
    if champion.is_active != bool(active):
        champion.is_active = bool(active)
        champion.status_changed_on = parse_day(on, "on", required=False) or timezone.localdate()
        champion.version += 1
        champion.save(update_fields=["is_active", "status_changed_on", "version"])
        record(actor, AuditAction.UPDATE, champion, fields=["is_active"])
    return champion


@transaction.atomic
def record_training(
    actor: Actor, *, held_on, topic: str, region, champions, facilitators: str = ""
) -> ChampionTraining:
    require(actor, Action.RECORD_PREVENTION)
    if not (topic or "").strip():
        raise DomainError(_("Say what the training was about."), field="topic")
    if region is None:
        raise DomainError(_("Choose where the training took place."), field="region")
    ids = list(dict.fromkeys(str(getattr(c, "pk", c)) for c in champions or []))
    if not ids:
        raise DomainError(_("Choose the champions who were trained."), field="champions")
    trained = list(Champion.objects.visible_to(actor).filter(pk__in=ids))
    if len(trained) != len(ids):
        raise DomainError(_("Choose champions of your organisation."), field="champions")
    training = ChampionTraining.objects.create(
        organisation=actor.organisation,
        held_on=parse_day(held_on, "held_on"),
        topic=topic.strip(),
        region=region,
        facilitators=(facilitators or "").strip()[:200],
        created_by=actor.user,
    )
    training.champions.set(trained)
    record(actor, AuditAction.CREATE, training, fields=["held_on", "topic", "champions"])
    return training


@transaction.atomic
def record_activity(
    actor: Actor, champion_id, *, held_on, kind: str, description: str = "", people_reached=None
) -> ChampionActivity:
    champion = get_visible(actor, Champion, champion_id, action=Action.RECORD_PREVENTION)
    if kind not in ChampionActivityKind.values:
        raise DomainError(_("Choose what the champion did from the list."), field="kind")
    entry = ChampionActivity.objects.create(
        champion=champion,
        held_on=parse_day(held_on, "held_on"),
        kind=kind,
        description=(description or "").strip()[:300],
        people_reached=None
        if people_reached in (None, "")
        else parse_count(people_reached, "people_reached"),
        recorded_by=actor.user,
    )
    record(actor, AuditAction.CREATE, entry, fields=["held_on", "kind"])
    return entry
