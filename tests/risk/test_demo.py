"""The demo gives some cases risk histories and wellbeing results, once."""

import pytest

from aftercare.cases.access import case_access_for
from aftercare.demo import risk as demo
from aftercare.risk import services
from aftercare.risk.models import Assessment, Measurement, SurvivorRisk
from tests.factories import SurvivorFactory

pytestmark = pytest.mark.django_db


def test_demo_histories_are_added_once_and_draw_charts(org_a, case_worker_a, worker):
    survivors = [SurvivorFactory(organisation=org_a) for _ in range(demo.PER_ORGANISATION + 3)]
    first = demo.load([org_a])
    assert first["assessed"] == demo.PER_ORGANISATION
    assert SurvivorRisk.objects.count() == demo.PER_ORGANISATION
    assert Assessment.objects.count() >= 2 * demo.PER_ORGANISATION
    assert (
        Measurement.objects.filter(measure__code="rosenberg").count() >= 2 * demo.PER_ORGANISATION
    )
    counts = (Assessment.objects.count(), Measurement.objects.count())
    assert demo.load([org_a])["assessed"] == 0
    assert (Assessment.objects.count(), Measurement.objects.count()) == counts

    assessed = next(s for s in survivors if SurvivorRisk.objects.filter(survivor=s).exists())
    risk = services.case_risk_context(case_access_for(worker, assessed))["risk"]
    assert len(risk["chart"].points) >= 2 and risk["reasons"]
