"""ODK Collect as it really connects: it reads `{server}/formList`, downloads the XForm (built by
pyxform from the standard's XLSForm) and its manifest, then probes `{server}/submission` with HEAD
and sends each filled form as a multipart POST, answering an HTTP Basic challenge with the
username and password of its server settings; an edited form is sent again under a new instance
id naming the old one (`deprecatedID`); the OpenRosa spec lets it send the body chunked."""

from __future__ import annotations

import base64
import hashlib
import io
import socket
import uuid
from xml.etree.ElementTree import Element, SubElement, tostring

import pytest
from defusedxml import ElementTree
from django.core.management import call_command
from django.test.client import ClientHandler
from django.utils import timezone
from django.utils.http import http_date
from gunicorn.config import Config
from gunicorn.http import wsgi
from gunicorn.http.parser import RequestParser
from pyxform.xls2xform import convert

from aftercare.accounts.models import ApiToken
from aftercare.accounts.roles import Role
from aftercare.cases.models import Survivor
from aftercare.interop import xform
from aftercare.interop.models import FieldSubmission
from tests.conftest import member
from tests.interop.test_capture import answers

pytestmark = pytest.mark.django_db

SERVER = "/api/v1/openrosa"
XF = "{http://www.w3.org/2002/xforms}"
LIST = "{http://openrosa.org/xforms/xformsList}"
BOUNDARY = "----CollectBoundary7MA4YWxkTrZu0gW"


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def filled(form_xml: bytes, values: dict[str, str], instance: str, deprecated: str = "") -> bytes:
    """The form's primary instance, as pyxform wrote it, with the answers filled in, as Collect
    saves it."""
    model = ElementTree.fromstring(form_xml).find(f".//{XF}model")
    template = model.find(f"{XF}instance")[0]
    root = Element(template.tag.split("}")[-1], dict(template.attrib))
    for node in template:
        name = node.tag.split("}")[-1]
        if name == "meta":
            meta = SubElement(root, "meta")
            SubElement(meta, "instanceID").text = instance
            if deprecated:
                SubElement(meta, "deprecatedID").text = deprecated
        else:
            SubElement(root, name).text = values.get(name, "")
    return b'<?xml version="1.0" ?>' + tostring(root)


def multipart(xml: bytes) -> bytes:
    return (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="xml_submission_file"; '
            'filename="instance.xml"\r\nContent-Type: text/xml\r\n\r\n'
        ).encode()
        + xml
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def collect_headers(auth: str | None) -> dict[str, str]:
    headers = {
        "HTTP_X_OPENROSA_VERSION": "1.0",
        "HTTP_DATE": http_date(),
        "HTTP_USER_AGENT": "org.odk.collect.android/v2024.3.2",
    }
    if auth:
        headers["HTTP_AUTHORIZATION"] = auth
    return headers


class Collect:
    """What the app does, against the Django test client, over HTTPS."""

    def __init__(self, client, username: str, password: str, server: str = SERVER):
        self.client, self.auth, self.server = client, basic(username, password), server

    def get(self, url: str, auth=True):
        return self.client.get(url, secure=True, **collect_headers(self.auth if auth else None))

    def form(self) -> bytes:
        listing = self.get(f"{self.server}/formList")
        assert listing.status_code == 200, listing.content
        entry = ElementTree.fromstring(listing.content).find(f"{LIST}xform")
        download = self.get(entry.find(f"{LIST}downloadUrl").text)
        assert download.status_code == 200
        assert (
            entry.find(f"{LIST}hash").text
            == "md5:" + hashlib.md5(download.content, usedforsecurity=False).hexdigest()
        )
        manifest = self.get(entry.find(f"{LIST}manifestUrl").text)
        assert manifest.status_code == 200 and len(ElementTree.fromstring(manifest.content)) == 0
        return download.content

    def submit(self, xml: bytes):
        probe = self.client.head(
            f"{self.server}/submission", secure=True, **collect_headers(self.auth)
        )
        assert probe.status_code == 204 and probe["X-OpenRosa-Version"] == "1.0"
        return self.client.generic(
            "POST",
            f"{self.server}/submission",
            multipart(xml),
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
            secure=True,
            **collect_headers(self.auth),
        )


def message(response) -> tuple[str, str]:
    node = ElementTree.fromstring(response.content).find(
        "{http://openrosa.org/http/response}message"
    )
    return node.get("nature", ""), node.text


