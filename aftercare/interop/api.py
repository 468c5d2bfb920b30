"""API: the HTCDS export, the spreadsheet import, and field capture from ODK and Kobo.

    GET  /api/v1/exports/htcds.xlsx[?ids=ID,ID]   supervisors and admins
    GET  /api/v1/exports/htcds.json[?ids=ID,ID]
    POST /api/v1/imports/htcds[?commit=true]     multipart `file` (.xlsx or .csv); a dry run unless commit
    HEAD|POST /api/v1/openrosa/submission        ODK/OpenRosa, multipart `xml_submission_file`, bearer token
    HEAD|POST /api/v1/openrosa/key/TOKEN/submission   the same, the token in the path (for ODK Collect)
    POST /api/v1/htcds/kobo                      a Kobo submission, a list, or Kobo's JSON export
"""

from __future__ import annotations

import uuid
from xml.sax.saxutils import escape, quoteattr

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import authentication, exceptions, serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts.api_auth import BearerTokenAuthentication
from aftercare.accounts.models import ApiToken
from aftercare.cases import sheets
from aftercare.core.api import api_actor
from aftercare.core.errors import DomainError
from aftercare.core.policy import Action, require
from aftercare.interop import capture, exporter, importer
from aftercare.interop.models import SubmissionSource

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPENROSA_NS = "http://openrosa.org/http/response"
OPENROSA_HEADERS = {"X-OpenRosa-Version": "1.0", "X-OpenRosa-Accept-Content-Length": str(capture.MAX_SUBMISSION_BYTES)}


def _ids(request) -> list[str] | None:
    raw = request.query_params.get("ids", "").strip()
    if not raw:
        return None
    try:
        return [str(uuid.UUID(part.strip())) for part in raw.split(",") if part.strip()]
    except ValueError as exc:
        raise serializers.ValidationError({"ids": [_("Give case ids (UUIDs) separated by commas.")]}) from exc


