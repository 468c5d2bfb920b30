"""API: the HTCDS export, the spreadsheet import, and field capture from ODK and Kobo.

GET  /api/v1/exports/htcds.xlsx[?ids=ID,ID]   supervisors and admins
GET  /api/v1/exports/htcds.json[?ids=ID,ID]
POST /api/v1/imports/htcds[?commit=true]     multipart `file` (.xlsx or .csv); a dry run unless
commit
{server}/formList, {server}/forms/ID.xml, {server}/forms/ID/manifest, HEAD|POST {server}/submission
    ODK Collect (OpenRosa), where {server} is /api/v1/openrosa (HTTP Basic over HTTPS, or a
    bearer token) or /api/v1/openrosa/key/TOKEN
POST /api/v1/htcds/kobo                      a Kobo submission, a list, or Kobo's JSON export
"""

from __future__ import annotations

import base64
import binascii
import io
import uuid
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.handlers.wsgi import LimitedStream
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import authentication, exceptions, serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts.authentication import BearerTokenAuthentication
from aftercare.accounts.models import ApiToken
from aftercare.accounts.policy import Action, require
from aftercare.cases import sheets
from aftercare.core.api import api_actor
from aftercare.core.errors import DomainError
from aftercare.interop import exporter, submissions, xform
from aftercare.interop import htcds_import as importer
from aftercare.interop.models import SubmissionSource
from aftercare.interop.serializers import ReportSerializer

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPENROSA_NS = "http://openrosa.org/http/response"
FORM_LIST_NS = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS = "http://openrosa.org/xforms/xformsManifest"
OPENROSA_HEADERS = {
    "X-OpenRosa-Version": "1.0",
    "X-OpenRosa-Accept-Content-Length": str(submissions.MAX_SUBMISSION_BYTES),
}
MAX_REQUEST_BYTES = (
    2 * submissions.MAX_SUBMISSION_BYTES
)  # the submission, and the multipart around it


def _ids(request) -> list[str] | None:
    raw = request.query_params.get("ids", "").strip()
    if not raw:
        return None
    try:
        return [str(uuid.UUID(part.strip())) for part in raw.split(",") if part.strip()]
    except ValueError as exc:
        raise serializers.ValidationError(
            {"ids": [_("Give case ids (UUIDs) separated by commas.")]}
        ) from exc


def export_response(actor, ids, file_format: str) -> HttpResponse:
    export = exporter.export_cases(actor, ids, file_format=file_format)
    if file_format == "xlsx":
        response = HttpResponse(exporter.to_xlsx(export), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(exporter.to_json(export), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="aftercare-htcds.{file_format}"'
    response["X-Aftercare-Left-Out"] = str(
        export.without_consent
    )  # cases left out: no consent to share
    response["Cache-Control"] = "no-store"
    return response


EXPORT_IDS = OpenApiParameter(
    "ids", str, description="case ids separated by commas; default all you may export"
)


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


def report_data(report: importer.HtcdsReport) -> dict:
    return {
        "rows": report.rows,
        "committed": report.committed,
        "errors": [
            {"line": e.line, "column": e.column, "message": e.message, "text": str(e)}
            for e in report.errors
        ],
        "not_held": report.not_held,
        "not_read": report.not_read,
        "passed_over": report.passed_over,
        "folded": report.folded,
        "possible_duplicates": report.possible_duplicates,
        "case_codes": report.case_codes,
    }


class HtcdsImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        parameters=[
            OpenApiParameter("commit", bool, description="open the cases (default: a dry run)")
        ],
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses={200: ReportSerializer, 201: ReportSerializer, 400: ReportSerializer},
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.CREATE_CASE)
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError(
                {"file": [_("Send the spreadsheet as the multipart field “file”.")]}
            )
        kind = sheets.kind_of(upload.name)
        content = upload.read()
        commit = request.query_params.get("commit", "").lower() in ("1", "true", "yes")
        report = (
            importer.commit_file(actor, content, kind)
            if commit
            else importer.check_file(actor, content, kind)
        )
        code = (
            status.HTTP_400_BAD_REQUEST
            if not report.ok
            else status.HTTP_201_CREATED
            if report.committed
            else status.HTTP_200_OK
        )
        return Response(report_data(report), status=code)


# Field capture ---------------------------------------------------------------------------


class PathTokenAuthentication(authentication.BaseAuthentication):
    """A bearer token in the server URL (`/api/v1/openrosa/key/TOKEN`), for a device set up
    with a URL alone."""

    def authenticate(self, request):
        raw = (request.parser_context or {}).get("kwargs", {}).get("token")
        if raw is None:
            return None
        token = (
            ApiToken.objects.live()
            .select_related("user")
            .filter(key_hash=ApiToken.hash(raw))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("The token in the server URL is invalid or has expired.")
            )
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="openrosa"'


class OpenRosaBasicAuthentication(authentication.BaseAuthentication):
    """HTTP Basic, over HTTPS only, as ODK Collect sends the username and password of its server
    settings. The password is a device token of that user (`aftercare token USERNAME --hours N`,
    withdrawn with `--revoke`), or the password of an account exempt from two-factor sign-in
    (a device account): a staff password alone, without its second factor, opens nothing.
    Digest is not offered: it needs the password (or a hash made for it) kept on the server,
    and Aftercare keeps only Argon2 hashes."""

    realm = "Aftercare OpenRosa"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"basic":
            return None
        if not (request.is_secure() or settings.DEBUG):
            raise exceptions.AuthenticationFailed(
                _("A username and password are taken over HTTPS only: use an https:// server URL.")
            )
        try:
            username, colon, password = (
                base64.b64decode(parts[1], validate=True).decode("utf-8").partition(":")
            )
        except (IndexError, ValueError, binascii.Error) as exc:
            raise exceptions.AuthenticationFailed(
                _("The Basic credentials cannot be read.")
            ) from exc
        if len(parts) != 2 or not colon:
            raise exceptions.AuthenticationFailed(_("The Basic credentials cannot be read."))
        token = (
            ApiToken.objects.live()
            .select_related("user")
            .filter(key_hash=ApiToken.hash(password), user__username=username)
            .first()
        )
        if token is not None and token.user.is_active:
            return token.user, token
        user = authenticate(request._request, username=username, password=password)
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(_("Wrong username or password."))
        if user.needs_two_factor:
            raise exceptions.AuthenticationFailed(
                _(
                    "This account signs in with a second factor, which a phone's form app "
                    "cannot give: use a device token as the password (ask your administrator)."
                )
            )
        return user, None

    def authenticate_header(self, request):
        return f'Basic realm="{self.realm}", charset="UTF-8"'


def openrosa_response(message: str, code: int, nature: str = "") -> HttpResponse:
    nature_attr = f" nature={quoteattr(nature)}" if nature else ""
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<OpenRosaResponse xmlns="{OPENROSA_NS}">'
        f"<message{nature_attr}>{escape(message)}</message></OpenRosaResponse>"
    )
    return HttpResponse(body, status=code, content_type="text/xml; charset=utf-8")


