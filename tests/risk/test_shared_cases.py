"""A case shared through a referral: risk is seen only where the survivor agreed, never recorded."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from aftercare.cases.access import case_access_for
from aftercare.risk import measures, services
from aftercare.risk.models import Assessment
from tests.conftest import actor
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

ROSENBERG = {str(n): 2 for n in range(1, 11)}


def _share(survivor, to_org, sections):
    return ReferralFactory(
        survivor=survivor,
        from_organisation=survivor.organisation,
        to_organisation=to_org,
        domains=["housing"],
        reason="safe housing",
        shared_sections=sections,
        status="accepted",
        accepted_at=timezone.now(),
    )


@pytest.fixture
def assessed(worker, survivor_a):
    services.assess_risk(worker, survivor_a, {"trafficker_contact": True})
    measures.record_measure(worker, survivor_a, "rosenberg", ROSENBERG)
    return survivor_a


def test_receiving_organisation_sees_risk_it_was_given(assessed, org_b, case_worker_b, api):
    _share(assessed, org_b, ["risk"])
    receiver = actor(case_worker_b)
    assert (
        services.case_risk_context(case_access_for(receiver, assessed))["risk"]["current"].level
        == "high"
    )
    assert (
        services.case_risk_context(case_access_for(receiver, assessed))["risk"]["alerts"] == []
    )  # the holder follows up
    assert (
        measures.case_wellbeing_context(case_access_for(receiver, assessed))["wellbeing"]
        is not None
    )
    client = api.as_user(case_worker_b)
    assert client.get(f"/api/v1/survivors/{assessed.pk}/risk-assessments").json()["count"] == 1
    assert client.get(f"/api/v1/survivors/{assessed.pk}/measures").json()["count"] == 1


def test_receiving_organisation_without_the_risk_section_sees_none_of_it(
    assessed, org_b, case_worker_b, api, web_login
):
    _share(assessed, org_b, ["needs"])
    receiver = actor(case_worker_b)
    assert services.case_risk_context(case_access_for(receiver, assessed)) == {"risk": None}
    assert measures.case_wellbeing_context(case_access_for(receiver, assessed)) == {
        "wellbeing": None
    }
    client = api.as_user(case_worker_b)
    assert client.get(f"/api/v1/survivors/{assessed.pk}/risk-assessments").status_code == 403
    assert client.get(f"/api/v1/survivors/{assessed.pk}/measures").status_code == 403
    assert web_login(case_worker_b).get(f"/risk/{assessed.pk}/").status_code == 403


def test_receiving_organisation_may_not_record_risk_or_measures(
    assessed, org_b, case_worker_b, api, web_login
):
    _share(assessed, org_b, ["risk"])
    with pytest.raises(PermissionDenied):
        services.assess_risk(actor(case_worker_b), assessed, {})
    client = api.as_user(case_worker_b)
    url = f"/api/v1/survivors/{assessed.pk}"
    assert client.post(f"{url}/risk-assessments", {"answers": {}}, format="json").status_code == 403
    assert (
        client.post(
            f"{url}/measures", {"measure": "rosenberg", "answers": ROSENBERG}, format="json"
        ).status_code
        == 403
    )
    pages = web_login(case_worker_b)
    assert pages.get(f"/risk/{assessed.pk}/assess/").status_code == 403
    assert pages.post(f"/risk/{assessed.pk}/measures/rosenberg/").status_code == 403
    assert Assessment.objects.count() == 1