def export_response(actor, ids, file_format: str) -> HttpResponse:
    export = exporter.export_cases(actor, ids, file_format=file_format)
    if file_format == "xlsx":
        response = HttpResponse(exporter.to_xlsx(export), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(exporter.to_json(export), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="aftercare-htcds.{file_format}"'
    response["X-Aftercare-Left-Out"] = str(export.without_consent)  # cases left out: no consent to share
    response["Cache-Control"] = "no-store"
    return response


EXPORT_IDS = OpenApiParameter("ids", str, description="case ids separated by commas; default all you may export")


class HtcdsExportView(APIView):
    """The HTCDS workbook (XLSX)."""

    file_format = "xlsx"

    @extend_schema(parameters=[EXPORT_IDS], responses={(200, XLSX_TYPE): OpenApiTypes.BINARY})
    def get(self, request):
        return export_response(api_actor(request), _ids(request), self.file_format)


class HtcdsJsonExportView(HtcdsExportView):
    """The same cases as HTCDS JSON."""

    file_format = "json"

    @extend_schema(parameters=[EXPORT_IDS], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return super().get(request)


class ReportSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    committed = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.DictField())
    not_held = serializers.ListField(child=serializers.CharField())
    not_read = serializers.ListField(child=serializers.CharField())
    possible_duplicates = serializers.IntegerField()
    case_codes = serializers.ListField(child=serializers.CharField())


def report_data(report: importer.HtcdsReport) -> dict:
    return {
        "rows": report.rows, "committed": report.committed,
        "errors": [{"line": e.line, "column": e.column, "message": e.message, "text": str(e)} for e in report.errors],
        "not_held": report.not_held, "not_read": report.not_read, "possible_duplicates": report.possible_duplicates,
        "case_codes": report.case_codes,
    }


class HtcdsImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        parameters=[OpenApiParameter("commit", bool, description="open the cases (default: a dry run)")],
        request={"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
        responses={200: ReportSerializer, 201: ReportSerializer, 400: ReportSerializer},
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.CREATE_CASE)
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": [_("Send the spreadsheet as the multipart field “file”.")]})
        kind = sheets.kind_of(upload.name)
        content = upload.read()
        commit = request.query_params.get("commit", "").lower() in ("1", "true", "yes")
        report = importer.commit_file(actor, content, kind) if commit else importer.check_file(actor, content, kind)
        code = status.HTTP_400_BAD_REQUEST if not report.ok else status.HTTP_201_CREATED if report.committed else status.HTTP_200_OK
        return Response(report_data(report), status=code)


# Field capture ---------------------------------------------------------------------------


class PathTokenAuthentication(authentication.BaseAuthentication):
    """A bearer token in the URL (`.../openrosa/key/TOKEN/submission`), for ODK Collect, which
    sends Basic or Digest credentials and no other: the server URL carries the token instead."""

    def authenticate(self, request):
        raw = (request.parser_context or {}).get("kwargs", {}).get("token")
        if raw is None:
            return None
        token = ApiToken.objects.live().select_related("user").filter(key_hash=ApiToken.hash(raw)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token in the server URL is invalid or has expired."))
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="openrosa"'


def openrosa_response(message: str, code: int, nature: str = "") -> HttpResponse:
    nature_attr = f" nature={quoteattr(nature)}" if nature else ""
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<OpenRosaResponse xmlns="{OPENROSA_NS}">'
        f"<message{nature_attr}>{escape(message)}</message></OpenRosaResponse>"
    )
    response = HttpResponse(body, status=code, content_type="text/xml; charset=utf-8")
    for header, value in OPENROSA_HEADERS.items():
        response[header] = value
    return response


class OpenRosaSubmissionView(APIView):
    """ODK Collect's submission endpoint (OpenRosa Form Submission API)."""

    authentication_classes = [PathTokenAuthentication, BearerTokenAuthentication]
    parser_classes = [MultiPartParser]
    error_media_type = "text/xml"  # its errors are OpenRosa XML (handle_exception), for the schema

    @extend_schema(responses={204: None})
    def head(self, request, token: str | None = None):
        require(api_actor(request), Action.CREATE_CASE)
        response = HttpResponse(status=status.HTTP_204_NO_CONTENT)
        for header, value in OPENROSA_HEADERS.items():
            response[header] = value
        return response

    @extend_schema(
        request={"multipart/form-data": {"type": "object", "properties": {"xml_submission_file": {"type": "string", "format": "binary"}}}},
        responses={(201, "text/xml"): OpenApiTypes.STR, (202, "text/xml"): OpenApiTypes.STR, (400, "text/xml"): OpenApiTypes.STR},
    )
    def post(self, request, token: str | None = None):
        actor = api_actor(request)
        require(actor, Action.CREATE_CASE)
        upload = request.FILES.get("xml_submission_file")
        if upload is None:
            return openrosa_response(_("No xml_submission_file in the request."), status.HTTP_400_BAD_REQUEST)
        answers = capture.parse_openrosa(upload.read())
        received = capture.receive(actor, [answers], SubmissionSource.OPENROSA)
        if received.duplicates and not received.report.case_codes:
            return openrosa_response(_("Already received: this submission opened a case before."), status.HTTP_202_ACCEPTED, "submit_success")
        if not received.ok:
            text = " ".join([_("Not received, nothing was kept:"), *capture.problems_text(received.report)])
            return openrosa_response(text, status.HTTP_400_BAD_REQUEST, "submit_error")
        codes = ", ".join(received.report.case_codes)
        return openrosa_response(_("Received: case %(codes)s opened.") % {"codes": codes}, status.HTTP_201_CREATED, "submit_success")

    def handle_exception(self, exc):
        """Errors in OpenRosa's XML, which ODK Collect shows to the person holding the phone."""
        response = super().handle_exception(exc)
        if isinstance(exc, DomainError):
            message = exc.message
        else:
            data = response.data if isinstance(response.data, dict) else {}
            message = data.get("detail") or " ".join(m for ms in data.get("errors", {}).values() for m in ms)
        xml = openrosa_response(str(message), response.status_code, "submit_error")
        if "WWW-Authenticate" in response:
            xml["WWW-Authenticate"] = response["WWW-Authenticate"]
        return xml


class KoboSubmissionView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: ReportSerializer, 200: ReportSerializer, 400: ReportSerializer})
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.CREATE_CASE)
        received = capture.receive(actor, capture.kobo_records(request.data), SubmissionSource.KOBO)
        data = {**report_data(received.report), "already_received": received.duplicates}
        if not received.ok:
            return Response(data, status=status.HTTP_400_BAD_REQUEST)
        return Response(data, status=status.HTTP_201_CREATED if received.report.committed else status.HTTP_200_OK)