def read_chunked_body(request) -> HttpResponse | None:
    """Take in a body sent with `Transfer-Encoding: chunked`, as the OpenRosa spec lets Collect
    send.

    The server (gunicorn) decodes the chunks and says so (`wsgi.input_terminated`), but sets no
    Content-Length, so Django would read an empty body: it is read here, up to the limit, and
    given to Django with its length. A server that passes the chunks on undecoded is not used.
    """
    meta = request.META
    if "chunked" not in meta.get("HTTP_TRANSFER_ENCODING", "").lower() or meta.get(
        "CONTENT_LENGTH"
    ):
        return None
    if not meta.get("wsgi.input_terminated"):
        return openrosa_response(
            _("Send the submission with a Content-Length."),
            status.HTTP_411_LENGTH_REQUIRED,
            "submit_error",
        )
    body = meta["wsgi.input"].read(MAX_REQUEST_BYTES + 1)
    if len(body) > MAX_REQUEST_BYTES:
        return openrosa_response(
            _("The submission is larger than 1 MB."),
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            "submit_error",
        )
    meta["CONTENT_LENGTH"] = str(len(body))
    request._stream = LimitedStream(io.BytesIO(body), len(body))
    return None


class OpenRosaView(APIView):
    """What ODK Collect finds under a server URL: `/api/v1/openrosa` (HTTP Basic, or a bearer
    token) or `/api/v1/openrosa/key/TOKEN`. Every answer carries the OpenRosa headers; errors are
    OpenRosa's XML, which Collect shows to the person holding the phone."""

    authentication_classes = [
        OpenRosaBasicAuthentication,
        PathTokenAuthentication,
        BearerTokenAuthentication,
    ]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for header, value in OPENROSA_HEADERS.items():
            response[header] = value
        response["Date"] = http_date()
        return response

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(exc, DomainError):
            message = exc.message
        else:
            data = response.data if isinstance(response.data, dict) else {}
            message = data.get("detail") or " ".join(
                m for ms in data.get("errors", {}).values() for m in ms
            )
        xml = openrosa_response(str(message), response.status_code, "submit_error")
        if (
            response.status_code == status.HTTP_401_UNAUTHORIZED
        ):  # the challenge Collect answers with its username and password
            xml["WWW-Authenticate"] = self.get_authenticate_header(self.request)
        return xml

    def server_url(self, request, name: str, **kwargs) -> str:
        token = self.kwargs.get("token")
        if token is not None:
            return request.build_absolute_uri(
                reverse(f"api:openrosa-key-{name}", kwargs={"token": token, **kwargs})
            )
        return request.build_absolute_uri(reverse(f"api:openrosa-{name}", kwargs=kwargs))


def _xml(body: bytes | str) -> HttpResponse:
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


