"""The demo's prevention programme: loaded once, in Napak and on the Kenya coast."""

import pytest
from django.core.management import call_command

from aftercare.network.models import Region
from aftercare.prevention import indicators, kap
from aftercare.prevention.models import CommunityActivity, PolicyInstrument, School, Survey

pytestmark = pytest.mark.django_db


def test_the_demo_programme_loads_once_with_every_part():
    call_command("demo_data", "--quiet-logins")
    counts = (
        School.objects.count(),
        CommunityActivity.objects.count(),
        PolicyInstrument.objects.count(),
    )
    call_command("demo_data", "--quiet-logins")
    assert (
        School.objects.count(),
        CommunityActivity.objects.count(),
        PolicyInstrument.objects.count(),
    ) == counts
    assert counts[0] == 10

    sub_counties = Region.objects.filter(level="sub_county", parent__code="ug-karamoja-napak")
    assert sorted(sub_counties.values_list("name", flat=True)) == [
        "Iriiri",
        "Lokopo",
        "Lopeei",
        "Ngoleriet",
    ]
    by_laws = PolicyInstrument.objects.filter(kind="by_law", region__in=sub_counties)
    assert sorted(by_laws.values_list("stage", flat=True)) == [
        "drafted",
        "enforced",
        "lobbied",
        "passed",
    ]
    assert PolicyInstrument.objects.get(kind="ordinance").level == "district"

    change = kap.change(Survey.objects.get(code="napak-kap"))
    assert len(change.questions) == 5 and len(change.communities) == 4
    assert change.baseline.responses.count() == change.follow_up.responses.count() == 120

    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    figures = indicators.figures(today - timedelta(days=364), today)
    assert (
        figures["people_reached"]["total"] > 0
        and 0.2 < figures["people_reached"]["share_of_men"] < 0.5
    )
    assert figures["school_cases"]["reported"] > 0 and figures["champions"]["trained"] == 10
    assert figures["kap_change"][0]["improved"] >= 1
