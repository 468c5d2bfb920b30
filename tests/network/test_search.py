"""Directory search: filters, the region tree, ranking by fit and the reasons in words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from aftercare.network.forms import DirectoryFilterForm
from aftercare.network.search import search_directory
from aftercare.network.services import refresh_capacity_summary, refresh_referral_stats
from tests.factories import OrganisationFactory, RegionFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def search(**params):
    form = DirectoryFilterForm(params)
    assert form.is_valid(), form.errors
    return list(search_directory(form.to_query())[:100])


def names(matches):
    return [m.organisation.name for m in matches]


def org(name, *, serves=(), offers=("housing",), **fields):
    organisation = OrganisationFactory(name=name, **fields)
    organisation.regions_served.set(serves)
    for domain in offers:
        ServiceFactory(organisation=organisation, domain=domain)
    return organisation


def set_capacity(organisation, domain, *, days_ago=0, **figures):
    organisation.services.filter(domain=domain).update(
        capacity_updated_at=timezone.now() - timedelta(days=days_ago), **figures
    )
    refresh_capacity_summary(organisation.pk)


def test_service_filter_keeps_only_organisations_offering_it(za_regions):
    org("Shelter", offers=["housing"])
    org("Clinic", offers=["medical"])
    assert names(search(service="medical")) == ["Clinic"]


def test_district_search_finds_organisations_serving_its_province_and_country(za_regions):
    org("Joburg district org", serves=[za_regions.jhb])
    org("Gauteng provincial org", serves=[za_regions.gp])
    org("National org", serves=[za_regions.za])
    org("Tshwane district org", serves=[za_regions.tshwane])
    org("KZN provincial org", serves=[za_regions.kzn])
    found = names(search(region="za-gp-johannesburg"))
    assert found == ["Joburg district org", "Gauteng provincial org", "National org"]


def test_province_search_also_finds_organisations_serving_a_district_inside_it(za_regions):
    org("Tshwane district org", serves=[za_regions.tshwane])
    org("Gauteng provincial org", serves=[za_regions.gp])
    org("Durban district org", serves=[za_regions.durban])
    matches = search(region="za-gp")
    assert names(matches) == ["Gauteng provincial org", "Tshwane district org"]
    assert matches[1].reasons == ["serves part of Gauteng"]


def test_region_can_be_named_instead_of_coded(za_regions):
    org("Joburg district org", serves=[za_regions.jhb])
    assert names(search(region="johannesburg")) == ["Joburg district org"]


def test_population_language_and_name_filters(za_regions):
    org("Girls' home", populations=["girls", "boys"], languages=["en", "zu"])
    org("Women's refuge", populations=["women"], languages=["en", "af"])
    assert names(search(population="girls")) == ["Girls' home"]
    assert names(search(language="af")) == ["Women's refuge"]
    assert names(search(q="refuge")) == ["Women's refuge"]
    assert names(search(population="men")) == []


def test_has_capacity_keeps_only_organisations_with_a_free_place_in_the_service(za_regions):
    free = org("Room now", offers=["housing", "medical"])
    full = org("No room", offers=["housing"])
    set_capacity(free, "housing", beds_total=10, beds_available=2)
    set_capacity(full, "housing", beds_total=10, beds_available=0)
    assert names(search(service="housing", has_capacity="true")) == ["Room now"]


def test_results_rank_by_region_then_capacity_then_response_with_reasons(za_regions):
    district_free = org("A district, beds free", serves=[za_regions.jhb])
    province_free = org("B province, beds free", serves=[za_regions.gp])
    district_full = org("C district, full", serves=[za_regions.jhb])
    org("D national, not reported", serves=[za_regions.za])
    set_capacity(district_free, "housing", beds_total=12, beds_available=3)
    set_capacity(province_free, "housing", beds_total=8, beds_available=1)
    set_capacity(district_full, "housing", beds_total=8, beds_available=0)
    now = timezone.now()
    refresh_referral_stats(district_free, [Times(now - timedelta(hours=10), now)])

    matches = search(service="housing", region="za-gp-johannesburg")

    assert names(matches) == [
        "A district, beds free",
        "B province, beds free",
        "C district, full",
        "D national, not reported",
    ]
    assert matches[0].reasons == [
        "offers safe housing",
        "serves Johannesburg (same district)",
        "3 beds free",
        "replies in ~10 h",
    ]
    assert matches[1].reasons == ["offers safe housing", "serves Gauteng (province)", "1 bed free"]
    assert matches[2].reasons == [
        "offers safe housing",
        "serves Johannesburg (same district)",
        "no free places",
    ]
    assert matches[3].reasons == ["offers safe housing", "serves South Africa (country)"]


def test_faster_response_ranks_higher_and_no_record_is_neutral(za_regions):
    slow, fast = org("Slow"), org("Fast")
    org("Unknown")
    now = timezone.now()
    refresh_referral_stats(slow, [Times(now - timedelta(days=10), now)])
    refresh_referral_stats(fast, [Times(now - timedelta(hours=5), now)])
    assert names(search(service="housing")) == ["Fast", "Unknown", "Slow"]


def test_offering_more_of_the_services_asked_for_ranks_higher(za_regions):
    org("One of two", offers=["housing"])
    org("Both", offers=["housing", "medical"])
    matches = search(service="housing,medical")
    assert names(matches) == ["Both", "One of two"]
    assert matches[0].reasons[0] == "offers safe housing, medical care"


def test_stale_capacity_is_flagged_and_counts_less_than_fresh(za_regions, settings):
    settings.AFTERCARE_CAPACITY_STALE_DAYS = 14
    stale, fresh = org("Stale beds"), org("Fresh beds")
    set_capacity(stale, "housing", days_ago=20, beds_total=5, beds_available=5)
    set_capacity(fresh, "housing", days_ago=1, beds_total=5, beds_available=1)
    matches = search(service="housing")
    assert names(matches) == ["Fresh beds", "Stale beds"]
    assert [m.is_stale for m in matches] == [False, True]
    assert matches[1].reasons[-1] == "5 beds free (updated 20 days ago)"


def test_staleness_follows_the_setting(za_regions, settings):
    settings.AFTERCARE_CAPACITY_STALE_DAYS = 30
    stale = org("Stale beds")
    set_capacity(stale, "housing", days_ago=20, beds_total=5, beds_available=5)
    assert search(service="housing")[0].is_stale is False


def test_inactive_organisations_are_not_listed(za_regions):
    org("Closed", is_active=False)
    assert search() == []


class Times:
    def __init__(self, sent_at, accepted_at=None, declined_at=None, completed_at=None):
        self.sent_at, self.accepted_at = sent_at, accepted_at
        self.declined_at, self.completed_at = declined_at, completed_at


def test_a_sub_county_search_finds_its_district_and_says_so(za_regions):
    ward = RegionFactory(
        code="za-gp-johannesburg-soweto", name="Soweto", level="sub_county", parent=za_regions.jhb
    )
    org("Soweto org", serves=[ward])
    org("Joburg district org", serves=[za_regions.jhb])
    matches = search(region="za-gp-johannesburg-soweto")
    assert names(matches) == ["Soweto org", "Joburg district org"]
    assert matches[0].reasons == ["serves Soweto (same sub-county)"]
    assert matches[1].reasons == ["serves Johannesburg (district)"]
