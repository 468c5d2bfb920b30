"""Search by case code, caseload counts and a case's services without reading every case of the
organisation (issue 18, measured at 1,000,000 survivors: docs/BENCHMARKS.md).

On PostgreSQL only (SQLite keeps its plain indexes):

- a trigram index on the upper-cased case code, so that `case_code__icontains` (a code or a
  piece of one typed into the search, `UPPER(case_code) LIKE UPPER('%...%')`) is answered from
  the index instead of by reading every case of the organisation;
- (the counted cases by organisation and status are 0012's partial index, in the model);
- the services of a case by date, newest first (the case page's list, `survivor.services[:50]`,
  ordering `-date`): read in order from the index. Without it, with 2,000,000 services and stale
  statistics, PostgreSQL walked the whole date index backwards for one case's six (1.5 s).

None is in the models' state (an expression index with an extension's operator class, a partial
index, and a plain one kept out of the model so that no model changes), so `makemigrations` does
not see them; they are made and dropped here.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS survivor_case_code_trgm ON cases_survivor USING gin (UPPER(case_code::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS service_survivor_date ON cases_servicedelivery (survivor_id, date DESC)",
]
DROP = [
    "DROP INDEX IF EXISTS service_survivor_date",
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
    dependencies = [("cases", "0012_load_counted_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
