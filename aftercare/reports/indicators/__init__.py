"""The funder indicator report: each domain contributes its indicators through one function.

A contributor is `for_period(start, end, organisation=None)` returning `Indicator` values (or
mappings with the same keys) computed over whole days `start`..`end` for one organisation's
cases, or the whole network's when `organisation` is None. The report asks every contributor
in `CONTRIBUTORS`, in order; a domain whose app is not installed, or that does not offer the
function yet, is left out with a note saying so, never with made-up figures. Small cells are
hidden here, after the domains have answered, so every domain is treated alike.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aftercare.cases.counting import Scope
from aftercare.core.routers import on_replica
from aftercare.core.stats.indicators import (
    Indicator,
    Note,
    Period,
    apply_small_cells,
    from_mapping,
)


@dataclass(frozen=True)
class Contributor:
    domain: str
    label: str
    app: str  # the app that must be installed for the domain to report
    function: str  # "module:function", called as function(start, end, organisation=None)
    requires: str = ""  # a module of the domain that must exist too (e.g. its own indicators)


CONTRIBUTORS: list[Contributor] = [
    Contributor(
        "cases",
        _("Survivors, services and care plans"),
        "aftercare.cases",
        "aftercare.cases.indicators:for_period",
    ),
    Contributor(
        "referrals",
        _("Referrals"),
        "aftercare.referrals",
        "aftercare.referrals.indicators:for_period",
    ),
    Contributor(
        "livelihoods",
        _("Livelihoods and education"),
        "aftercare.livelihoods",
        "aftercare.livelihoods.indicators:for_period",
    ),
    Contributor(
        "livelihood_figures",
        _("Livelihoods in figures"),
        "aftercare.livelihoods",
        "aftercare.reports.indicators.livelihood_counts:for_period",
        requires="aftercare.livelihoods.indicator_counts",
    ),
    Contributor(
        "care_settings",
        _("Care settings and costs"),
        "aftercare.caresettings",
        "aftercare.caresettings.indicators:for_period",
    ),
    Contributor(
        "mentoring",
        _("Mentoring and survivor leadership"),
        "aftercare.mentoring",
        "aftercare.mentoring.indicators:for_period",
    ),
    Contributor(
        "at_risk",
        _("People at risk (never trafficked)"),
        "aftercare.atrisk",
        "aftercare.atrisk.indicators:for_period",
    ),
    Contributor(
        "prevention",
        _("Prevention"),
        "aftercare.prevention",
        "aftercare.prevention.indicators:for_period",
    ),
]


@dataclass
class IndicatorReport:
    period: Period
    scope: Scope
    indicators: list[Indicator]
    notes: list[str] = field(default_factory=list)
    generated_at: datetime = field(default_factory=timezone.now)

    def by_domain(self) -> list[tuple[str, list[Indicator]]]:
        labels = {c.domain: c.label for c in CONTRIBUTORS}
        grouped: dict[str, list[Indicator]] = {}
        for indicator in self.indicators:
            grouped.setdefault(indicator.domain, []).append(indicator)
        return [(str(labels.get(domain, domain)), rows) for domain, rows in grouped.items()]

    def as_dict(self) -> dict:
        return {
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "scope": self.scope.name,
            "organisation": str(self.scope.organisation_id) if self.scope.organisation_id else None,
            "small_cell_min": self.scope.small_cell_min or None,
            "generated_at": self.generated_at.isoformat(),
            "indicators": [indicator.as_dict() for indicator in self.indicators],
            "notes": [str(note) for note in self.notes],
        }


def resolve(contributor: Contributor):
    """The contributor's function, or None when its domain has not landed (app or module
    missing)."""
    if not apps.is_installed(contributor.app):
        return None
    if contributor.requires and importlib.util.find_spec(contributor.requires) is None:
        return None
    module_name, function_name = contributor.function.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None  # the domain's indicators module itself does not exist yet
        raise
    return getattr(module, function_name, None)


def _as_indicators(domain: str, rows) -> tuple[list[Indicator], list[str]]:
    if isinstance(rows, Mapping):  # {code: value} or {code: {...}}
        rows = [
            (
                {"code": code, **value}
                if isinstance(value, Mapping)
                else {"code": code, "value": value}
            )
            for code, value in rows.items()
        ]
    found, notes = [], []
    for row in rows or ():
        if isinstance(row, Note):
            notes.append(str(row))
        else:
            found.append(row if isinstance(row, Indicator) else from_mapping(domain, row))
    return found, notes


@on_replica
def build(
    scope: Scope, start: date, end: date, contributors: Iterable[Contributor] | None = None
) -> IndicatorReport:
    """Ask each domain for its indicators over `start`..`end` and hide small cells for the scope."""
    period = Period(start, end)
    report = IndicatorReport(period=period, scope=scope, indicators=[])
    for contributor in CONTRIBUTORS if contributors is None else contributors:
        function = resolve(contributor)
        if function is None:
            report.notes.append(
                gettext(
                    "%(domain)s: left out, because that part of "
                    "Aftercare does not report indicators yet."
                )
                % {"domain": contributor.label}
            )
            continue
        rows, notes = _as_indicators(
            contributor.domain, function(start, end, organisation=scope.organisation_id)
        )
        report.indicators.extend(apply_small_cells(row, scope.small_cell_min) for row in rows)
        report.notes.extend(notes)
    if scope.hides_small_cells:
        report.notes.append(
            gettext(
                "Counts of fewer than %(n)s people are hidden, "
                "with enough others that they cannot be worked out."
            )
            % {"n": scope.small_cell_min}
        )
    return report
