"""The care-settings API and pages: the contract's shape, its errors, and who may use them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.caresettings import services
from aftercare.caresettings.models import CareSetting, ProgrammeCost
from tests.conftest import actor, member

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def url(survivor):
    return f"/api/v1/survivors/{survivor.pk}/care-settings"


def test_a_case_worker_records_and_lists_periods(api, case_worker_a, survivor_a):
    client = api.as_user(case_worker_a)
    made = client.post(
        url(survivor_a),
        {
            "kind": "closed_shelter",
            "start": str(TODAY - timedelta(days=20)),
            "may_leave": False,
            "lawyer_access": False,
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["days_without_lawyer"] == 20 and made.json()["group"] == "closed_shelter"
    listed = client.get(url(survivor_a)).json()
    assert listed["count"] == 1 and listed["results"][0]["kind"] == "closed_shelter"


def test_bad_input_gets_field_errors(api, case_worker_a, survivor_a):
    client = api.as_user(case_worker_a)
    bad = client.post(url(survivor_a), {"kind": "prison", "start": "yesterday"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) >= {"kind", "start"}
    missing = client.post(
        url(survivor_a), {"kind": "closed_shelter", "start": str(TODAY)}, format="json"
    )
    assert missing.status_code == 400 and "may_leave" in missing.json()["errors"]


def test_overlap_and_stale_version_are_conflicts(api, case_worker_a, survivor_a):
    client = api.as_user(case_worker_a)
    first = client.post(
        url(survivor_a),
        {
            "kind": "open_shelter",
            "start": str(TODAY - timedelta(days=30)),
            "end": str(TODAY - timedelta(days=10)),
        },
        format="json",
    ).json()
    overlap = client.post(
        url(survivor_a),
        {
            "kind": "community_family",
            "start": str(TODAY - timedelta(days=20)),
            "end": str(TODAY - timedelta(days=15)),
        },
        format="json",
    )
    assert overlap.status_code == 409
    ok = client.patch(
        f"{url(survivor_a)}/{first['id']}",
        {"version": 1, "end": str(TODAY - timedelta(days=12))},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(
        f"{url(survivor_a)}/{first['id']}",
        {"version": 1, "end": str(TODAY - timedelta(days=11))},
        format="json",
    )
    assert stale.status_code == 409


def test_another_organisation_gets_404_and_a_lower_role_403(api, case_worker_b, org_a, survivor_a):
    assert api.as_user(case_worker_b).get(url(survivor_a)).status_code == 404
    referrer = member(org_a, Role.REFERRAL_SOURCE)
    assert api.as_user(referrer).get(url(survivor_a)).status_code == 403
    assert (
        api.as_user(referrer)
        .post(url(survivor_a), {"kind": "open_shelter", "start": str(TODAY)}, format="json")
        .status_code
        == 403
    )
    assert not CareSetting.objects.exists()


def test_costs_are_kept_by_the_organisation_and_read_by_the_network(api, org_a, org_b):
    supervisor_a = member(org_a, Role.SUPERVISOR)
    body = {
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "category": "shelter_running",
        "amount": "45000.00",
        "currency": "INR",
        "setting_group": "closed_shelter",
    }
    made = api.as_user(supervisor_a).post("/api/v1/programme-costs", body, format="json")
    assert made.status_code == 201 and made.json()["amount"] == "45000.00"
    assert (
        api.as_user(member(org_b, Role.SUPERVISOR)).get("/api/v1/programme-costs").json()["count"]
        == 0
    )
    assert (
        api.as_user(member(org_b, Role.NETWORK_COORDINATOR))
        .get("/api/v1/programme-costs")
        .json()["count"]
        == 1
    )
    worker = member(org_a, Role.CASE_WORKER)
    assert (
        api.as_user(worker).post("/api/v1/programme-costs", body, format="json").status_code == 403
    )
    assert api.as_user(worker).get("/api/v1/programme-costs").status_code == 403
    assert ProgrammeCost.objects.count() == 1


def test_the_comparison_report_answers_with_rates_and_a_note(api, org_a, case_worker_a, survivor_a):
    services.record_setting(
        actor(case_worker_a),
        survivor_a,
        {"kind": "community_family", "start": TODAY - timedelta(days=90)},
    )
    supervisor = member(org_a, Role.SUPERVISOR)
    answer = api.as_user(supervisor).get(
        "/api/v1/reports/care-settings", {"from": str(TODAY - timedelta(days=60)), "to": str(TODAY)}
    )
    assert answer.status_code == 200
    data = answer.json()
    community = next(g for g in data["groups"] if g["code"] == "community")
    assert community["survivors"] == 1
    assert {r["code"] for r in community["rates"]} == {
        "re_trafficked_12m",
        "wellbeing_out_of_concern",
        "self_sufficient",
        "in_school",
        "in_work",
    }
    assert "note" in data and data["from"] == str(TODAY - timedelta(days=60))
    assert (
        api.as_user(supervisor).get("/api/v1/reports/care-settings", {"from": "soon"}).status_code
        == 400
    )
    assert api.as_user(case_worker_a).get("/api/v1/reports/care-settings").status_code == 403


def test_the_pages_show_the_periods_the_costs_and_the_comparison(
    web_login, client, org_a, case_worker_a, survivor_a
):
    services.record_setting(
        actor(case_worker_a),
        survivor_a,
        {
            "kind": "closed_shelter",
            "start": TODAY - timedelta(days=12),
            "may_leave": False,
            "lawyer_access": False,
        },
    )
    page = web_login(case_worker_a).get(f"/care-settings/cases/{survivor_a.pk}/")
    assert page.status_code == 200
    assert "without access to a lawyer" in page.content.decode()
    client.logout()
    supervisor = member(org_a, Role.SUPERVISOR)
    staff = web_login(supervisor)
    saved = staff.post(
        "/care-settings/costs/",
        {
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "category": "staff",
            "amount": "1000",
            "currency": "ZAR",
            "setting_group": "closed_shelter",
            "service_domain": "",
            "description": "house mothers",
        },
    )
    assert (
        saved.status_code == 302
        and ProgrammeCost.objects.filter(description="house mothers").exists()
    )
    report = staff.get(
        "/care-settings/report/", {"from": str(TODAY - timedelta(days=30)), "to": str(TODAY)}
    )
    assert report.status_code == 200 and "Closed shelter or detention" in report.content.decode()
    download = staff.get(
        "/care-settings/report.xlsx", {"from": str(TODAY - timedelta(days=30)), "to": str(TODAY)}
    )
    assert download.status_code == 200 and download["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    csv = staff.get("/care-settings/report.csv").content.decode()
    assert csv.splitlines()[0].startswith("setting,survivors")


def test_a_case_worker_elsewhere_cannot_open_the_page(web_login, case_worker_b, survivor_a):
    assert web_login(case_worker_b).get(f"/care-settings/cases/{survivor_a.pk}/").status_code == 404


def test_the_case_page_links_the_holder_to_where_she_lives_and_her_mentoring(
    web_login, case_worker_a, survivor_a
):
    body = web_login(case_worker_a).get(f"/cases/{survivor_a.pk}/").content.decode()
    assert (
        f"/care-settings/cases/{survivor_a.pk}/" in body
        and f"/mentoring/cases/{survivor_a.pk}/" in body
    )
