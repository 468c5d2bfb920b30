"""Search that finds people (issue 16): a case by any part of its code, by part or a
misspelling of a name, without decrypting the table; scoped to the caller's cases; audited;
lists show the first name beside the code to those who may see the survivor's identity."""

from __future__ import annotations

import importlib
import re
import unicodedata
from unittest import mock

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from hypothesis import given, settings
from hypothesis import strategies as st

from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditEvent
from aftercare.cases import care, names, search, services
from aftercare.cases.models import SearchKey, Survivor
from aftercare.core import crypto
from aftercare.referrals import services as referrals
from tests.conftest import actor, member
from tests.factories import SurvivorFactory

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def found(user, query: str, status: str = "") -> list[str]:
    return [s.case_code for s in services.search_survivors(actor(user), query, status).cases]


def matches(name: str, query: str) -> bool:
    """Would a case named `name` match `query`? (The same scoring as the database search,
    over the keys the case would hold.)"""
    held = search.name_keys(name, "")
    return all(search._WordQuery.of(word).score(held) for word in names.fold(query).split())


# The findings of the issue -----------------------------------------------------------------


@pytest.fixture
def asha(org_a):
    return SurvivorFactory(
        organisation=org_a, case_code="AC-WTCG6MQ", given_name="Asha", family_name="Mokoena"
    )