@pytest.fixture
def device(case_worker_a):
    """A device token an administrator issued for this worker's phone (`aftercare token`)."""
    raw, _token = ApiToken.issue(case_worker_a, hours=24 * 90)
    return Collect(None, case_worker_a.username, raw)


def test_collect_is_challenged_then_lists_downloads_and_submits_the_standards_form(
    client, case_worker_a, device, org_a
):
    device.client = client
    challenge = client.get(f"{SERVER}/formList", secure=True, **collect_headers(None))
    assert challenge.status_code == 401 and challenge["WWW-Authenticate"].startswith("Basic realm=")
    assert challenge["X-OpenRosa-Version"] == "1.0"
    listing = device.get(f"{SERVER}/formList")
    assert (
        listing["Content-Type"].startswith("text/xml")
        and listing["X-OpenRosa-Version"] == "1.0"
        and listing["Date"]
    )
    entry = ElementTree.fromstring(listing.content).find(f"{LIST}xform")
    form = xform.htcds_xform()
    assert (entry.find(f"{LIST}formID").text, entry.find(f"{LIST}version").text) == (
        form.form_id,
        "vSmt4GQA3C9uBMLPEVfgND",
    )
    assert entry.find(f"{LIST}downloadUrl").text.startswith(
        "https://testserver/api/v1/openrosa/forms/"
    )

    form_xml = device.form()
    assert (
        form_xml == convert(xlsform=str(xform.XLSFORM)).xform.encode()
    )  # pyxform's own output, not a hand-made form
    response = device.submit(filled(form_xml, answers(), "uuid:first"))
    assert response.status_code == 201, response.content
    case = Survivor.objects.get(organisation=org_a)
    assert (case.given_name, case.family_name, case.gender) == ("Amani", "Fieldform", "woman")
    assert case.htcds.referring_organisation == "Coast helpline"
    assert case.htcds.incoming_referral_date.isoformat() == "2026-10-01"


def test_an_edited_form_updates_the_case_its_first_submission_opened(client, device, org_a):
    device.client = client
    form_xml = device.form()
    assert device.submit(filled(form_xml, answers(), "uuid:v1")).status_code == 201
    edited = answers(
        prs_Second_Name="Corrected",
        prs_Gender="TransgenderMasculine",
        vic_ForcedLabourIndustry="F_Construction",
    )
    response = device.submit(filled(form_xml, edited, "uuid:v2", deprecated="uuid:v1"))
    assert response.status_code == 201 and "updated" in message(response)[1]
    case = Survivor.objects.get(organisation=org_a)
    assert (
        case.family_name,
        case.gender,
        case.htcds.gender,
        case.htcds.forced_labour_industries,
    ) == ("Corrected", "transgender", "TransgenderMasculine", ["F_Construction"])
    assert set(FieldSubmission.objects.values_list("instance_id", "survivor")) == {
        ("uuid:v1", case.pk),
        ("uuid:v2", case.pk),
    }


def test_a_blank_consent_is_refused_as_a_refusal_is(client, device):
    device.client = client
    response = device.submit(filled(device.form(), answers(con_Consent=""), "uuid:blank"))
    assert response.status_code == 400 and "con_Consent" in message(response)[1]
    assert Survivor.objects.count() == 0


def test_basic_credentials_are_refused_over_plain_http(client, case_worker_a):
    raw, _token = ApiToken.issue(case_worker_a)
    response = client.get(
        f"{SERVER}/formList", HTTP_AUTHORIZATION=basic(case_worker_a.username, raw)
    )
    assert response.status_code == 401 and "HTTPS" in message(response)[1]


def test_a_staff_password_without_its_second_factor_opens_nothing(client, case_worker_a):
    case_worker_a.set_password("a long enough password 1")
    case_worker_a.save()
    response = client.get(
        f"{SERVER}/formList",
        secure=True,
        HTTP_AUTHORIZATION=basic(case_worker_a.username, "a long enough password 1"),
    )
    assert response.status_code == 401 and "second factor" in message(response)[1]


def test_a_device_account_exempt_from_two_factor_signs_in_with_its_password(client, org_a):
    phone = member(org_a, Role.CASE_WORKER)
    phone.two_factor_exempt = True
    phone.set_password("device password for the field phone")
    phone.save()
    collect = Collect(client, phone.username, "device password for the field phone")
    assert collect.get(f"{SERVER}/formList").status_code == 200
    assert Collect(client, phone.username, "wrong").get(f"{SERVER}/formList").status_code == 401


