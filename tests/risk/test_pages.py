"""Risk pages: the assessment and measure forms, the risk page with its charts, the alerts page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from aftercare.audit.models import AuditEvent
from aftercare.cases.access import case_access_for
from aftercare.risk import measures, services
from aftercare.risk.models import Alert, Assessment, Measurement
from tests.risk.conftest import LOWER_ROLES

pytestmark = pytest.mark.django_db

ROSENBERG_FORM = {f"item_{n}": v for n, v in enumerate([3, 0, 3, 2, 1, 0, 2, 1, 0, 3], start=1)}


def _with_history(worker, survivor):
    today = timezone.localdate()
    services.assess_risk(
        worker,
        survivor,
        {"homelessness": True, "no_income": True},
        assessed_on=today - timedelta(days=60),
    )
    services.assess_risk(worker, survivor, {"trafficker_contact": True, "homelessness": True})
    measures.record_measure(
        worker,
        survivor,
        "rosenberg",
        {str(n): 1 for n in range(1, 11)},
        recorded_on=today - timedelta(days=30),
    )
    measures.record_measure(worker, survivor, "rosenberg", {str(n): 2 for n in range(1, 11)})


def test_assessment_form_lists_every_factor_and_saves(
    web_login, case_worker_a, survivor_a, instrument
):
    client = web_login(case_worker_a)
    page = client.get(f"/risk/{survivor_a.pk}/assess/").content.decode()
    for factor in instrument.factors.all():
        assert f'name="factor_{factor.code}"' in page
    assert "<legend>Contact from the trafficker" in page
    response = client.post(
        f"/risk/{survivor_a.pk}/assess/",
        {
            "on": timezone.localdate().isoformat(),
            "factor_homelessness": "present",
            "factor_no_income": "partly",
            "factor_fair_wage_job": "absent",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/risk/{survivor_a.pk}/"
    assessment = Assessment.objects.get()
    assert (assessment.score, assessment.level, assessment.assessed_by) == (
        4,
        "low",
        case_worker_a,
    )  # 3 + 1
    assert AuditEvent.objects.filter(action="create", object_id=str(assessment.pk)).exists()


def test_assessment_form_refuses_a_future_date_and_saves_nothing(
    web_login, case_worker_a, survivor_a
):
    client = web_login(case_worker_a)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        f"/risk/{survivor_a.pk}/assess/", {"on": future, "factor_homelessness": "present"}
    )
    assert response.status_code == 200
    assert "The date cannot be in the future." in response.content.decode()
    assert not Assessment.objects.exists()


def test_measure_form_needs_every_item(web_login, case_worker_a, survivor_a):
    client = web_login(case_worker_a)
    url = f"/risk/{survivor_a.pk}/measures/rosenberg/"
    page = client.get(url).content.decode()
    assert "I take a positive attitude toward myself." in page and "Public domain" in page
    partial = {k: v for k, v in ROSENBERG_FORM.items() if k != "item_7"}
    response = client.post(url, {"on": timezone.localdate().isoformat(), **partial})
    assert response.status_code == 200 and "Answer this item." in response.content.decode()
    assert not Measurement.objects.exists()
    response = client.post(url, {"on": timezone.localdate().isoformat(), **ROSENBERG_FORM})
    assert response.status_code == 302
    assert Measurement.objects.get().total == 26


def test_unknown_measure_page_is_404(web_login, case_worker_a, survivor_a):
    assert (
        web_login(case_worker_a).get(f"/risk/{survivor_a.pk}/measures/horoscope/").status_code
        == 404
    )


def test_risk_page_draws_accessible_svg_charts_with_a_table_and_no_inline_style(
    web_login, case_worker_a, survivor_a, worker
):
    _with_history(worker, survivor_a)
    response = web_login(case_worker_a).get(f"/risk/{survivor_a.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "pill--risk-high" in page
    assert "Contact from the trafficker was reported, which makes the risk at least high." in page
    svgs = re.findall(
        r"<svg class=\"chart__svg[^>]*>", page
    )  # each line is drawn in a nested plot <svg>
    assert len(svgs) == 2  # risk history and Rosenberg
    for tag in svgs:
        assert 'role="img"' in tag and 'aria-label="' in tag
    assert 'aria-label="Risk score over time: 2 assessments, latest 7 (High)' in page
    assert page.count("<polyline") == 2
    assert "Show the figures as a table" in page and "<caption" in page
    assert "style=" not in page
    assert (
        "http://" not in page.replace("http://www.w3.org/2000/svg", "") and "https://" not in page
    )
    assert "Record Job-readiness checklist" in page and "Not recorded yet." in page


def test_risk_page_for_an_admin_shows_no_write_buttons(
    web_login, org_a, make_member, survivor_a, worker
):
    from aftercare.accounts.roles import Role

    _with_history(worker, survivor_a)
    page = web_login(make_member(org_a, Role.ADMIN)).get(f"/risk/{survivor_a.pk}/").content.decode()
    assert "pill--risk-high" in page
    assert (
        "Assess risk</a>" not in page
        and ">Acknowledge<" not in page
        and "Record Rosenberg" not in page
    )


def test_case_page_context_for_a_survivor_never_assessed(worker, survivor_a):
    risk = services.case_risk_context(case_access_for(worker, survivor_a))["risk"]
    assert risk["current"] is None and risk["chart"] is None and risk["reasons"] == []
    assert risk["assess_url"] == f"/risk/{survivor_a.pk}/assess/"


def test_alerts_page_lists_open_alerts_and_acknowledges(
    web_login, case_worker_a, survivor_a, survivor_b, worker
):
    services.assess_risk(worker, survivor_a, {"trafficker_contact": True})
    client = web_login(case_worker_a)
    page = client.get("/risk/alerts/").content.decode()
    assert survivor_a.case_code in page and "Contact from the trafficker" in page
    assert page.index("Reported to the case team") < page.index("High risk</span>")
    assert survivor_b.case_code not in page
    alert = Alert.objects.get(kind="high_risk")
    response = client.post(f"/risk/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    again = client.post(f"/risk/alerts/{alert.pk}/acknowledge/", follow=True)
    assert "This alert is not open." in again.content.decode()


def test_acknowledge_ignores_an_offsite_next(web_login, case_worker_a, survivor_a, worker):
    services.assess_risk(worker, survivor_a, {"trafficker_contact": True})
    alert = Alert.objects.first()
    response = web_login(case_worker_a).post(
        f"/risk/alerts/{alert.pk}/acknowledge/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/risk/alerts/"


def test_alerts_page_flags_overdue_follow_ups_in_the_embedded_mode(
    web_login, case_worker_a, survivor_a, worker
):
    from django.core.cache import cache

    cache.clear()
    services.assess_risk(
        worker, survivor_a, {}, assessed_on=timezone.localdate() - timedelta(days=120)
    )
    page = web_login(case_worker_a).get("/risk/alerts/").content.decode()
    assert "Follow-up overdue" in page


def test_navigation_offers_risk_alerts_to_case_roles_only(
    web_login, case_worker_a, org_a, make_member
):
    from aftercare.accounts.roles import Role

    assert 'href="/risk/alerts/"' in web_login(case_worker_a).get("/").content.decode()
    assert (
        'href="/risk/alerts/"'
        not in web_login(make_member(org_a, Role.ME_OFFICER)).get("/").content.decode()
    )


def _pages(survivor, alert):
    return [
        ("get", f"/risk/{survivor.pk}/"),
        ("get", f"/risk/{survivor.pk}/assess/"),
        ("post", f"/risk/{survivor.pk}/assess/"),
        ("get", f"/risk/{survivor.pk}/measures/rosenberg/"),
        ("post", f"/risk/{survivor.pk}/measures/rosenberg/"),
    ]


def test_other_organisation_gets_404_on_every_survivor_page(
    web_login, case_worker_b, survivor_a, worker
):
    services.assess_risk(worker, survivor_a, {"trafficker_contact": True})
    alert = Alert.objects.first()
    client = web_login(case_worker_b)
    for method, url in _pages(survivor_a, alert):
        assert getattr(client, method)(url).status_code == 404, (method, url)
    assert client.post(f"/risk/alerts/{alert.pk}/acknowledge/").status_code == 404
    assert survivor_a.case_code not in client.get("/risk/alerts/").content.decode()
    assert Alert.objects.filter(status="open").count() == 2


@pytest.mark.parametrize("role", LOWER_ROLES)
def test_roles_without_case_access_get_403_on_every_page(
    web_login, org_a, make_member, survivor_a, worker, role
):
    services.assess_risk(worker, survivor_a, {"trafficker_contact": True})
    alert = Alert.objects.first()
    client = web_login(make_member(org_a, role))
    pages = [
        *_pages(survivor_a, alert),
        ("get", "/risk/alerts/"),
        ("post", f"/risk/alerts/{alert.pk}/acknowledge/"),
    ]
    for method, url in pages:
        assert getattr(client, method)(url).status_code == 403, (role, method, url)
    assert Assessment.objects.count() == 1 and Alert.objects.filter(status="open").count() == 2


def test_signed_out_visitors_are_sent_to_sign_in(client, survivor_a):
    response = client.get(f"/risk/{survivor_a.pk}/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_alerts_page_costs_the_same_queries_for_many_alerts_and_loads_no_identifiers(
    web_login, case_worker_a, org_a, worker, assert_queries
):
    from tests.factories import SurvivorFactory
    from tests.query_budgets import budget_of

    client = web_login(case_worker_a)

    budget = (
        budget_of("/risk/alerts/", "worker") + 2
    )  # measured here; the table's is for a warmed page

    def queries():
        with assert_queries(budget) as captured:
            assert client.get("/risk/alerts/").status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    services.assess_risk(worker, SurvivorFactory(organisation=org_a), {"trafficker_contact": True})
    assert (
        client.get("/risk/alerts/").status_code == 200
    )  # the first look of the hour also sweeps for overdue follow-ups
    few = queries()
    for _ in range(6):
        services.assess_risk(
            worker, SurvivorFactory(organisation=org_a), {"trafficker_contact": True}
        )
    many = queries()
    assert len(many) == len(few)
    # No identifier but the first names shown beside the codes (issue 16), read in one query.
    assert not [
        sql for sql in many if "family_name" in sql or '"phone"' in sql or "id_number" in sql
    ]
    assert len([sql for sql in many if "given_name" in sql]) == 1


def test_risk_pages_render_in_hindi(web_login, case_worker_a, survivor_a, worker, settings):
    from django.utils import translation

    _with_history(worker, survivor_a)
    client = web_login(case_worker_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    try:
        for url in (
            f"/risk/{survivor_a.pk}/",
            f"/risk/{survivor_a.pk}/assess/",
            f"/risk/{survivor_a.pk}/measures/rosenberg/",
            "/risk/alerts/",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert 'lang="hi"' in response.content.decode()
    finally:
        translation.activate(settings.LANGUAGE_CODE)
