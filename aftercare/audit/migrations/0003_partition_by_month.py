"""On PostgreSQL, the audit trail becomes a table partitioned by month (aftercare.audit.partitions).

The rows are copied into the new table, the old one is dropped, and its indexes and the
append-only triggers are made again on the partitioned table (the row trigger is cloned to
each partition; the TRUNCATE trigger is added to each). The primary key becomes (id, at): a
partitioned table's unique keys must hold the partition key. SQLite keeps its plain table.
"""

from datetime import date

from django.db import migrations

from aftercare.audit import partitions

TABLE = partitions.TABLE
NEW = f"{TABLE}_partitioned"


def partition(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or partitions.is_partitioned():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname <> %s",
                       [TABLE, f"{TABLE}_pkey"])
        indexes = cursor.fetchall()
        cursor.execute(f'CREATE TABLE "{NEW}" (LIKE "{TABLE}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (at)')
        cursor.execute(f'ALTER TABLE "{NEW}" ADD CONSTRAINT "{NEW}_pkey" PRIMARY KEY (id, at)')
        cursor.execute(f'SELECT min(at) FROM "{TABLE}"')
        oldest = cursor.fetchone()[0]
        this_month = partitions.month_start(date.today())
        month = partitions.month_start(oldest.date()) if oldest else this_month
        month = min(month, this_month)
        while month <= partitions.add_months(this_month, 3):
            name = partitions.partition_name(month)
            cursor.execute(
                f'CREATE TABLE "{name}" PARTITION OF "{NEW}" FOR VALUES FROM (\'{month.isoformat()} 00:00:00+00\') '
                f"TO ('{partitions.add_months(month, 1).isoformat()} 00:00:00+00')"
            )
            month = partitions.add_months(month, 1)
        cursor.execute(f'CREATE TABLE "{TABLE}_default" PARTITION OF "{NEW}" DEFAULT')
        cursor.execute(f'INSERT INTO "{NEW}" SELECT * FROM "{TABLE}"')
        cursor.execute(f'DROP TABLE "{TABLE}"')
        cursor.execute(f'ALTER TABLE "{NEW}" RENAME TO "{TABLE}"')
        cursor.execute(f'ALTER TABLE "{TABLE}" RENAME CONSTRAINT "{NEW}_pkey" TO "{TABLE}_pkey"')
        for _name, indexdef in indexes:
            cursor.execute(indexdef)
        cursor.execute(f'CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON "{TABLE}" '
                       "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()")
        partitions._guard_truncate(cursor, TABLE)
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "WHERE i.inhparent = %s::regclass", [TABLE])
        for (name,) in cursor.fetchall():
            partitions._guard_truncate(cursor, name)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_case_trail")]

    operations = [migrations.RunPython(partition, migrations.RunPython.noop, elidable=False)]
