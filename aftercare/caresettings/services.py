"""Recording where a survivor lives, and telling a supervisor of a detention without a lawyer.

Only the organisation holding the case reads and records its care settings: where a survivor
sleeps is among the most dangerous facts the system holds, so a partner organisation does not
see it, whatever the survivor shared through a referral.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, can, require
from aftercare.accounts.roles import Role
from aftercare.accounts.services import notify_members
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.caresettings.models import CLOSED_KINDS, Appeal, CareSetting, ProgrammeCost
from aftercare.cases.access import require_holder
from aftercare.cases.counting import scope_for
from aftercare.cases.models import Survivor
from aftercare.core.errors import DomainError, StaleVersion
from aftercare.core.notices import Notice
from aftercare.livelihoods.money import clean_amount

CLOSED_FIELDS = ("may_leave", "lawyer_access", "lawyer_access_on", "appeal", "appeal_on")
FIELDS = ("kind", "start", "end", "organisation", *CLOSED_FIELDS)


class PeriodsOverlap(DomainError):
    status_code = 409
    code = "periods_overlap"


def settings_of(survivor: Survivor) -> QuerySet[CareSetting]:
    return survivor.care_settings.select_related("organisation")


def current_setting(survivor: Survivor, today: date | None = None) -> CareSetting | None:
    today = today or timezone.localdate()
    return (
        survivor.care_settings.filter(start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .select_related("organisation")
        .first()
    )


def _check(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values of one period, made consistent: closed-setting answers only for a closed
    setting."""
    data = dict(values)
    today = timezone.localdate()
    start, end = data.get("start"), data.get("end")
    if start and start > today:
        raise DomainError(_("A period of care cannot start in the future."), field="start")
    if end and start and end < start:
        raise DomainError(_("The end of the period is before its start."), field="end")
    if data.get("kind") in CLOSED_KINDS:
        if data.get("may_leave") is None:
            raise DomainError(
                _("Say whether she may leave this setting when she wishes."), field="may_leave"
            )
        if data.get("lawyer_access") is None:
            raise DomainError(
                _("Say whether she has had access to a lawyer."), field="lawyer_access"
            )
        if (
            data.get("lawyer_access")
            and data.get("lawyer_access_on")
            and start
            and data["lawyer_access_on"] < start
        ):
            raise DomainError(
                _("The day she first saw a lawyer is before the period started."),
                field="lawyer_access_on",
            )
        if not data.get("lawyer_access"):
            data["lawyer_access_on"] = None
        if not data.get("appeal"):
            data["appeal"] = Appeal.NONE
        if data["appeal"] == Appeal.NONE:
            data["appeal_on"] = None
    else:
        for name in CLOSED_FIELDS:
            data[name] = "" if name == "appeal" else None
    return data


def _require_no_overlap(survivor: Survivor, start: date, end: date | None, *, exclude=None) -> None:
    others = survivor.care_settings.select_for_update().exclude(pk=exclude)
    far = date.max
    for other in others:
        if start <= (other.end or far) and other.start <= (end or far):
            raise PeriodsOverlap(
                _(
                    "This period overlaps another (%(other)s). End "
                    "the other period first, or change the dates."
                )
                % {"other": str(other)},
                field="start",
            )


@transaction.atomic
def record_setting(actor: Actor, survivor: Survivor, values: Mapping[str, Any]) -> CareSetting:
    """Add a period of care. An open period before it is ended the day before this one starts."""
    require(actor, Action.RECORD_CARE_SETTING)
    require_holder(actor, survivor)
    data = _check(values)
    open_before = (
        survivor.care_settings.select_for_update()
        .filter(end__isnull=True, start__lt=data["start"])
        .first()
    )
    if open_before is not None:
        open_before.end = data["start"] - timedelta(days=1)
        open_before.version += 1
        open_before.save(update_fields=["end", "version"])
        record(actor, AuditAction.UPDATE, open_before, fields=["end"])
    _require_no_overlap(survivor, data["start"], data.get("end"))
    setting = CareSetting.objects.create(
        survivor=survivor, recorded_by=actor.user, **{k: data.get(k) for k in FIELDS if k in data}
    )
    record(
        actor,
        AuditAction.CREATE,
        setting,
        fields=[k for k in FIELDS if data.get(k) not in (None, "")],
    )
    alert_if_detained_without_lawyer(setting)
    return setting


