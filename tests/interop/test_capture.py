"""Field capture: submissions of the standard's XLSForm from ODK Collect (OpenRosa XML) and Kobo
(JSON)."""

from __future__ import annotations

import uuid

import openpyxl
import pytest
from defusedxml import ElementTree
from django.core.files.uploadedfile import SimpleUploadedFile

from aftercare.accounts.models import ApiToken
from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditEvent
from aftercare.cases.models import Survivor
from aftercare.interop import xform
from aftercare.interop.models import FieldSubmission
from tests.conftest import member

pytestmark = pytest.mark.django_db

XLSFORM = xform.XLSFORM  # the standard's own file, vendored with the code
# What a field worker typed into the form's text and date questions; the choices come from the form.
TYPED = {
    "prs_Salutation": "Ms",
    "prs_First_Name": "Amani",
    "prs_Second_Name": "Fieldform",
    "prs_Birthdate": "1996-04-12",
    "prs_Title": "",
    "prs_Email": "",
    "prs_HomePhone": "",
    "prs_MobilePhone": "+254 700 123 456",
    "prs_MailingCity": "Malindi",
    "prs_MailingCountry": "Kenya",
    "prs_MailingState": "Kilifi County",
    "prs_MailingStreet": "Invented Lane 4",
    "prs_MailingPostalCode": "80200",
    "vic_LocationOfRecruitment": "Kilifi town",
    "vic_LocationOfExploitation": "Oman",
    "cas_ReferringOrganisation": "Coast helpline",
    "cas_IncomingReferralDate": "2026-10-01",
    "cas_ReferringPrimaryCaseWorker": "",
    "cas_ReasonForIncomingReferral": "",
    "cas_IncomingReferralDetails": "",
}
CHOSEN = {
    "prs_Gender": "Feminine",
    "prs_Citizenship": "KE",
    "cas_Status": "Active",
    "con_Consent": "TRUE",
}


def the_form() -> tuple[list[tuple[str, str]], dict[str, list[str]], str]:
    """The XLSForm's questions (type, name), its choice lists and its version, read from the
    standard's file."""
    book = openpyxl.load_workbook(XLSFORM, read_only=True)
    questions = [
        (row[0], row[1]) for row in book["survey"].iter_rows(min_row=2, values_only=True) if row[1]
    ]
    choices: dict[str, list[str]] = {}
    for list_name, name, _label in book["choices"].iter_rows(min_row=2, values_only=True):
        if list_name:
            choices.setdefault(list_name, []).append(str(name).strip())
    version = next(row[0] for row in book["settings"].iter_rows(min_row=2, values_only=True))
    return questions, choices, version


def answers(**changes) -> dict[str, str]:
    """An answer to every question of the form: every choice of each multiple choice, as a form
    allows."""
    questions, choices, version = the_form()
    result = {}
    for kind, name in questions:
        if kind in ("start", "end"):
            result[name] = "2026-11-20T09:15:00.000+03:00"
        elif kind == "calculate":
            result[name] = version
        elif kind.startswith("select_one "):
            result[name] = CHOSEN.get(name) or choices[kind.split()[1]][0]
        elif kind.startswith("select_multiple "):
            result[name] = " ".join(choices[kind.split()[1]])
        else:
            result[name] = TYPED[name]
    return {**result, **changes}


def instance_xml(values: dict[str, str], instance: str) -> bytes:
    """The instance document ODK Collect submits for this form (root `data`, as pyxform names
    it)."""
    _questions, _choices, version = the_form()
    body = "".join(f"<{name}>{value}</{name}>" for name, value in values.items())
    return (
        '<?xml version="1.0" ?><data xmlns:jr="http://openrosa.org/javarosa" '
        'xmlns:orx="http://openrosa.org/xforms" id="htcds_xlsform" '
        f'version="{version}">{body}<meta><instanceID>{instance}</instanceID></meta></data>'
    ).encode()


def submit(client, xml: bytes, path="/api/v1/openrosa/submission"):
    upload = SimpleUploadedFile("instance.xml", xml, content_type="text/xml")
    return client.post(path, {"xml_submission_file": upload}, HTTP_X_OPENROSA_VERSION="1.0")


def message(response) -> tuple[str, str]:
    root = ElementTree.fromstring(response.content)
    node = root.find("{http://openrosa.org/http/response}message")
    return node.get("nature", ""), node.text


def test_an_odk_submission_of_the_standards_form_opens_a_case(api, case_worker_a, org_a):
    instance = f"uuid:{uuid.uuid4()}"
    response = submit(api.as_user(case_worker_a), instance_xml(answers(), instance))
    assert response.status_code == 201, response.content
    assert response["X-OpenRosa-Version"] == "1.0" and response["Content-Type"].startswith(
        "text/xml"
    )
    nature, text = message(response)
    case = Survivor.objects.get(organisation=org_a)
    assert nature == "submit_success" and case.case_code in text
    assert (
        case.given_name,
        case.family_name,
        case.gender,
        case.nationality,
        case.year_of_birth,
    ) == ("Amani", "Fieldform", "woman", "KE", 1996)
    assert case.address == "Invented Lane 4, Malindi, Kilifi County, 80200, Kenya"
    assert case.country_of_exploitation == "OM"
    assert set(case.exploitation_types) == {
        "labour",
        "sexual",
        "forced_marriage",
        "domestic_servitude",
        "organ_removal",
        "other",
    }
    assert "debt_bondage" in case.means_of_control and "threats_to_family" in case.means_of_control
    assert case.trafficking_events.get().place == "Kilifi town"
    consent = case.consents.get()
    assert (consent.purpose, consent.granted, consent.method) == (
        "service_delivery",
        True,
        "verbal",
    )
    assert FieldSubmission.objects.get().instance_id == instance
    assert AuditEvent.objects.filter(
        object_type="interop.htcds_import", actor_username=case_worker_a.username
    ).exists()


