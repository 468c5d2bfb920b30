import pytest
from django.db import connection

from aftercare.cases.models import Survivor
from aftercare.cases.services import intake_survivor
from aftercare.core import crypto
from tests.conftest import actor


@pytest.mark.django_db(transaction=True)
def test_database_holds_no_plaintext_identifier_after_intake(
    org_a, make_member, sqlite_database_file
):
    worker = make_member(org_a, "case_worker")
    survivor, _ = intake_survivor(
        actor(worker),
        {
            "given_name": "Zodwaplaintext",
            "family_name": "Mkhizeplaintext",
            "phone": "+27 82 555 0199",
            "address": "14 Hidden Lane, Soweto",
            "id_number": "9001015009087",
            "year_of_birth": 1990,
        },
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_name, family_name, phone, address, "
            "id_number FROM cases_survivor WHERE id = %s",
            [survivor.pk.hex if connection.vendor == "sqlite" else survivor.pk],
        )
        raw = cursor.fetchone()
    assert raw is not None
    for plaintext, stored in zip(
        ["Zodwaplaintext", "Mkhizeplaintext", "+27 82 555 0199", "14 Hidden Lane", "9001015009087"],
        raw,
        strict=True,
    ):
        assert plaintext not in stored
    if connection.vendor == "sqlite":
        content = sqlite_database_file().read_bytes()
        for needle in (b"Zodwaplaintext", b"Mkhizeplaintext", b"9001015009087", b"Hidden Lane"):
            assert needle not in content
    assert Survivor.objects.get(pk=survivor.pk).given_name == "Zodwaplaintext"


def test_blind_index_matches_despite_case_accents_and_spacing():
    assert crypto.blind_index("  Thandiwe   Dlamini ") == crypto.blind_index("thandiwé dlamini")
    assert crypto.blind_index("Thandiwe Dlamini") != crypto.blind_index("Thandiwe Dlamina")
    assert crypto.blind_index("") == ""
