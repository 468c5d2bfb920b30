"""Re-trafficking risk: assessments, the current risk per survivor, alerts, and the caseload.

The page, the API, the periodic task and the demo call these. Wellbeing measures are in
`aftercare.risk.measures`; their case-page context is re-exported here so the case page
needs one module.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Case, Exists, F, OuterRef, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, can, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.access import CaseAccess
from aftercare.cases.models import CaseStatus, Survivor
from aftercare.core import charts
from aftercare.core.errors import DomainError, TransitionNotAllowed
from aftercare.risk import access, scoring
from aftercare.risk.measures import case_wellbeing_context, record_measure  # noqa: F401  (the case page's interface)
from aftercare.risk.models import (
    LEVEL_RANK,
    Alert,
    AlertKind,
    AlertStatus,
    Answer,
    Assessment,
    Instrument,
    RiskLevel,
    SurvivorRisk,
)

DEFAULT_INSTRUMENT = "retrafficking"
HISTORY_LIMIT = 24
OVERDUE_BATCH = 500
# Values of the `risk_level` filter: a level, or `none` for cases never assessed.


class NoActiveInstrument(DomainError):
    status_code = 409
    code = "no_active_instrument"


def active_instrument(code: str = DEFAULT_INSTRUMENT) -> Instrument:
    instrument = (
        Instrument.objects.filter(code=code, active=True).prefetch_related("factors").first()
    )
    if instrument is None:
        raise NoActiveInstrument(_("No version of the risk instrument is active."))
    return instrument


def assessment_reasons(assessment: Assessment) -> list[str]:
    """Why the assessment came out as it did, in the active language."""
    instrument = assessment.instrument
    factors = {factor.code: factor for factor in instrument.factors.all()}
    return scoring.reasons(
        instrument,
        factors,
        score=assessment.score,
        level=assessment.level,
        contributions=assessment.contributions,
        forced_by=assessment.forced_by,
    )


def _as_datetime(day: date | None) -> datetime:
    now = timezone.now()
    if day is None or day == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=12))


def assess_risk(
    actor: Actor, survivor: Survivor, answers, *, assessed_on: date | None = None
) -> Assessment:
    """Score answers on the active instrument for a survivor the actor has fetched.

    Raises ValidationError for unknown factors or unreadable answers (nothing is saved).
    """
    access.require_record(actor, survivor, Action.ASSESS_RISK)
    if assessed_on is not None and assessed_on > timezone.localdate():
        raise DomainError(_("The assessment date cannot be in the future."), field="assessed_on")
    instrument = active_instrument()
    normalised = scoring.normalise_answers(instrument.factors.all(), answers)
    with transaction.atomic():
        assessment, alerts = save_assessment(
            survivor, instrument, normalised, by=actor.user, at=_as_datetime(assessed_on)
        )
        record(
            actor,
            AuditAction.CREATE,
            assessment,
            fields=sorted(c["factor"] for c in assessment.contributions),
        )
        for alert in alerts:
            record(actor, AuditAction.CREATE, alert, reason=alert.get_kind_display())
    return assessment


def save_assessment(
    survivor: Survivor,
    instrument: Instrument,
    answers: Mapping[str, str],
    *,
    by=None,
    at: datetime | None = None,
) -> tuple[Assessment, list[Alert]]:
    """Store a scored assessment; when it is the newest, make it current and raise its alerts.

    Callers check permission and audit; the demo loader calls this directly.
    """
    at = at or timezone.now()
    factors = list(instrument.factors.all())
    result = scoring.score_answers(instrument, factors, answers)
    next_follow_up = timezone.localdate(at) + timedelta(
        days=instrument.follow_up_days(result.level)
    )
    with transaction.atomic():
        assessment = Assessment.objects.create(
            survivor=survivor,
            instrument=instrument,
            answers=dict(answers),
            contributions=result.contributions,
            score=result.score,
            level=result.level,
            forced_by=result.forced_by,
            assessed_at=at,
            next_follow_up=next_follow_up,
            assessed_by=by,
        )
        current = SurvivorRisk.objects.select_for_update().filter(survivor=survivor).first()
        if current is not None and current.last_assessed > at:
            return assessment, []  # an older sheet entered late: history only
        SurvivorRisk.objects.update_or_create(
            survivor=survivor,
            defaults={
                "assessment": assessment,
                "level": result.level,
                "rank": LEVEL_RANK[RiskLevel(result.level)],
                "score": result.score,
                "last_assessed": at,
                "next_follow_up": next_follow_up,
            },
        )
        Survivor.objects.filter(pk=survivor.pk).update(
            risk_rank=LEVEL_RANK[RiskLevel(result.level)], risk_due=next_follow_up
        )
        # The follow-up happened, so a missed one is no longer outstanding; nor is high risk
        # that this assessment no longer finds. A reported factor waits for a person to acknowledge
        # it.
        settled = [AlertKind.OVERDUE_FOLLOW_UP] + (
            [AlertKind.HIGH_RISK] if result.level != RiskLevel.HIGH else []
        )
        Alert.objects.filter(survivor=survivor, kind__in=settled, status=AlertStatus.OPEN).update(
            status=AlertStatus.RESOLVED
        )
        alerts = _raise_assessment_alerts(assessment, factors)
    return assessment, alerts


def _raise_assessment_alerts(assessment: Assessment, factors) -> list[Alert]:
    created = []
    if assessment.level == RiskLevel.HIGH:
        created.append(_open_alert(assessment.survivor, AlertKind.HIGH_RISK, assessment=assessment))
    for factor in factors:
        if (
            factor.raises_alert
            and assessment.answers.get(factor.code, Answer.ABSENT) != Answer.ABSENT
        ):
            created.append(
                _open_alert(
                    assessment.survivor,
                    AlertKind.REPORTED_FACTOR,
                    factor_code=factor.code,
                    assessment=assessment,
                )
            )
    return [alert for alert in created if alert is not None]


def _open_alert(survivor: Survivor, kind: str, *, factor_code: str = "", **fields) -> Alert | None:
    """Open an alert unless one of the same kind is open; an open one is pointed at the new
    evidence."""
    match = {
        "survivor": survivor,
        "kind": kind,
        "factor_code": factor_code,
        "status": AlertStatus.OPEN,
    }
    if Alert.objects.filter(**match).update(**fields):
        return None
    try:
        with transaction.atomic():
            return Alert.objects.create(**match, **fields)
    except IntegrityError:  # opened by a concurrent writer a moment ago
        return None


def flag_overdue_follow_ups(*, today: date | None = None, organisation_id=None) -> int:
    """Open an alert for every open case whose follow-up date has passed; returns how many.

    A follow-up date is flagged once: an alert already raised for it, open or acknowledged,
    is not raised again. Run by `risk.tasks.flag_overdue_follow_ups` (Celery beat or cron).
    """
    today = today or timezone.localdate()
    already = Alert.objects.filter(
        survivor=OuterRef("survivor"),
        kind=AlertKind.OVERDUE_FOLLOW_UP,
        due_date=OuterRef("next_follow_up"),
    )
    due = (
        SurvivorRisk.objects.filter(next_follow_up__lt=today)
        .exclude(survivor__status=CaseStatus.CLOSED)
        .exclude(Exists(already))
        .select_related("survivor")
    )
    if organisation_id is not None:
        due = due.filter(survivor__organisation_id=organisation_id)
    flagged, after = 0, None
    while True:
        page = due.order_by("survivor_id")
        batch = list((page.filter(survivor_id__gt=after) if after else page)[:OVERDUE_BATCH])
        if not batch:
            return flagged
        flagged += _open_overdue_alerts(batch)
        after = batch[-1].survivor_id


@transaction.atomic
def _open_overdue_alerts(batch: list[SurvivorRisk]) -> int:
    """One batch in one transaction and a few statements: a commit per alert would cost more."""
    kind = AlertKind.OVERDUE_FOLLOW_UP
    already_open = set(
        Alert.objects.filter(
            survivor_id__in=[c.survivor_id for c in batch], kind=kind, status=AlertStatus.OPEN
        ).values_list("survivor_id", flat=True)
    )
    for current in batch:
        if (
            current.survivor_id in already_open
        ):  # an earlier missed date still open: it now names this one
            Alert.objects.filter(
                survivor_id=current.survivor_id, kind=kind, status=AlertStatus.OPEN
            ).update(due_date=current.next_follow_up)
    new = [
        Alert(survivor=c.survivor, kind=kind, due_date=c.next_follow_up)
        for c in batch
        if c.survivor_id not in already_open
    ]
    # A concurrent sweep may have opened some of these a moment ago: skip those, audit the rest.
    Alert.objects.bulk_create(new, ignore_conflicts=True)
    created = set(Alert.objects.filter(pk__in=[a.pk for a in new]).values_list("pk", flat=True))
    for alert in new:
        if alert.pk in created:
            record(
                None,
                AuditAction.CREATE,
                alert,
                reason="follow-up overdue",
                organisation_id=alert.survivor.organisation_id,
            )
    return len(created)


def flag_overdue_if_stale(organisation_id) -> None:
    """Flag one organisation's overdue follow-ups at most hourly, when its alerts are looked at.

    Keeps the alerts page current where no Celery beat runs (the embedded mode); cheap, because
    the query uses the follow-up date index and skips dates already flagged.
    """
    if organisation_id and cache.add(f"risk:overdue-checked:{organisation_id}", True, timeout=3600):
        flag_overdue_follow_ups(organisation_id=organisation_id)


def visible_alerts(actor: Actor, status: str = AlertStatus.OPEN) -> QuerySet[Alert]:
    """The actor's organisation's alerts: reported factors first, then high risk, then overdue;
    newest first."""
    require(actor, Action.VIEW_RISK_ALERTS)
    # The case code alone, not the survivor row: a list has no reason to decrypt identifiers.
    alerts = (
        Alert.objects.visible_to(actor)
        .annotate(
            case_code=F("survivor__case_code"), case_organisation_id=F("survivor__organisation_id")
        )
        .select_related("assessment__instrument")
        .prefetch_related("assessment__instrument__factors")
    )
    if status:
        alerts = alerts.filter(status=status)
    priority = Case(
        When(kind=AlertKind.REPORTED_FACTOR, then=Value(0)),
        When(kind=AlertKind.HIGH_RISK, then=Value(1)),
        default=Value(2),
    )
    return alerts.order_by(priority, "-raised_at", "id")


@transaction.atomic
def acknowledge_alert(actor: Actor, alert_id) -> Alert:
    """Mark an open alert as seen by the case team; 404 for alerts the actor may not see."""
    require(actor, Action.ACKNOWLEDGE_RISK_ALERT)
    try:
        key = uuid.UUID(str(alert_id))
        alert = (
            Alert.objects.visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("survivor")
            .get(pk=key)
        )
    except (Alert.DoesNotExist, ValueError) as exc:
        raise Http404("No such alert") from exc
    if alert.status != AlertStatus.OPEN:
        raise TransitionNotAllowed(_("This alert is not open."), field="status")
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor.user
    alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    record(actor, AuditAction.UPDATE, alert, fields=["status"])
    return alert


def survivor_assessments(case: CaseAccess) -> QuerySet[Assessment]:
    """A case's assessments, newest first, for roles and organisations that may see them."""
    require(case.actor, Action.VIEW_RISK)
    case.require(access.SECTION)
    return (
        Assessment.objects.filter(survivor=case.survivor)
        .select_related("instrument", "assessed_by")
        .prefetch_related("instrument__factors")
        .order_by("-assessed_at", "-created_at")
    )