@pytest.fixture
def others(org_a):
    return [
        SurvivorFactory(
            organisation=org_a, case_code="AC-B2C3D4E", given_name="Thandiwe", family_name="Dlamini"
        ),
        SurvivorFactory(
            organisation=org_a, case_code="AC-K5M6N7P", given_name="Priya", family_name="Sharma"
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "Asha",
        "asha",
        "Mokoena",
        "MOKO",
        "koen",
        "asha moko",
        "Mokoena Asha",
        "WTCG6MQ",
        "wtcg",
        "AC-WTCG",
        "6mq",
        "Mokena",
        "Aisha",
        "Ásha Mokoéna",
    ],
)
def test_a_part_or_a_misspelling_finds_the_case(case_worker_a, asha, others, query):
    assert found(case_worker_a, query) == ["AC-WTCG6MQ"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Zanele", "Mokoena Dlamini", "XQZ", "Ashanti"])
def test_what_does_not_match_finds_nothing(case_worker_a, asha, others, query):
    assert found(case_worker_a, query) == []


@pytest.mark.django_db
def test_the_closer_name_comes_first(org_a, case_worker_a):
    SurvivorFactory(
        organisation=org_a, case_code="AC-NEAR000", given_name="Ruth", family_name="Mokena"
    )
    SurvivorFactory(
        organisation=org_a, case_code="AC-EXACT00", given_name="Ruth", family_name="Mokoena"
    )
    assert found(case_worker_a, "Mokoena") == ["AC-EXACT00", "AC-NEAR000"]
    assert found(case_worker_a, "Mokena") == ["AC-NEAR000", "AC-EXACT00"]


@pytest.mark.django_db
def test_status_filter_still_applies(case_worker_a, asha):
    assert found(case_worker_a, "Asha", status="closed") == []
    assert found(case_worker_a, "Asha", status=asha.status) == ["AC-WTCG6MQ"]


@pytest.mark.django_db
def test_other_scripts_are_transliterated(org_a, case_worker_a):
    SurvivorFactory(organisation=org_a, case_code="AC-DEVA000", given_name="राधा", family_name="")
    assert found(case_worker_a, "radha") == ["AC-DEVA000"]
    assert found(case_worker_a, "राधा") == ["AC-DEVA000"]


# Properties over names ---------------------------------------------------------------------

names_in_any_script = st.text(
    alphabet=st.characters(categories=["Lu", "Ll", "Lo", "Mn", "Zs", "Pd"]), min_size=1, max_size=30
)


@given(names_in_any_script)
def test_fold_is_idempotent_and_plain(text):
    folded = names.fold(text)
    assert names.fold(folded) == folded
    assert re.fullmatch(r"([a-z0-9]+( [a-z0-9]+)*)?", folded)


@given(names_in_any_script)
def test_fold_ignores_case_composition_and_spacing(text):
    folded = names.fold(text)
    assert names.fold(text.upper()) == names.fold(text.lower()) or not text.isascii()
    assert names.fold(unicodedata.normalize("NFD", text)) == names.fold(
        unicodedata.normalize("NFC", text)
    )
    assert names.fold(f"  {text}\t ") == folded


@given(st.sampled_from(["é", "É", "è", "ê", "ë", "e\u0301"]))
def test_accents_fold_away(letter):
    assert names.fold(f"Ren{letter}") == "rene"


@given(names_in_any_script, st.data())
def test_any_fragment_of_three_letters_or_more_finds_the_name(name, data):
    words = [w for w in names.fold(name).split() if len(w) >= 3]
    if not words:
        return
    word = data.draw(st.sampled_from(words))
    start = data.draw(st.integers(0, len(word) - 3))
    end = data.draw(st.integers(start + 3, len(word)))
    assert matches(name, word[start:end])


@given(st.text(LETTERS, min_size=1, max_size=12), st.text(LETTERS, min_size=1, max_size=12))
def test_every_whole_word_finds_the_name_in_any_order(given_name, family):
    held = search.name_keys(given_name, family)
    for query in (given_name, family, f"{family} {given_name}"):
        assert all(search._WordQuery.of(w).score(held) for w in names.fold(query).split())


def one_letter_misspellings(word: str):
    return st.one_of(
        st.integers(0, len(word) - 1).flatmap(  # a letter replaced
            lambda i: st.sampled_from(LETTERS).map(lambda c: word[:i] + c + word[i + 1 :])
        ),
        st.integers(0, len(word) - 1).map(lambda i: word[:i] + word[i + 1 :]),  # left out
        st.integers(0, len(word)).flatmap(  # one added
            lambda i: st.sampled_from(LETTERS).map(lambda c: word[:i] + c + word[i:])
        ),
        st.integers(0, len(word) - 2).map(
            lambda i: word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        ),  # swapped
    )


@settings(max_examples=300)
@given(
    st.text(LETTERS, min_size=5, max_size=14).flatmap(
        lambda w: st.tuples(st.just(w), one_letter_misspellings(w))
    )
)
def test_a_one_letter_misspelling_of_a_name_of_five_letters_or_more_finds_it(pair):
    name, misspelt = pair
    assert matches(f"Ruth {name}", misspelt)


# Nothing decrypted, nothing readable -------------------------------------------------------


@pytest.mark.django_db
def test_search_never_decrypts(case_worker_a, asha, others):
    with mock.patch.object(
        crypto, "decrypt", side_effect=AssertionError("decrypted during search")
    ) as decrypt:
        for query in ("Moko", "Mokena", "WTCG", "Asha Mokoena"):
            result = services.search_survivors(actor(case_worker_a), query)
            assert [s.case_code for s in result.cases] == ["AC-WTCG6MQ"]
    decrypt.assert_not_called()


@pytest.mark.django_db
def test_the_keys_are_not_the_names(asha):
    keys = set(SearchKey.objects.filter(survivor=asha).values_list("key", flat=True))
    assert keys and all(re.fullmatch(r"[0-9a-f]{40}", key) for key in keys)
    plain = {"asha", "mokoena", "moko", "ash", "mok", "oko", "MKN", "AX"}
    assert not any(p.lower() in key for key in keys for p in plain if len(p) > 3)
    assert not keys & {crypto.blind_index(p) for p in plain}  # not the plain blind index either


@pytest.mark.django_db
def test_the_keys_depend_on_the_secret_key(settings):
    before = search.name_keys("Asha", "Mokoena")
    settings.AFTERCARE_BLIND_INDEX_KEY = "another-blind-index-key-for-this-test"
    crypto.reset_key_cache()
    try:
        assert not before & search.name_keys("Asha", "Mokoena")
    finally:
        settings.AFTERCARE_BLIND_INDEX_KEY = ""
        crypto.reset_key_cache()


# Keys are written where names are saved ----------------------------------------------------


@pytest.mark.django_db
def test_keys_follow_the_name_through_intake_change_and_anonymising(case_worker_a):
    worker = actor(case_worker_a)
    survivor, _possible = services.intake_survivor(
        worker, {"given_name": "Nokuthula", "family_name": "Zungu"}
    )
    assert found(case_worker_a, "Nokut") == [survivor.case_code]
    survivor = services.update_survivor(
        worker, survivor, {"family_name": "Khumalo"}, survivor.version
    )
    assert found(case_worker_a, "Khuma") == [survivor.case_code]
    assert found(case_worker_a, "Zungu") == []
    services.anonymise(worker, survivor, reason="test")
    assert not SearchKey.objects.filter(survivor=survivor).exists()
    assert found(case_worker_a, "Nokuthula") == []


@pytest.mark.django_db(transaction=True)
def test_the_migrations_backfill_keys_and_their_organisation_for_existing_cases(
    asha, others, survivor_b
):
    """0009 computes the keys of cases saved before search existed; 0015 gives every key row
    the organisation holding its case (0015; as the tables stood at 0014, then forward)."""
    executor = MigrationExecutor(connection)
    before, after = ("cases", "0014_plan_review_due"), ("cases", "0015_searchkey_organisation")
    try:
        executor.migrate([before])
        old = executor.loader.project_state([before]).apps
        old.get_model("cases", "SearchKey").objects.all().delete()
        importlib.import_module("aftercare.cases.migrations.0009_search_keys").backfill(old, None)
        executor.loader.build_graph()
        executor.migrate([after])
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert set(
        SearchKey.objects.filter(survivor=asha).values_list("key", flat=True)
    ) == search.name_keys("Asha", "Mokoena")
    assert SearchKey.objects.filter(survivor=others[0]).exists()
    for case in (asha, *others, survivor_b):
        assert set(
            SearchKey.objects.filter(survivor=case).values_list("organisation_id", flat=True)
        ) == {case.organisation_id}


# Scope: the caller's own cases, and a partner only by what it may see ----------------------


@pytest.mark.django_db
def test_another_organisation_finds_nothing(case_worker_b, asha, survivor_b):
    for query in ("Asha", "Mokoena", "Mokena", "WTCG6MQ", "AC-WTCG6MQ"):
        assert found(case_worker_b, query) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.REFERRAL_SOURCE, Role.ME_OFFICER, Role.NETWORK_COORDINATOR, Role.FIELD_WORKER]
)
def test_a_role_without_cases_finds_nothing_even_in_its_own_organisation(
    org_a, asha, role, web_login, api
):
    user = member(org_a, role)
    assert found(user, "Asha") == []
    assert search.name_matches(actor(user), "Asha") == []
    assert web_login(user).get("/cases/", {"q": "Asha"}).status_code == 403
    assert api.as_user(user).get("/api/v1/survivors", {"q": "Asha"}).status_code == 403


