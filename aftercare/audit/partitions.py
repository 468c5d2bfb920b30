"""The audit trail partitioned by month on PostgreSQL, and old months archived.

The trail grows with every read. On PostgreSQL `audit_auditevent` is a table partitioned by
range of `at`, one partition a month (`audit_auditevent_y2026m12`) and a default partition
for anything outside them. The append-only rules hold on every partition: the row trigger is
declared on the parent (PostgreSQL clones it to each partition), and the TRUNCATE trigger is
added to each partition as it is made, so going around the parent is refused too.

`ensure_partitions` makes the coming months' partitions (daily, by Celery beat, and at
migration); `archive_before` detaches the months before a date, writes each one sealed (CSV,
encrypted in chunks, aftercare.core.sealed) to storage, checks it reads back whole, and only
then drops it. SQLite keeps a plain table: none of this applies there.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

from aftercare.core import sealed

TABLE = "audit_auditevent"
PARTITION = re.compile(rf"^{TABLE}_y(\d{{4}})m(\d{{2}})$")
TRUNCATE_TRIGGER = "audit_event_no_truncate"


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{TABLE}_y{month.year:04d}m{month.month:02d}"


def is_partitioned(cursor=None) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as c:
        c.execute(
            "SELECT relkind FROM pg_class WHERE relname = "
            "%s AND relnamespace = 'public'::regnamespace",
            [TABLE],
        )
        row = c.fetchone()
    return bool(row) and row[0] == "p"


def _guard_truncate(cursor, table: str) -> None:
    cursor.execute(
        "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass",
        [TRUNCATE_TRIGGER, table],
    )
    if cursor.fetchone() is None:
        cursor.execute(
            f'CREATE TRIGGER {TRUNCATE_TRIGGER} BEFORE TRUNCATE ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
        )


def create_partition(cursor, month: date, parent: str = TABLE) -> str:
    """The month's partition (and its TRUNCATE guard), if it does not exist yet."""
    name = partition_name(month)
    cursor.execute(
        f'CREATE TABLE IF NOT EXISTS "{name}" PARTITION OF "{parent}" '
        f"FOR VALUES FROM ('{month.isoformat()} 00:00:00+00') "
        f"TO ('{add_months(month, 1).isoformat()} 00:00:00+00')"
    )
    _guard_truncate(cursor, name)
    return name


def ensure_partitions(today: date | None = None, ahead: int = 3) -> list[str]:
    """This month's partition and the next `ahead` months'."""
    if not is_partitioned():
        return []
    first = month_start(today or date.today())
    with transaction.atomic(), connection.cursor() as cursor:
        return [create_partition(cursor, add_months(first, n)) for n in range(ahead + 1)]


def partition_months() -> list[tuple[str, date]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass ORDER BY c.relname",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    months = []
    for name in names:
        match = PARTITION.match(name)
        if match:
            months.append((name, date(int(match.group(1)), int(match.group(2)), 1)))
    return months


@dataclass
class Archived:
    partition: str
    rows: int
    stored: str


def archive_before(before: date, *, actor_label: str = "aftercare audit-archive") -> list[Archived]:
    """Detach, store sealed, verify and drop every monthly partition wholly before `before`
    (which may not be later than the first day of the current month)."""
    from aftercare.audit.models import AuditAction
    from aftercare.audit.services import record

    if not is_partitioned():
        raise ValueError("the audit trail is not partitioned (PostgreSQL only)")
    if before > month_start(date.today()):
        raise ValueError("only months that are over can be archived")
    done = []
    for name, month in partition_months():
        if add_months(month, 1) > before:
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE "{TABLE}" DETACH PARTITION "{name}"')
            cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608 - a partition name from pg_inherits, matched by PARTITION
            rows = cursor.fetchone()[0]
            writer = sealed.SealedWriter()
            try:
                with cursor.cursor.copy(
                    f'COPY (SELECT * FROM "{name}" ORDER BY at, id) '  # noqa: S608
                    "TO STDOUT WITH (FORMAT csv, HEADER)"
                ) as copy:
                    for data in copy:
                        writer.write(bytes(data))
                stored = writer.store(f"audit-archive/{name}.csv.sealed")
            except BaseException:
                writer.discard()
                raise
            read_back = (
                sum(
                    1
                    for _row in csv.reader(
                        io.TextIOWrapper(_Chunks(sealed.read_chunks(stored)), encoding="utf-8")
                    )
                )
                - 1
            )
            if read_back != rows:
                sealed.delete(stored)
                raise RuntimeError(
                    f"{name}: {rows} rows detached but {read_back} read back; nothing dropped"
                )
            cursor.execute(f'DROP TABLE "{name}"')
            record(
                None,
                AuditAction.EXPORT,
                None,
                object_type="audit.partition",
                label=name,
                fields=["archived"],
                reason=f"{rows} rows archived to {stored} by {actor_label}",
            )
        done.append(Archived(name, rows, stored))
    return done


class _Chunks(io.RawIOBase):
    """A readable binary file over an iterator of byte chunks."""

    def __init__(self, chunks):
        self._chunks, self._rest = iter(chunks), b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._rest:
            try:
                self._rest = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(buffer), len(self._rest))
        buffer[:n], self._rest = self._rest[:n], self._rest[n:]
        return n
