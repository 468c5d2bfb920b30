"""Prevention test data: a small region tree in Karamoja and records of an organisation."""

from __future__ import annotations

from datetime import date

import factory

from aftercare.network.models import Region
from aftercare.prevention.models import (
    Champion,
    CommunityActivity,
    PolicyInstrument,
    School,
    SchoolCase,
)
from tests.factories import OrganisationFactory


def karamoja() -> dict[str, Region]:
    """Uganda → Karamoja → Napak District → two sub-counties, and Moroto District."""
    ug = Region.objects.create(code="ug", name="Uganda", level="country", country="UG")
    province = Region.objects.create(
        code="ug-karamoja", name="Karamoja", level="province", parent=ug, country="UG"
    )
    napak = Region.objects.create(
        code="ug-napak", name="Napak District", level="district", parent=province, country="UG"
    )
    moroto = Region.objects.create(
        code="ug-moroto", name="Moroto District", level="district", parent=province, country="UG"
    )
    lokopo = Region.objects.create(
        code="ug-napak-lokopo", name="Lokopo", level="sub_county", parent=napak, country="UG"
    )
    lopeei = Region.objects.create(
        code="ug-napak-lopeei", name="Lopeei", level="sub_county", parent=napak, country="UG"
    )
    return {
        "ug": ug,
        "karamoja": province,
        "napak": napak,
        "moroto": moroto,
        "lokopo": lokopo,
        "lopeei": lopeei,
    }


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Primary School {n}")
    region = factory.LazyFunction(lambda: Region.objects.get(code="ug-napak-lokopo"))
    joined_on = date(2025, 1, 10)


class SchoolCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolCase

    school = factory.SubFactory(SchoolFactory)
    reference = factory.Sequence(lambda n: f"REF-{n:03d}")
    concern = "sexual_exploitation"
    identified_on = date(2025, 3, 3)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityActivity

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "dialogue"
    held_on = date(2025, 4, 5)
    region = factory.LazyFunction(lambda: Region.objects.get(code="ug-napak-lokopo"))
    topics = ["girls_education"]


class ChampionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Champion

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Champion {n}")
    kind = "religious_leader"
    sex = "male"
    region = factory.LazyFunction(lambda: Region.objects.get(code="ug-napak-lokopo"))
    joined_on = date(2025, 1, 1)


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyInstrument

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Lokopo Child Protection By-law {n}")
    kind = "by_law"
    level = "sub_county"
    region = factory.LazyFunction(lambda: Region.objects.get(code="ug-napak-lokopo"))


def attendance(female=None, male=None) -> dict:
    """`{"female": {...}, "male": {...}}` from two dicts of age group → count."""
    return {"female": dict(female or {}), "male": dict(male or {})}