# The caseload: what the case list uses to sort and filter by risk.


def annotate_caseload(
    queryset: QuerySet[Survivor], *, today: date | None = None
) -> QuerySet[Survivor]:
    """Add the current risk to each case in one LEFT JOIN, with no query per row.

    The rank itself (0 never assessed, 1 low, 2 medium, 3 high) is the field `Survivor.risk_rank`.
    Annotations: `risk_level` (`low`/`medium`/`high`, None if never assessed), `risk_score`,
    `risk_next_follow_up` (date or
    None), `risk_last_assessed`, `risk_follow_up_due` (follow-up date is today or past) and
    `risk_open_alerts` (any open risk alert).
    """
    today = today or timezone.localdate()
    return queryset.annotate(
        risk_level=F("current_risk__level"),
        risk_score=F("current_risk__score"),
        risk_next_follow_up=F("current_risk__next_follow_up"),
        risk_last_assessed=F("current_risk__last_assessed"),
        risk_follow_up_due=Case(
            When(current_risk__next_follow_up__lte=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        risk_open_alerts=Exists(
            Alert.objects.filter(survivor=OuterRef("pk"), status=AlertStatus.OPEN)
        ),
    )


CASELOAD_ORDERINGS = {
    # Highest risk first, soonest follow-up first within a level, never-assessed last.
    # On the copies kept in Survivor.risk_rank/risk_due, which the caseload indexes cover.
    "risk": (F("risk_rank").desc(), F("risk_due").asc(nulls_last=True)),
    # Soonest (or most overdue) follow-up first, higher risk first on the same day.
    "due": (F("risk_due").asc(nulls_last=True), F("risk_rank").desc()),
}


def order_caseload(queryset: QuerySet[Survivor], by: str = "risk") -> QuerySet[Survivor]:
    """Order cases by `risk` or by `due` follow-up date (see CASELOAD_ORDERINGS), then case code."""
    return queryset.order_by(*CASELOAD_ORDERINGS[by], "case_code")


# The case page's risk section (template risk/_case_risk.html).


def case_risk_context(case: CaseAccess) -> dict:
    """`{"risk": ...}` for `{% include "risk/_case_risk.html" %}`; `{"risk": None}` for roles
    without access.

    Takes the case as `cases.access.access_case` gave it (which audited the read).
    """
    if not access.may_see(case):
        return {"risk": None}
    actor, survivor = case.actor, case.survivor
    current = (
        SurvivorRisk.objects.filter(survivor=survivor)
        .select_related("assessment__instrument")
        .first()
    )
    history = list(survivor_assessments(case)[:HISTORY_LIMIT])[::-1]
    instrument = current.assessment.instrument if current else None
    alerts = (
        list(
            Alert.objects.visible_to(actor)
            .filter(survivor=survivor, status=AlertStatus.OPEN)
            .select_related("assessment__instrument")
            .prefetch_related("assessment__instrument__factors")
        )
        if can(actor, Action.VIEW_RISK_ALERTS)
        else []
    )
    return {
        "risk": {
            "survivor": survivor,
            "current": current,
            "level_label": RiskLevel(current.level).label if current else "",
            "reasons": assessment_reasons(current.assessment) if current else [],
            "instrument": instrument,
            "overdue": bool(current and current.is_overdue()),
            "alerts": alerts,
            "history": history,
            "chart": _risk_chart(
                history, instrument or (history[-1].instrument if history else None)
            ),
            "can_assess": can(actor, Action.ASSESS_RISK) and case.may_write(access.SECTION),
            "can_acknowledge": can(actor, Action.ACKNOWLEDGE_RISK_ALERT) and case.is_owner,
            "assess_url": reverse("risk:assess", args=[survivor.pk]),
            "page_url": reverse("risk:survivor", args=[survivor.pk]),
        }
    }


def _risk_chart(history: list[Assessment], instrument: Instrument | None) -> charts.Chart | None:
    if not history or instrument is None:
        return None
    series = [
        (timezone.localdate(a.assessed_at), a.score, f"{a.score_text} · {RiskLevel(a.level).label}")
        for a in history
    ]
    latest = history[-1]
    label = _(
        "Risk score over time: %(n)s assessments, latest %(score)s (%(level)s) on %(date)s."
    ) % {
        "n": len(history),
        "score": latest.score_text,
        "level": RiskLevel(latest.level).label,
        "date": timezone.localdate(latest.assessed_at).isoformat(),
    }
    top = float(instrument.high_from) + max(float(instrument.high_from - instrument.medium_from), 5)
    return charts.line_chart(
        series,
        label=label,
        y_min=0,
        y_max=top,
        thresholds=[(instrument.medium_from, _("medium")), (instrument.high_from, _("high"))],
        bands=[(instrument.high_from, top, _("high"), True)],
    )
