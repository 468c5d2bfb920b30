"""Organisations get a time zone, filled for existing ones from their country."""

from django.db import migrations, models


def fill_from_country(apps, schema_editor):
    from aftercare.accounts.zones import zone_for_country

    Organisation = apps.get_model("accounts", "Organisation")
    for organisation in Organisation.objects.filter(time_zone="").only("pk", "country"):
        Organisation.objects.filter(pk=organisation.pk).update(time_zone=zone_for_country(organisation.country))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0007_teams"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="time_zone",
            field=models.CharField(
                blank=True, max_length=64, verbose_name="time zone",
                help_text="Where your office is, for deadlines and times. Empty: the time zone of your country.",
            ),
        ),
        migrations.RunPython(fill_from_country, migrations.RunPython.noop),
    ]
