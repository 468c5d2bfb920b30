"""People at risk who were never trafficked: a lighter record, its own organisation's alone,
enrolled in training, jobs, housing and household support only with consent, and counted
apart from survivors only with consent to the use of her data."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from aftercare.accounts.roles import Role
from aftercare.atrisk import access, indicators, services
from aftercare.atrisk.models import Beneficiary, BeneficiaryConsent
from aftercare.core.errors import ConsentRequired, TransitionNotAllowed
from aftercare.livelihoods import households
from tests.atrisk.conftest import PERSON, TODAY
from tests.conftest import actor, member
from tests.factories import PartnerEmployerFactory

pytestmark = pytest.mark.django_db


def test_registered_with_both_consents_and_the_name_encrypted(person_a):
    assert person_a.code.startswith("AR-")
    assert person_a.consents_to_enrolment and person_a.consents_to_data_use
    assert set(BeneficiaryConsent.objects.values_list("purpose", flat=True)) == {
        "enrolment",
        "data_use",
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name FROM atrisk_beneficiary")
        assert "Sapna" not in cursor.fetchone()[0]


def test_no_record_without_consent_to_be_enrolled(case_worker_a):
    with pytest.raises(ConsentRequired):
        services.register(actor(case_worker_a), {**PERSON, "consents_to_enrolment": False})
    assert not Beneficiary.objects.exists()


def test_enrolled_in_training_jobs_housing_and_household_support(case_worker_a, person_a, cohort):
    worker = actor(case_worker_a)
    services.enrol_training(
        worker, person_a, {"cohort": cohort, "enrolled_on": TODAY - timedelta(days=50)}
    )
    with pytest.raises(TransitionNotAllowed):
        services.enrol_training(worker, person_a, {"cohort": cohort.pk})
    employer = PartnerEmployerFactory(
        name="Garments Ltd", added_by_organisation=worker.organisation
    )
    services.place_in_job(
        worker,
        person_a,
        {"employer": employer, "role": "Machinist", "start_date": TODAY - timedelta(days=10)},
    )
    services.house(worker, person_a, {"kind": "transitional", "start": TODAY - timedelta(days=40)})
    home = households.register_household(worker, {"members": 4, "children": 2})
    services.join_household(worker, person_a, home)
    households.give_support(
        worker, home, {"kind": "livestock", "given_on": TODAY - timedelta(days=5)}
    )
    shown = services.detail(person_a)
    assert [len(shown[k]) for k in ("training", "jobs", "housing", "household_support")] == [
        1,
        1,
        1,
        1,
    ]
    found = {i.code: i for i in indicators.for_period(TODAY - timedelta(days=90), TODAY)}
    for code in (
        "at_risk_people_supported",
        "at_risk_trained",
        "at_risk_in_jobs",
        "at_risk_housed",
        "at_risk_household_support",
    ):
        assert found[code].value == 1, code
    assert {c.key for c in found["at_risk_trained"].breakdowns["sex"]} == {"woman"}


def test_reported_apart_from_survivors(case_worker_a, person_a, cohort):
    services.enrol_training(
        actor(case_worker_a), person_a, {"cohort": cohort, "enrolled_on": TODAY - timedelta(days=5)}
    )
    from aftercare.core.stats.indicators import Period
    from aftercare.livelihoods import indicator_counts

    trained = [
        i
        for i in indicator_counts.training(Period(TODAY - timedelta(days=30), TODAY))
        if i.unit == "count"
    ]
    assert all(
        i.value == 0 for i in trained
    )  # she is no survivor: survivors' training counts stay empty


def test_withdrawn_consents_stop_enrolments_and_counting(case_worker_a, person_a, cohort):
    worker = actor(case_worker_a)
    services.house(worker, person_a, {"kind": "hostel", "start": TODAY - timedelta(days=5)})
    services.record_consent(worker, person_a, "data_use", False, "verbal")
    found = {i.code: i for i in indicators.for_period(TODAY - timedelta(days=30), TODAY)}
    assert found["at_risk_housed"].value == 0
    services.record_consent(worker, person_a, "enrolment", False, "verbal")
    with pytest.raises(ConsentRequired):
        services.enrol_training(worker, person_a, {"cohort": cohort})
    assert Beneficiary.objects.get().consents_to_enrolment is False


def test_another_organisation_cannot_see_or_record(case_worker_b, person_a, cohort):
    other = actor(case_worker_b)
    assert not access.beneficiaries(other).exists()
    with pytest.raises(Http404):
        access.get_beneficiary(other, person_a.pk)
    with pytest.raises(Http404):
        services.enrol_training(other, person_a, {"cohort": cohort})


def test_a_household_of_another_organisation_cannot_be_linked(
    case_worker_a, case_worker_b, person_a
):
    theirs = households.register_household(actor(case_worker_b), {"members": 3, "children": 0})
    from aftercare.core.errors import DomainError

    with pytest.raises(DomainError):
        services.join_household(actor(case_worker_a), person_a, theirs)


@pytest.mark.parametrize(
    "role", [Role.REFERRAL_SOURCE, Role.ME_OFFICER, Role.FIELD_WORKER, Role.NETWORK_COORDINATOR]
)
def test_lower_roles_cannot_read(org_a, person_a, role):
    with pytest.raises(PermissionDenied):
        access.get_beneficiary(actor(member(org_a, role)), person_a.pk)


def test_a_role_that_reads_cases_but_does_not_edit_cannot_record(org_a, person_a, cohort):
    from aftercare.accounts.policy import Action, can

    readers = [r for r in Role if r != Role.SURVIVOR]
    for role in readers:
        who = actor(member(org_a, role))
        if can(who, Action.VIEW_CASES) and not can(who, Action.EDIT_CASE):
            with pytest.raises(PermissionDenied):
                services.enrol_training(who, person_a, {"cohort": cohort})
            with pytest.raises(PermissionDenied):
                services.register(who, PERSON)


# Pages and API
# ---------------------------------------------------------------------------------------


def test_pages_list_create_and_detail(web_login, case_worker_a, cohort):
    client = web_login(case_worker_a)
    assert client.get("/at-risk/").status_code == 200
    response = client.post(
        "/at-risk/new/", {**PERSON, "consents_to_enrolment": "on", "consents_to_data_use": "on"}
    )
    assert response.status_code == 302
    person = Beneficiary.objects.get()
    page = client.get(f"/at-risk/{person.pk}/")
    assert page.status_code == 200 and "Sapna" in page.content.decode()
    assert client.get("/at-risk/").content.decode().count(person.code) == 1
    posted = client.post(
        f"/at-risk/{person.pk}/training/", {"cohort": cohort.pk, "enrolled_on": TODAY.isoformat()}
    )
    assert posted.status_code == 302 and person.training.count() == 1


def test_pages_hide_her_from_another_organisation(web_login, case_worker_b, person_a):
    client = web_login(case_worker_b)
    assert client.get(f"/at-risk/{person_a.pk}/").status_code == 404
    assert person_a.code not in client.get("/at-risk/").content.decode()
    assert (
        client.post(
            f"/at-risk/{person_a.pk}/housing/", {"kind": "hostel", "start": TODAY.isoformat()}
        ).status_code
        == 404
    )


def test_api_list_create_detail(api, case_worker_a, case_worker_b, org_a):
    client = api.as_user(case_worker_a)
    created = client.post(
        "/api/v1/beneficiaries", {**PERSON, "consent_method": "verbal"}, format="json"
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.get("/api/v1/beneficiaries").json()["count"] == 1
    detail = client.get(f"/api/v1/beneficiaries/{pk}")
    assert detail.status_code == 200 and detail.json()["given_name"] == "Sapna"
    refused = client.post(
        "/api/v1/beneficiaries", {**PERSON, "consents_to_enrolment": False}, format="json"
    )
    assert refused.status_code in (400, 409)
    missing = client.post("/api/v1/beneficiaries", {"consent_method": "verbal"}, format="json")
    assert missing.status_code == 400 and "given_name" in str(missing.json())
    other = api.as_user(case_worker_b)
    assert other.get(f"/api/v1/beneficiaries/{pk}").status_code == 404
    assert other.get("/api/v1/beneficiaries").json()["count"] == 0
    lower = api.as_user(member(org_a, Role.ME_OFFICER))
    assert lower.get("/api/v1/beneficiaries").status_code == 403
    assert lower.post("/api/v1/beneficiaries", PERSON, format="json").status_code == 403
