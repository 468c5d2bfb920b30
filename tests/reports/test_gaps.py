"""The gap map: needs against providers and free places by region and domain, and its
drill-down, which shows counts and never people to roles without case access."""

from __future__ import annotations

import pytest
from django.utils import timezone

from aftercare.cases.counting import scope_for
from aftercare.cases.models import NeedItem, NeedsAssessment
from aftercare.network.taxonomy import ServiceDomain
from aftercare.reports import gaps
from tests.conftest import actor
from tests.factories import OrganisationFactory, RegionFactory, ServiceFactory, SurvivorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def za_provinces(db):
    za = RegionFactory(code="za", name="South Africa", level="country", parent=None)
    gp = RegionFactory(code="za-gp", name="Gauteng", level="province", parent=za)
    jhb = RegionFactory(code="za-gp-jhb", name="Johannesburg", level="district", parent=gp)
    kzn = RegionFactory(code="za-kzn", name="KwaZulu-Natal", level="province", parent=za)
    return {"za": za, "gp": gp, "jhb": jhb, "kzn": kzn}


def need(survivor, org, **levels):
    assessment = NeedsAssessment.objects.create(survivor=survivor, organisation=org)
    NeedItem.objects.bulk_create(
        NeedItem(assessment=assessment, domain=d, level=levels.get(d, "none"))
        for d in ServiceDomain.values
    )
    return assessment


@pytest.fixture
def needs(za_provinces, org_a):
    """Seven survivors in Johannesburg need housing urgently or highly; one only at medium; an
    earlier assessment of one survivor said legal was urgent, the latest says it is not."""
    people = [SurvivorFactory(organisation=org_a, region=za_provinces["jhb"]) for _ in range(8)]
    for survivor in people[:7]:
        need(survivor, org_a, housing="urgent")
    need(people[7], org_a, housing="medium")
    earlier = need(people[0], org_a, legal="urgent")
    NeedsAssessment.objects.filter(pk=earlier.pk).update(
        assessed_at=timezone.now() - timezone.timedelta(days=30)
    )
    # a closed case is not counted
    closed = SurvivorFactory(organisation=org_a, region=za_provinces["jhb"], status="closed")
    need(closed, org_a, housing="urgent")
    return people


def cell_of(gap_map, row_label, domain):
    row = next(r for r in gap_map.rows if r.label == row_label)
    return next(c for c in row.cells if c.domain == domain)


def test_needs_are_set_against_the_free_places_of_the_providers_serving_the_region(
    za_provinces, needs, supervisor_a, org_a
):
    shelter = OrganisationFactory(slug="shelter", region=za_provinces["gp"])
    shelter.regions_served.add(za_provinces["gp"])
    ServiceFactory(
        organisation=shelter,
        domain="housing",
        beds_total=10,
        beds_available=3,
        slots_total=5,
        slots_available=1,
        capacity_updated_at=timezone.now(),
    )
    scope = scope_for(actor(supervisor_a))
    provinces = gaps.gap_map(scope, za_provinces["za"])
    housing = cell_of(provinces, "Gauteng", "housing")
    # 7 urgent in Johannesburg (inside Gauteng); free places 3 beds + 1 slot = 4 < 7: short.
    assert (housing.in_need, housing.providers, housing.free, housing.status) == (7, 1, 4, "short")
    legal = cell_of(provinces, "Gauteng", "legal")
    assert (legal.in_need, legal.status) == (
        0,
        "none",
    )  # the latest assessment counts, not the earlier one
    assert cell_of(provinces, "KwaZulu-Natal", "housing").status == "none"
    medium = gaps.gap_map(scope, za_provinces["za"], "medium")
    assert cell_of(medium, "Gauteng", "housing").in_need == 8


def test_a_region_with_need_and_no_provider_is_the_gap(za_provinces, needs, supervisor_a):
    housing = cell_of(
        gaps.gap_map(scope_for(actor(supervisor_a)), za_provinces["za"]), "Gauteng", "housing"
    )
    assert (housing.providers, housing.free, housing.status) == (0, None, "no_provider")


def test_small_counts_and_their_comparison_are_hidden_from_the_coordinator(
    za_provinces, org_a, coordinator
):
    for _ in range(3):
        need(SurvivorFactory(organisation=org_a, region=za_provinces["jhb"]), org_a, medical="high")
    clinic = OrganisationFactory(slug="clinic", region=za_provinces["jhb"])
    ServiceFactory(
        organisation=clinic,
        domain="medical",
        slots_total=9,
        slots_available=2,
        capacity_updated_at=timezone.now(),
    )
    medical = cell_of(
        gaps.gap_map(scope_for(actor(coordinator)), za_provinces["gp"]), "Johannesburg", "medical"
    )
    # 3 < 5: hidden, and "short" (3 > 2 free) would tell it is 3 or 4, so the status is "few".
    assert (medical.in_need, medical.hidden, medical.status) == (None, True, "few")


def test_the_drill_down_shows_counts_and_never_people_to_the_coordinator(
    web_login, za_provinces, needs, coordinator
):
    page = web_login(coordinator).get(
        f"/reports/gaps/cell/?region={za_provinces['gp'].pk}&domain=housing"
    )
    assert page.status_code == 200
    body = page.content.decode()
    for survivor in needs:
        assert survivor.case_code not in body and str(survivor.pk) not in body
    assert page.context["detail"].cases is None
    levels = {level: value for level, _label, value in page.context["detail"].levels}
    # Medium 1 is small; with low and high 0, urgent 7 is the only other non-zero cell, so it is
    # hidden too (1 + 7 = 8 >= 5): otherwise 8 in all minus 7 would give the 1 back.
    assert levels == {"low": 0, "medium": None, "high": 0, "urgent": None}


def test_the_supervisor_sees_their_own_cases_in_the_drill_down_and_it_is_audited(
    web_login, za_provinces, needs, supervisor_a
):
    from aftercare.audit.models import AuditEvent

    page = web_login(supervisor_a).get(
        f"/reports/gaps/cell/?region={za_provinces['gp'].pk}&domain=housing"
    )
    body = page.content.decode()
    assert all(s.case_code in body for s in needs[:7])
    assert needs[7].case_code not in body  # medium need
    assert AuditEvent.objects.filter(action="list", object_type="cases.survivor").exists()
    network = web_login(supervisor_a).get(
        f"/reports/gaps/cell/?region={za_provinces['gp'].pk}&domain=housing&scope=network"
    )
    assert not any(s.case_code in network.content.decode() for s in needs)


def test_the_gap_map_page_lets_one_go_down_the_region_tree(
    web_login, za_provinces, needs, coordinator
):
    browser = web_login(coordinator)
    top = browser.get("/reports/gaps/")
    assert "South Africa" in top.content.decode()
    provinces = browser.get(f"/reports/gaps/?region={za_provinces['za'].pk}")
    assert "Gauteng" in provinces.content.decode() and "KwaZulu-Natal" in provinces.content.decode()
    assert browser.get("/reports/gaps/cell/?region=nowhere&domain=housing").status_code == 404
    assert (
        browser.get(f"/reports/gaps/cell/?region={za_provinces['za'].pk}&domain=flying").status_code
        == 404
    )
