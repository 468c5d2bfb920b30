"""The figures of the reports dashboard, for one scope, over the last twelve months.

Each section is a few grouped queries; every count of people passes through `cells` for the
scope, so a coordinator's view of the network never shows a group small enough to point at
someone. Charts are built here as coordinates (`aftercare.core.charts`) with a table of the same
figures.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.apps import apps
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.cases.counting import Scope
from aftercare.cases.models import CaseStatus, ExploitationType, ServiceDelivery
from aftercare.core import charts
from aftercare.core.routers import on_replica
from aftercare.core.stats import cells
from aftercare.core.stats.indicators import Period
from aftercare.network.models import Region
from aftercare.network.taxonomy import ServiceDomain
from aftercare.referrals import indicators as referral_indicators
from aftercare.risk.models import (
    Alert,
    AlertKind,
    AlertStatus,
    Assessment,
    Measure,
    Measurement,
    RiskLevel,
)
from aftercare.voice import stats


def months_back(today: date, count: int = 12) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _i in range(count):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _bars(counts: dict, labels: list[tuple[str, str]], scope: Scope, title: str):
    shown = cells.hide_breakdown(
        {key: counts.get(key, 0) for key, _l in labels}, scope.small_cell_min
    )
    hidden_text = f"<{scope.small_cell_min}"
    rows = [(label, shown[key]) for key, label in labels]
    return {
        "chart": charts.bar_chart(rows, label=title, hidden_text=hidden_text),
        "rows": rows,
        "hidden_text": hidden_text,
    }


def caseload(scope: Scope) -> dict:
    cases = scope.survivors()
    by_status = dict(cases.values_list("status").annotate(n=Count("id")).order_by())
    open_cases = cases.open()  # the one definition of an open case (aftercare.cases.counting)
    region_counts = Counter()
    paths = dict(Region.objects.values_list("pk", "path"))
    tops = {r.path: r for r in Region.objects.filter(depth__lte=1)}
    for region_id, n in open_cases.values_list("region_id").annotate(n=Count("id")).order_by():
        path = paths.get(region_id, "")
        parts = path.split("/")
        key = "/".join(parts[:2]) + "/" if len(parts) > 2 else path
        region = tops.get(key)
        region_counts[str(region.pk) if region else "none"] += n
    region_labels = sorted(
        [(str(r.pk), f"{r.name}") for r in tops.values() if str(r.pk) in region_counts],
        key=lambda x: x[1],
    )
    if region_counts.get("none"):
        region_labels.append(("none", _("Region not recorded")))
    by_kind = Counter()
    for kinds, n in open_cases.values_list("exploitation_types").annotate(n=Count("id")).order_by():
        for kind in kinds or ["unknown"]:
            by_kind[kind] += n
    kind_labels = [(k, str(label)) for k, label in ExploitationType.choices]
    return {
        "status": _bars(
            by_status,
            [(k, str(label)) for k, label in CaseStatus.choices],
            scope,
            _("Cases by status"),
        ),
        "region": _bars(region_counts, region_labels, scope, _("Open cases by region")),
        "exploitation": _bars(by_kind, kind_labels, scope, _("Open cases by exploitation type")),
        "open": cells.hide_count(open_cases.count(), scope.small_cell_min),
    }


def services_over_time(scope: Scope, today: date) -> dict:
    months = months_back(today)
    services = ServiceDelivery.objects.filter(date__gte=months[0], date__lte=today)
    if scope.organisation_id is not None:
        services = services.filter(survivor__organisation_id=scope.organisation_id)
    grid = Counter()
    for domain, month, n in (
        services.annotate(month=TruncMonth("date"))
        .values_list("domain", "month")
        .annotate(n=Count("id"))
        .order_by()
    ):
        grid[(domain, month if isinstance(month, date) else month.date())] += n
    rows = []
    top = max(grid.values() or [0]) or 1
    for code, label in ServiceDomain.choices:
        shown = cells.hide_breakdown({m: grid[(code, m)] for m in months}, scope.small_cell_min)
        total = sum(grid[(code, m)] for m in months)
        if not total:
            continue
        series = [(m.strftime("%b %Y"), shown[m]) for m in months]
        rows.append(
            {
                "code": code,
                "label": str(label),
                "total": cells.hide_count(total, scope.small_cell_min),
                "months": series,
                "chart": charts.column_chart(series, label=str(label), top=top),
            }
        )

    monthly = [(m, sum(grid[(code, m)] for code, _l in ServiceDomain.choices)) for m in months]
    line = charts.line_chart(
        [(m, v, str(v)) for m, v in monthly],
        label=_("Services delivered per month"),
        y_min=0,
        y_max=1,
    )
    return {
        "rows": rows,
        "months": [m.strftime("%b") for m in months],
        "line": line,
        "hidden_text": f"<{scope.small_cell_min}",
    }


def funnel(scope: Scope, today: date) -> dict:
    period = Period(today - timedelta(days=364), today)
    f = referral_indicators.funnel(period, scope.organisation_id)
    minimum = scope.small_cell_min
    stages = [
        (_("Sent"), cells.hide_count(f.sent, minimum)),
        (_("Accepted"), cells.hide_count(f.accepted, minimum)),
        (_("Completed"), cells.hide_count(f.completed, minimum)),
    ]
    others = [
        (_("Declined"), cells.hide_count(f.declined, minimum)),
        (_("Expired unanswered"), cells.hide_count(f.expired, minimum)),
        (_("Cancelled"), cells.hide_count(f.cancelled, minimum)),
        (_("Waiting for an answer"), cells.hide_count(f.open, minimum)),
    ]
    median = None if cells.median_hidden(f.accepted, minimum) else f.median_hours_to_accept
    return {
        "chart": charts.bar_chart(stages, label=_("Referral funnel"), hidden_text=f"<{minimum}"),
        "stages": stages,
        "others": others,
        "median_hours": median,
        "period": period,
        "hidden_text": f"<{minimum}",
    }


def risk(scope: Scope) -> dict:
    open_cases = scope.survivors().open()
    by_level = dict(
        open_cases.values_list("current_risk__level").annotate(n=Count("id")).order_by()
    )
    labels = [(level, str(label)) for level, label in reversed(RiskLevel.choices)] + [
        (None, _("Not assessed"))
    ]
    shown = cells.hide_breakdown(
        {key: by_level.get(key, 0) for key, _l in labels}, scope.small_cell_min
    )
    rows = [(label, shown[key]) for key, label in labels]
    alerts = Alert.objects.filter(status=AlertStatus.OPEN, survivor__in=scope.survivors())
    by_kind = dict(alerts.values_list("kind").annotate(n=Count("id")).order_by())
    alert_bars = _bars(
        by_kind, [(k, str(label)) for k, label in AlertKind.choices], scope, _("Open risk alerts")
    )
    return {
        "levels": {
            "chart": charts.bar_chart(
                rows, label=_("Open cases by current risk"), hidden_text=f"<{scope.small_cell_min}"
            ),
            "rows": rows,
        },
        "alerts": alert_bars,
        "open_alerts": cells.hide_count(sum(by_kind.values()), scope.small_cell_min),
    }


def risk_trajectory(scope: Scope) -> dict:
    """Survivors assessed at least twice: is their latest score lower, the same or higher than the
    first?"""
    first = (
        Assessment.objects.filter(survivor=OuterRef("pk"))
        .order_by("assessed_at")
        .values("score")[:1]
    )
    latest = (
        Assessment.objects.filter(survivor=OuterRef("pk"))
        .order_by("-assessed_at")
        .values("score")[:1]
    )
    assessed = (
        scope.survivors()
        .annotate(n=Count("risk_assessments"))
        .filter(n__gte=2)
        .annotate(first=Subquery(first), latest=Subquery(latest))
    )
    counts = assessed.aggregate(
        lower=Count("id", filter=Q(latest__lt=F("first"))),
        same=Count("id", filter=Q(latest=F("first"))),
        higher=Count("id", filter=Q(latest__gt=F("first"))),
    )
    labels = [
        ("lower", _("Lower risk than at first")),
        ("same", _("The same")),
        ("higher", _("Higher risk than at first")),
    ]
    return _bars(counts, labels, scope, _("Risk score, latest against first assessment"))


WELLBEING_PATHS = [
    ("left", _("Out of a concern band since the first measure")),
    ("stayed", _("In a concern band, first and latest")),
    ("entered", _("Into a concern band since the first measure")),
    ("never", _("Never in a concern band")),
]


def wellbeing_trajectories(scope: Scope) -> list[dict]:
    """Per wellbeing measure, survivors measured at least twice: did they leave a band of
    concern, stay in one, enter one, or never meet one? (Whether a higher total is better
    differs between measures; the bands say which results are of concern.)"""
    found = []
    for measure in Measure.objects.filter(active=True).order_by("position", "code"):
        series = Measurement.objects.filter(survivor=OuterRef("pk"), measure=measure)
        first, latest = series.order_by("recorded_at", "pk"), series.order_by("-recorded_at", "-pk")
        measured = (  # measured at least twice: the first and the latest measurement differ
            scope.survivors()
            .annotate(
                first_id=Subquery(first.values("pk")[:1]),
                latest_id=Subquery(latest.values("pk")[:1]),
            )
            .filter(first_id__isnull=False)
            .exclude(first_id=F("latest_id"))
            .annotate(
                first=Subquery(first.values("band")[:1]), latest=Subquery(latest.values("band")[:1])
            )
        )
        concern = {band["code"] for band in measure.bands if band.get("concern")}
        paths = Counter()
        for first, latest, n in (
            measured.values_list("first", "latest").annotate(c=Count("id")).order_by()
        ):
            was, now = first in concern, latest in concern
            paths[
                "stayed" if was and now else "left" if was else "entered" if now else "never"
            ] += n
        if paths:
            found.append(
                {
                    "measure": measure,
                    **_bars(
                        paths,
                        [(k, str(label)) for k, label in WELLBEING_PATHS],
                        scope,
                        measure.name_text,
                    ),
                }
            )
    return found


def performance(limit: int = 5) -> dict | None:
    """The best-rated providers from survivor ratings (published only in groups of at least k)."""
    if not apps.is_installed("aftercare.voice"):
        return None

    report = stats.performance()
    rows = [(s.subject.name, s.figures.bayesian_mean) for s in report.subjects[:limit]]
    return {
        "chart": charts.bar_chart(rows, label=_("Providers rated best by survivors"), fmt="{:.2f}"),
        "rows": [
            (s.subject.name, s.figures.bayesian_mean, s.figures.n) for s in report.subjects[:limit]
        ],
        "k": report.network.k,
        "withheld": report.withheld,
    }


@on_replica
def figures(scope: Scope, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    return {
        "caseload": caseload(scope),
        "services": services_over_time(scope, today),
        "funnel": funnel(scope, today),
        "risk": risk(scope),
        "trajectory": risk_trajectory(scope),
        "wellbeing": wellbeing_trajectories(scope),
        "performance": performance(),
    }
