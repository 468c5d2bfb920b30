"""Importing cases from a spreadsheet: every row checked like the API, all or nothing, audited."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from aftercare.accounts.middleware import ACTIVE_ORG_SESSION_KEY
from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditEvent
from aftercare.cases import case_import as importer
from aftercare.cases import services, sheets, tasks
from aftercare.cases.models import DuplicateToken, Survivor
from aftercare.cli import ALIASES
from aftercare.core import sheet_import
from aftercare.core.models import Notification
from tests.conftest import actor
from tests.factories import MembershipFactory, RegionFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "Given name",
    "Family name",
    "Year of birth",
    "Gender",
    "Nationality",
    "Exploitation types",
    "Guardian's name",
]
GOOD_ROWS = [
    ["Zanele", "Testcase", "1995", "woman", "ZA", "sexual; Forced labour", ""],
    ["Kofi", "Invented", "1988", "Man", "Ghana", "labour", ""],
    ["Mina", "Madeup", "2012", "woman", "np", "Domestic servitude, forced_marriage", "Sita Madeup"],
]
LOWER_ROLES = [Role.REFERRAL_SOURCE, Role.ME_OFFICER, Role.SURVIVOR]


def csv_bytes(rows, headers=HEADERS, delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows, headers=HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def written() -> tuple[int, int, int]:
    return Survivor.objects.count(), AuditEvent.objects.count(), DuplicateToken.objects.count()


def bad_file() -> bytes:
    return csv_bytes(
        [
            GOOD_ROWS[0],
            ["Bad", "Nationality", "1990", "woman", "Atlantis", "labour", ""],
            ["Bad", "Year", str(timezone.now().year + 1), "woman", "ZA", "labour", ""],
            ["Bad", "Exploitation", "1990", "woman", "ZA", "labour; smuggling", ""],
            ["Bad", "Guardian", str(timezone.now().year - 12), "woman", "ZA", "labour", ""],
        ]
    )


# Reading and checking -------------------------------------------------------------------


def test_good_csv_imports_every_row_through_intake(case_worker_a, org_a):
    content = csv_bytes(GOOD_ROWS, delimiter=";")
    report = importer.commit(actor(case_worker_a), content, "csv")
    assert report.committed and report.errors == [] and report.rows == 3
    survivors = {s.given_name: s for s in Survivor.objects.filter(organisation=org_a)}
    assert set(survivors) == {"Zanele", "Kofi", "Mina"}
    assert survivors["Zanele"].exploitation_types == ["labour", "sexual"]
    assert survivors["Kofi"].nationality == "GH"
    assert (
        survivors["Mina"].nationality == "NP" and survivors["Mina"].guardian_name == "Sita Madeup"
    )
    assert survivors["Mina"].exploitation_types == ["domestic_servitude", "forced_marriage"]
    assert all(
        s.created_by == case_worker_a and s.case_code.startswith("AC-") for s in survivors.values()
    )
    assert DuplicateToken.objects.filter(survivor__in=survivors.values()).exists()


def test_good_xlsx_imports_every_row_with_number_and_date_cells(case_worker_a, org_a):
    region = RegionFactory(code="za-gp-jhb")
    headers = [
        "GIVEN_NAME",
        "family name",
        "Year of birth",
        "Date of birth",
        "Phone",
        "Region",
        "Type of exploitation",
        "Languages",
    ]
    rows = [
        [
            "Thandi",
            "Sample",
            1999,
            datetime.datetime(1999, 4, 2),
            27820000000,
            "za-gp-jhb",
            "Sexual exploitation",
            "ZU, EN",
        ],
        ["Lerato", "Sample", 2001.0, None, None, None, "labour", "st"],
    ]
    report = importer.commit(actor(case_worker_a), xlsx_bytes(rows, headers), "xlsx")
    assert report.committed and report.rows == 2
    thandi = Survivor.objects.get(organisation=org_a, year_of_birth=1999)
    assert thandi.date_of_birth == datetime.date(1999, 4, 2)
    assert (
        thandi.phone == "27820000000"
        and thandi.region == region
        and thandi.languages == ["zu", "en"]
    )
    assert Survivor.objects.get(organisation=org_a, year_of_birth=2001).given_name == "Lerato"


def test_each_bad_row_is_reported_by_line_and_column_and_nothing_is_written(case_worker_a):
    before = written()
    report = importer.commit(actor(case_worker_a), bad_file(), "csv")
    assert not report.committed
    assert {(error.line, error.column) for error in report.errors} == {
        (3, "Nationality"),
        (4, "Year of birth"),
        (5, "Exploitation types"),
        (6, "Guardian's name"),
    }
    assert (report.rows, report.rows_ok, report.rows_with_errors) == (5, 1, 4)
    messages = {error.line: str(error) for error in report.errors}
    assert messages[3].startswith('line 3, column "Nationality": ')
    assert "future" in messages[4]
    assert "smuggling" in messages[5]
    assert "guardian" in messages[6]
    assert written() == before


def test_dry_run_reports_and_writes_nothing(case_worker_a):
    before = written()
    report = importer.check(actor(case_worker_a), csv_bytes(GOOD_ROWS), "csv")
    assert report.ok and not report.committed and report.rows_ok == 3
    assert written() == before


def test_dry_run_counts_possible_duplicates_in_own_organisation_and_the_file_never_elsewhere(
    case_worker_a, case_worker_b
):
    services.intake_survivor(
        actor(case_worker_b),
        {"given_name": "Lindiwe", "family_name": "Mokoena", "year_of_birth": 1999},
    )
    rows = [
        ["Lindiwe", "Mokoena", "1999", "woman", "ZA", "", ""],  # already a case in organisation B
        ["Ayo", "Twice", "1990", "woman", "NG", "", ""],
        ["Ayo", "Twice", "1991", "woman", "NG", "", ""],  # the row above, a year apart
    ]
    report = importer.check(actor(case_worker_a), csv_bytes(rows), "csv")
    assert report.possible_duplicates == 1  # a list of names learns nothing of organisation B
    # Opening the cases is intake, once per person and audited: it says a match exists elsewhere.
    assert importer.commit(actor(case_worker_a), csv_bytes(rows), "csv").possible_duplicates == 2


def test_the_import_is_audited_once_by_its_size_and_never_by_name(case_worker_a):
    importer.commit(actor(case_worker_a), csv_bytes(GOOD_ROWS), "csv")
    imports = AuditEvent.objects.filter(object_type="cases.import")
    assert imports.count() == 1
    event = imports.get()
    assert event.object_label == "spreadsheet import of 3 rows" and event.actor_username == "cw_a"
    assert AuditEvent.objects.filter(object_type="cases.survivor", action="create").count() == 3
    trail = " ".join(f"{e.object_label} {e.reason} {e.fields}" for e in AuditEvent.objects.all())
    assert not any(name in trail for name in ("Zanele", "Kofi", "Mina", "Testcase", "Sita"))


def test_headers_and_coded_values_are_matched_by_name_or_label_in_any_case(case_worker_a):
    headers = [
        "given_name",
        "YEAR OF BIRTH",
        "relation to recruiter",
        "Identified by",
        "Means of control",
        "Gender",
    ]
    rows = [
        [
            "Nia",
            "1990",
            "Employer or recruiter",
            "ngo",
            "Debt bondage; THREATS",
            "Transgender or non-binary",
        ]
    ]
    report = importer.commit(actor(case_worker_a), csv_bytes(rows, headers), "csv")
    assert report.committed
    nia = Survivor.objects.get()
    assert (nia.recruiter_relation, nia.identified_by, nia.gender) == (
        "employer",
        "ngo",
        "transgender",
    )
    assert nia.means_of_control == ["debt_bondage", "threats"]


def test_unknown_repeated_and_missing_columns_are_reported_on_the_header_line(case_worker_a):
    report = importer.check(
        actor(case_worker_a),
        csv_bytes([["A", "B", "1990"]], ["Nickname", "Family name", "Surname"]),
        "csv",
    )
    assert {(e.line, e.column) for e in report.errors} >= {(1, "Nickname"), (1, "Given name")}
    repeated = importer.check(
        actor(case_worker_a), csv_bytes([["A", "B"]], ["Given name", "given_name"]), "csv"
    )
    assert [(e.line, e.column) for e in repeated.errors] == [(1, "given_name")]


def test_a_value_under_a_column_without_a_header_is_an_error(case_worker_a):
    report = importer.check(
        actor(case_worker_a), csv_bytes([["Ama", "", "oops"]], ["Given name", "", ""]), "csv"
    )
    assert [str(e) for e in report.errors] == [
        'line 2, column "C": This column has no header, so its value cannot be imported.'
    ]


def test_line_numbers_are_the_spreadsheet_rows_even_after_blank_rows(case_worker_a):
    rows = [
        ["Ok", "", "1990", "", "", "", ""],
        ["", "", "", "", "", "", ""],
        ["Bad", "", "1990", "", "Atlantis", "", ""],
    ]
    report = importer.check(actor(case_worker_a), xlsx_bytes(rows), "xlsx")
    assert [(e.line, e.column) for e in report.errors] == [(4, "Nationality")]
    assert report.rows == 2


def test_too_many_rows_is_a_clear_error(case_worker_a):
    rows = [[f"Person{n}", "", "1990", "", "", "", ""] for n in range(sheets.MAX_ROWS + 1)]
    with pytest.raises(sheets.ImportRefused, match="more than 5,000 rows"):
        importer.check(actor(case_worker_a), csv_bytes(rows), "csv")


def test_exactly_the_row_limit_is_accepted(case_worker_a):
    rows = [[f"Person{n}", "", "", "", "", "", ""] for n in range(sheets.MAX_ROWS)]
    assert importer.check(actor(case_worker_a), csv_bytes(rows), "csv").rows == sheets.MAX_ROWS


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cases.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "must be a spreadsheet"),
        ("cases.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "not an Excel workbook"),
        ("cases.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old Excel"),
        ("cases.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV"),
        ("cases.csv", "Given name\nJosé\n".encode("latin-1"), "not a UTF-8 CSV"),
        ("cases.csv", b"", "empty"),
    ],
)
def test_a_file_that_is_not_a_usable_spreadsheet_is_refused_clearly(
    case_worker_a, name, content, message
):
    with pytest.raises(sheets.ImportRefused, match=message):
        importer.check(actor(case_worker_a), content, sheets.kind_of(name))


@pytest.mark.parametrize("role", [*LOWER_ROLES, Role.ADMIN])
def test_roles_that_may_not_open_cases_may_not_import(org_a, make_member, role):
    from django.core.exceptions import PermissionDenied

    user = make_member(org_a, role)
    with pytest.raises(PermissionDenied):
        importer.check(actor(user), csv_bytes(GOOD_ROWS), "csv")


def test_the_template_spreadsheet_checks_cleanly(case_worker_a):
    report = importer.check(actor(case_worker_a), importer.template_workbook(), "xlsx")
    assert report.ok and report.rows == 1


# The command ----------------------------------------------------------------------------


def run_command(path, *args):
    out = io.StringIO()
    try:
        call_command("import_cases", str(path), *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), None


def test_command_dry_run_prints_each_error_and_fails(tmp_path, case_worker_a):
    path = tmp_path / "cases.csv"
    path.write_bytes(bad_file())
    before = written()
    out, error = run_command(path, "--org", "org-a", "--as", "cw_a")
    assert 'line 3, column "Nationality": ' in out and 'line 6, column "Guardian\'s name": ' in out
    assert "5 rows: 1 without errors, 4 with errors" in out
    assert error == "4 errors: nothing was imported."
    assert written() == before


def test_command_checks_by_default_and_imports_with_commit(tmp_path, case_worker_a, org_a):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(xlsx_bytes(GOOD_ROWS))
    out, error = run_command(path, "--org", "org-a", "--as", "cw_a")
    assert error is None and "Dry run" in out and not Survivor.objects.exists()
    out, error = run_command(path, "--org", "org-a", "--as", "cw_a", "--commit")
    assert error is None and "Imported 3 cases into org-a." in out
    assert Survivor.objects.filter(organisation=org_a).count() == 3


@pytest.mark.parametrize("role", LOWER_ROLES)
def test_command_refuses_lower_roles(tmp_path, org_a, make_member, role):
    make_member(org_a, role, "lower")
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS))
    _out, error = run_command(path, "--org", "org-a", "--as", "lower", "--commit")
    assert "not a case worker or supervisor of org-a" in error
    assert not Survivor.objects.exists()


def test_command_refuses_a_user_of_another_organisation(tmp_path, org_a, case_worker_b):
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS))
    _out, error = run_command(path, "--org", "org-a", "--as", "cw_b", "--commit")
    assert "cw_b is not a case worker or supervisor of org-a" in error
    assert not Survivor.objects.exists()


def test_command_refuses_too_many_rows_and_other_files(tmp_path, case_worker_a):
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes([["X", "", "", "", "", "", ""]] * (sheets.MAX_ROWS + 1)))
    assert "more than 5,000 rows" in run_command(path, "--org", "org-a", "--as", "cw_a")[1]
    other = tmp_path / "cases.ods"
    other.write_bytes(b"anything")
    assert (
        "must be a spreadsheet saved as .xlsx or as .csv"
        in run_command(other, "--org", "org-a", "--as", "cw_a")[1]
    )


def test_the_command_has_a_dashed_name():
    assert ALIASES["import-cases"] == "import_cases"


# The page -------------------------------------------------------------------------------


def upload(client, content, name="cases.csv"):
    return client.post("/cases/import/", {"file": SimpleUploadedFile(name, content)})


def test_case_worker_checks_a_file_then_commits_it_with_one_click(
    web_login, case_worker_a, org_a, django_capture_on_commit_callbacks
):
    client = web_login(case_worker_a)
    assert client.get("/cases/").content.decode().count('href="/cases/import/"') == 1
    page = client.get("/cases/import/")
    assert page.status_code == 200 and b'href="/cases/import/template.xlsx"' in page.content
    before = written()
    checked = upload(client, csv_bytes(GOOD_ROWS))
    assert checked.status_code == 200 and "Import 3 cases" in checked.content.decode()
    assert written() == before
    digest = checked.context["digest"]
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # the task runs once the request's work commits
        done = client.post("/cases/import/commit/", {"digest": digest})
    assert done.status_code == 302 and done["Location"] == "/cases/"
    assert Survivor.objects.filter(organisation=org_a).count() == 3
    note = Notification.objects.get(user=case_worker_a)
    assert note.text == "Imported 3 cases from a spreadsheet." and note.link == "/cases/"
    assert note.key == "cases.import.done" and note.params == {"n": 3} and note.message == ""
    again = client.post(
        "/cases/import/commit/", {"digest": digest}
    )  # a second click imports nothing more
    assert again.status_code == 302 and again["Location"] == "/cases/import/"
    assert Survivor.objects.count() == 3


def test_the_page_reports_errors_by_line_and_column_and_offers_no_commit(web_login, case_worker_a):
    client = web_login(case_worker_a)
    response = upload(client, bad_file())
    html = response.content.decode()
    assert response.status_code == 200 and "Nothing was imported" in html
    assert (
        "<td>3</td><td>Nationality</td>" in html
        and "<td>6</td><td>Guardian&#x27;s name</td>" in html
    )
    assert 'action="/cases/import/commit/"' not in html
    assert client.post("/cases/import/commit/", {"digest": ""}).status_code == 302
    assert not Survivor.objects.exists()


def test_the_page_refuses_too_many_rows_a_large_file_and_a_non_spreadsheet(
    web_login, case_worker_a
):
    client = web_login(case_worker_a)
    rows = [["X", "", "", "", "", "", ""]] * (sheets.MAX_ROWS + 1)
    assert "more than 5,000 rows" in upload(client, csv_bytes(rows)).content.decode()
    large = upload(client, b"Given name\n" + b"x" * sheets.MAX_BYTES)
    assert large.status_code == 400 and large.context["form"].errors["file"] == [
        "The file is larger than 5 MB. Split it into smaller files."
    ]
    image = upload(client, b"\x89PNG\r\n\x1a\n\x00\x00", "photo.png")
    assert image.status_code == 400 and "must be a spreadsheet" in image.content.decode()
    assert not Survivor.objects.exists()


def test_the_upload_still_needs_the_csrf_token(case_worker_a):
    from django.test import Client

    case_worker_a.two_factor_exempt = (
        True  # past the second-factor gate: CSRF is what is under test
    )
    case_worker_a.save()
    client = Client(enforce_csrf_checks=True)
    client.force_login(case_worker_a)
    assert client.get("/cases/import/").status_code == 200
    response = upload(client, csv_bytes(GOOD_ROWS))
    assert response.status_code == 403 and b"CSRF" in response.content


def test_an_upload_is_held_in_memory_never_in_a_temporary_file(
    web_login, case_worker_a, monkeypatch
):
    def refuse(*args, **kwargs):
        raise AssertionError("the upload was written to a temporary file")

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", refuse)
    client = web_login(case_worker_a)
    rows = [
        [f"Person{n}", "x" * 1600] for n in range(2000)
    ]  # 3.2 MB: beyond Django's 2.5 MB in memory
    response = upload(client, csv_bytes(rows, ["Given name", "Address"]))
    assert response.status_code == 200 and response.context["report"].ok


def test_the_template_downloads_as_a_workbook(web_login, case_worker_a):
    response = web_login(case_worker_a).get("/cases/import/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    header, example = list(sheet.iter_rows(values_only=True))[:2]
    assert header[:3] == ("Given name", "Family name", "Phone") and example[0] == "Asha"


@pytest.mark.parametrize("role", LOWER_ROLES)
def test_lower_roles_get_403_on_every_import_page(web_login, org_a, make_member, role):
    client = web_login(make_member(org_a, role))
    assert client.get("/cases/import/").status_code == 403
    assert upload(client, csv_bytes(GOOD_ROWS)).status_code == 403
    assert client.post("/cases/import/commit/", {"digest": "x"}).status_code == 403
    assert client.get("/cases/import/template.xlsx").status_code == 403
    assert not Survivor.objects.exists()


def test_a_user_of_org_b_imports_only_into_org_b(
    web_login, case_worker_b, org_a, org_b, django_capture_on_commit_callbacks
):
    client = web_login(case_worker_b)
    session = client.session
    session[ACTIVE_ORG_SESSION_KEY] = str(org_a.pk)  # not their organisation: grants nothing
    session.save()
    assert client.get("/cases/import/").status_code == 403
    session[ACTIVE_ORG_SESSION_KEY] = str(org_b.pk)
    session.save()
    digest = upload(client, csv_bytes(GOOD_ROWS)).context["digest"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cases/import/commit/", {"digest": digest})
    assert Survivor.objects.filter(organisation=org_b).count() == 3
    assert not Survivor.objects.filter(organisation=org_a).exists()


def test_a_file_checked_for_one_organisation_is_not_committed_into_another(
    web_login, org_a, org_b, make_member, django_capture_on_commit_callbacks
):
    user = make_member(org_a, Role.CASE_WORKER)
    MembershipFactory(user=user, organisation=org_b, role=Role.CASE_WORKER)
    client = web_login(user)
    session = client.session
    session[ACTIVE_ORG_SESSION_KEY] = str(org_a.pk)
    session.save()
    digest = upload(client, csv_bytes(GOOD_ROWS)).context["digest"]
    session = client.session
    session[ACTIVE_ORG_SESSION_KEY] = str(org_b.pk)
    session.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/cases/import/commit/", {"digest": digest})
    assert response.status_code == 302 and response["Location"] == "/cases/import/"
    assert callbacks == [] and not Survivor.objects.exists()


def test_a_held_file_is_given_once_and_only_if_unchanged():
    key, digest = sheet_import.hold(b"Given name\nAma\n")
    assert sheet_import.take(key, "0" * 64) is None  # a different file than the one checked
    key, digest = sheet_import.hold(b"Given name\nAma\n")
    assert sheet_import.take(key, digest) == b"Given name\nAma\n"
    assert sheet_import.take(key, digest) is None


def test_a_commit_whose_file_has_expired_imports_nothing_and_says_so(case_worker_a, org_a):
    key, digest = sheet_import.hold(csv_bytes(GOOD_ROWS))
    sheet_import.release(key)
    assert tasks.commit_import(str(case_worker_a.pk), str(org_a.pk), key, digest, "csv") == 0
    assert not Survivor.objects.exists()
    assert "expired" in Notification.objects.get(user=case_worker_a).text


def test_a_commit_by_someone_who_lost_the_role_imports_nothing(case_worker_a, org_a):
    key, digest = sheet_import.hold(csv_bytes(GOOD_ROWS))
    case_worker_a.memberships.update(role=Role.ME_OFFICER)
    assert tasks.commit_import(str(case_worker_a.pk), str(org_a.pk), key, digest, "csv") == 0
    assert not Survivor.objects.exists()
    assert "no longer open cases" in Notification.objects.get(user=case_worker_a).text
