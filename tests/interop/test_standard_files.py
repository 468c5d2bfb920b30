"""The standard's own files: IOM's single-select template, filled in as a partner fills it, imports;
what Aftercare holds of it comes back in an export, dates as dates and no cell as a formula; a
workbook built to blow up when unpacked is refused before it is."""

from __future__ import annotations

import datetime
import io
import time
import tracemalloc
import warnings
import zipfile

import openpyxl
import pytest

from aftercare.accounts.roles import Role
from aftercare.cases import care
from aftercare.cases.models import ConsentPurpose, Survivor
from aftercare.cases.sheets import ImportRefused
from aftercare.interop import exporter, xform
from aftercare.interop import htcds_import as importer
from tests.conftest import actor, member

pytestmark = pytest.mark.django_db

# Three cases, with the values the template's own drop-down lists offer (its labels, not codes).
CASES = [
    {
        "cas_CaseOwner": "Grace W.",
        "prs_Salutation": "Ms",
        "prs_FirstName": "Amina",
        "prs_SecondName": "Invented",
        "con_Consent": True,
        "prs_Birthdate": datetime.datetime(1998, 5, 17),
        "prs_Gender": "TransgenderFeminine",
        "prs_Citizenship": "KE",
        "prs_Email": "amina@example.org",
        "prs_MobilePhone": "+254 700 000 111",
        "prs_MailingCity": "Mombasa",
        "prs_MailingCountry": "Kenya",
        "vic_TraffickingStatus": "Actual victim of trafficking",
        "vic_TraffickinStatusDecisionMakingOrg": "NGO",
        "vic_MethodOfRecruitment": "Through friends or social events",
        "vic_LocationOfRecruitment": "Mombasa",
        "vic_MethodsOfControl": "Debt bondage ",
        "vic_TypeOfExploitation": "Forced labour",
        "vic_ForcedLabourIndustry": "Agriculture, forestry and fishing",
        "vic_LocationOfExploitation": "Oman",
        "cas_Status": "Active",
        "cas_ReferringOrganisation": "Coast Helpline",
        "cas_IncomingReferralDate": datetime.datetime(2026, 10, 1),
        "cas_ReferringPrimaryCaseWorker": "J. Otieno",
        "cas_ReasonForIncomingReferral": "Additional Services Required",
        "cas_IncomingReferralDetails": "Called the helpline from Muscat",
    },
    {
        "prs_FirstName": "Baraka",
        "prs_SecondName": "Madeup",
        "con_Consent": True,
        "prs_Gender": "Masculine",
        "prs_Citizenship": "UG",
        "vic_MethodsOfControl": "Psychological abuse",
        "vic_TypeOfExploitation": "Child labour",
        "vic_ForcedLabourIndustry": "Water supply; sewerage, waste management and remediation",
        "cas_Status": "Follow up",
    },
    {
        "prs_FirstName": "Chausiku",
        "con_Consent": True,
        "prs_Gender": "Feminine",
        "prs_Citizenship": "TZ",
        "vic_TypeOfExploitation": "Sexual exploitation",
        "vic_TypeOfSexExploitation": "Remote Interactive Services",
        "cas_Status": "Closed",
        "cas_ReasonForCaseClosure": "Moved abroad to live with her sister",
    },
]


