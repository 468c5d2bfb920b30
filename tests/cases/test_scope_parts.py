"""The caseload is read in the two parts of its scope, never through their OR (issue 18).

`visible_to` is the organisation's own cases OR the cases partners share with it. With that OR
PostgreSQL reads every case the organisation holds to count them or to order a page (111,150
cases at 1,000,000 survivors: the caseload took 366 ms and the survivors API 581 ms). The scope
is kept as a node of its own kind (`CaseScope`), so a list is counted part by part and paged
with `UNION ALL … ORDER BY … LIMIT`, each part from its own index. These tests hold the parts to
exactly the scope (nothing more, nothing twice) and the pages to the same rows in the same order
as the single query, and check that the caseload and the survivors API never send the OR.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftercare.accounts.roles import Role
from aftercare.cases import assignment, care, services
from aftercare.cases.models import Survivor
from aftercare.referrals import services as referrals
from aftercare.risk import services as risk_services
from tests.conftest import actor, member
from tests.factories import OrganisationFactory, SurvivorFactory

pytestmark = pytest.mark.django_db

# The OR of the two parts as Django writes it: the organisation's condition, then OR.
SCOPE_OR = re.compile(r'"cases_survivor"\."organisation_id" = \S+ OR\b')


def share(holder_user, partner_user, survivor):
    """Refer `survivor` from her organisation to the partner's, accepted: shared with it."""
    holder = actor(holder_user)
    care.record_consent(holder, survivor, purpose="referral", granted=True, method="written")
    referral = referrals.refer_survivor(
        holder,
        survivor,
        actor(partner_user).organisation,
        ["housing"],
        "shelter",
        shared_sections=["identity"],
    )
    referrals.transition(actor(partner_user), referral.pk, "accept")
    return referral


def caseload(org, n: int) -> list[Survivor]:
    """`n` cases of `org` with risk ranks, follow-up dates and intake times that differ."""
    today = timezone.localdate()
    cases = []
    for i in range(n):
        survivor = SurvivorFactory(organisation=org)
        Survivor.objects.filter(pk=survivor.pk).update(
            risk_rank=i % 4,
            risk_due=today + timedelta(days=i % 3) if i % 4 else None,
            created_at=timezone.now() - timedelta(hours=i * 7 % 11),
        )
        cases.append(survivor)
    return cases


@pytest.fixture
def network(case_worker_a, case_worker_b, org_a, org_b):
    """B holds 7 cases; A shares 3 of its 5 with B."""
    caseload(org_b, 7)
    held_by_a = caseload(org_a, 5)
    for survivor in held_by_a[:3]:
        share(case_worker_a, case_worker_b, survivor)
    return held_by_a


def pks(rows) -> list:
    return [row.pk for row in rows]


def test_the_parts_are_the_scope_disjoint_and_without_the_or(case_worker_b, network):
    visible = Survivor.objects.visible_to(actor(case_worker_b))
    own, shared = visible.in_parts()
    assert len(own) == 7 and len(shared) == 3
    assert set(pks(own)) | set(pks(shared)) == set(pks(visible))
    assert not set(pks(own)) & set(pks(shared))
    for part in (own, shared):
        assert not SCOPE_OR.search(str(part.query))
    assert SCOPE_OR.search(str(visible.query))  # the single query still says it whole


def test_a_count_adds_the_parts_counted_apart(case_worker_b, network):
    visible = Survivor.objects.visible_to(actor(case_worker_b)).counted()
    with CaptureQueriesContext(connection) as queries:
        assert visible.count() == 10
    assert len(queries) == 2
    assert not any(SCOPE_OR.search(q["sql"]) for q in queries)


def test_a_case_held_by_the_organisation_it_was_shared_with_is_counted_once(
    case_worker_b, org_b, network
):
    # The referral still shares it, and B now holds it (a transfer after the referral).
    Survivor.objects.filter(pk=network[0].pk).update(organisation=org_b)
    visible = Survivor.objects.visible_to(actor(case_worker_b))
    assert visible.count() == len(set(pks(visible))) == 10
    assert pks(visible.order_by("case_code").merged()) == pks(visible.order_by("case_code"))


