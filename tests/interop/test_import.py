"""Importing HTCDS spreadsheets: every unmappable value reported by row and column, then all or
nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest

from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditEvent
from aftercare.cases.models import Consent, Goal, Survivor, TraffickingEvent
from aftercare.interop import htcds_import as importer
from tests.conftest import member

pytestmark = pytest.mark.django_db

HEADERS = [
    "prs_FirstName",
    "prs_SecondName",
    "prs_Gender",
    "prs_Nationality",
    "vic_TypeOfExploitation",
    "vic_MethodsOfControl",
    "cas_Status",
    "con_Consent",
]
LABELS = [
    "First Name",
    "Second Name",
    "Gender",
    "Citizenship",
    "Type of Exploitation",
    "Methods of Control",
    "Status",
    "Consent",
]
GOOD = [
    [
        "Zawadi",
        "Invented",
        "Feminine",
        "KE",
        "ForcedLabour; Servitude",
        "DebtBondage",
        "Active",
        "TRUE",
    ],
    [
        "Ravi",
        "Madeup",
        "Masculine",
        "India",
        "Sexual exploitation",
        "Threats;PsychologicalAbuse",
        "FollowUp",
        "Yes",
    ],
]


def workbook(rows, headers=HEADERS, labels=LABELS, extra=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cases"
    sheet.append(headers)
    if labels:
        sheet.append(labels)
    for row in rows:
        sheet.append(row)
    for title, sheet_rows in (extra or {}).items():
        other = book.create_sheet(title)
        for row in sheet_rows:
            other.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def written() -> tuple[int, ...]:
    return (
        Survivor.objects.count(),
        Consent.objects.count(),
        Goal.objects.count(),
        TraffickingEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_good_file_is_imported_with_its_label_row_skipped(worker):
    report = importer.commit_file(worker, workbook(GOOD), "xlsx")
    assert report.ok and report.committed and report.rows == 2
    ravi = Survivor.objects.get(case_code=report.case_codes[1])
    assert (ravi.gender, ravi.nationality, ravi.status) == ("man", "IN", "stable")
    assert ravi.means_of_control == [
        "other",
        "threats",
    ]  # PsychologicalAbuse: Aftercare has no code of its own
    assert ravi.consents.get().purpose == "service_delivery"


def test_the_dry_run_reports_every_unmappable_value_by_row_and_column(worker):
    rows = [
        [
            "Asha",
            "",
            "Female-ish",
            "Atlantis",
            "ForcedLabour; Smuggling",
            "DebtBondage",
            "Active",
            "TRUE",
        ],
        ["", "Nobody", "Feminine", "KE", "", "", "Open", "maybe"],
    ]
    before = written()
    report = importer.check_file(worker, workbook(rows), "xlsx")
    assert written() == before
    errors = {(e.line, e.column) for e in report.errors}
    assert {
        (3, "prs_Gender"),
        (3, "prs_Nationality"),
        (3, "vic_TypeOfExploitation"),
        (4, "prs_FirstName"),
        (4, "cas_Status"),
        (4, "con_Consent"),
    } <= errors
    assert (
        'line 3, column "vic_TypeOfExploitation": “Smuggling” is not a value this column takes'
        in "\n".join(map(str, report.errors))
    )


def test_a_bad_spreadsheet_is_refused_with_nothing_written(worker):
    rows = [
        *GOOD,
        ["Mina", "Example", "Feminine", "NP", "ForcedLabour", "", "Closed", "TRUE"],
    ]  # closed, no reason
    before = written()
    report = importer.commit_file(worker, workbook(rows), "xlsx")
    assert not report.committed
    assert [(e.line, e.column) for e in report.errors] == [(5, "cas_Status")]
    assert written() == before


def test_a_rule_only_intake_checks_rolls_the_whole_file_back(worker, org_a, monkeypatch):
    from aftercare.cases import services
    from aftercare.core.errors import DomainError

    real = services.intake_survivor
    calls = []

    def refuse_second(actor_, data):
        calls.append(data["given_name"])
        if len(calls) == 2:
            raise DomainError("refused by intake")
        return real(actor_, data)

    monkeypatch.setattr(services, "intake_survivor", refuse_second)
    before = written()
    report = importer.commit_file(worker, workbook(GOOD), "xlsx")
    assert not report.committed and report.errors[0].line == 4
    assert written() == before


def test_unknown_columns_and_fields_not_held_are_passed_over_and_listed(worker):
    headers = [*HEADERS, "prs_Email", "vic_TraffickingStatus", "Favourite colour"]
    report = importer.check_file(
        worker,
        workbook(
            [[*GOOD[0], "a@example.org", "ActualVictimOfTrafficking", "blue"]],
            headers=headers,
            labels=None,
        ),
        "xlsx",
    )
    assert report.ok and report.rows == 1
    assert report.not_held == ["prs_Email", "vic_TraffickingStatus"]
    assert report.passed_over == ["Favourite colour"]


def test_the_label_row_is_told_by_its_content_when_a_column_is_not_held(worker):
    headers, labels = (
        [*HEADERS, "prs_Email", "vic_TraffickingStatus"],
        [*LABELS, "Email", "Trafficking Status"],
    )
    report = importer.check_file(worker, workbook(GOOD, headers=headers, labels=labels), "xlsx")
    assert report.ok and report.rows == 2, [str(e) for e in report.errors]


def test_a_csv_takes_datetimes_free_text_closure_and_lists_what_it_folds(worker):
    csv = (
        b"prs_FirstName,prs_Birthdate,prs_Gender,vic_TypeOfExploitation,"
        b"vic_MethodsOfControl,cas_Status,cas_ReasonForCaseClosure,con_Consent\nImani,1999-04-17 "
        b"00:00:00,TransgenderFeminine,ChildLabour;SexualExploitation,"
        b"PsychologicalAbuse,Closed,Went home to her family in "
        b"Kisumu,TRUE\nNeema,2001-02-03T00:00:00,Feminine,ChildLabour,Threats,Active,,TRUE\n"
    )
    report = importer.commit_file(worker, csv, "csv")
    assert report.committed, [str(e) for e in report.errors]
    assert report.folded == [
        "vic_TypeOfExploitation: ChildLabour → ForcedLabour (×2)",
        "vic_MethodsOfControl: PsychologicalAbuse → Other",
    ]
    imani = Survivor.objects.get(case_code=report.case_codes[0])
    assert (imani.date_of_birth.isoformat(), imani.gender, imani.status, imani.closure_reason) == (
        "1999-04-17",
        "transgender",
        "closed",
        "other",
    )
    assert (imani.htcds.gender, imani.htcds.closure_reason_text) == (
        "TransgenderFeminine",
        "Went home to her family in Kisumu",
    )


def test_support_plan_and_events_sheets_are_read_by_case_code(worker):
    headers, labels = [*HEADERS, "aft_CaseCode"], [*LABELS, "Aftercare case code"]
    extra = {
        "SupportPlan": [
            ["aft_CaseCode", "spl_Type", "spl_Objectives", "spl_PlannedEndDate"],
            ["X1", "housing", "A room of my own", "2027-03-01"],
            ["X9", "housing", "Orphan row", ""],
        ],
        "TraffickingEvents": [
            ["aft_CaseCode", "hte_Type", "hte_Country", "hte_City"],
            ["X1", "Exploitation", "Oman", "Muscat"],
        ],
    }
    rows = [[*GOOD[0], "X1"]]
    report = importer.check_file(worker, workbook(rows, headers, labels, extra), "xlsx")
    assert [(e.line, e.column) for e in report.errors] == [(3, "SupportPlan!aft_CaseCode")]
    extra["SupportPlan"].pop()
    report = importer.commit_file(worker, workbook(rows, headers, labels, extra), "xlsx")
    assert report.committed
    case = Survivor.objects.get(case_code=report.case_codes[0])
    assert case.goals.get().description == "A room of my own"
    assert (case.trafficking_events.get().country, case.trafficking_events.get().place) == (
        "OM",
        "Muscat",
    )


def test_a_csv_of_the_cases_sheet_is_read_too(worker):
    text = (
        ",".join(HEADERS) + "\n" + "\n".join(",".join(f'"{c}"' for c in row) for row in GOOD) + "\n"
    )
    report = importer.commit_file(worker, text.encode(), "csv")
    assert report.committed and len(report.case_codes) == 2


@pytest.mark.parametrize("role", [Role.REFERRAL_SOURCE, Role.ME_OFFICER, Role.ADMIN, Role.SURVIVOR])
def test_roles_that_do_not_open_cases_may_not_import(api, org_a, role):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = member(org_a, role)
    response = api.as_user(user).post(
        "/api/v1/imports/htcds", {"file": SimpleUploadedFile("cases.xlsx", workbook(GOOD))}
    )
    assert response.status_code == 403
    assert Survivor.objects.count() == 0


def test_the_api_checks_then_commits(api, org_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = member(org_a, Role.CASE_WORKER)
    client = api.as_user(user)
    checked = client.post(
        "/api/v1/imports/htcds", {"file": SimpleUploadedFile("cases.xlsx", workbook(GOOD))}
    )
    assert (
        checked.status_code == 200 and checked.json()["rows"] == 2 and Survivor.objects.count() == 0
    )
    done = client.post(
        "/api/v1/imports/htcds?commit=true",
        {"file": SimpleUploadedFile("cases.xlsx", workbook(GOOD))},
    )
    assert done.status_code == 201 and Survivor.objects.filter(organisation=org_a).count() == 2


def test_the_page_checks_the_file_then_commits_it(
    web_login, org_a, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = member(org_a, Role.CASE_WORKER)
    client = web_login(user)
    page = client.post(
        "/interop/htcds/import/", {"file": SimpleUploadedFile("cases.xlsx", workbook(GOOD))}
    )
    assert page.status_code == 200 and page.context["report"].ok and Survivor.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/interop/htcds/import/commit/", {"digest": page.context["digest"]})
    assert done.status_code == 302
    assert Survivor.objects.filter(organisation=org_a).count() == 2
    assert (
        AuditEvent.objects.filter(
            object_type="interop.htcds_import", actor_username=user.username
        ).count()
        == 1
    )


def test_the_page_shows_every_error_and_holds_nothing(web_login, org_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = web_login(member(org_a, Role.CASE_WORKER))
    bad = [["Asha", "", "Female-ish", "KE", "", "", "Active", "TRUE"]]
    page = client.post(
        "/interop/htcds/import/", {"file": SimpleUploadedFile("cases.xlsx", workbook(bad))}
    )
    assert page.context["digest"] == "" and b"Female-ish" in page.content
