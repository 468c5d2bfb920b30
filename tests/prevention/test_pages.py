"""The prevention pages render for the roles that use them, and their forms save."""

import re

import pytest

from aftercare.prevention import community, kap
from aftercare.prevention.models import (
    CapacitySession,
    CommunityActivity,
    PolicyInstrument,
    School,
    SchoolCase,
)
from tests.prevention.factories import (
    ActivityFactory,
    ChampionFactory,
    InstrumentFactory,
    SchoolCaseFactory,
    SchoolFactory,
    attendance,
)
from tests.prevention.test_kap import SPEC

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org_a, sup):
    school = SchoolFactory(organisation=org_a, name="Lokopo Primary School")
    case = SchoolCaseFactory(school=school, reference="LPS-07")
    activity = ActivityFactory(organisation=org_a)
    community.set_attendance(sup, activity.pk, attendance({"18_35": 10}, {"18_35": 10}), 1)
    champion = ChampionFactory(organisation=org_a, name="Fr. Lokwang")
    instrument = InstrumentFactory(organisation=org_a)
    survey = kap.define_survey(sup, SPEC)
    return {
        "school": school,
        "case": case,
        "activity": activity,
        "champion": champion,
        "instrument": instrument,
        "survey": survey,
    }


def _pages(world):
    return [
        "/prevention/",
        "/prevention/schools/",
        f"/prevention/schools/{world['school'].pk}/",
        "/prevention/champions/",
        f"/prevention/champions/{world['champion'].pk}/",
        "/prevention/activities/",
        f"/prevention/activities/{world['activity'].pk}/",
        "/prevention/campaigns/",
        "/prevention/policy/",
        "/prevention/surveys/",
        f"/prevention/surveys/{world['survey'].pk}/",
        "/prevention/capture/",
    ]


def test_every_page_renders_for_the_field_worker(web_login, field_worker_a, world):
    client = web_login(field_worker_a)
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == 200, url


def test_every_page_and_form_renders_for_the_supervisor(web_login, supervisor_a, world):
    client = web_login(supervisor_a)
    forms = [
        "/prevention/schools/new/",
        f"/prevention/schools/{world['school'].pk}/sessions/new/",
        f"/prevention/schools/{world['school'].pk}/cases/new/",
        f"/prevention/school-cases/{world['case'].pk}/report/",
        "/prevention/champions/new/",
        "/prevention/champions/trainings/new/",
        f"/prevention/champions/{world['champion'].pk}/activities/new/",
        "/prevention/activities/new/",
        "/prevention/campaigns/new/",
        "/prevention/policy/new/",
        f"/prevention/policy/{world['instrument'].pk}/advance/",
        "/prevention/surveys/new/",
        f"/prevention/surveys/{world['survey'].pk}/rounds/new/",
        "/prevention/indicators/",
    ]
    for url in _pages(world) + forms:
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_nav_shows_prevention_to_a_field_worker_and_not_cases(web_login, field_worker_a, world):
    html = web_login(field_worker_a).get("/prevention/").content.decode()
    assert 'href="/prevention/" aria-current="page">Prevention</a>' in html
    assert 'href="/cases/"' not in html


def test_a_supervisor_adds_a_school_and_records_a_session(
    web_login, supervisor_a, karamoja_regions
):
    client = web_login(supervisor_a)
    response = client.post(
        "/prevention/schools/new/",
        {
            "name": "Napak Seed Secondary",
            "level": "secondary",
            "region": karamoja_regions["napak"].pk,
            "joined_on": "2025-01-05",
        },
    )
    school = School.objects.get(name="Napak Seed Secondary")
    assert response.status_code == 302
    response = client.post(
        f"/prevention/schools/{school.pk}/sessions/new/",
        {
            "held_on": "2025-02-01",
            "topic": "Identifying and reporting",
            "teachers_female": "9",
            "teachers_male": "0",
        },
        follow=True,
    )
    assert "Session recorded: 9 teachers trained." in response.content.decode()
    assert CapacitySession.objects.get().teachers_total == 9


def test_a_session_without_teachers_shows_the_error_on_the_form(web_login, field_worker_a, org_a):
    school = SchoolFactory(organisation=org_a)
    response = web_login(field_worker_a).post(
        f"/prevention/schools/{school.pk}/sessions/new/",
        {
            "held_on": "2025-02-01",
            "topic": "Reporting",
            "teachers_female": "0",
            "teachers_male": "0",
        },
    )
    assert response.status_code == 200
    assert "Count at least one teacher trained." in response.content.decode()