ORDERS = {
    "risk": lambda rows: risk_services.order_caseload(rows, "risk"),
    "due": lambda rows: risk_services.order_caseload(rows, "due"),
    "newest": lambda rows: rows.order_by("-created_at", "id"),
    "default": lambda rows: rows,
}


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("window", [(0, 3), (2, 6), (0, 50), (8, 12)])
def test_a_merged_page_is_the_single_query_s_page(case_worker_b, network, order, window):
    rows = ORDERS[order](
        risk_services.annotate_caseload(services.search_survivors(actor(case_worker_b)).cases)
    )
    start, stop = window
    merged = rows.merged()
    assert pks(merged[start:stop]) == pks(rows[start:stop])
    assert merged.count() == rows.count() == 10
    with CaptureQueriesContext(connection) as queries:
        list(merged[start:stop])
    [sql] = [q["sql"] for q in queries]
    assert "UNION ALL" in sql and not SCOPE_OR.search(sql)


def test_a_search_reads_its_matches_in_parts(case_worker_b, network):
    code = network[0].case_code
    found = services.search_survivors(actor(case_worker_b), code[3:])
    assert pks(found.cases.merged()) == pks(found.cases) == [network[0].pk]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    own=st.integers(0, 6),
    shared=st.integers(0, 4),
    status=st.sampled_from(["", "open", "closed", "active"]),
    risk_level=st.sampled_from(["", "low", "high", "none"]),
    order=st.sampled_from(sorted(ORDERS)),
    start=st.integers(0, 8),
    size=st.integers(1, 5),
)
def test_whatever_the_caseload_a_merged_page_is_the_single_query_s(
    db, own, shared, status, risk_level, order, start, size
):
    with transaction.atomic():  # each example on a network of its own, rolled back
        org_a, org_b = OrganisationFactory(), OrganisationFactory()
        worker_a = member(org_a, Role.CASE_WORKER)
        worker_b = member(org_b, Role.CASE_WORKER)
        caseload(org_b, own)
        for survivor in caseload(org_a, shared):
            share(worker_a, worker_b, survivor)
        Survivor.objects.filter(organisation=org_b, risk_rank=2).update(status="closed")
        cases = services.search_survivors(actor(worker_b), status=status).cases
        rows = ORDERS[order](risk_services.annotate_caseload(cases.at_risk_level(risk_level)))
        window = slice(start, start + size)
        assert pks(rows.merged()[window]) == pks(rows[window])
        assert rows.merged().count() == rows.count() == len(pks(rows))
        transaction.set_rollback(True)


def test_the_caseload_and_the_survivors_api_never_send_the_or(
    web_login, api, case_worker_b, network
):
    client = web_login(case_worker_b)
    with CaptureQueriesContext(connection) as page_queries:
        response = client.get("/cases/?scope=all&order=risk")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 10
    with CaptureQueriesContext(connection) as api_queries:
        response = api.as_user(case_worker_b).get("/api/v1/survivors?limit=4")
    assert response.status_code == 200
    assert response.json()["count"] == 10 and len(response.json()["results"]) == 4
    for queries in (page_queries, api_queries):
        listed = [q["sql"] for q in queries if 'FROM "cases_survivor"' in q["sql"]]
        assert any("UNION ALL" in sql for sql in listed)
        assert not [sql for sql in listed if SCOPE_OR.search(sql)]


def test_another_organisation_and_a_lower_role_get_nothing_more(
    case_worker_a, org_a, org_b, network, make_member
):
    # A shares with B, B shares nothing with A: A's list is A's own five, in parts or not.
    rows = Survivor.objects.visible_to(actor(case_worker_a)).order_by("case_code")
    assert len(rows.in_parts()) == 1
    assert set(pks(rows.merged())) == set(
        Survivor.objects.filter(organisation=org_a).values_list("pk", flat=True)
    )
    # A role that may not see cases gets none, however the list is read.
    volunteer = make_member(org_b, Role.FIELD_WORKER)
    hidden = Survivor.objects.visible_to(actor(volunteer)).order_by("case_code")
    assert list(hidden.merged()) == [] and hidden.count() == 0


