"""The name search reads the organisation's key rows, never its caseload (issue 18).

At 1,000,000 survivors a search that joined `cases_survivor` to scope the keys probed every
case of the organisation (docs/BENCHMARKS.md, "Search by name"). Each key row carries the
organisation holding the case, indexed with the key, so the organisation's part of a search is
one index range per key; the cases shared with their identity are read by their own index.
These tests hold the query to that shape, and the key rows' organisation to the case's.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftercare.accounts.roles import Role
from aftercare.cases import care, search, services
from aftercare.cases.models import SearchKey, Survivor
from aftercare.referrals import services as referrals
from tests.conftest import actor, member
from tests.factories import SurvivorFactory

pytestmark = pytest.mark.django_db

INDEX = "searchkey_org_key_survivor"


def found(user, query: str) -> list[str]:
    return [s.case_code for s in services.search_survivors(actor(user), query).cases]


def key_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "cases_searchkey" in q["sql"]]


@pytest.fixture
def asha(org_a):
    return SurvivorFactory(
        organisation=org_a, case_code="AC-WTCG6MQ", given_name="Asha", family_name="Mokoena"
    )


def refer(holder, partner, survivor, to, sections, **kwargs):
    worker = actor(holder)
    care.record_consent(worker, survivor, purpose="referral", granted=True, method="written")
    referral = referrals.refer_survivor(
        worker, survivor, to, ["housing"], "shelter", shared_sections=sections, **kwargs
    )
    referrals.transition(actor(partner), referral.pk, "accept")
    return referral


# The shape of the query --------------------------------------------------------------------


def test_the_search_reads_key_rows_by_their_organisation_without_joining_the_cases(
    case_worker_a, asha
):
    with CaptureQueriesContext(connection) as queries:
        assert [pk for pk, _rank in search.name_matches(actor(case_worker_a), "Mokoena")] == [
            asha.pk
        ]
    [sql] = key_queries(queries)
    assert "cases_survivor" not in sql
    assert '"cases_searchkey"."organisation_id" =' in sql


def test_shared_cases_are_read_by_their_own_ids_in_the_same_query(
    case_worker_a, case_worker_b, org_b, asha
):
    refer(case_worker_a, case_worker_b, asha, org_b, ["identity"])
    with CaptureQueriesContext(connection) as queries:
        assert search.name_matches(actor(case_worker_b), "Mokoena")
    [sql] = key_queries(queries)  # one query: the organisation's part and the shared part
    assert "cases_survivor" not in sql
    assert "UNION" in sql.upper()


def plan_of(sql: str, params) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    return (plan[0] if isinstance(plan, list) else plan)["Plan"]


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_on_postgresql_the_organisations_part_is_an_index_scan_of_its_key_rows(org_a, org_b):
    """Some tens of thousands of key rows in two organisations, analysed: the organisation's
    part of a search is a scan of the (organisation, key, survivor) index, and no plan node
    reads the cases."""
    SurvivorFactory(organisation=org_a, given_name="Asha", family_name="Mokoena")
    for org in (org_a, org_b):
        cases = SurvivorFactory.create_batch(60, organisation=org)
        SearchKey.objects.bulk_create(
            (
                SearchKey(survivor=case, organisation=org, key=uuid.uuid4().hex)
                for case in cases
                for _ in range(250)
            ),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_searchkey")
        cursor.execute("ANALYZE cases_survivor")
    worker = member(org_a, Role.CASE_WORKER)
    with CaptureQueriesContext(connection) as queries:
        assert search.name_matches(actor(worker), "Mokoena")
    [sql] = key_queries(queries)
    sql_only, params = _statement(worker, "Mokoena")
    plan = list(nodes(plan_of(sql_only, params)))
    assert not [n for n in plan if n.get("Relation Name") == "cases_survivor"], sql
    scans = [n for n in plan if n.get("Relation Name") == "cases_searchkey"]
    assert scans and all(n.get("Index Name") == INDEX for n in scans), scans


def _statement(user, query: str):
    """The statement `name_matches` sends, with its parameters (not interpolated)."""
    sent = []

    def capture(execute, sql, params, many, context):
        if "cases_searchkey" in sql:
            sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        search.name_matches(actor(user), query)
    [statement] = sent
    return statement


# Whose key rows ----------------------------------------------------------------------------


def test_key_rows_carry_the_organisation_holding_the_case(asha, org_a):
    assert set(
        SearchKey.objects.filter(survivor=asha).values_list("organisation_id", flat=True)
    ) == {org_a.pk}


def test_keys_stored_in_bulk_carry_the_organisation_too(org_a, org_b):
    cases = [
        SurvivorFactory(organisation=org, given_name="Lerato", family_name="Molefe")
        for org in (org_a, org_b)
    ]
    SearchKey.objects.all().delete()
    search.store_keys_many(cases)
    for case in cases:
        rows = SearchKey.objects.filter(survivor=case)
        assert set(rows.values_list("key", flat=True)) == search.name_keys("Lerato", "Molefe")
        assert set(rows.values_list("organisation_id", flat=True)) == {case.organisation_id}


def test_the_same_name_in_another_organisation_is_never_matched(
    case_worker_a, case_worker_b, asha, org_b
):
    theirs = SurvivorFactory(
        organisation=org_b, case_code="AC-THEIRS0", given_name="Asha", family_name="Mokoena"
    )
    for query in ("Asha", "Mokoena", "Mokena", "asha moko"):
        assert found(case_worker_a, query) == ["AC-WTCG6MQ"]
        assert found(case_worker_b, query) == ["AC-THEIRS0"]
    assert [pk for pk, _ in search.name_matches(actor(case_worker_b), "Asha")] == [theirs.pk]


def test_a_case_shared_without_identity_is_not_found_by_name_with_identity_it_is(
    case_worker_a, case_worker_b, org_b, asha
):
    referral = refer(case_worker_a, case_worker_b, asha, org_b, ["needs"])
    assert found(case_worker_b, "Mokoena") == []
    assert found(case_worker_b, "WTCG6MQ") == ["AC-WTCG6MQ"]
    referrals.transition(actor(case_worker_b), referral.pk, "start")
    referrals.transition(actor(case_worker_b), referral.pk, "complete", text="Housed")
    refer(case_worker_a, case_worker_b, asha, org_b, ["identity"])
    assert found(case_worker_b, "Mokoena") == ["AC-WTCG6MQ"]
    assert found(case_worker_a, "Mokoena") == ["AC-WTCG6MQ"]


def test_a_transferred_case_is_found_by_name_by_its_new_organisation_only(
    case_worker_a, case_worker_b, org_a, org_b, asha
):
    care.record_consent(
        actor(case_worker_a),
        asha,
        purpose="transfer",
        granted=True,
        method="written",
        organisation=org_b,
    )
    referral = refer(case_worker_a, case_worker_b, asha, org_b, ["needs"], transfer=True)
    assert found(case_worker_b, "Mokoena") == []
    referrals.approve_transfer(actor(member(org_a, Role.SUPERVISOR)), referral.pk)
    assert Survivor.objects.get(pk=asha.pk).organisation_id == org_b.pk
    assert set(
        SearchKey.objects.filter(survivor=asha).values_list("organisation_id", flat=True)
    ) == {org_b.pk}
    assert found(case_worker_b, "Mokoena") == ["AC-WTCG6MQ"]
    assert found(case_worker_a, "Mokoena") == []
    assert search.name_matches(actor(case_worker_a), "Asha") == []


def test_anonymised_cases_hold_no_key_rows(org_a, case_worker_a, asha):
    """Why the search needs no join to leave them out: they have no keys to match."""
    worker = actor(case_worker_a)
    services.anonymise(worker, asha, reason="test")
    assert not SearchKey.objects.filter(survivor=asha).exists()
    search.store_keys(Survivor.objects.get(pk=asha.pk))  # a later save adds none back
    assert not SearchKey.objects.filter(survivor=asha).exists()
    assert found(case_worker_a, "Asha") == []


# Counted by the database, scored as before ------------------------------------------------

WORDS = ["asha", "ashanti", "mokoena", "mokena", "maria", "mario", "mariam", "nkosi", "nkosazana"]


def ranked_in_python(user, query: str) -> list[tuple[object, float]]:
    """What `name_matches` gave when it read every matching key row into Python and scored
    each case's set of keys: the oracle for the counts the database now makes."""
    from collections import defaultdict

    words = [search._WordQuery.of(w) for w in dict.fromkeys(search.names.fold(query).split())]
    wanted = set().union(*(w.keys() for w in words))
    held = defaultdict(set)
    rows = SearchKey.objects.filter(key__in=wanted, organisation_id=actor(user).organisation_id)
    for survivor_id, key in rows.values_list("survivor_id", "key"):
        held[survivor_id].add(key)
    ranked = []
    for survivor_id, keys in held.items():
        scores = [w.score(keys) for w in words]
        if all(scores):
            ranked.append((survivor_id, sum(scores)))
    return sorted(ranked, key=lambda item: (-item[1], str(item[0])))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    people=st.lists(
        st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)), min_size=1, max_size=8
    ),
    query=st.lists(
        st.sampled_from(WORDS).flatmap(
            lambda w: st.sampled_from([w, w[:3], w[1:5], w[:-1], w[:2] + "x" + w[3:]])
        ),
        min_size=1,
        max_size=2,
    ),
)
def test_the_counted_matches_and_ranks_are_the_scored_ones(db, case_worker_a, org_a, people, query):
    with transaction.atomic():  # each example on cases of its own, rolled back
        for given_name, family_name in people:
            SurvivorFactory(organisation=org_a, given_name=given_name, family_name=family_name)
        text = " ".join(query)
        got = sorted(
            search.name_matches(actor(case_worker_a), text),
            key=lambda item: (-item[1], str(item[0])),
        )
        assert got == ranked_in_python(case_worker_a, text)
        transaction.set_rollback(True)
