"""Wellbeing and readiness measures, version 1, as data.

The Rosenberg Self-Esteem Scale is public domain (Rosenberg 1965; the Morris Rosenberg
Foundation allows its use without permission). The confidence and initiative measure, the
job-readiness checklist and the housing stability item are Aftercare's own, written for the
outcomes the source articles name (seed 002: "self esteem, confidence, initiative, and job
readiness"); they are not validated scales.
"""

from django.db import migrations
from django.utils.translation import gettext_noop as N_

AGREEMENT = [
    {"value": 0, "label": N_("Strongly disagree")},
    {"value": 1, "label": N_("Disagree")},
    {"value": 2, "label": N_("Agree")},
    {"value": 3, "label": N_("Strongly agree")},
]

MEASURES = [
    {
        "code": "rosenberg",
        "name": N_("Rosenberg Self-Esteem Scale"),
        "description": N_(
            "Ten statements about how the person feels about themselves, each answered from strongly "
            "disagree (0) to strongly agree (3). Items 2, 5, 6, 8 and 9 are reverse-scored. The total runs "
            "from 0 to 30; under 15 suggests low self-esteem."
        ),
        "licence_note": N_("Public domain (Morris Rosenberg, 1965). May be used without permission."),
        "scale": AGREEMENT,
        "bands": [
            {"code": "low", "label": N_("Low self-esteem"), "min": 0, "max": 14, "concern": True},
            {"code": "normal", "label": N_("Within the normal range"), "min": 15, "max": 25, "concern": False},
            {"code": "high", "label": N_("High self-esteem"), "min": 26, "max": 30, "concern": False},
        ],
        "items": [
            (N_("On the whole, I am satisfied with myself."), False),
            (N_("At times I think I am no good at all."), True),
            (N_("I feel that I have a number of good qualities."), False),
            (N_("I am able to do things as well as most other people."), False),
            (N_("I feel I do not have much to be proud of."), True),
            (N_("I certainly feel useless at times."), True),
            (N_("I feel that I'm a person of worth, at least on an equal plane with others."), False),
            (N_("I wish I could have more respect for myself."), True),
            (N_("All in all, I am inclined to feel that I am a failure."), True),
            (N_("I take a positive attitude toward myself."), False),
        ],
    },
    {
        "code": "confidence",
        "name": N_("Confidence and initiative"),
        "description": N_(
            "Six statements answered from not true of me (0) to completely true of me (3); item 6 is "
            "reverse-scored. The total runs from 0 to 18."
        ),
        "licence_note": N_("Aftercare's own measure, not a validated scale. Free to use and adapt."),
        "scale": [
            {"value": 0, "label": N_("Not true of me")},
            {"value": 1, "label": N_("A little true of me")},
            {"value": 2, "label": N_("Mostly true of me")},
            {"value": 3, "label": N_("Completely true of me")},
        ],
        "bands": [
            {"code": "low", "label": N_("Low confidence"), "min": 0, "max": 7, "concern": True},
            {"code": "developing", "label": N_("Developing"), "min": 8, "max": 12, "concern": False},
            {"code": "strong", "label": N_("Confident and taking initiative"), "min": 13, "max": 18, "concern": False},
        ],
        "items": [
            (N_("I can say what I need, even to people in authority."), False),
            (N_("I start tasks without waiting to be told."), False),
            (N_("When something goes wrong, I try another way."), False),
            (N_("I make decisions about my own life."), False),
            (N_("I ask for help when I need it."), False),
            (N_("I avoid trying new things in case I fail."), True),
        ],
    },
    {
        "code": "job_readiness",
        "name": N_("Job-readiness checklist"),
        "description": N_("Ten things a person needs in place to find and keep fair work, each yes (1) or no (0)."),
        "licence_note": N_("Aftercare's own checklist, not a validated scale. Free to use and adapt."),
        "scale": [{"value": 0, "label": N_("No")}, {"value": 1, "label": N_("Yes")}],
        "bands": [
            {"code": "not_ready", "label": N_("Not yet ready for work"), "min": 0, "max": 4, "concern": True},
            {"code": "getting_ready", "label": N_("Getting ready"), "min": 5, "max": 7, "concern": False},
            {"code": "ready", "label": N_("Ready for work"), "min": 8, "max": 10, "concern": False},
        ],
        "items": [
            (N_("Has the identity documents needed to work."), False),
            (N_("Has a bank or mobile money account in their own name."), False),
            (N_("Reads, writes and counts well enough for the work they want."), False),
            (N_("Has completed vocational training or has a skill employers pay for."), False),
            (N_("Can travel safely to and from a workplace."), False),
            (N_("Can describe their skills and experience, or has a CV."), False),
            (N_("Has practised a job interview."), False),
            (N_("Knows their rights at work, including a fair wage."), False),
            (N_("Keeps to agreed times for programme activities."), False),
            (N_("Has childcare or family support arranged where needed."), False),
        ],
    },
    {
        "code": "housing_stability",
        "name": N_("Housing stability"),
        "description": N_("One question on where the person lives now, from no safe place (0) to secure housing (4)."),
        "licence_note": N_("Aftercare's own item, not a validated scale. Free to use and adapt."),
        "scale": [
            {"value": 0, "label": N_("No safe place to stay (street, or a different place each night)")},
            {"value": 1, "label": N_("Emergency shelter, or staying with others for a few nights")},
            {"value": 2, "label": N_("Temporary housing secured for less than three months")},
            {"value": 3, "label": N_("Housing secured for three to twelve months")},
            {"value": 4, "label": N_("Safe, secure housing for more than a year")},
        ],
        "bands": [
            {"code": "crisis", "label": N_("Housing crisis"), "min": 0, "max": 1, "concern": True},
            {"code": "unstable", "label": N_("Unstable housing"), "min": 2, "max": 2, "concern": True},
            {"code": "stable", "label": N_("Stable housing"), "min": 3, "max": 4, "concern": False},
        ],
        "items": [(N_("Which best describes where you live now?"), False)],
    },
]


def create_measures(apps, schema_editor):
    Measure = apps.get_model("risk", "Measure")
    MeasureItem = apps.get_model("risk", "MeasureItem")
    for position, data in enumerate(MEASURES):
        if Measure.objects.filter(code=data["code"], version=1).exists():
            continue
        fields = {k: v for k, v in data.items() if k != "items"}
        measure = Measure.objects.create(version=1, active=True, position=position, **fields)
        for number, (text, reversed_) in enumerate(data["items"], start=1):
            MeasureItem.objects.create(measure=measure, number=number, text=text, reversed=reversed_)


def remove_measures(apps, schema_editor):
    Measure = apps.get_model("risk", "Measure")
    Measure.objects.filter(version=1, code__in=[m["code"] for m in MEASURES], measurements__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("risk", "0002_instrument_v1")]

    operations = [migrations.RunPython(create_measures, remove_measures)]