def test_a_case_is_reported_and_followed_up_through_the_pages(web_login, field_worker_a, world):
    client = web_login(field_worker_a)
    case = world["case"]
    client.post(
        f"/prevention/school-cases/{case.pk}/report/",
        {
            "reported_on": "2025-03-05",
            "reported_to": "police",
            "reported_to_detail": "Napak CFPU",
            "version": "1",
        },
    )
    case.refresh_from_db()
    assert (case.stage, case.days_to_report) == ("reported", 2)
    client.post(
        f"/prevention/school-cases/{case.pk}/follow-up/",
        {"followed_on": "2025-04-01", "outcome": "in_school"},
    )
    case.refresh_from_db()
    assert case.stage == "followed_up"
    page = client.get(f"/prevention/schools/{world['school'].pk}/").content.decode()
    assert "Napak CFPU" in page and re.search(r"<td>2</td>", page)


def test_a_stale_attendance_form_shows_both_counts_and_saves_on_the_second_try(
    web_login, field_worker_a, world, sup
):
    activity = world["activity"]
    client = web_login(field_worker_a)
    form = {"version": "2", "female__18_35": "11", "male__18_35": "4"}
    community.set_attendance(sup, activity.pk, attendance({"18_35": 30}), 2)
    response = client.post(f"/prevention/activities/{activity.pk}/", form)
    html = response.content.decode()
    assert "Someone changed this attendance after you opened the page." in html
    assert 'name="version" value="3"' in html
    response = client.post(f"/prevention/activities/{activity.pk}/", {**form, "version": "3"})
    assert response.status_code == 302
    assert (
        community.current_counts(CommunityActivity.objects.get(pk=activity.pk))["male"]["18_35"]
        == 4
    )


def test_a_by_law_moves_through_its_stages_on_the_policy_page(
    web_login, supervisor_a, karamoja_regions
):
    client = web_login(supervisor_a)
    client.post(
        "/prevention/policy/new/",
        {
            "title": "Lopeei Child Protection By-law",
            "kind": "by_law",
            "region": karamoja_regions["lopeei"].pk,
            "drafted_on": "2025-01-10",
        },
    )
    instrument = PolicyInstrument.objects.get()
    assert instrument.level == "sub_county"
    response = client.post(
        f"/prevention/policy/{instrument.pk}/advance/",
        {"to": "lobbied", "version": "1", "reached_on": "2025-02-10"},
        follow=True,
    )
    assert "Lopeei Child Protection By-law is now lobbied." in response.content.decode()


def test_a_survey_defined_with_errors_lists_every_error_and_saves_nothing(web_login, supervisor_a):
    response = web_login(supervisor_a).post(
        "/prevention/surveys/new/",
        {"definition": '{"code": "x", "name": "X", "scales": [], "questions": [{"code": "q"}]}'},
    )
    html = response.content.decode()
    assert "Give at least one scale." in html and "A question needs its text." in html


def test_the_capture_page_offers_reported_cases_and_links_the_manifest(
    web_login, field_worker_a, world, org_a
):
    reported = SchoolCaseFactory(
        school=world["school"],
        reference="LPS-09",
        stage="reported",
        reported_on="2025-03-04",
        reported_to="police",
    )
    html = web_login(field_worker_a).get("/prevention/capture/").content.decode()
    assert f'<option value="{reported.pk}">Lokopo Primary School · LPS-09</option>' in html
    assert "LPS-07" not in html  # identified, not yet reported: nothing to follow up
    assert '<link rel="manifest" href="/prevention/manifest.webmanifest">' in html
    assert SchoolCase.objects.count() == 2


def test_the_service_worker_is_served_for_the_prevention_scope(client):
    response = client.get("/prevention/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/prevention/"
    body = response.content.decode()
    assert 'const PAGE = "/prevention/capture/"' in body and "/static/prevention/capture.js" in body


def test_the_manifest_makes_the_capture_page_installable(client):
    manifest = client.get("/prevention/manifest.webmanifest").json()
    assert manifest["start_url"] == "/prevention/capture/" and manifest["scope"] == "/prevention/"
    assert manifest["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
