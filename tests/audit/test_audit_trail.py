"""The audit trail is append-only and each organisation's admins see their own."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from aftercare.accounts.roles import Role
from aftercare.audit.models import AppendOnlyError, AuditEvent
from aftercare.audit.services import record
from tests.conftest import actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(case_worker_a):
    return record(actor(case_worker_a), "read", label="AC-TEST")


def test_events_cannot_be_changed_or_deleted_through_the_orm(event):
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_auditevent SET reason = 'x'", "DELETE FROM audit_auditevent"]
)
def test_database_refuses_changes_that_go_around_the_orm(event, statement):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM audit_maintenance"
            )  # undone when the test's transaction rolls back
        with (
            pytest.raises((DatabaseError, IntegrityError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEvent.objects.filter(pk=event.pk, reason="").exists()


def test_event_records_who_when_which_organisation_and_what(event, case_worker_a, org_a):
    assert event.actor_username == case_worker_a.username
    assert event.actor_role == Role.CASE_WORKER
    assert event.organisation_id == org_a.pk
    assert event.at is not None and event.action == "read"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SUPERVISOR])
def test_admins_and_supervisors_see_their_organisations_trail(
    web_login, org_a, make_member, event, role
):
    client = web_login(make_member(org_a, role))
    response = client.get("/audit/")
    assert response.status_code == 200
    assert event in response.context["page"].object_list


def test_admin_of_another_organisation_sees_none_of_it(web_login, org_b, make_member, event):
    client = web_login(make_member(org_b, Role.ADMIN))
    response = client.get("/audit/")
    assert event not in response.context["page"].object_list


@pytest.mark.parametrize(
    "role", [Role.CASE_WORKER, Role.REFERRAL_SOURCE, Role.SURVIVOR, Role.ME_OFFICER]
)
def test_lower_roles_may_not_open_the_trail(web_login, org_a, make_member, role):
    client = web_login(make_member(org_a, role))
    assert client.get("/audit/").status_code == 403