def refer(holder, partner, survivor, org_b, sections):
    worker = actor(holder)
    care.record_consent(worker, survivor, purpose="referral", granted=True, method="written")
    referral = referrals.refer_survivor(
        worker, survivor, org_b, ["housing"], "shelter", shared_sections=sections
    )
    referrals.transition(actor(partner), referral.pk, "accept")
    return referral


@pytest.mark.django_db
def test_partner_without_identity_finds_a_referred_case_by_code_only(
    case_worker_a, case_worker_b, org_b, asha, web_login
):
    refer(case_worker_a, case_worker_b, asha, org_b, ["needs", "plan"])
    assert found(case_worker_b, "WTCG6MQ") == ["AC-WTCG6MQ"]
    assert found(case_worker_b, "Asha") == []
    assert found(case_worker_b, "Mokoena") == []
    body = web_login(case_worker_b).get("/cases/", {"q": "WTCG"}).content.decode()
    assert "AC-WTCG6MQ" in body and "Asha" not in body


@pytest.mark.django_db
def test_partner_with_identity_finds_it_by_name(
    case_worker_a, case_worker_b, org_b, asha, web_login, api
):
    refer(case_worker_a, case_worker_b, asha, org_b, ["identity", "needs"])
    assert found(case_worker_b, "Mokena") == ["AC-WTCG6MQ"]
    body = web_login(case_worker_b).get("/cases/", {"q": "Asha"}).content.decode()
    assert "AC-WTCG6MQ" in body and "Asha" in body
    rows = api.as_user(case_worker_b).get("/api/v1/survivors", {"q": "moko"}).json()["results"]
    assert [(r["case_code"], r["first_name"]) for r in rows] == [("AC-WTCG6MQ", "Asha")]


