"""Wellbeing and readiness measures: recording one for a survivor, and the case page's charts."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, can, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.access import CaseAccess
from aftercare.cases.models import Survivor
from aftercare.core import charts
from aftercare.core.errors import DomainError
from aftercare.risk import access, scoring
from aftercare.risk.models import Measure, Measurement, label_text

HISTORY_LIMIT = 24


class UnknownMeasure(DomainError):
    code = "unknown_measure"


def active_measures() -> list[Measure]:
    return list(Measure.objects.filter(active=True).prefetch_related("items"))


def active_measure(code: str) -> Measure:
    measure = Measure.objects.filter(code=code, active=True).prefetch_related("items").first()
    if measure is None:
        raise UnknownMeasure(
            _("Choose one of: %(codes)s.")
            % {"codes": ", ".join(m.code for m in active_measures())},
            field="measure",
        )
    return measure


def _as_datetime(day: date | None) -> datetime:
    now = timezone.now()
    if day is None or day == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=12))


def record_measure(
    actor: Actor, survivor: Survivor, measure_code: str, answers, *, recorded_on: date | None = None
) -> Measurement:
    """Score and keep one completed measure for a survivor the actor has fetched.

    Raises UnknownMeasure, or ValidationError naming every missing or out-of-range item.
    """
    access.require_record(actor, survivor, Action.RECORD_MEASURE)
    if recorded_on is not None and recorded_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="recorded_on")
    measure = active_measure(measure_code)
    with transaction.atomic():
        measurement = save_measurement(
            survivor, measure, answers, by=actor.user, at=_as_datetime(recorded_on)
        )
        record(actor, AuditAction.CREATE, measurement, fields=["answers", "total"])
    return measurement


def save_measurement(
    survivor: Survivor, measure: Measure, answers, *, by=None, at: datetime | None = None
) -> Measurement:
    """Validate, score and store; callers check permission and audit (the demo calls this
    directly)."""
    items = list(measure.items.all())
    clean = scoring.validate_measure_answers(measure, items, answers)
    total, band = scoring.score_measure(measure, items, clean)
    return Measurement.objects.create(
        survivor=survivor,
        measure=measure,
        answers=clean,
        total=total,
        band=band,
        recorded_at=at or timezone.now(),
        recorded_by=by,
    )


def survivor_measurements(case: CaseAccess, measure_code: str = "") -> QuerySet[Measurement]:
    require(case.actor, Action.VIEW_RISK)
    case.require(access.SECTION)
    rows = Measurement.objects.filter(survivor=case.survivor).select_related(
        "measure", "recorded_by"
    )
    if measure_code:
        rows = rows.filter(measure__code=measure_code)
    return rows.order_by("-recorded_at", "-created_at")


def case_wellbeing_context(case: CaseAccess) -> dict:
    """`{"wellbeing": ...}` for `{% include "risk/_case_wellbeing.html" %}`; None for roles without
    access.

    One entry per active measure: its latest result, band, and a chart of its totals over time.
    """
    if not access.may_see(case):
        return {"wellbeing": None}
    survivor = case.survivor
    by_code: dict[str, list[Measurement]] = {}
    for row in survivor_measurements(case):
        series = by_code.setdefault(row.measure.code, [])
        if len(series) < HISTORY_LIMIT:
            series.append(row)
    sections = []
    for measure in active_measures():
        history = by_code.get(measure.code, [])[::-1]
        latest = history[-1] if history else None
        sections.append(
            {
                "measure": measure,
                "latest": latest,
                "history": history,
                "max_total": measure.scale_max * len(measure.items.all()),
                "concern": bool(latest and (latest.band_info or {}).get("concern")),
                "chart": _measure_chart(measure, history),
                "record_url": reverse("risk:record_measure", args=[survivor.pk, measure.code]),
            }
        )
    return {
        "wellbeing": {
            "survivor": survivor,
            "measures": sections,
            "can_record": can(case.actor, Action.RECORD_MEASURE) and case.may_write(access.SECTION),
        }
    }


def _measure_chart(measure: Measure, history: list[Measurement]) -> charts.Chart | None:
    if not history:
        return None
    items = len(measure.items.all())
    low, high = measure.scale_min * items, measure.scale_max * items
    latest = history[-1]
    label = _(
        "%(measure)s over time: %(n)s results, latest %(total)s of %(max)s (%(band)s) on %(date)s."
    ) % {
        "measure": measure.name_text,
        "n": len(history),
        "total": latest.total,
        "max": high,
        "band": latest.band_label,
        "date": timezone.localdate(latest.recorded_at).isoformat(),
    }
    series = [
        (timezone.localdate(m.recorded_at), m.total, f"{m.total} · {m.band_label}") for m in history
    ]
    # A band is shaded up to where the next one starts, so whole-number totals leave no gaps.
    ordered = sorted(measure.bands, key=lambda b: b["min"])
    bands = [
        (b["min"], nxt["min"] if nxt else b["max"], label_text(b["label"]), b.get("concern", False))
        for b, nxt in zip(ordered, [*ordered[1:], None], strict=True)
    ]
    thresholds = [(b["min"], label_text(b["label"])) for b in measure.bands if b["min"] > low]
    return charts.line_chart(
        series,
        label=label,
        y_min=low,
        y_max=high,
        thresholds=thresholds,
        bands=[band for band in bands if band[3]],
    )
