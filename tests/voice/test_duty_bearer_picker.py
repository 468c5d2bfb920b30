"""Duty bearers as seed 001 names them, and a service that names its duty bearer by picking an
entry of the registry (typeahead), never by a free-typed name that must match exactly."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from aftercare.cases import care
from aftercare.cases.models import ServiceDelivery
from aftercare.voice import ratings
from aftercare.voice.models import DutyBearerKind
from tests.conftest import actor
from tests.voice.factories import DutyBearerFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_the_kinds_seed_001_names_are_all_there():
    for kind in (
        "social_worker",
        "panchayat_member",
        "elected_representative",
        "block_development_officer",
        "district_administrator",
        "health_worker",
        "hospital",
        "police",
        "prosecutor",
        "magistrate",
        "lawyer",
    ):
        assert kind in DutyBearerKind.values
    assert DutyBearerKind("magistrate").label == "Magistrate or judge"


@pytest.mark.parametrize(
    "kind", ["elected_representative", "district_administrator", "prosecutor", "magistrate"]
)
def test_the_new_kinds_can_be_registered_through_the_api(api, case_worker_a, org_a, kind):
    client = api.as_user(case_worker_a)
    response = client.post(
        "/api/v1/duty-bearers",
        {"name": f"A {kind}", "kind": kind, "organisation": str(org_a.pk)},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert client.get(f"/api/v1/duty-bearers?kind={kind}").json()["count"] == 1


# The typeahead ------------------------------------------------------------------------------------


@pytest.fixture
def nurse(org_a):
    return DutyBearerFactory(
        name="Sister N. Dlamini, ward nurse", organisation=org_a, registered_by=org_a
    )


def test_the_typeahead_offers_matching_entries_as_radio_options(
    web_login, case_worker_a, nurse, org_a, org_b
):
    other = DutyBearerFactory(
        name="Nurse Wanjiru, outpatients", organisation=org_b, registered_by=org_b
    )
    DutyBearerFactory(
        name="Nurse who left", organisation=org_a, registered_by=org_a, is_active=False
    )
    html = (
        web_login(case_worker_a)
        .get("/voice/duty-bearers/options/", {"field": "duty_bearer", "duty_bearer_q": "nurse"})
        .content.decode()
    )
    assert f'name="duty_bearer" value="{nurse.pk}"' in html and f'value="{other.pk}"' in html
    assert html.index(str(nurse.pk)) < html.index(
        str(other.pk)
    )  # the caller's own organisation's first
    assert "Nurse who left" not in html
    assert 'value="" checked' in html  # "no duty bearer" stays a choice


def test_the_typeahead_waits_for_two_letters_and_says_when_nothing_matches(
    web_login, case_worker_a, nurse
):
    client = web_login(case_worker_a)
    assert (
        str(nurse.pk)
        not in client.get("/voice/duty-bearers/options/", {"duty_bearer_q": "s"}).content.decode()
    )
    assert (
        "No entry of the registry matches"
        in client.get("/voice/duty-bearers/options/", {"duty_bearer_q": "zzz"}).content.decode()
    )


def test_the_typeahead_is_refused_to_a_survivor(survivor_client, portal_a, nurse):
    response = survivor_client(portal_a).get(
        "/voice/duty-bearers/options/", {"duty_bearer_q": "nurse"}
    )
    assert response.status_code == 403


def test_the_case_page_offers_the_picker_not_a_text_box(web_login, case_worker_a, survivor_a):
    # The service form is read when its section is opened (casefile.forms_on_open, issue 18).
    html = web_login(case_worker_a).get(f"/cases/{survivor_a.pk}/forms/service/").content.decode()
    assert 'hx-get="/voice/duty-bearers/options/"' in html
    assert 'name="duty_bearer_q"' in html and 'type="radio" name="duty_bearer" value=""' in html


# Recording a service
# ---------------------------------------------------------------------------------


def test_the_case_page_records_the_picked_duty_bearer(
    web_login, case_worker_a, survivor_a, org_a, nurse
):
    client = web_login(case_worker_a)
    client.post(
        f"/cases/{survivor_a.pk}/services/",
        {
            "domain": "medical",
            "organisation": str(org_a.pk),
            "date": "2026-01-05",
            "duty_bearer": str(nurse.pk),
        },
    )
    assert survivor_a.services.get().duty_bearer == nurse
    assert nurse.name in client.get(f"/cases/{survivor_a.pk}/").content.decode()


def test_the_api_takes_a_registry_id_and_refuses_a_name_or_a_retired_entry(
    api, case_worker_a, survivor_a, org_a, nurse
):
    client = api.as_user(case_worker_a)
    url = f"/api/v1/survivors/{survivor_a.pk}/services"
    body = {"domain": "medical", "organisation": str(org_a.pk), "date": str(timezone.localdate())}
    created = client.post(url, {**body, "duty_bearer": str(nurse.pk)}, format="json")
    assert created.status_code == 201 and created.json()["duty_bearer"] == str(nurse.pk)
    assert (
        client.post(
            url, {**body, "duty_bearer": "Sister N. Dlamini, ward nurse"}, format="json"
        ).status_code
        == 400
    )
    nurse.is_active = False
    nurse.save()
    assert (
        client.post(url, {**body, "duty_bearer": str(nurse.pk)}, format="json").status_code == 400
    )
    assert client.post(url, body, format="json").status_code == 201  # none is fine


def test_a_picked_duty_bearer_of_another_organisation_can_be_rated_for_the_service(
    survivor_a, org_b
):
    judge = DutyBearerFactory(
        name="Magistrate K. Otieno", kind="magistrate", organisation=org_b, registered_by=org_b
    )
    service = ServiceFactory(survivor=survivor_a, duty_bearer=judge)
    assert judge.pk in [s.pk for s in ratings.subjects_for_service(service)]
    # A name typed before the registry was used names no one to rate.
    typed = ServiceFactory(survivor=survivor_a, duty_bearer_name="Magistrate K. Otieno")
    assert judge.pk not in [s.pk for s in ratings.subjects_for_service(typed)]


def test_a_retired_entry_cannot_be_recorded(survivor_a, case_worker_a, org_a, nurse):
    nurse.is_active = False
    nurse.save()
    from aftercare.core.errors import DomainError

    with pytest.raises(DomainError, match="no longer in the registry"):
        care.record_service(
            actor(case_worker_a),
            survivor_a,
            {
                "domain": "medical",
                "organisation": org_a,
                "date": timezone.localdate(),
                "duty_bearer": nurse,
            },
        )


# Migrating the names typed before
# ----------------------------------------------------------------------


def test_typed_names_are_linked_to_the_one_entry_they_name_and_kept_otherwise(
    survivor_a, org_a, org_b
):
    migration = importlib.import_module(
        "aftercare.cases.migrations.0006_service_duty_bearer_from_registry"
    )
    nurse = DutyBearerFactory(
        name="Sister N. Dlamini, ward nurse", organisation=org_a, registered_by=org_a
    )
    DutyBearerFactory(name="Officer Khumalo", organisation=org_a, registered_by=org_a)
    DutyBearerFactory(
        name="Officer Khumalo", organisation=org_b, registered_by=org_b
    )  # two entries: ambiguous
    exact = ServiceFactory(
        survivor=survivor_a, duty_bearer_name="  sister n. dlamini,  ward nurse "
    )
    ambiguous = ServiceFactory(survivor=survivor_a, duty_bearer_name="Officer Khumalo")
    unknown = ServiceFactory(survivor=survivor_a, duty_bearer_name="the man at the depot")
    migration.link_registry_entries(apps, None)
    rows = {s.pk: s for s in ServiceDelivery.objects.all()}
    assert rows[exact.pk].duty_bearer == nurse and rows[exact.pk].duty_bearer_name == ""
    assert (
        rows[ambiguous.pk].duty_bearer is None
        and rows[ambiguous.pk].duty_bearer_name == "Officer Khumalo"
    )
    assert (
        rows[unknown.pk].duty_bearer is None
        and rows[unknown.pk].duty_bearer_name == "the man at the depot"
    )


def test_the_subjects_of_many_services_are_read_at_once(survivor_a, org_a, org_b, assert_queries):
    """Whom she may rate for each service: the organisation, the duty bearer the service names,
    up to 50 registered with the organisation (by name); in two queries for all her services,
    not two for each (the portal's rating list, a case's feedback codes)."""
    ours = DutyBearerFactory.create_batch(52, organisation=org_a, registered_by=org_a)
    DutyBearerFactory(organisation=org_a, registered_by=org_a, is_active=False)
    theirs = DutyBearerFactory.create_batch(2, organisation=org_b, registered_by=org_b)
    plain = ServiceFactory(survivor=survivor_a)
    named = ServiceFactory(survivor=survivor_a, duty_bearer=theirs[0])
    partner = ServiceFactory(survivor=survivor_a, organisation=org_b)
    first_fifty = sorted(ours, key=lambda b: (b.name, b.pk))[:50]
    with assert_queries(2):
        subjects = ratings.subjects_for_services([plain, named, partner])
    assert [s.pk for s in subjects[plain.pk]] == [org_a.pk, *(b.pk for b in first_fifty)]
    assert [s.pk for s in subjects[named.pk]] == [
        org_a.pk,
        theirs[0].pk,
        *(b.pk for b in first_fifty),
    ]
    assert sorted(s.pk for s in subjects[partner.pk][1:]) == sorted(b.pk for b in theirs)
    assert subjects[partner.pk][0].organisation == org_b
    assert ratings.subjects_for_service(named) == subjects[named.pk]
