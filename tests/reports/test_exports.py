"""Exports: permissions and scope, the audit trail, the background job with its progress, the
signed link that lapses, the encrypted file deleted on expiry, and files that open."""

from __future__ import annotations

import csv
import io
import os
import re
from datetime import date, timedelta

import pytest
from django.core import signing
from django.utils import timezone

from aftercare.audit.models import AuditEvent
from aftercare.core import sealed
from aftercare.reports import export_jobs, exports
from aftercare.reports.models import ExportJob
from tests.conftest import actor, member
from tests.factories import SurvivorFactory
from tests.reports.conftest import LOWER_ROLES, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """Ask for an export on the web; its task runs once the request's work commits."""

    def ask(browser, **data):
        with django_capture_on_commit_callbacks(execute=True):
            response = browser.post("/reports/exports/start/", data)
        assert response.status_code == 302, response.content[:300]
        return ExportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])

    return ask


def download_link(browser, job) -> str:
    page = browser.get(f"/reports/exports/{job.pk}/").content.decode()
    return re.search(r'href="(/reports/download/[^"]+)"', page).group(1)


def test_the_caseload_export_holds_only_the_organisations_cases_and_no_identifiers(
    start, web_login, supervisor_a, org_a, org_b
):
    own = [SurvivorFactory(organisation=org_a) for _ in range(3)]
    other = SurvivorFactory(organisation=org_b)
    browser = web_login(supervisor_a)
    job = start(browser, kind="caseload", format="csv")
    job.refresh_from_db()
    assert (job.status, job.progress, job.rows, job.total_rows) == ("done", 100, 3, 3)
    response = browser.get(download_link(browser, job))
    assert response.streaming and "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert sorted(r["case_code"] for r in rows) == sorted(s.case_code for s in own)
    assert other.case_code not in body
    assert list(rows[0]) == exports.CASELOAD_COLUMNS
    assert not any(s.family_name in body or s.given_name in body for s in own)


def test_exports_are_audited_when_made_and_when_downloaded(start, web_login, supervisor_a, org_a):
    SurvivorFactory(organisation=org_a)
    browser = web_login(supervisor_a)
    job = start(browser, kind="caseload", format="xlsx")
    b"".join(browser.get(download_link(browser, job)).streaming_content)
    events = AuditEvent.objects.filter(action="export", object_id=str(job.pk))
    assert events.count() == 2
    assert any("downloaded" in e.fields for e in events)
    assert all(e.actor_username == "sup_a" for e in events)


def test_the_file_is_stored_encrypted(start, web_login, supervisor_a, org_a):
    survivor = SurvivorFactory(organisation=org_a)
    job = start(web_login(supervisor_a), kind="caseload", format="csv")
    job = ExportJob.objects.get(pk=job.pk)
    with sealed.storage().open(job.stored_file, "rb") as handle:
        stored = handle.read()
    assert stored and job.content is None
    assert survivor.case_code.encode() not in stored and b"case_code" not in stored


@pytest.mark.parametrize("role", LOWER_ROLES)
def test_lower_roles_may_not_export_anything(web_login, org_a, role):
    browser = web_login(member(org_a, role))
    assert browser.get("/reports/exports/").status_code == 403
    assert (
        browser.post("/reports/exports/start/", {"kind": "indicators", "format": "csv"}).status_code
        == 403
    )
    assert browser.get("/reports/indicators/download.csv").status_code == 403
    assert not ExportJob.objects.exists()


def test_the_coordinator_may_not_export_cases_one_row_each(web_login, coordinator):
    response = web_login(coordinator).post(
        "/reports/exports/start/", {"kind": "caseload", "format": "csv"}
    )
    assert response.status_code == 403
    assert not ExportJob.objects.exists()


def test_only_the_person_who_asked_can_use_the_link(start, web_login, client, supervisor_a, org_a):
    SurvivorFactory(organisation=org_a)
    browser = web_login(supervisor_a)
    job = start(browser, kind="caseload", format="csv")
    link = download_link(browser, job)
    browser.logout()
    colleague = member(org_a, "supervisor", "sup_a2")
    assert web_login(colleague).get(link).status_code == 404
    assert web_login(colleague).get(f"/reports/exports/{job.pk}/").status_code == 404


def test_the_download_link_expires(start, web_login, supervisor_a, org_a, settings, monkeypatch):
    settings.AFTERCARE_EXPORT_LINK_MINUTES = 30
    SurvivorFactory(organisation=org_a)
    browser = web_login(supervisor_a)
    job = start(browser, kind="caseload", format="csv")
    link = download_link(browser, job)
    assert browser.get(link).status_code == 200
    later = signing.time.time() + 31 * 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = browser.get(link)
    assert response.status_code == 410
    assert b"expired" in response.content


def test_a_forged_link_is_not_found(start, web_login, supervisor_a, org_a):
    SurvivorFactory(organisation=org_a)
    browser = web_login(supervisor_a)
    job = start(browser, kind="caseload", format="csv")
    assert browser.get(f"/reports/download/{job.pk}:1abc:forged/").status_code == 404


def test_the_file_is_deleted_after_it_expires(start, web_login, supervisor_a, org_a):
    SurvivorFactory(organisation=org_a)
    browser = web_login(supervisor_a)
    job = start(browser, kind="caseload", format="csv")
    link = download_link(browser, job)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert browser.get(link).status_code == 410
    stored = ExportJob.objects.get(pk=job.pk).stored_file
    assert sealed.storage().exists(stored)
    assert export_jobs.purge_expired() == 1
    assert not ExportJob.objects.filter(pk=job.pk).exists()
    assert not sealed.storage().exists(stored)