class OpenRosaFormListView(OpenRosaView):
    """The OpenRosa Form List API: the HTCDS form, with its version and hash."""

    @extend_schema(
        parameters=[OpenApiParameter("formID", str)],
        responses={(200, "text/xml"): OpenApiTypes.STR},
    )
    def get(self, request, token: str | None = None):
        require(api_actor(request), Action.CREATE_CASE)
        form = xform.htcds_xform()
        wanted = request.query_params.get("formID")
        entries = ""
        if wanted in (None, "", form.form_id):
            entries = (
                f"<xform><formID>{escape(form.form_id)}</formID><name>{escape(form.title)}</name>"
                f"<version>{escape(form.version)}</version><hash>{form.hash}</hash>"
                f"<descriptionText>{escape(_('HTCDS 2.0 case: opens a case in Aftercare.'))}"
                "</descriptionText>"
                f"<downloadUrl>{escape(self.server_url(request, 'form', form_id=form.form_id))}"
                "</downloadUrl>"
                f"<manifestUrl>{escape(self.server_url(request, 'manifest', form_id=form.form_id))}"
                "</manifestUrl></xform>"
            )
        return _xml(
            '<?xml version="1.0" encoding="UTF-8"?>\n<xforms '
            f'xmlns="{FORM_LIST_NS}">{entries}</xforms>'
        )


class OpenRosaFormView(OpenRosaView):
    """The XForm itself, as pyxform builds it from the standard's XLSForm."""

    @extend_schema(responses={(200, "text/xml"): OpenApiTypes.STR})
    def get(self, request, form_id: str, token: str | None = None):
        require(api_actor(request), Action.CREATE_CASE)
        form = xform.htcds_xform()
        if form_id != form.form_id:
            raise Http404
        return _xml(form.xml)


class OpenRosaManifestView(OpenRosaView):
    """The form's manifest: the HTCDS form has no media files, so it lists none."""

    @extend_schema(responses={(200, "text/xml"): OpenApiTypes.STR})
    def get(self, request, form_id: str, token: str | None = None):
        require(api_actor(request), Action.CREATE_CASE)
        if form_id != xform.htcds_xform().form_id:
            raise Http404
        return _xml(f'<?xml version="1.0" encoding="UTF-8"?>\n<manifest xmlns="{MANIFEST_NS}"/>')


class OpenRosaSubmissionView(OpenRosaView):
    """ODK Collect's submission endpoint (OpenRosa Form Submission API)."""

    parser_classes = [MultiPartParser]
    error_media_type = "text/xml"  # its errors are OpenRosa XML (handle_exception), for the schema

    def dispatch(self, request, *args, **kwargs):
        refused = read_chunked_body(request) if request.method == "POST" else None
        if refused is not None:
            for header, value in OPENROSA_HEADERS.items():
                refused[header] = value
            return refused
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(responses={204: None})
    def head(self, request, token: str | None = None):
        require(api_actor(request), Action.CREATE_CASE)
        return HttpResponse(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"xml_submission_file": {"type": "string", "format": "binary"}},
            }
        },
        responses={
            (201, "text/xml"): OpenApiTypes.STR,
            (202, "text/xml"): OpenApiTypes.STR,
            (400, "text/xml"): OpenApiTypes.STR,
        },
    )
    def post(self, request, token: str | None = None):
        actor = api_actor(request)
        require(actor, Action.CREATE_CASE)
        upload = request.FILES.get("xml_submission_file")
        if upload is None:
            return openrosa_response(
                _("No xml_submission_file in the request."),
                status.HTTP_400_BAD_REQUEST,
                "submit_error",
            )
        answers = submissions.parse_openrosa(upload.read())
        received = submissions.receive(actor, [answers], SubmissionSource.OPENROSA)
        if received.duplicates and not received.report.case_codes:
            return openrosa_response(
                _("Already received: this submission opened a case before."),
                status.HTTP_202_ACCEPTED,
                "submit_success",
            )
        if not received.ok:
            text = " ".join(
                [_("Not received, nothing was kept:"), *submissions.problems_text(received.report)]
            )
            return openrosa_response(text, status.HTTP_400_BAD_REQUEST, "submit_error")
        codes = ", ".join(received.report.case_codes)
        if received.updated:
            return openrosa_response(
                _("Received: case %(codes)s updated.") % {"codes": codes},
                status.HTTP_201_CREATED,
                "submit_success",
            )
        return openrosa_response(
            _("Received: case %(codes)s opened.") % {"codes": codes},
            status.HTTP_201_CREATED,
            "submit_success",
        )


class KoboSubmissionView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={201: ReportSerializer, 200: ReportSerializer, 400: ReportSerializer},
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.CREATE_CASE)
        received = submissions.receive(
            actor, submissions.kobo_records(request.data), SubmissionSource.KOBO
        )
        data = {**report_data(received.report), "already_received": received.duplicates}
        if not received.ok:
            return Response(data, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            data,
            status=status.HTTP_201_CREATED if received.report.committed else status.HTTP_200_OK,
        )