@transaction.atomic
def update_setting(
    actor: Actor, survivor: Survivor, setting_id, values: Mapping[str, Any], version: int
) -> CareSetting:
    require(actor, Action.RECORD_CARE_SETTING)
    require_holder(actor, survivor)
    setting = survivor.care_settings.select_for_update().filter(pk=setting_id).first()
    if setting is None:
        raise DomainError(_("No such period of care."), field="id")
    if setting.version != version:
        raise StaleVersion(
            _("Someone changed this period of care since you opened it. Reload and try again."),
            field="version",
        )
    merged = {name: getattr(setting, name) for name in FIELDS}
    merged.update(values)
    data = _check(merged)
    _require_no_overlap(survivor, data["start"], data.get("end"), exclude=setting.pk)
    changed = [name for name in FIELDS if getattr(setting, name) != data.get(name)]
    for name in changed:
        setattr(setting, name, data.get(name))
    setting.version += 1
    setting.save()
    record(actor, AuditAction.UPDATE, setting, fields=changed)
    alert_if_detained_without_lawyer(setting)
    return setting


def lawyer_alert_days() -> int:
    return settings.AFTERCARE_DETENTION_LAWYER_DAYS


def alert_if_detained_without_lawyer(setting: CareSetting, today: date | None = None) -> bool:
    """Tell the holding organisation's supervisors, once, that she has been held in a closed
    setting longer than AFTERCARE_DETENTION_LAWYER_DAYS without seeing a lawyer."""
    waited = setting.days_without_lawyer(today)
    if (
        waited is None
        or setting.alerted_at is not None
        or setting.end is not None
        or setting.lawyer_access
    ):
        return False
    if waited <= lawyer_alert_days():
        return False
    survivor = setting.survivor
    message = Notice("caresettings.no_lawyer", {"code": survivor.case_code, "days": waited})
    link = reverse("caresettings:case", args=[survivor.pk])
    notify_members(survivor.organisation, [Role.SUPERVISOR], message, link)
    CareSetting.objects.filter(pk=setting.pk).update(alerted_at=timezone.now())
    setting.alerted_at = timezone.now()
    return True


def flag_detentions_without_lawyer(today: date | None = None) -> int:
    """The daily sweep: every open closed-setting period past the limit with no lawyer yet."""
    today = today or timezone.localdate()
    due = (
        CareSetting.objects.filter(
            kind__in=list(CLOSED_KINDS),
            end__isnull=True,
            alerted_at__isnull=True,
            start__lt=today - timedelta(days=lawyer_alert_days()),
        )
        .exclude(lawyer_access=True)
        .select_related("survivor__organisation")
    )
    return sum(alert_if_detained_without_lawyer(setting, today) for setting in due)


# Programme costs ---------------------------------------------------------------------------


def costs_visible_to(actor: Actor) -> QuerySet[ProgrammeCost]:
    """An organisation's own costs to its supervisors and admins; every organisation's to the
    network's report roles (costs are accounts, not people)."""

    if can(actor, Action.RECORD_COSTS):
        return ProgrammeCost.objects.filter(organisation_id=actor.organisation_id)
    scope = scope_for(actor)
    rows = ProgrammeCost.objects.all()
    if scope.organisation_id is not None:
        rows = rows.filter(organisation_id=scope.organisation_id)
    return rows


@transaction.atomic
def record_cost(actor: Actor, values: Mapping[str, Any]) -> ProgrammeCost:
    """One line of the actor's organisation's programme costs."""
    require(actor, Action.RECORD_COSTS)
    data = dict(values)
    if data["period_end"] < data["period_start"]:
        raise DomainError(_("The end of the period is before its start."), field="period_end")
    data["amount"] = clean_amount(data["amount"], data["currency"])
    cost = ProgrammeCost.objects.create(
        organisation_id=actor.organisation_id, recorded_by=actor.user, **data
    )
    record(actor, AuditAction.CREATE, cost, fields=list(data))
    return cost


@transaction.atomic
def remove_cost(actor: Actor, cost_id) -> None:
    require(actor, Action.RECORD_COSTS)
    cost = ProgrammeCost.objects.filter(pk=cost_id, organisation_id=actor.organisation_id).first()
    if cost is None:
        raise DomainError(_("No such cost line in your organisation."), field="id")
    record(actor, AuditAction.DELETE, cost, label=str(cost))
    cost.delete()
