"""The audit trail by month on PostgreSQL: append-only on every partition, and old months
archived sealed to storage before they leave the database."""

from __future__ import annotations

import csv
import io
import os
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from aftercare.audit import partitions
from aftercare.audit.models import AuditAction, AuditEvent
from aftercare.audit.services import record
from aftercare.core import sealed

pytestmark = pytest.mark.django_db
needs_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="partitioning is PostgreSQL's; set DATABASE_URL to run this",
)


def test_sqlite_keeps_a_plain_table():
    if connection.vendor == "postgresql":
        pytest.skip("the SQLite case")
    assert not partitions.is_partitioned()
    assert partitions.ensure_partitions() == []


def test_month_arithmetic():
    assert partitions.add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert partitions.add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert partitions.partition_name(date(2026, 2, 1)) == "audit_auditevent_y2026m02"


@needs_postgresql
def test_the_trail_is_partitioned_by_month_with_the_coming_months_ready():
    assert partitions.is_partitioned()
    this_month = partitions.month_start(date.today())
    names = {name for name, _month in partitions.partition_months()}
    assert {
        partitions.partition_name(partitions.add_months(this_month, n)) for n in range(4)
    } <= names
    record(None, AuditAction.SIGN_IN, None, label="someone")
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{partitions.partition_name(this_month)}"')
        assert cursor.fetchone()[0] >= 1


@needs_postgresql
@pytest.mark.parametrize(
    "statement", ["UPDATE {p} SET reason = 'x'", "DELETE FROM {p}", "TRUNCATE {p}"]
)
def test_each_partition_refuses_changes(statement):
    record(None, AuditAction.SIGN_IN, None, label="someone")
    name = partitions.partition_name(partitions.month_start(date.today()))
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
            cursor.execute(statement.format(p=f'"{name}"'))


@needs_postgresql
def test_old_months_are_archived_sealed_then_dropped(capsys):
    this_month = partitions.month_start(date.today())
    old = partitions.add_months(this_month, -14)
    with connection.cursor() as cursor:
        partitions.create_partition(cursor, old)
    at = datetime(old.year, old.month, 3, 12, tzinfo=UTC)
    [
        AuditEvent.objects.create(
            action=AuditAction.READ, object_id=f"old-{i}", reason="line one\nline two"
        )
        for i in range(3)
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_maintenance (reason) VALUES ('test')")
        cursor.execute("UPDATE audit_auditevent SET at = %s WHERE object_id LIKE 'old-%%'", [at])
    kept = record(None, AuditAction.SIGN_IN, None, label="today")

    call_command(
        "audit_archive", before=(this_month - timedelta(days=1)).replace(day=1).strftime("%Y-%m")
    )
    name = partitions.partition_name(old)
    assert name not in {n for n, _m in partitions.partition_months()}
    out = capsys.readouterr().out
    assert f"{name}: 3 rows archived" in out
    stored = out.split(" archived to ")[1].split()[0]
    raw = sealed.storage().open(stored, "rb").read()
    assert b"old-0" not in raw
    rows = list(csv.DictReader(io.StringIO(sealed.read_all(stored).decode())))
    assert sorted(r["object_id"] for r in rows) == ["old-0", "old-1", "old-2"]
    assert rows[0]["reason"] == "line one\nline two"
    assert not AuditEvent.objects.filter(object_id__startswith="old-").exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    assert AuditEvent.objects.filter(object_type="audit.partition", object_label=name).exists()


@needs_postgresql
def test_the_current_month_cannot_be_archived():
    with pytest.raises(ValueError, match="over"):
        partitions.archive_before(partitions.add_months(partitions.month_start(date.today()), 1))
