"""Files: the indicator report, the gap map and the caseload as CSV, XLSX (openpyxl) and PDF
(WeasyPrint). Each writer takes what the report modules computed, already scoped and with
small cells hidden, so a file never shows more than the page does."""

from __future__ import annotations

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from aftercare.core.spreadsheets import safe, to_csv, workbook, write_csv, write_workbook  # noqa: F401 - for the builders
from aftercare.core.stats.indicators import SHARE
from aftercare.reports.indicators import IndicatorReport

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
INDICATOR_COLUMNS = [
    "code",
    "domain",
    "indicator",
    "breakdown",
    "key",
    "label",
    "value",
    "unit",
    "numerator",
    "denominator",
    "suppressed",
    "note",
]
CASELOAD_COLUMNS = [
    "case_code",
    "status",
    "opened",
    "closed",
    "closure_reason",
    "region",
    "gender",
    "year_of_birth",
    "nationality",
    "exploitation_types",
    "country_of_exploitation",
    "identified_by",
    "risk_level",
    "next_follow_up",
]


def indicator_rows(report: IndicatorReport) -> list[list]:
    """One row per indicator, then one per breakdown cell, in INDICATOR_COLUMNS order."""
    rows = []
    for ind in report.indicators:
        rows.append(
            [
                ind.code,
                ind.domain,
                str(ind.label),
                "",
                "",
                "",
                "" if ind.value is None else ind.value,
                ind.unit,
                "" if ind.numerator is None else ind.numerator,
                "" if ind.denominator is None else ind.denominator,
                int(ind.suppressed),
                str(ind.note),
            ]
        )
        for name, cells in ind.breakdowns.items():
            for c in cells:
                rows.append(
                    [
                        ind.code,
                        ind.domain,
                        str(ind.label),
                        name,
                        c.key,
                        str(c.label),
                        "" if c.value is None else c.value,
                        ind.unit if ind.unit != SHARE else "count",
                        "",
                        "",
                        int(c.suppressed),
                        "",
                    ]
                )
    return rows


def about_rows(report: IndicatorReport) -> list[list]:
    return [
        [_("Period"), f"{report.period.start.isoformat()} to {report.period.end.isoformat()}"],
        [_("Scope"), report.scope.label],
        [_("Small cells hidden below"), report.scope.small_cell_min or _("nothing hidden")],
        [_("Generated at"), report.generated_at.isoformat(timespec="seconds")],
        *[[_("Note"), str(note)] for note in report.notes],
        [_("Definitions"), "docs/INDICATORS.md"],
    ]


def indicators_csv(report: IndicatorReport) -> bytes:
    return to_csv(INDICATOR_COLUMNS, indicator_rows(report))


def indicators_xlsx(report: IndicatorReport) -> bytes:
    return workbook(
        [
            ("Indicators", INDICATOR_COLUMNS, indicator_rows(report)),
            ("About", ["item", "value"], about_rows(report)),
        ]
    )


class PdfUnavailable(Exception):
    """WeasyPrint (or the Pango library it needs) is not installed on this machine."""


def weasyprint_html():
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise PdfUnavailable(str(exc)) from exc
    return HTML


def indicators_pdf(report: IndicatorReport) -> bytes:
    HTML = weasyprint_html()  # noqa: N806
    html = render_to_string(
        "reports/indicators_pdf.html",
        {"report": report, "hidden_text": f"<{report.scope.small_cell_min}"},
    )
    return HTML(string=html).write_pdf()


def gaps_rows(gap_map) -> tuple[list[str], list[list]]:
    header = ["region", "domain", "in_need", "providers", "free_places", "status"]
    rows = []
    for row in gap_map.rows:
        for c in row.cells:
            rows.append(
                [
                    row.label,
                    c.domain,
                    f"<{gap_map.small_cell_min}" if c.hidden else c.in_need,
                    c.providers,
                    "" if c.free is None else c.free,
                    c.status,
                ]
            )
    return header, rows


def caseload_values(queryset):
    return queryset.values_list(
        "case_code",
        "status",
        "created_at",
        "closed_at",
        "closure_reason",
        "region__name",
        "gender",
        "year_of_birth",
        "nationality",
        "exploitation_types",
        "country_of_exploitation",
        "identified_by",
        "current_risk__level",
        "current_risk__next_follow_up",
    ).order_by("case_code")


PROGRESS_EVERY = 2000


def caseload_rows(queryset, progress: Callable[[int], None] | None = None):
    """Rows for the caseload export, reporting progress every PROGRESS_EVERY rows."""
    chunk = PROGRESS_EVERY
    for i, row in enumerate(caseload_values(queryset).iterator(chunk_size=chunk), start=1):
        values = list(row)
        values[2] = values[2].date().isoformat() if values[2] else ""
        values[3] = values[3].date().isoformat() if values[3] else ""
        values[9] = ";".join(values[9] or [])
        values[13] = values[13].isoformat() if values[13] else ""
        yield ["" if v is None else v for v in values]
        if progress and i % chunk == 0:
            progress(i)