def test_a_resent_submission_opens_no_second_case(api, case_worker_a):
    client, xml = api.as_user(case_worker_a), instance_xml(answers(), "uuid:resent")
    assert submit(client, xml).status_code == 201
    again = submit(client, xml)
    assert again.status_code == 202 and message(again)[0] == "submit_success"
    assert Survivor.objects.count() == 1


def test_a_submission_without_consent_is_refused_and_nothing_is_kept(api, case_worker_a):
    response = submit(
        api.as_user(case_worker_a),
        instance_xml(answers(con_Consent="FALSE", prs_Gender="Feminin"), "uuid:no"),
    )
    assert response.status_code == 400
    nature, text = message(response)
    assert nature == "submit_error" and "con_Consent" in text and 'column "prs_Gender"' in text
    assert (Survivor.objects.count(), FieldSubmission.objects.count()) == (0, 0)


def test_xml_with_entities_is_refused_unparsed(api, case_worker_a):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE data [<!ENTITY a '
        b'"aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<data><prs_First_Name>&b;</prs_First_Name></data>"
    )
    response = submit(api.as_user(case_worker_a), bomb)
    assert response.status_code == 400 and Survivor.objects.count() == 0


def test_odk_collect_can_carry_the_token_in_the_server_url(client, case_worker_a):
    raw, _token = ApiToken.issue(case_worker_a)
    path = f"/api/v1/openrosa/key/{raw}/submission"
    probe = client.head(path)
    assert probe.status_code == 204 and probe["X-OpenRosa-Accept-Content-Length"]
    assert submit(client, instance_xml(answers(), "uuid:collect"), path).status_code == 201
    refused = submit(
        client, instance_xml(answers(), "uuid:other"), "/api/v1/openrosa/key/ac_wrong/submission"
    )
    assert refused.status_code == 401 and message(refused)[0] == "submit_error"


@pytest.mark.parametrize(
    "role", [Role.ME_OFFICER, Role.REFERRAL_SOURCE, Role.ADMIN, Role.SURVIVOR, Role.FIELD_WORKER]
)
def test_roles_that_do_not_open_cases_may_not_submit(api, org_a, role):
    client = api.as_user(member(org_a, role))
    assert submit(client, instance_xml(answers(), "uuid:x")).status_code == 403
    assert (
        client.post("/api/v1/htcds/kobo", kobo_record("uuid:y"), format="json").status_code == 403
    )
    assert Survivor.objects.count() == 0


def kobo_record(instance: str, **changes) -> dict:
    """A record as Kobo's API exports it: the form's answers under their names, and Kobo's own
    keys."""
    return {
        "_id": 1042,
        "formhub/uuid": "0c7f9e",
        "__version__": "vSmt4GQA3C9uBMLPEVfgND",
        "meta/instanceID": instance,
        "_uuid": instance.removeprefix("uuid:"),
        "_submission_time": "2026-11-20T06:20:11",
        "_attachments": [],
        "_geolocation": [None, None],
        "_tags": [],
        "_notes": [],
        "_validation_status": {},
        "_status": "submitted_via_web",
        "_xform_id_string": "aWr5LmQk8",
        "_submitted_by": None,
        **answers(**changes),
    }


def test_a_kobo_record_opens_a_case_in_the_callers_organisation(
    api, case_worker_a, org_a, case_worker_b, org_b
):
    response = api.as_user(case_worker_a).post(
        "/api/v1/htcds/kobo", kobo_record("uuid:k1"), format="json"
    )
    assert response.status_code == 201, response.json()
    assert Survivor.objects.get(case_code=response.json()["case_codes"][0]).organisation == org_a
    other = api.as_user(case_worker_b).post(
        "/api/v1/htcds/kobo", kobo_record("uuid:k1"), format="json"
    )
    assert (
        other.status_code == 201
    )  # the same instance id in another organisation is its own business
    assert Survivor.objects.filter(organisation=org_b).count() == 1


def test_a_kobo_export_is_opened_all_or_none_and_resends_are_listed(api, case_worker_a):
    client = api.as_user(case_worker_a)
    assert (
        client.post("/api/v1/htcds/kobo", kobo_record("uuid:k1"), format="json").status_code == 201
    )
    bad = {
        "count": 3,
        "results": [
            kobo_record("uuid:k1"),
            kobo_record("uuid:k2"),
            kobo_record("uuid:k3", cas_Status="Pending"),
        ],
    }
    refused = client.post("/api/v1/htcds/kobo", bad, format="json")
    assert refused.status_code == 400 and Survivor.objects.count() == 1
    assert [e["column"] for e in refused.json()["errors"]] == ["cas_Status"]
    good = {
        "count": 3,
        "results": [kobo_record("uuid:k1"), kobo_record("uuid:k2"), kobo_record("uuid:k3")],
    }
    done = client.post("/api/v1/htcds/kobo", good, format="json")
    assert done.status_code == 201 and done.json()["already_received"] == ["uuid:k1"]
    assert Survivor.objects.count() == 3