@pytest.mark.django_db
def test_once_the_referral_ends_the_partner_no_longer_finds_it(
    case_worker_a, case_worker_b, org_b, asha
):
    referral = refer(case_worker_a, case_worker_b, asha, org_b, ["identity"])
    referrals.transition(actor(case_worker_b), referral.pk, "start")
    referrals.transition(actor(case_worker_b), referral.pk, "complete", text="Housed")
    assert found(case_worker_b, "Asha") == []
    assert found(case_worker_b, "WTCG6MQ") == []


# Audited, without the query ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_search_is_audited_with_counts_and_kind_never_the_query(
    case_worker_a, asha, others, web_login, api
):
    before = AuditEvent.objects.count()
    services.search_survivors(actor(case_worker_a), "Mokena")
    web_login(case_worker_a).get("/cases/", {"q": "WTCG"})
    api.as_user(case_worker_a).get("/api/v1/survivors", {"q": "Asha"})
    events = list(AuditEvent.objects.order_by("at")[before:])
    searches = [e for e in events if "search" in e.fields]
    assert [e.fields for e in searches] == [
        ["name", "search"],
        ["code", "search"],
        ["name", "search"],
    ]
    assert all(e.actor_username == "cw_a" and e.object_type == "cases.survivor" for e in searches)
    assert searches[0].object_label == "search: 0 by code, 1 by name"
    for event in events:
        text = " ".join(
            str(v) for v in (event.object_label, event.reason, event.fields, event.object_id)
        ).lower()
        assert not any(q in text for q in ("mokena", "wtcg", "asha"))


# Names beside codes ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_case_list_shows_first_names_to_the_holder_only(
    case_worker_a, case_worker_b, org_a, org_b, asha, web_login, api
):
    refer(case_worker_a, case_worker_b, asha, org_b, ["needs"])
    holder = web_login(case_worker_a).get("/cases/", {"scope": "all"}).content.decode()
    assert re.search(r"AC-WTCG6MQ</a>\s*<span class=\"case-name\">Asha</span>", holder)
    assert "Mokoena" not in holder  # the first name only
    admin = member(org_a, Role.ADMIN)
    assert [
        (r["case_code"], r["first_name"])
        for r in api.as_user(admin).get("/api/v1/survivors").json()["results"]
    ] == [("AC-WTCG6MQ", "Asha")]
    partner = web_login(case_worker_b).get("/cases/").content.decode()
    assert "AC-WTCG6MQ" in partner and "Asha" not in partner
    rows = api.as_user(case_worker_b).get("/api/v1/survivors").json()["results"]
    assert [(r["case_code"], r["first_name"]) for r in rows] == [("AC-WTCG6MQ", None)]


@pytest.mark.django_db
def test_the_list_decrypts_only_the_names_it_shows(org_a, case_worker_a, web_login):
    for i in range(3):
        SurvivorFactory(organisation=org_a, given_name=f"Name{i}", family_name="Family")
    client = web_login(case_worker_a)
    real = crypto.decrypt
    with mock.patch.object(crypto, "decrypt", side_effect=real) as decrypt:
        body = client.get("/cases/", {"scope": "all"}).content.decode()
    assert all(f"Name{i}" in body for i in range(3))
    assert decrypt.call_count == 3  # the given names of the three rows shown, nothing else
    assert Survivor.objects.count() == 3


@pytest.mark.django_db
def test_the_dashboard_shows_first_names_to_the_holder_only(
    case_worker_a, case_worker_b, org_b, asha, web_login
):
    refer(case_worker_a, case_worker_b, asha, org_b, ["needs"])
    holder = web_login(case_worker_a).get("/dashboard/").content.decode()
    assert re.search(r"AC-WTCG6MQ</a>\s*<span class=\"case-name\">Asha</span>", holder)
    partner = web_login(case_worker_b).get("/dashboard/").content.decode()
    assert "AC-WTCG6MQ" in partner and "Asha" not in partner


@pytest.mark.django_db
def test_risk_alerts_show_the_first_name_beside_the_code(case_worker_a, asha, web_login):
    from aftercare.risk import services as risk

    high = dict.fromkeys(
        ["homelessness", "no_income", "unstable_housing", "attachment_to_trafficker"], True
    )
    risk.assess_risk(actor(case_worker_a), asha, high)
    body = web_login(case_worker_a).get("/risk/alerts/").content.decode()
    assert re.search(r"AC-WTCG6MQ</a>\s*<span class=\"case-name\">Asha</span>", body)
