"""The directory, profile and profile-edit pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from aftercare.accounts.models import Organisation
from aftercare.accounts.roles import Role
from tests.factories import OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_directory_filters_and_explains_results(web_login, case_worker_a, za_regions):
    shelter = OrganisationFactory(name="Jacaranda Shelter", slug="jacaranda")
    shelter.regions_served.set([za_regions.jhb])
    ServiceFactory(
        organisation=shelter,
        domain="housing",
        beds_total=6,
        beds_available=2,
        capacity_updated_at=timezone.now(),
    )
    OrganisationFactory(name="Unrelated clinic")
    page = (
        web_login(case_worker_a)
        .get("/network/?service=housing&region=za-gp-johannesburg")
        .content.decode()
    )
    assert "Jacaranda Shelter" in page and "Unrelated clinic" not in page
    assert "offers safe housing · serves Johannesburg (same district) · 2 beds free" in page


def test_typing_in_the_directory_returns_only_the_results_fragment(web_login, case_worker_a, org_b):
    response = web_login(case_worker_a).get("/network/?q=Organisation+B", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "Organisation B" in html and "Organisation A" not in html


def test_directory_shows_bad_filters_as_errors_not_a_crash(web_login, case_worker_a):
    response = web_login(case_worker_a).get("/network/?region=atlantis&service=teleportation")
    assert response.status_code == 200
    assert "No single region has the code or name" in response.content.decode()


def test_directory_pages_have_no_inline_script_or_style(web_login, case_worker_a, admin_a, org_a):
    client = web_login(admin_a)
    ServiceFactory(organisation=org_a, domain="housing")
    for url in ["/network/", "/network/org-a/", "/network/org-a/edit/", "/network/org-a/capacity/"]:
        html = client.get(url).content.decode()
        assert " style=" not in html, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"<[^>]+\son[a-z]+=", html), url


def test_region_suggestions_offer_matching_regions(web_login, case_worker_a, za_regions):
    html = web_login(case_worker_a).get("/network/regions/suggest/?region=johan").content.decode()
    assert 'value="za-gp-johannesburg"' in html and "Gauteng" in html


def test_profile_shows_services_reach_capacity_and_stale_flag(
    web_login, case_worker_b, org_a, za_regions, settings
):
    settings.AFTERCARE_CAPACITY_STALE_DAYS = 14
    org_a.populations, org_a.languages = ["women", "foreign_nationals"], ["en", "sw"]
    org_a.save()
    org_a.regions_served.set([za_regions.gp])
    ServiceFactory(
        organisation=org_a,
        domain="housing",
        eligibility_notes="Adult women only",
        beds_total=8,
        beds_available=3,
        capacity_updated_at=timezone.now() - timedelta(days=20),
    )
    html = web_login(case_worker_b).get("/network/org-a/").content.decode()
    for text in [
        "Adult women only",
        "Gauteng",
        "Women, Foreign nationals",
        "English, Swahili",
        "3 of 8",
        "may be out of date",
        "stale",
    ]:
        assert text in html, text
    assert "No referrals yet." in html
    assert "Edit profile" not in html and "Update capacity" not in html


def test_admin_sees_edit_links_and_case_worker_does_not(web_login, admin_a, case_worker_a):
    assert "Edit profile" in web_login(admin_a).get("/network/org-a/").content.decode()
    assert "Edit profile" not in web_login(case_worker_a).get("/network/org-a/").content.decode()


def profile_post(org, za_regions, **overrides):
    data = {
        "name": "Organisation A",
        "kind": "shelter",
        "region": str(za_regions.jhb.pk),
        "description": "A safe house for women.",
        "public_phone": "+27 11 222 3333",
        "public_email": "hello@example.org",
        "website": "https://example.org",
        "street_address": "1 Secret Road",
        "restricted_phone": "",
        "restricted_email": "",
        "restricted_notes": "",
        "populations": ["women", "girls"],
        "languages": ["en", "zu"],
        "regions_served": [str(za_regions.gp.pk)],
        "offers_housing": "on",
        "notes_housing": "Women and girls",
        "offers_legal": "on",
        "notes_legal": "",
        "version": str(org.version),
    }
    data.update(overrides)
    return data


def test_admin_edits_the_profile(web_login, admin_a, org_a, za_regions):
    ServiceFactory(organisation=org_a, domain="medical")
    response = web_login(admin_a).post("/network/org-a/edit/", profile_post(org_a, za_regions))
    assert response.status_code == 302, response.content.decode()
    org = Organisation.objects.get(pk=org_a.pk)
    assert (
        org.kind == "shelter"
        and org.populations == ["girls", "women"]
        and org.languages == ["en", "zu"]
    )
    assert org.street_address == "1 Secret Road" and org.country == "ZA" and org.version == 2
    assert list(org.regions_served.values_list("code", flat=True)) == ["za-gp"]
    assert dict(org.services.values_list("domain", "eligibility_notes")) == {
        "housing": "Women and girls",
        "legal": "",
    }


def test_profile_edit_with_a_stale_version_keeps_the_newer_profile(
    web_login, admin_a, org_a, za_regions
):
    Organisation.objects.filter(pk=org_a.pk).update(version=2, description="Newer")
    response = web_login(admin_a).post(
        "/network/org-a/edit/", profile_post(org_a, za_regions, version="1")
    )
    assert response.status_code == 200 and "changed by someone else" in response.content.decode()
    assert Organisation.objects.get(pk=org_a.pk).description == "Newer"


def test_unknown_language_is_a_field_error(web_login, admin_a, org_a, za_regions):
    response = web_login(admin_a).post(
        "/network/org-a/edit/", profile_post(org_a, za_regions, languages=["tlh"])
    )
    assert response.status_code == 200 and Organisation.objects.get(pk=org_a.pk).version == 1


def test_profile_edit_is_403_for_a_case_worker_and_404_for_another_admin(
    web_login, org_b, make_member, case_worker_a
):
    assert web_login(case_worker_a).get("/network/org-a/edit/").status_code == 403
    assert web_login(make_member(org_b, Role.ADMIN)).get("/network/org-a/edit/").status_code == 404


def test_admin_sets_the_organisations_time_zone_and_members_read_times_in_it(
    web_login, admin_a, org_a, za_regions
):
    data = {**profile_post(org_a, za_regions), "time_zone": "Asia/Dhaka"}
    assert web_login(admin_a).post("/network/org-a/edit/", data).status_code == 302
    org = Organisation.objects.get(pk=org_a.pk)
    assert org.time_zone == "Asia/Dhaka" and str(org.zone) == "Asia/Dhaka"


def test_an_unknown_time_zone_is_refused_on_the_profile(web_login, admin_a, org_a, za_regions):
    data = {**profile_post(org_a, za_regions), "time_zone": "Mars/Olympus"}
    response = web_login(admin_a).post("/network/org-a/edit/", data)
    assert response.status_code == 200
    assert Organisation.objects.get(pk=org_a.pk).time_zone == ""