def filled_template(cases=CASES) -> bytes:
    """IOM's blank template, as published, with the cases typed into the rows under its labels."""
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # openpyxl drops the template's data-validation extension, and says so
        book = openpyxl.load_workbook(xform.TEMPLATE)
    sheet = book.worksheets[0]
    columns = {cell.value: cell.column for cell in sheet[1] if cell.value}
    for row, case in enumerate(cases, start=3):
        for name, value in case.items():
            sheet.cell(row=row, column=columns[name], value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_blank_template_has_a_thousand_numbered_rows_and_no_cases(worker):
    report = importer.check_file(worker, filled_template([]), "xlsx")
    assert report.rows == 0 and report.errors == []


def test_iom_template_filled_with_three_cases_imports(worker):
    content = filled_template()
    report = importer.check_file(worker, content, "xlsx")
    assert report.ok, [str(e) for e in report.errors]
    assert report.rows == 3
    assert report.passed_over == ["column A (no header)"]
    assert {
        "cas_CaseOwner",
        "prs_Salutation",
        "prs_Email",
        "vic_TraffickingStatus",
        "vic_TraffickinStatusDecisionMakingOrg",
        "vic_MethodOfRecruitment",
        "cas_ReferringPrimaryCaseWorker",
    } <= set(report.not_held)
    assert report.folded == [
        "vic_MethodsOfControl: Psychological abuse → Other",
        "vic_TypeOfExploitation: Child labour → ForcedLabour",
    ]

    done = importer.commit_file(worker, content, "xlsx")
    assert done.committed and Survivor.objects.count() == 3
    amina, baraka, chausiku = (Survivor.objects.get(case_code=code) for code in done.case_codes)
    assert (amina.gender, amina.htcds.gender, amina.date_of_birth) == (
        "transgender",
        "TransgenderFeminine",
        datetime.date(1998, 5, 17),
    )
    assert amina.address == "Mombasa, Kenya" and amina.exploitation_types == ["labour"]
    assert amina.htcds.forced_labour_industries == ["A_AgricultureForestryAndFishing"]
    assert (
        amina.htcds.referring_organisation,
        amina.htcds.incoming_referral_date,
        amina.htcds.incoming_referral_reason,
        amina.htcds.incoming_referral_details,
    ) == (
        "Coast Helpline",
        datetime.date(2026, 10, 1),
        "Additional Services Required",
        "Called the helpline from Muscat",
    )
    assert (baraka.status, baraka.htcds.forced_labour_industries) == (
        "stable",
        ["E_WaterSupplySewerageWasteManagement"],
    )
    assert (chausiku.status, chausiku.closure_reason, chausiku.htcds.closure_reason_text) == (
        "closed",
        "other",
        "Moved abroad to live with her sister",
    )
    assert chausiku.htcds.sex_exploitation_types == ["RemoteInteractiveServices"]


def test_what_is_held_comes_back_in_the_export_with_dates_as_dates(worker, org_a):
    report = importer.commit_file(worker, filled_template(), "xlsx")
    supervisor = actor(member(org_a, Role.SUPERVISOR))
    for survivor in Survivor.objects.all():
        care.record_consent(
            worker, survivor, purpose=ConsentPurpose.REFERRAL, granted=True, method="written"
        )
    book = openpyxl.load_workbook(io.BytesIO(exporter.to_xlsx(exporter.export_cases(supervisor))))
    sheet = book["Cases"]
    names = [cell.value for cell in sheet[1]]
    rows = {
        row[names.index("aft_CaseCode")].value: dict(zip(names, row, strict=True))
        for row in sheet.iter_rows(min_row=3)
    }
    amina, baraka, chausiku = (rows[code] for code in report.case_codes)
    assert (
        amina["prs_Gender"].value == "TransgenderFeminine"
        and amina["vic_ForcedLabourIndustry"].value == "A_AgricultureForestryAndFishing"
    )
    assert [
        amina[name].value
        for name in (
            "cas_ReferringOrganisation",
            "cas_ReasonForIncomingReferral",
            "cas_IncomingReferralDetails",
        )
    ] == ["Coast Helpline", "Additional Services Required", "Called the helpline from Muscat"]
    for cell in (amina["prs_Birthdate"], amina["cas_IncomingReferralDate"]):
        assert cell.is_date and isinstance(cell.value, datetime.datetime)  # a date cell, not text
    assert amina["cas_IncomingReferralDate"].value == datetime.datetime(2026, 10, 1)
    assert baraka["vic_TypeOfExploitation"].value == "ForcedLabour"
    assert (
        chausiku["cas_ReasonForCaseClosure"].value,
        chausiku["vic_TypeOfSexExploitation"].value,
    ) == ("Moved abroad to live with her sister", "RemoteInteractiveServices")


def shared_strings_bomb() -> bytes:
    """A small .xlsx whose shared strings unpack to about 98 MB: one cell, one enormous text."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types '
            'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook '
            'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Cases" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/sharedStrings.xml", "w") as strings:
            strings.write(
                b'<?xml version="1.0" encoding="UTF-8"?><sst '
                b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                b'count="1" uniqueCount="1"><si><t>'
            )
            block = b"prs_FirstName " * 4096
            for _ in range(98 * 1024 * 1024 // len(block)):
                strings.write(block)
            strings.write(b"</t></si></sst>")
    return out.getvalue()


def test_a_workbook_whose_shared_strings_unpack_to_98_mb_is_refused_at_once(worker):
    bomb = shared_strings_bomb()
    assert len(bomb) < 400 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size > 95 * 1024 * 1024
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ImportRefused):
            importer.check_file(worker, bomb, "xlsx")
        elapsed = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 3 and peak < 20 * 1024 * 1024, (elapsed, peak)


def test_a_cell_longer_than_a_spreadsheet_cell_refuses_the_file(worker):
    csv = ("prs_FirstName,cas_IncomingReferralDetails\nAmina," + "x" * 40_000 + "\n").encode()
    with pytest.raises(ImportRefused):
        importer.check_file(worker, csv, "csv")


def test_the_import_page_lists_what_is_passed_over_and_folded(web_login, org_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = web_login(member(org_a, Role.CASE_WORKER))
    page = client.post(
        "/interop/htcds/import/", {"file": SimpleUploadedFile("iom.xlsx", filled_template())}
    )
    assert page.status_code == 200 and page.context["report"].ok
    html = page.content.decode()
    assert "column A (no header)" in html and "cas_CaseOwner" in html
    assert "vic_TypeOfExploitation: Child labour → ForcedLabour" in html


def test_the_api_dry_run_answers_with_what_is_passed_over_and_folded(api, org_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api.as_user(member(org_a, Role.CASE_WORKER))
    response = client.post(
        "/api/v1/imports/htcds",
        {"file": SimpleUploadedFile("iom.xlsx", filled_template())},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["rows"] == 3 and body["passed_over"] == ["column A (no header)"]
    assert (
        "vic_MethodsOfControl: Psychological abuse → Other" in body["folded"]
        and "cas_CaseOwner" in body["not_held"]
    )
