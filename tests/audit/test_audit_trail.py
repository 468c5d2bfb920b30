"""The audit trail is append-only and each organisation's admins see their own."""

from datetime import timedelta
from unittest.mock import patch

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.audit.models import AppendOnlyError, AuditAction, AuditEvent
from aftercare.audit.services import record
from aftercare.core.keyset import keyset_page
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


# Paging through a trail of millions (issue 18): by time, from the last row seen, never by
# counting the trail or skipping an offset into it.


def events_at(worker, times):
    """One read recorded at each of `times` (equal times make ties the pager must not lose)."""
    made = []
    for when in times:
        with patch("django.utils.timezone.now", return_value=when):
            made.append(record(worker, AuditAction.READ, label=f"AC-{len(made)}"))
    return made


def walk(trail, direction: str, cursor: str = "", size: int = 4):
    """Follow `direction` ("older" or "newer") from `cursor` to the end: the pages' ids, and the
    last page."""
    pages = []
    while True:
        page = keyset_page(trail, size=size, **{direction: cursor})
        pages.append([event.pk for event in page.object_list])
        cursor = getattr(page, direction)
        if not cursor:
            return pages, page


def test_the_pager_visits_every_event_once_newest_first_ties_included(case_worker_a, org_a):
    start = timezone.now() - timedelta(days=2)
    # Three events a minute: every page boundary of four falls inside a tie somewhere.
    events_at(actor(case_worker_a), [start + timedelta(minutes=i // 3) for i in range(23)])
    trail = AuditEvent.objects.of_organisation(org_a.pk)
    expected = list(trail.order_by("-at", "-id").values_list("pk", flat=True))
    pages, oldest = walk(trail, "older")
    assert [pk for page in pages for pk in page] == expected
    assert [len(page) for page in pages] == [4, 4, 4, 4, 4, 3]
    assert oldest.newer and not oldest.older
    # And back again from the oldest page: the same pages, until the newest, which has no newer.
    back, newest = walk(trail, "newer", cursor=oldest.newer)
    assert back == pages[:-1][::-1]
    assert newest.older and not newest.newer


def test_a_cursor_that_is_not_one_opens_the_newest_page(case_worker_a, org_a):
    events_at(actor(case_worker_a), [timezone.now() - timedelta(minutes=i) for i in range(3)])
    trail = AuditEvent.objects.of_organisation(org_a.pk)
    newest = keyset_page(trail, size=2)
    garbage = ("x", "1-zz", "notanumber-" + "0" * 32, "99999999999999999999-" + "a" * 32, "1-2-3")
    for cursor in garbage:
        assert keyset_page(trail, older=cursor, size=2).object_list == newest.object_list
        assert keyset_page(trail, newer=cursor, size=2).object_list == newest.object_list


def test_the_trail_page_neither_counts_nor_skips(web_login, make_member, case_worker_a, org_a):
    start = timezone.now() - timedelta(days=1)
    events_at(actor(case_worker_a), [start + timedelta(seconds=i) for i in range(120)])
    client = web_login(make_member(org_a, Role.SUPERVISOR, "sup_pager"))
    trail = set(AuditEvent.objects.of_organisation(org_a.pk).values_list("pk", flat=True))
    seen, url = [], "/audit/"
    with CaptureQueriesContext(connection) as captured:
        while url:
            response = client.get(url)
            assert response.status_code == 200
            page = response.context["page"]
            seen += [event.pk for event in page.object_list]
            url = f"/audit/?older={page.older}" if page.older else ""
    trail_reads = [q["sql"].upper() for q in captured if '"audit_auditevent"' in q["sql"]]
    assert trail_reads
    assert not [sql for sql in trail_reads if "COUNT(" in sql or "OFFSET" in sql]
    assert len(seen) == len(set(seen)) and trail <= set(seen) and len(trail) > 120


def test_the_filter_survives_paging(web_login, make_member, case_worker_a, org_a):
    worker = actor(case_worker_a)
    events_at(worker, [timezone.now() - timedelta(minutes=i) for i in range(60)])
    client = web_login(make_member(org_a, Role.SUPERVISOR, "sup_filter"))
    first = client.get("/audit/?action=read")
    assert b"action=read&amp;older=" in first.content
    second = client.get(f"/audit/?action=read&older={first.context['page'].older}")
    assert {e.action for e in second.context["page"].object_list} == {"read"}
    assert b"action=read&amp;newer=" in second.content
