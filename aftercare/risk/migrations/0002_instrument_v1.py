"""Version 1 of the re-trafficking risk instrument, as data.

The factors are those the source articles name (seeds 002 and 003). The weights, thresholds
and follow-up intervals are Aftercare's own starting point, not a validated scale: a network
adopts its own by adding version 2 (`aftercare risk-instrument import FILE --activate`).
Labels are marked for translation; the pages translate them when the catalogue has them.
"""

from decimal import Decimal

from django.db import migrations
from django.utils.translation import gettext_noop as N_

CODE = "retrafficking"
INSTRUMENT = {
    "code": CODE,
    "version": 1,
    "name": N_("Re-trafficking risk"),
    "description": N_(
        "Each factor present counts its weight, each factor partly present half of it. Risk factors add, "
        "protective factors take away, and the score is never below 0. A score of 5 or more is medium risk, "
        "10 or more high risk. Contact from the trafficker makes the risk at least high whatever the score. "
        "Follow up within 90 days at low risk, 30 days at medium risk and 7 days at high risk."
    ),
    "active": True,
    "medium_from": Decimal("5"),
    "high_from": Decimal("10"),
    "follow_up_days_low": 90,
    "follow_up_days_medium": 30,
    "follow_up_days_high": 7,
}

# (code, label, weight, help text, forces level, raises alert)
RISK_FACTORS = [
    ("low_self_worth", N_("Low sense of self-worth"), 2,
     N_("Says or shows that they feel worthless; a low Rosenberg self-esteem score."), "", False),
    ("attachment_to_trafficker", N_("Attachment to the trafficker"), 3,
     N_("Speaks of the trafficker with loyalty or love, defends them, or wants to see them."), "", False),
    ("family_rejection", N_("Rejected by family or village"), 2,
     N_("Family or community refuse to take them back, shame or blame them."), "", False),
    ("no_income", N_("No income"), 2,
     N_("No income to support themselves or their family after leaving the shelter."), "", False),
    ("no_skills_or_education", N_("No skills or education for work"), 1,
     N_("Lacks the skills, literacy or schooling to find work."), "", False),
    ("unresolved_trauma", N_("Unresolved trauma"), 2,
     N_("Trauma symptoms that are not being treated or are getting worse."), "", False),
    ("unstable_housing", N_("Unstable housing"), 2,
     N_("No secure place to live for the next three months."), "", False),
    ("recent_relocation", N_("Recent relocation or migration"), 1,
     N_("Moved to a new place or country in the last six months."), "", False),
    ("homelessness", N_("Homelessness"), 3,
     N_("Sleeping rough, in a shelter night by night, or with no place to stay."), "", False),
    ("substance_use", N_("Substance use"), 2,
     N_("Harmful use of alcohol or drugs."), "", False),
    ("health_concerns", N_("Physical or mental health concerns"), 1,
     N_("Illness, injury, disability or mental health needs that are not met."), "", False),
    ("trafficker_contact", N_("Contact from the trafficker"), 4,
     N_("The trafficker or their associates have called, written, visited or sent messages or gifts. "
        "Always makes the risk at least high and alerts the case team."), "high", True),
]

PROTECTIVE_FACTORS = [
    ("fair_wage_job", N_("A job with a fair wage"), 2,
     N_("In work that pays at least the fair wage for the region."), "", False),
    ("regular_therapy", N_("Regular therapy"), 1,
     N_("Attends individual or group therapy regularly."), "", False),
    ("safe_housing", N_("Safe housing"), 2,
     N_("Lives somewhere safe and secure for the foreseeable future."), "", False),
    ("education_or_training", N_("In education or training"), 1,
     N_("Enrolled in school, literacy classes or vocational training."), "", False),
    ("family_acceptance", N_("Accepted by family"), 2,
     N_("Family or community have welcomed them back and support them."), "", False),
    ("peer_support", N_("Peer support"), 1,
     N_("Part of a survivors' group or has a peer mentor."), "", False),
]


def create_v1(apps, schema_editor):
    Instrument = apps.get_model("risk", "Instrument")
    Factor = apps.get_model("risk", "Factor")
    if Instrument.objects.filter(code=CODE, version=1).exists():
        return
    instrument = Instrument.objects.create(**INSTRUMENT)
    for kind, rows in (("risk", RISK_FACTORS), ("protective", PROTECTIVE_FACTORS)):
        for position, (code, label, weight, help_text, forces, alert) in enumerate(rows):
            Factor.objects.create(
                instrument=instrument, code=code, label=label, kind=kind, weight=Decimal(weight),
                help_text=help_text, forces_level=forces, raises_alert=alert, position=position,
            )


def remove_v1(apps, schema_editor):
    Instrument = apps.get_model("risk", "Instrument")
    Assessment = apps.get_model("risk", "Assessment")
    if not Assessment.objects.filter(instrument__code=CODE, instrument__version=1).exists():
        Instrument.objects.filter(code=CODE, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]

    operations = [migrations.RunPython(create_v1, remove_v1)]
