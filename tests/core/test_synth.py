"""`aftercare synth`: bulk synthetic survivors, each audited, encrypted, with unique codes."""

import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from aftercare.audit.models import AuditAction, AuditEvent
from aftercare.cases import search
from aftercare.cases.models import SearchKey, Survivor
from aftercare.core import crypto
from aftercare.demo import network as demo
from aftercare.demo import synthetic

pytestmark = pytest.mark.django_db


def synth(**options) -> str:
    out = StringIO()
    call_command("synth", stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def test_adds_survivors_with_unique_codes_and_create_events():
    output = synth(survivors=30, batch_size=7)

    survivors = list(Survivor.objects.select_related("organisation"))
    assert len(survivors) == 30
    assert len({s.case_code for s in survivors}) == 30
    holders = {slug for slug, *_rest, holds in demo.ORGANISATIONS if holds}
    assert {s.organisation.slug for s in survivors} == holders  # spread over every case holder
    events = AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="cases.survivor")
    assert events.count() == 30
    assert {e.object_id for e in events} == {str(s.pk) for s in survivors}
    assert {e.object_label for e in events} == {s.case_code for s in survivors}
    assert all({"given_name", "status"} <= set(e.fields) for e in events)
    assert "Added 30 synthetic survivors" in output
    # findable by name, each key row under the organisation holding the case (issue 18)
    for survivor in survivors:
        keys = SearchKey.objects.filter(survivor=survivor)
        assert set(keys.values_list("key", flat=True)) == search.name_keys(
            survivor.given_name, survivor.family_name
        )
        assert set(keys.values_list("organisation_id", flat=True)) == {survivor.organisation_id}


def test_identifiers_are_encrypted_at_rest():
    synth(survivors=30)

    survivors = {s.case_code: s for s in Survivor.objects.all()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT case_code, given_name, family_name, phone FROM cases_survivor")
        rows = cursor.fetchall()
    assert len(rows) == 30
    for code, given, family, phone in rows:
        survivor = survivors[code]
        # Fernet tokens are URL-safe base64, so a name with a space or a phone number cannot
        # turn up inside one by chance.
        assert survivor.full_name not in f"{given} {family}"
        assert survivor.phone not in phone
        assert given != survivor.given_name and family != survivor.family_name
        assert crypto.decrypt(given) == survivor.given_name
        assert crypto.decrypt(phone) == survivor.phone
        assert survivor.name_index == crypto.blind_index(survivor.full_name)


def test_a_second_run_with_the_same_seed_gets_fresh_codes():
    synth(survivors=30, seed=7)
    synth(survivors=30, seed=7)  # same draws: every code clashes with the first run's

    assert Survivor.objects.count() == 60
    assert Survivor.objects.values("case_code").distinct().count() == 60


def test_batches_take_new_codes_for_ones_the_database_holds():
    org = demo.load_network()[1]["hope-for-women-sa"]
    first = next(synthetic.generate_batches(random.Random(3), [org], {}, 5, 5))
    Survivor.objects.bulk_create(first)
    again = next(synthetic.generate_batches(random.Random(3), [org], {}, 5, 5))

    assert {s.case_code for s in again}.isdisjoint({s.case_code for s in first})


def test_refused_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        synth(survivors=30)
    assert Survivor.objects.count() == 0
    assert AuditEvent.objects.count() == 0
