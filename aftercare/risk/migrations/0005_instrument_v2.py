"""Version 2 of the re-trafficking risk instrument: version 1 and two more protective factors.

Seeds 001 and 003 name medical and dental care, and creative expression (art, music, dance),
among what keeps survivors safe. Their weights, like version 1's, are Aftercare's starting
point, not a validated scale. Version 2 becomes the active version only where version 1 still
is: a network that has adopted a version of its own keeps it. Assessments already made keep
the version they were scored with.
"""

from decimal import Decimal

from django.db import migrations
from django.utils.translation import gettext_noop as N_

CODE = "retrafficking"
NEW_PROTECTIVE = [
    ("medical_dental_care", N_("Medical and dental care"), 1,
     N_("Her health and dental needs are being seen to by a clinic she can reach.")),
    ("creative_expression", N_("Creative expression"), 1,
     N_("Takes part in art, music, dance, drama or writing, alone or in a group.")),
]
DESCRIPTION = N_(
    "Version 2 adds medical and dental care and creative expression as protective factors. Each factor "
    "present counts its weight, each factor partly present half of it. Risk factors add, protective factors "
    "take away, and the score is never below 0. A score of 5 or more is medium risk, 10 or more high risk. "
    "Contact from the trafficker makes the risk at least high whatever the score. Follow up within 90 days "
    "at low risk, 30 days at medium risk and 7 days at high risk. The weights are Aftercare's starting "
    "point, not a validated scale."
)
FIELDS = ("code", "label", "kind", "weight", "help_text", "forces_level", "raises_alert")


def create_v2(apps, schema_editor):
    Instrument = apps.get_model("risk", "Instrument")
    Factor = apps.get_model("risk", "Factor")
    v1 = Instrument.objects.filter(code=CODE, version=1).first()
    if v1 is None or Instrument.objects.filter(code=CODE, version=2).exists():
        return
    v2 = Instrument.objects.create(
        code=CODE, version=2, name=v1.name, description=DESCRIPTION, active=False,
        medium_from=v1.medium_from, high_from=v1.high_from, follow_up_days_low=v1.follow_up_days_low,
        follow_up_days_medium=v1.follow_up_days_medium, follow_up_days_high=v1.follow_up_days_high,
    )
    factors = list(Factor.objects.filter(instrument=v1).order_by("kind", "position"))
    for factor in factors:
        Factor.objects.create(instrument=v2, position=factor.position, **{name: getattr(factor, name) for name in FIELDS})
    last = max((f.position for f in factors if f.kind == "protective"), default=-1)
    for offset, (code, label, weight, help_text) in enumerate(NEW_PROTECTIVE, start=1):
        Factor.objects.create(instrument=v2, code=code, label=label, kind="protective", weight=Decimal(weight),
                              help_text=help_text, forces_level="", raises_alert=False, position=last + offset)
    if v1.active:
        Instrument.objects.filter(code=CODE).exclude(pk=v2.pk).update(active=False)
        Instrument.objects.filter(pk=v2.pk).update(active=True)


def remove_v2(apps, schema_editor):
    Instrument = apps.get_model("risk", "Instrument")
    Assessment = apps.get_model("risk", "Assessment")
    v2 = Instrument.objects.filter(code=CODE, version=2).first()
    if v2 is None or Assessment.objects.filter(instrument=v2).exists():
        return
    if v2.active:
        Instrument.objects.filter(code=CODE, version=1).update(active=True)
    v2.delete()


class Migration(migrations.Migration):
    dependencies = [("risk", "0004_alert_kind_label")]

    operations = [migrations.RunPython(create_v2, remove_v2)]
