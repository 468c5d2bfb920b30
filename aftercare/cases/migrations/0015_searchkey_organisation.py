"""Each search key row carries the organisation holding the case (issue 18).

Search by name scoped its keys by joining `cases_survivor`, and at 1,000,000 survivors
PostgreSQL probed every case of the organisation for its keys (docs/BENCHMARKS.md, "Search by
name"). With the organisation on the key row and an index on (organisation, key, survivor),
the organisation's part of a search is one index range per key, read from the index alone.

In steps, so that a large table is written once and checked once:

1. the key index is dropped (the new index leads with the organisation; nothing reads the
   keys by key alone) before the table is written, so the update does not maintain it;
2. the column is added, nullable and without its foreign key, so the update queues no
   deferred check per row;
3. it is filled from the cases in one statement (`UPDATE ... FROM` on PostgreSQL, a
   correlated subquery elsewhere);
4. it becomes non-null and gets its foreign key (checked once, by one query);
5. the index is built over the filled table.

Reversible: back, the index goes, the column goes and the key index comes back.
"""

import django.db.models.deletion
from django.db import migrations, models

FILL = {
    "postgresql": (
        "UPDATE cases_searchkey SET organisation_id = s.organisation_id "
        "FROM cases_survivor s WHERE s.id = cases_searchkey.survivor_id"
    ),
    "default": (
        "UPDATE cases_searchkey SET organisation_id = ("
        "SELECT s.organisation_id FROM cases_survivor s WHERE s.id = cases_searchkey.survivor_id)"
    ),
}


def fill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(FILL.get(vendor, FILL["default"]))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_organisation_time_zone"),
        ("cases", "0014_plan_review_due"),
    ]

    operations = [
        migrations.AlterField(
            model_name="searchkey",
            name="key",
            field=models.CharField(max_length=40),
        ),
        migrations.AddField(
            model_name="searchkey",
            name="organisation",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="searchkey",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="searchkey",
            index=models.Index(
                fields=["organisation", "key", "survivor"], name="searchkey_org_key_survivor"
            ),
        ),
    ]
