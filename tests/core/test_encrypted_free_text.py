"""Free text that describes a survivor is encrypted at rest like her identifiers, and the
migration that made it so encrypts the rows written before."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from aftercare.cases import care
from aftercare.core import crypto
from aftercare.core.fields import encrypt_existing_rows
from tests.conftest import actor

pytestmark = pytest.mark.django_db


def stored(table: str, column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE id = %s",
            [pk.hex if connection.vendor == "sqlite" else pk],
        )  # noqa: S608
        return cursor.fetchone()[0]


def test_goal_text_review_and_closure_notes_are_stored_encrypted(case_worker_a, survivor_a):
    worker = actor(case_worker_a)
    goal = care.add_goal(
        worker,
        survivor_a,
        {
            "domain": "housing",
            "description": "Live near my sister in Soweto",
            "actions": "Call her sister",
        },
    )
    review = care.review_plan(
        worker,
        survivor_a,
        reviewed_on=timezone.localdate(),
        outcome="Afraid of her uncle",
        survivor_took_part=True,
    )
    raw = stored("cases_goal", "description", goal.pk)
    assert "Soweto" not in raw and crypto.decrypt(raw) == "Live near my sister in Soweto"
    assert "uncle" not in stored("cases_planreview", "outcome", review.pk)
    goal.refresh_from_db()
    assert goal.description == "Live near my sister in Soweto"


def test_the_migration_encrypts_rows_written_in_plain_text_and_leaves_tokens_alone(
    case_worker_a, survivor_a
):
    goal = care.add_goal(
        actor(case_worker_a), survivor_a, {"domain": "housing", "description": "already a token"}
    )
    token = stored("cases_goal", "description", goal.pk)
    key = goal.pk.hex if connection.vendor == "sqlite" else goal.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_goal SET actions = %s WHERE id = %s",
            ["written before, in plain text", key],
        )
    operation = encrypt_existing_rows("cases", "Goal", ("description", "actions"))
    editor = SimpleNamespace(
        connection=connection, quote_name=connection.ops.quote_name
    )  # what the operation uses
    operation.code(apps, editor)
    assert stored("cases_goal", "description", goal.pk) == token
    actions = stored("cases_goal", "actions", goal.pk)
    assert (
        "plain text" not in actions and crypto.decrypt(actions) == "written before, in plain text"
    )
    operation.reverse_code(apps, editor)
    assert stored("cases_goal", "actions", goal.pk) == "written before, in plain text"
