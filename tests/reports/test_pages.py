"""Report pages open for the report roles, and are refused to the others."""

from __future__ import annotations

import pytest

from tests.conftest import member
from tests.reports.conftest import LOWER_ROLES

pytestmark = pytest.mark.django_db

PAGES = ["/reports/", "/reports/indicators/", "/reports/gaps/", "/reports/exports/"]


@pytest.mark.parametrize("path", PAGES)
def test_the_coordinator_opens_every_report_page(web_login, coordinator, survivor_a, path):
    assert web_login(coordinator).get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_a_supervisor_opens_every_report_page_for_the_organisation_and_the_network(
    web_login, supervisor_a, survivor_a, path
):
    browser = web_login(supervisor_a)
    assert browser.get(path).status_code == 200
    assert browser.get(path + "?scope=network").status_code == 200


@pytest.mark.parametrize("role", LOWER_ROLES)
@pytest.mark.parametrize("path", PAGES)
def test_lower_roles_are_refused_every_report_page(web_login, org_a, role, path):
    user = member(org_a, role)
    assert web_login(user).get(path).status_code == 403


def test_the_reports_item_is_in_the_navigation_for_report_roles_only(
    web_login, coordinator, case_worker_a
):
    assert b'href="/reports/"' in web_login(coordinator).get("/dashboard/").content


def test_pages_load_no_inline_style_or_script(web_login, coordinator, survivor_a):
    body = web_login(coordinator).get("/reports/").content.decode()
    assert "<style" not in body and " style=" not in body
    assert "<script>" not in body and "onclick" not in body
