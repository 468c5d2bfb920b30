"""Savings entries are only ever added: the database refuses to change or remove one.

Deletes go through only while `audit_maintenance` (aftercare.audit) holds a row, as for the
audit trail, so a test run can flush its tables; changes never do.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER savings_entry_no_update BEFORE UPDATE ON livelihoods_savingsentry
       BEGIN SELECT RAISE(ABORT, 'savings entries are never changed: record a correction'); END;""",
    """CREATE TRIGGER savings_entry_no_delete BEFORE DELETE ON livelihoods_savingsentry
       WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
       BEGIN SELECT RAISE(ABORT, 'savings entries are never removed: record a correction'); END;""",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION savings_entry_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_maintenance) THEN RETURN OLD; END IF;
         RAISE EXCEPTION 'savings entries are never changed or removed: record a correction';
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER savings_entry_no_change BEFORE UPDATE OR DELETE ON livelihoods_savingsentry
       FOR EACH ROW EXECUTE FUNCTION savings_entry_append_only();""",
]
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS savings_entry_no_update", "DROP TRIGGER IF EXISTS savings_entry_no_delete"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS savings_entry_no_change ON livelihoods_savingsentry",
        "DROP FUNCTION IF EXISTS savings_entry_append_only()",
    ],
}


def add_triggers(apps, schema_editor):
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for sql in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("livelihoods", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_triggers, drop_triggers)]
