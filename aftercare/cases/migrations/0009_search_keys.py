
import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    """Search keys for every case saved before search by name parts existed (anonymised ones
    have no name left and get none). Names are decrypted here, once, to compute the keys."""
    from aftercare.cases.search import name_keys

    Survivor = apps.get_model("cases", "Survivor")
    SearchKey = apps.get_model("cases", "SearchKey")
    batch = []
    rows = Survivor.objects.filter(anonymised_at__isnull=True).values_list("pk", "given_name", "family_name")
    for pk, given, family in rows.iterator(chunk_size=500):
        batch.extend(SearchKey(survivor_id=pk, key=key) for key in name_keys(given, family))
        if len(batch) >= 5000:
            SearchKey.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    SearchKey.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_assignment'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(db_index=True, max_length=40)),
                ('survivor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='search_keys', to='cases.survivor')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('survivor', 'key'), name='one_search_key_per_survivor')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