def test_the_job_reports_its_progress_while_it_runs(
    django_capture_on_commit_callbacks, supervisor_a, org_a, monkeypatch
):
    for _ in range(5):
        SurvivorFactory(organisation=org_a)
    seen = []
    original = export_jobs._progress

    def spy(job, done):
        original(job, done)
        seen.append(ExportJob.objects.values_list("status", "progress").get(pk=job.pk))

    monkeypatch.setattr(export_jobs, "_progress", spy)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    with django_capture_on_commit_callbacks(execute=True):
        job = export_jobs.start_export(actor(supervisor_a), "caseload", "csv")
    job.refresh_from_db()
    assert seen == [("running", 40), ("running", 80)]  # 2 of 5 rows, then 4 of 5
    assert job.status == "done" and job.progress == 100


def test_the_status_fragment_polls_until_the_file_is_ready(start, web_login, supervisor_a, org_a):
    SurvivorFactory(organisation=org_a)
    browser = web_login(supervisor_a)
    job = start(browser, kind="caseload", format="csv")
    ExportJob.objects.filter(pk=job.pk).update(status="running", progress=40)
    fragment = browser.get(f"/reports/exports/{job.pk}/status/").content.decode()
    assert 'hx-trigger="every 2s"' in fragment and 'value="40"' in fragment
    ExportJob.objects.filter(pk=job.pk).update(status="done", progress=100)
    fragment = browser.get(f"/reports/exports/{job.pk}/status/").content.decode()
    assert "hx-trigger" not in fragment and "/reports/download/" in fragment


def test_the_indicator_xlsx_opens_with_its_sheets_and_columns(web_login, supervisor_a, org_a):
    from openpyxl import load_workbook

    SurvivorFactory(organisation=org_a, created_at=at(date(2025, 3, 1)))
    response = web_login(supervisor_a).get(
        "/reports/indicators/download.xlsx?from=2025-01-01&to=2025-12-31"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Indicators", "About"]
    rows = list(book["Indicators"].iter_rows(values_only=True))
    assert list(rows[0]) == exports.INDICATOR_COLUMNS
    served = next(r for r in rows if r[0] == "survivors_served" and not r[3])
    assert served[6] == 1
    assert AuditEvent.objects.filter(action="export", object_type="reports.indicators").exists()


def test_the_indicator_csv_has_a_row_per_indicator_and_per_breakdown_cell(
    web_login, supervisor_a, org_a
):
    response = web_login(supervisor_a).get(
        "/reports/indicators/download.csv?from=2025-01-01&to=2025-12-31"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == exports.INDICATOR_COLUMNS
    assert any(r[0] == "survivors_served" and r[3] == "sex" and r[4] == "woman" for r in rows)


def test_the_ctdc_and_gap_map_exports_are_offered_to_the_coordinator(
    start, web_login, coordinator, org_a
):
    browser = web_login(coordinator)
    job = start(browser, kind="ctdc", format="xlsx", scope="network")
    job.refresh_from_db()
    assert job.status == "done" and "k = 10" in job.note
    gaps_job = start(browser, kind="gaps", format="csv")
    gaps_job.refresh_from_db()
    assert gaps_job.status == "done"


def test_a_spreadsheet_cell_never_starts_a_formula():
    assert exports.safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert exports.safe("-99") == "-99" and exports.safe("-x") == "'-x" and exports.safe(5) == 5


def pdf_or_skip(response):
    if response.status_code == 503 and not os.environ.get("AFTERCARE_REQUIRE_PDF"):
        pytest.skip(f"WeasyPrint cannot make PDFs here: {response.content.decode()[:200]}")
    assert response.status_code == 200, response.content[:300]
    return response.content


def test_the_indicator_pdf_renders_and_its_first_page_shows_the_report(
    web_login, supervisor_a, org_a, tmp_path
):
    SurvivorFactory(organisation=org_a, created_at=at(date(2025, 3, 1)))
    content = pdf_or_skip(
        web_login(supervisor_a).get(
            "/reports/indicators/download.pdf?from=2025-01-01&to=2025-12-31"
        )
    )
    assert content.startswith(b"%PDF")
    pdfium = pytest.importorskip(
        "pypdfium2", reason="pypdfium2 (a dev dependency) renders the PDF to check it"
    )
    document = pdfium.PdfDocument(content)
    page = document[0]
    text = page.get_textpage().get_text_range()
    assert "Funder indicators" in text and "Survivors served" in text
    image = page.render(scale=1.5).to_pil()
    image.save(tmp_path / "page1.png")
    darkest, lightest = image.convert("L").getextrema()
    assert image.size[0] > 800 and lightest - darkest > 100  # text on paper, not a blank page


def test_an_indicator_file_counts_only_the_callers_cases_and_hides_small_cells_for_the_network(
    web_login, supervisor_b, coordinator, org_a, org_b
):
    for _ in range(3):
        SurvivorFactory(organisation=org_a, created_at=at(date(2025, 3, 1)))
    url = "/reports/indicators/download.csv?from=2025-01-01&to=2025-12-31"

    def served(browser):
        rows = list(csv.reader(io.StringIO(browser.get(url).content.decode())))
        return next(r for r in rows if r[0] == "survivors_served" and not r[3])

    assert served(web_login(supervisor_b))[6] == "0"  # org A's three cases are not org B's
    network = served(web_login(coordinator))
    assert (network[6], network[10]) == ("", "1")  # 3 people: hidden, marked suppressed


def test_an_export_that_breaks_is_marked_failed_not_left_running(supervisor_a, org_a, monkeypatch):
    from aftercare.reports import builders

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(builders, "build", broken)
    job = ExportJob.objects.create(
        kind="caseload",
        format="csv",
        requested_by=supervisor_a,
        organisation=org_a,
        role="supervisor",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    with pytest.raises(RuntimeError):
        export_jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "could not be made" in job.error
