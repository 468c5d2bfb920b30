"""In a browser: a case worker imports cases from a spreadsheet. A file with errors is reported
by line and column and offers no commit; a corrected one is checked, then imported with one
click. Every page is checked with axe-core and watched for console errors (the strict CSP
refuses inline script and style, which would show up there).
"""

from __future__ import annotations

import re

import pytest

from aftercare.accounts.roles import Role
from aftercare.cases.models import Survivor
from tests.browser.fixtures import sign_in
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

BAD = "Given name;Year of birth;Nationality\nAsha;1990;KE\nBaraka;1991;Atlantis\n"
GOOD = "Given name;Year of birth;Nationality\nAsha;1990;KE\nBaraka;1991;TZ\n"


@pytest.fixture
def case_worker(db):
    organisation = OrganisationFactory(slug="shelter-import", name="Import Shelter")
    user = UserFactory(username="cw_import")
    MembershipFactory(user=user, organisation=organisation, role=Role.CASE_WORKER)
    return user


def test_case_worker_checks_a_spreadsheet_fixes_it_and_imports_it(
    watched_page, live_server, case_worker, tmp_path
):
    from playwright.sync_api import expect

    page = watched_page.page
    base = live_server.url
    sign_in(page, base, case_worker)

    page.goto(f"{base}/cases/")
    page.get_by_role("link", name="Import from a spreadsheet").click()
    expect(page.locator("h1")).to_have_text("Import cases from a spreadsheet")
    watched_page.audit("import-01-upload")

    bad = tmp_path / "cases.csv"
    bad.write_text(BAD, encoding="utf-8")
    page.get_by_label("Spreadsheet of cases (.xlsx or .csv)").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#report-h")).to_have_text("Nothing was imported: fix these errors")
    expect(page.locator("table.table tbody tr")).to_have_count(1)
    expect(page.locator("table.table tbody tr td").nth(0)).to_have_text("3")
    expect(page.locator("table.table tbody tr td").nth(1)).to_have_text("Nationality")
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    watched_page.audit("import-02-errors")

    bad.write_text(GOOD, encoding="utf-8")
    page.get_by_label("Spreadsheet of cases (.xlsx or .csv)").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#report-h")).to_have_text("Ready to import")
    watched_page.audit("import-03-ready")
    assert not Survivor.objects.exists()

    page.get_by_role("button", name="Import 2 cases").click()
    page.wait_for_url(re.compile(r"/cases/$"))
    expect(page.locator("table.table tbody tr")).to_have_count(2)
    watched_page.audit("import-04-imported")
    assert Survivor.objects.filter(organisation__slug="shelter-import").count() == 2

    assert watched_page.console_errors(allow=("status of 400",)) == [], (
        "the browser console reported problems"
    )
    watched_page.assert_accessible()
