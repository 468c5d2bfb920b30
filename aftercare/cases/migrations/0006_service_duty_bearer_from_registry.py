"""A service names its duty bearer by an entry of the registry, no longer by free text.

The text typed so far moves to `duty_bearer_name`. Where it names exactly one active
registry entry (ignoring case and surrounding spaces), the service points at that entry and
the text is cleared; text that names no entry, or several, is kept as typed so nothing is
lost, and shows on the case as "not in the registry".
"""

import django.db.models.deletion
from django.db import migrations, models


def link_registry_entries(apps, schema_editor):
    ServiceDelivery = apps.get_model("cases", "ServiceDelivery")
    DutyBearer = apps.get_model("voice", "DutyBearer")
    by_name: dict[str, list] = {}
    for pk, name in DutyBearer.objects.filter(is_active=True).values_list("pk", "name"):
        by_name.setdefault(" ".join(name.split()).casefold(), []).append(pk)
    typed = ServiceDelivery.objects.exclude(duty_bearer_name="").values_list("pk", "duty_bearer_name")
    for pk, name in typed.iterator():
        matches = by_name.get(" ".join(name.split()).casefold(), [])
        if len(matches) == 1:
            ServiceDelivery.objects.filter(pk=pk).update(duty_bearer_id=matches[0], duty_bearer_name="")


def back_to_text(apps, schema_editor):
    ServiceDelivery = apps.get_model("cases", "ServiceDelivery")
    for service in ServiceDelivery.objects.filter(duty_bearer__isnull=False).select_related("duty_bearer").iterator():
        ServiceDelivery.objects.filter(pk=service.pk).update(duty_bearer_name=service.duty_bearer.name[:200])


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0005_alter_survivor_closure_reason"),
        ("voice", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="servicedelivery", old_name="duty_bearer", new_name="duty_bearer_name"),
        migrations.AlterField(
            model_name="servicedelivery",
            name="duty_bearer_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="duty bearer (as typed before the registry)"),
        ),
        migrations.AddField(
            model_name="servicedelivery",
            name="duty_bearer",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="services",
                to="voice.dutybearer", verbose_name="duty bearer",
            ),
        ),
        migrations.RunPython(link_registry_entries, back_to_text),
    ]
