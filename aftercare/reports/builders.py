"""What each export contains, built for one actor with their rights: used by the background
job and by the direct downloads alike, so the two cannot differ."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _

from aftercare.cases.counting import scope_for
from aftercare.cases.models import Survivor
from aftercare.core.errors import DomainError
from aftercare.core.policy import Actor
from aftercare.core.spreadsheets import write_workbook
from aftercare.core.stats.indicators import parse_period
from aftercare.network.models import Region
from aftercare.reports import ctdc, exports, gaps, indicators


class ExportUnavailable(DomainError):
    status_code = 503
    code = "export_unavailable"


@dataclass
class Built:
    """A file: its bytes when small (`content`), or a function that writes it row by row to a
    binary file (`write`), so a large export never sits whole in memory."""

    content: bytes | None
    filename: str
    content_type: str
    rows: int
    summary: str = ""
    note: str = ""
    audit_fields: list[str] = field(default_factory=list)
    write: Callable[[BinaryIO], None] | None = None

    def write_to(self, out: BinaryIO) -> None:
        if self.write is not None:
            self.write(out)
        else:
            out.write(self.content)

    def as_bytes(self) -> bytes:
        if self.content is not None:
            return self.content
        out = io.BytesIO()
        self.write_to(out)
        return out.getvalue()


def indicator_file(actor: Actor, params: dict, fmt: str) -> Built:
    start, end = parse_period(params)
    report = indicators.build(scope_for(actor, params.get("scope", "")), start, end)
    name = f"aftercare-indicators-{start.isoformat()}-{end.isoformat()}.{fmt}"
    if fmt == "pdf":
        try:
            content = exports.indicators_pdf(report)
        except exports.PdfUnavailable as exc:
            raise ExportUnavailable(
                _("PDF files cannot be made on this server: %(why)s") % {"why": exc}
            ) from exc
    else:
        content = (
            exports.indicators_csv(report) if fmt == "csv" else exports.indicators_xlsx(report)
        )
    return Built(
        content,
        name,
        exports.CONTENT_TYPES[fmt],
        len(report.indicators),
        summary=f"{start.isoformat()}..{end.isoformat()} {report.scope.name}",
        audit_fields=[report.scope.name],
    )


def gaps_file(actor: Actor, params: dict, fmt: str) -> Built:
    scope = scope_for(actor, params.get("scope", ""))
    parent = Region.objects.filter(pk=params["region"]).first() if params.get("region") else None
    gap_map = gaps.gap_map(scope, parent, params.get("level") or "high")
    header, rows = exports.gaps_rows(gap_map)
    content = (
        exports.to_csv(header, rows)
        if fmt == "csv"
        else exports.workbook([("Gap map", header, rows)])
    )
    return Built(
        content,
        f"aftercare-gap-map.{fmt}",
        exports.CONTENT_TYPES[fmt],
        len(rows),
        summary=scope.name,
        audit_fields=[scope.name],
    )


def ctdc_file(actor: Actor, params: dict, fmt: str) -> Built:
    scope = scope_for(actor, params.get("scope", ""))
    export = ctdc.build(scope)

    def write(
        out: BinaryIO,
    ) -> None:  # row by row into the sealed file, never the whole file in memory
        if fmt == "csv":
            ctdc.write_csv(export, out)
        else:
            rows = export.values()  # tuples in the order of COLUMNS, one per survivor
            write_workbook(
                out, [("CTDC", ctdc.COLUMNS, rows), ("Note", ["note"], [[export.note()]])]
            )

    return Built(
        None,
        f"aftercare-ctdc.{fmt}",
        exports.CONTENT_TYPES[fmt],
        len(export.rows),
        summary=(
            f"k={export.k} suppressed={export.suppressed} "
            f"generalised={export.generalised} cells={export.cells_generalised}"
        ),
        note=export.note(),
        audit_fields=[scope.name],
        write=write,
    )


def caseload_file(
    actor: Actor,
    params: dict,
    fmt: str,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> Built:

    cases = Survivor.objects.owned_by(actor).counted()
    if params.get("status"):
        cases = cases.filter(status=params["status"])
    total = cases.count()
    if on_total:
        on_total(total)
    header = exports.CASELOAD_COLUMNS

    def write(out: BinaryIO) -> None:
        rows = exports.caseload_rows(cases, progress)
        if fmt == "csv":
            exports.write_csv(out, header, rows)
        else:
            exports.write_workbook(out, [("Caseload", header, rows)])

    return Built(
        None,
        f"aftercare-caseload.{fmt}",
        exports.CONTENT_TYPES[fmt],
        total,
        summary="own organisation",
        write=write,
    )


def build(actor: Actor, job, progress: Callable[[int], None]) -> Built:
    from aftercare.reports.models import ExportJob, ExportKind

    if job.kind == ExportKind.CASELOAD:

        def on_total(total: int) -> None:
            job.total_rows = total
            ExportJob.objects.filter(pk=job.pk).update(total_rows=total)

        return caseload_file(actor, job.params, job.format, progress, on_total)
    return {
        ExportKind.INDICATORS: indicator_file,
        ExportKind.GAPS: gaps_file,
        ExportKind.CTDC: ctdc_file,
    }[job.kind](actor, job.params, job.format)
