"""The region tree keeps each region's path of ancestors, which the directory searches on."""

from __future__ import annotations

import pytest

from aftercare.network.models import Region
from aftercare.network.search import RegionScope
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def test_a_region_knows_its_ancestors_nearest_first(regions):
    assert regions.jhb.ancestors() == [regions.gp, regions.za]
    assert regions.jhb.depth == 2 and regions.za.depth == 0


def test_moving_a_province_moves_its_districts_too(regions):
    other = RegionFactory(code="zz", name="Elsewhere", level="country", country="ZZ")
    regions.gp.parent = other
    regions.gp.save()
    jhb = Region.objects.get(pk=regions.jhb.pk)
    assert jhb.ancestors() == [regions.gp, other]
    assert jhb.path.startswith(other.path) and jhb.depth == 2


def test_a_search_region_is_found_with_its_ancestors_by_code_or_name(regions):
    scope = RegionScope.find("za-gp-johannesburg")
    assert scope.region == regions.jhb and list(scope.ancestors) == [regions.gp, regions.za]
    assert RegionScope.find("Johannesburg").region == regions.jhb
    assert RegionScope.find("atlantis") is None