def test_a_revoked_device_token_or_another_users_name_is_refused(client, case_worker_a, org_a):
    raw, token = ApiToken.issue(case_worker_a)
    other = member(org_a, Role.CASE_WORKER)
    assert Collect(client, other.username, raw).get(f"{SERVER}/formList").status_code == 401
    token.revoked_at = timezone.now()
    token.save()
    assert Collect(client, case_worker_a.username, raw).get(f"{SERVER}/formList").status_code == 401


@pytest.mark.parametrize("role", [Role.FIELD_WORKER, Role.ME_OFFICER])
def test_roles_that_do_not_open_cases_get_no_form(client, org_a, role):
    raw, _token = ApiToken.issue(member(org_a, role))
    assert client.get(f"{SERVER}/key/{raw}/formList").status_code == 403


def test_the_token_in_the_server_url_serves_the_same_form_list(client, case_worker_a):
    raw, _token = ApiToken.issue(case_worker_a)
    listing = client.get(f"{SERVER}/key/{raw}/formList", **collect_headers(None))
    assert listing.status_code == 200
    download = ElementTree.fromstring(listing.content).find(f"{LIST}xform/{LIST}downloadUrl").text
    assert download.startswith(f"http://testserver{SERVER}/key/{raw}/forms/")
    assert client.get(download).content == xform.htcds_xform().xml


def chunked(body: bytes, size: int = 1000) -> bytes:
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    return (
        b"".join(f"{len(piece):x}\r\n".encode() + piece + b"\r\n" for piece in pieces)
        + b"0\r\n\r\n"
    )


def through_gunicorn(raw_request: bytes):
    """The request as gunicorn parses it off the wire (decoding the chunks), handed to Django."""
    config = Config()
    request = next(RequestParser(config, iter([raw_request]), ("127.0.0.1", 40000)))
    ours, theirs = socket.socketpair()
    try:
        _response, environ = wsgi.create(
            request, ours, ("127.0.0.1", 40000), ("127.0.0.1", 8000), config
        )
        return ClientHandler(enforce_csrf_checks=False)(environ)
    finally:
        ours.close()
        theirs.close()


def test_a_chunked_submission_is_read_as_gunicorn_hands_it_over(case_worker_a, org_a):
    raw, _token = ApiToken.issue(case_worker_a)
    body = multipart(filled(xform.htcds_xform().xml, answers(), f"uuid:{uuid.uuid4()}"))
    request = (
        f"POST {SERVER}/key/{raw}/submission HTTP/1.1\r\nHost: "
        f"testserver\r\nX-OpenRosa-Version: 1.0\r\nDate: {http_date()}\r\nContent-Type: "
        f"multipart/form-data; boundary={BOUNDARY}\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode() + chunked(body)
    response = through_gunicorn(request)
    assert response.status_code == 201, response.content
    assert Survivor.objects.filter(organisation=org_a).count() == 1


def test_a_chunked_body_over_the_limit_is_refused(case_worker_a):
    raw, _token = ApiToken.issue(case_worker_a)
    request = (
        f"POST {SERVER}/key/{raw}/submission HTTP/1.1\r\nHost: testserver\r\nContent-Type: "
        f"multipart/form-data; boundary={BOUNDARY}\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode() + chunked(b"x" * (3 * 1024 * 1024), size=64 * 1024)
    assert through_gunicorn(request).status_code == 413
    assert Survivor.objects.count() == 0


def test_an_administrator_revokes_a_phones_tokens_with_the_token_command(client, case_worker_a):
    out = io.StringIO()
    call_command(
        "token", case_worker_a.username, "--hours", "2000", stdout=out, stderr=io.StringIO()
    )
    raw = out.getvalue().strip()
    assert Collect(client, case_worker_a.username, raw).get(f"{SERVER}/formList").status_code == 200
    call_command("token", case_worker_a.username, "--revoke", stdout=io.StringIO())
    assert Collect(client, case_worker_a.username, raw).get(f"{SERVER}/formList").status_code == 401


def test_guessing_a_device_accounts_password_locks_it_out_as_the_sign_in_does(
    client, org_a, settings
):
    phone = member(org_a, Role.CASE_WORKER)
    phone.two_factor_exempt = True
    phone.set_password("device password for the field phone")
    phone.save()
    codes = [
        Collect(client, phone.username, f"guess {n}").get(f"{SERVER}/formList").status_code
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert codes == [401] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert (
        Collect(client, phone.username, "device password for the field phone")
        .get(f"{SERVER}/formList")
        .status_code
        == 429
    )
