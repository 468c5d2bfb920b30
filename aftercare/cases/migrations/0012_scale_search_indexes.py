"""Case search that does not read the whole caseload (issue 18, measured at 1,000,000 survivors).

On PostgreSQL only (SQLite keeps its plain indexes):

- a trigram index on the upper-cased case code, so that `case_code__icontains` (a code or a
  piece of one typed into the search, `UPPER(case_code) LIKE UPPER('%...%')`) is answered from
  the index instead of by reading every case of the organisation;
- an index on the search keys by (key, survivor): the blind-index keys of a query are looked up
  first and their survivors read from the index alone, instead of probing each case of the
  organisation for its keys.

Neither is in the models' state (an expression index with an operator class of an extension),
so `makemigrations` does not see them; both are made and dropped here.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS survivor_case_code_trgm ON cases_survivor USING gin (UPPER(case_code::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS searchkey_key_survivor ON cases_searchkey (key, survivor_id)",
]
DROP = [
    "DROP INDEX IF EXISTS searchkey_key_survivor",
    "DROP INDEX IF EXISTS survivor_case_code_trgm",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_service_domains")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