def test_a_scope_under_an_or_a_not_or_a_slice_is_not_split(case_worker_b, network):
    visible = Survivor.objects.visible_to(actor(case_worker_b))
    widened = visible | Survivor.objects.filter(case_code="none")
    assert widened.in_parts() == [widened]
    negated = Survivor.objects.exclude(pk__in=visible.values("pk"))
    assert len(negated.in_parts()) == 1
    assert visible.exclude(Q(case_code="x")).in_parts() != [visible]  # a plain AND still splits
    sliced = visible.order_by("case_code")[:4]
    assert sliced.in_parts() == [sliced] and sliced.count() == 4
    grouped = visible.values("status").distinct()
    assert grouped.in_parts() == [grouped]


def mine(user, cases=None):
    cases = Survivor.objects.visible_to(actor(user)) if cases is None else cases
    return assignment.filter_caseload(cases, actor(user), assigned_to="mine")


def test_her_caseload_is_hers_and_the_shared_read_in_parts(
    case_worker_a, case_worker_b, org_b, network, make_member
):
    # Of B's seven cases, three are hers and two a colleague's; A shares three with B.
    colleague = make_member(org_b, Role.CASE_WORKER)
    held = list(Survivor.objects.filter(organisation=org_b).order_by("case_code"))
    for survivor, worker in zip(held, [case_worker_b] * 3 + [colleague] * 2, strict=False):
        Survivor.objects.filter(pk=survivor.pk).update(assigned_worker=worker)
    rows = mine(case_worker_b)
    expected = {s.pk for s in held[:3]} | {s.pk for s in network[:3]}
    assert set(pks(rows)) == expected
    own, shared = rows.in_parts()
    assert set(pks(own)) == {s.pk for s in held[:3]}
    assert set(pks(shared)) == {s.pk for s in network[:3]}
    for order in ORDERS.values():
        ordered = order(risk_services.annotate_caseload(rows))
        assert pks(ordered.merged()[1:5]) == pks(ordered[1:5])
        assert ordered.merged().count() == 6
    # The colleague's list is hers and the same shared three, never B's worker's.
    assert set(pks(mine(colleague))) == {s.pk for s in held[3:5]} | {s.pk for s in network[:3]}
    # A's worker: A's cases assigned to her (none here), and nothing B holds.
    assert not set(pks(mine(case_worker_a))) & {s.pk for s in held}


def test_her_caseload_narrows_only_a_copy(case_worker_b, network):
    visible = Survivor.objects.visible_to(actor(case_worker_b))
    before = str(visible.query)
    mine(case_worker_b, visible)
    assert str(visible.query) == before and visible.count() == 10


def test_her_caseload_without_a_scope_to_split_is_still_hers_and_the_shared(
    case_worker_b, org_b, network
):
    Survivor.objects.filter(organisation=org_b).update(assigned_worker=case_worker_b)
    widened = Survivor.objects.visible_to(actor(case_worker_b)) | Survivor.objects.none()
    assert set(pks(mine(case_worker_b, widened))) == set(
        pks(Survivor.objects.visible_to(actor(case_worker_b)))
    )


def test_her_caseload_page_never_sends_an_or(web_login, api, case_worker_b, org_b, network):
    Survivor.objects.filter(organisation=org_b).update(assigned_worker=case_worker_b)
    client = web_login(case_worker_b)
    with CaptureQueriesContext(connection) as page_queries:
        response = client.get("/cases/?order=risk")  # a case worker opens on "mine"
    assert response.status_code == 200
    assert response.context["scope"] == "mine"
    assert response.context["page"].paginator.count == 10
    with CaptureQueriesContext(connection) as api_queries:
        response = api.as_user(case_worker_b).get("/api/v1/survivors?assigned_to=mine&limit=4")
    assert response.status_code == 200 and response.json()["count"] == 10
    for queries in (page_queries, api_queries):
        listed = [q["sql"] for q in queries if 'FROM "cases_survivor"' in q["sql"]]
        assert any("UNION ALL" in sql for sql in listed)
        assert not [sql for sql in listed if " OR " in sql]


def test_her_caseload_keeps_the_shared_cases_nobody_here_is_assigned_when_workers_are_joined(
    case_worker_b, network
):
    # The caseload selects each case's worker (an outer join): narrowing her part must not turn
    # it into an inner join, which would drop the shared cases, assigned to no one here.
    rows = mine(case_worker_b, services.search_survivors(actor(case_worker_b)).cases)
    assert "INNER JOIN" not in str(rows.query)
    assert set(pks(rows.merged())) == {s.pk for s in network[:3]}
