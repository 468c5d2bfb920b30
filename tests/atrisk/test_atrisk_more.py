"""Issue 17 item 6 leftovers: every write her page can make is an API operation too (same
services, 400 with field errors, 404 from another organisation, 403 for a lower role); her
record can be corrected with a `version` (409 when stale), audited, the name kept encrypted;
and survivors' households_supported no longer counts households of people at risk."""

from datetime import timedelta

import pytest
from django.db import connection

from aftercare.accounts.roles import Role
from aftercare.atrisk import services
from aftercare.atrisk.models import Beneficiary
from aftercare.audit.models import AuditEvent
from aftercare.livelihoods import households
from aftercare.network.models import Region
from tests.atrisk.conftest import TODAY
from tests.conftest import actor, member
from tests.factories import PartnerEmployerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(case_worker_a):
    return PartnerEmployerFactory(
        name="Garments Ltd", added_by_organisation=actor(case_worker_a).organisation
    )


def _url(person, tail=""):
    return f"/api/v1/beneficiaries/{person.pk}{tail}"


def test_api_records_what_the_page_records(api, case_worker_a, person_a, cohort, employer):
    client = api.as_user(case_worker_a)
    enrolled = client.post(
        _url(person_a, "/training"),
        {"cohort": str(cohort.pk), "enrolled_on": (TODAY - timedelta(days=30)).isoformat()},
        format="json",
    )
    assert enrolled.status_code == 201, enrolled.content
    again = client.post(_url(person_a, "/training"), {"cohort": str(cohort.pk)}, format="json")
    assert again.status_code == 409 and "cohort" in again.json()["errors"]
    done = client.post(
        _url(person_a, f"/training/{enrolled.json()['id']}/complete"),
        {"completed_on": TODAY.isoformat(), "certificate_number": "C-1"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["status"] == "completed", done.content
    job = client.post(
        _url(person_a, "/jobs"),
        {
            "employer": str(employer.pk),
            "role": "Machinist",
            "start_date": (TODAY - timedelta(days=3)).isoformat(),
        },
        format="json",
    )
    assert job.status_code == 201, job.content
    housed = client.post(
        _url(person_a, "/housing"), {"kind": "hostel", "start": TODAY.isoformat()}, format="json"
    )
    assert housed.status_code == 201, housed.content
    home = households.register_household(actor(case_worker_a), {"members": 4, "children": 2})
    linked = client.put(_url(person_a, "/household"), {"household": str(home.pk)}, format="json")
    assert linked.status_code == 200 and linked.json()["household"] == home.code
    shown = client.get(_url(person_a)).json()
    assert [len(shown[k]) for k in ("training", "jobs", "housing")] == [1, 1, 1]
    withdrawn = client.post(
        _url(person_a, "/consents"),
        {"purpose": "enrolment", "granted": False, "method": "verbal"},
        format="json",
    )
    assert withdrawn.status_code == 201 and withdrawn.json()["granted"] is False
    refused = client.post(
        _url(person_a, "/housing"), {"kind": "hostel", "start": TODAY.isoformat()}, format="json"
    )
    assert refused.status_code == 409  # no consent to be enrolled: nothing new recorded
    assert person_a.housing.count() == 1


def test_api_bad_input_gives_field_errors(api, case_worker_a, case_worker_b, person_a):
    client = api.as_user(case_worker_a)
    future = (TODAY + timedelta(days=3)).isoformat()
    cases = [
        ("/training", {}, "cohort"),
        ("/jobs", {"role": "x", "start_date": future}, "employer"),
        ("/jobs", {"role": "x", "start_date": future}, "start_date"),
        ("/housing", {"kind": "castle", "start": TODAY.isoformat()}, "kind"),
        (
            "/housing",
            {
                "kind": "hostel",
                "start": TODAY.isoformat(),
                "end": (TODAY - timedelta(days=2)).isoformat(),
            },
            "end",
        ),
        ("/consents", {"purpose": "everything", "granted": True, "method": "verbal"}, "purpose"),
    ]
    for tail, body, field in cases:
        answer = client.post(_url(person_a, tail), body, format="json")
        assert answer.status_code == 400 and field in answer.json()["errors"], (
            tail,
            answer.content,
        )
    theirs = households.register_household(actor(case_worker_b), {"members": 3, "children": 0})
    answer = client.put(_url(person_a, "/household"), {"household": str(theirs.pk)}, format="json")
    assert answer.status_code == 400 and "household" in answer.json()["errors"]


@pytest.mark.parametrize(
    "tail, body",
    [
        ("/consents", {"purpose": "data_use", "granted": False, "method": "verbal"}),
        ("/housing", {"kind": "hostel", "start": TODAY.isoformat()}),
        ("/household", {"household": None}),
        ("", {"given_name": "Other", "version": 1}),
    ],
)
def test_api_writes_refused_to_another_organisation_and_a_lower_role(
    api, org_a, case_worker_b, person_a, tail, body
):
    method = "put" if tail == "/household" else "patch" if tail == "" else "post"
    other = getattr(api.as_user(case_worker_b), method)(_url(person_a, tail), body, format="json")
    assert other.status_code == 404
    for role in (Role.ME_OFFICER, Role.FIELD_WORKER):
        lower = getattr(api.as_user(member(org_a, role)), method)(
            _url(person_a, tail), body, format="json"
        )
        assert lower.status_code == 403, role
    person_a.refresh_from_db()
    assert (
        person_a.given_name == "Sapna"
        and person_a.consents_to_data_use
        and not person_a.housing.exists()
    )


def test_api_complete_training_of_another_organisation_is_404(
    api, case_worker_a, case_worker_b, person_a, cohort
):
    row = services.enrol_training(actor(case_worker_a), person_a, {"cohort": cohort})
    answer = api.as_user(case_worker_b).post(
        _url(person_a, f"/training/{row.pk}/complete"),
        {"completed_on": TODAY.isoformat()},
        format="json",
    )
    assert answer.status_code == 404
    row.refresh_from_db()
    assert row.status == "enrolled"


def test_api_patch_profile_with_version(api, case_worker_a, person_a):
    region = Region.objects.first() or Region.objects.create(
        code="in-wb-test", name="Test district", level="district"
    )
    client = api.as_user(case_worker_a)
    changed = client.patch(
        _url(person_a),
        {
            "given_name": "Sapna Rani",
            "year_of_birth": TODAY.year - 20,
            "region": region.code,
            "version": 1,
        },
        format="json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["version"] == 2 and changed.json()["region"] == region.code
    stale = client.patch(_url(person_a), {"given_name": "Lost", "version": 1}, format="json")
    assert stale.status_code == 409 and "version" in stale.json()["errors"]
    missing = client.patch(_url(person_a), {"given_name": "Lost"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()["errors"]
    blank = client.patch(_url(person_a), {"given_name": " ", "version": 2}, format="json")
    assert blank.status_code == 400 and "given_name" in blank.json()["errors"]
    person = Beneficiary.objects.get()
    assert person.given_name == "Sapna Rani" and person.version == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name FROM atrisk_beneficiary")
        assert "Sapna" not in cursor.fetchone()[0]
    event = (
        AuditEvent.objects.filter(action="update", object_id=str(person.pk)).order_by("-at").first()
    )
    assert set(event.fields) == {"given_name", "year_of_birth", "region"}
    assert "Sapna" not in str(event.fields) + event.reason + event.object_label


def test_web_edit_saves_and_refuses_a_stale_form(
    web_login, case_worker_a, case_worker_b, org_a, person_a
):
    client = web_login(case_worker_a)
    page = client.get(f"/at-risk/{person_a.pk}/edit/")
    assert page.status_code == 200 and 'name="version"' in page.content.decode()
    saved = client.post(
        f"/at-risk/{person_a.pk}/edit/",
        {
            "given_name": "Sapna Devi",
            "gender": "woman",
            "year_of_birth": TODAY.year - 21,
            "version": 1,
        },
    )
    assert saved.status_code == 302
    stale = client.post(
        f"/at-risk/{person_a.pk}/edit/", {"given_name": "Lost", "gender": "woman", "version": 1}
    )
    assert stale.status_code == 200 and "changed since you opened it" in stale.content.decode()
    person = Beneficiary.objects.get()
    assert (person.given_name, person.year_of_birth, person.version) == (
        "Sapna Devi",
        TODAY.year - 21,
        2,
    )
    assert web_login(case_worker_b).get(f"/at-risk/{person_a.pk}/edit/").status_code == 404
    assert (
        web_login(member(org_a, Role.ME_OFFICER)).get(f"/at-risk/{person_a.pk}/edit/").status_code
        == 403
    )


def test_households_supported_counts_survivors_households_only(case_worker_a, person_a, survivor_a):
    from aftercare.atrisk import indicators as at_risk
    from aftercare.core.stats.indicators import Period
    from aftercare.reports.indicators import livelihood_counts

    worker = actor(case_worker_a)
    hers = households.register_household(worker, {"members": 4, "children": 2})
    services.join_household(worker, person_a, hers)
    households.give_support(
        worker, hers, {"kind": "livestock", "given_on": TODAY - timedelta(days=5)}
    )
    survivors = households.register_household(
        worker, {"members": 3, "children": 1, "survivor": survivor_a}
    )
    households.give_support(
        worker, survivors, {"kind": "livestock", "given_on": TODAY - timedelta(days=4)}
    )
    period = Period(TODAY - timedelta(days=30), TODAY)
    found = {i.code: i for i in livelihood_counts.households(period)}
    assert found["households_supported"].value == 1
    assert {i.code: i for i in at_risk.for_period(period.start, period.end)}[
        "at_risk_household_support"
    ].value == 1
