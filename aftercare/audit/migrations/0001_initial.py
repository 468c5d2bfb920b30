import uuid

from django.db import migrations, models

# A table outside the ORM: while it holds a row, the triggers let deletes through. Only the
# database owner can write to it; test runs use it so that Django can flush between tests.
MAINTENANCE_TABLE = "CREATE TABLE IF NOT EXISTS audit_maintenance (reason TEXT NOT NULL)"

SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;""",
]
POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM audit_maintenance) THEN
           IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
           RETURN OLD;
         END IF;
         RAISE EXCEPTION 'the audit trail is append-only';
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();""",
]


def add_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}.get(vendor, [])
    if statements:
        schema_editor.execute(MAINTENANCE_TABLE)
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
                ("actor_id", models.UUIDField(blank=True, null=True)),
                ("actor_username", models.CharField(blank=True, max_length=150)),
                ("actor_role", models.CharField(blank=True, max_length=30)),
                ("organisation_id", models.UUIDField(blank=True, db_index=True, null=True)),
                ("action", models.CharField(max_length=20, choices=[("create", "created"), ("update", "updated"), ("delete", "deleted"), ("read", "viewed"), ("list", "listed"), ("export", "exported"), ("sign_in", "signed in"), ("sign_in_failed", "failed to sign in"), ("sign_out", "signed out"), ("two_factor", "changed two-factor sign-in"), ("rotate_keys", "rotated encryption keys")])),
                ("object_type", models.CharField(blank=True, max_length=60)),
                ("object_id", models.CharField(blank=True, db_index=True, max_length=64)),
                ("object_label", models.CharField(blank=True, max_length=200)),
                ("fields", models.JSONField(blank=True, default=list, help_text="names of fields touched")),
                ("reason", models.TextField(blank=True)),
                ("request_id", models.CharField(blank=True, max_length=64)),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
            ],
            options={"ordering": ["-at"], "indexes": [models.Index(fields=["organisation_id", "-at"], name="audit_org_at")]},
        ),
        migrations.RunPython(add_triggers, migrations.RunPython.noop),
    ]
