"""API: the funder indicators for a period, and the CTDC anonymised export."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.counting import SCOPE_PARAM, scope_for
from aftercare.core.api import api_actor
from aftercare.core.stats.indicators import parse_period
from aftercare.reports import ctdc, indicators


class IndicatorsView(APIView):
    """The funder indicator set for whole days `from`..`to` (both included; default: this year
    to date). Each indicator carries its value, numerator and denominator where it is a share,
    and breakdowns; counts of fewer than `small_cell_min` people are `null` with
    `suppressed: true`. Domains not yet in Aftercare are listed in `notes`, not given numbers.
    Definitions: docs/INDICATORS.md."""

    @extend_schema(
        operation_id="reports_indicators",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=False),
            OpenApiParameter("to", OpenApiTypes.DATE, required=False),
            SCOPE_PARAM,
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        actor = api_actor(request)
        scope = scope_for(actor, request.query_params.get("scope", ""))
        start, end = parse_period(request.query_params)
        report = indicators.build(scope, start, end)
        record(
            actor,
            AuditAction.EXPORT,
            None,
            object_type="reports.indicators",
            label=f"indicators {report.period}",
            fields=["indicators", "json", scope.name],
            reason=f"{len(report.indicators)} indicators",
        )
        return Response(report.as_dict())


class CtdcExportView(APIView):
    """One row per survivor who consented to anonymised reporting, in the CTDC layout and
    coding (docs/CTDC.md), k-anonymous over every column. The companion note is in the
    headers: `X-Aftercare-CTDC-K`, `-Consenting`, `-Rows`, `-Generalised` (rows),
    `-Generalised-Cells`, `-Suppressed` and `-Note`."""

    @extend_schema(
        operation_id="exports_ctdc_csv",
        parameters=[SCOPE_PARAM],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="the CSV file")
        },
    )
    def get(self, request):
        actor = api_actor(request)
        scope = scope_for(actor, request.query_params.get("scope", ""))
        export = ctdc.build(scope)
        record(
            actor,
            AuditAction.EXPORT,
            None,
            object_type="reports.ctdc",
            label="CTDC export",
            fields=["ctdc", "csv", scope.name],
            reason=(
                f"{len(export.rows)} rows; k={export.k} suppressed={export.suppressed} "
                f"generalised={export.generalised} cells={export.cells_generalised}"
            ),
        )
        response = HttpResponse(ctdc.to_csv(export), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="aftercare-ctdc.csv"'
        response["X-Aftercare-CTDC-K"] = str(export.k)
        response["X-Aftercare-CTDC-Consenting"] = str(export.consenting)
        response["X-Aftercare-CTDC-Rows"] = str(len(export.rows))
        response["X-Aftercare-CTDC-Generalised"] = str(export.generalised)
        response["X-Aftercare-CTDC-Generalised-Cells"] = str(export.cells_generalised)
        response["X-Aftercare-CTDC-Suppressed"] = str(export.suppressed)
        response["X-Aftercare-CTDC-Note"] = export.note()
        response["Cache-Control"] = "no-store"
        return response
