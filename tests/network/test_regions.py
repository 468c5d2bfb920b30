"""The region tree keeps each region's path of ancestors, which the directory searches on."""

from __future__ import annotations

import pytest

from aftercare.network.models import Region
from aftercare.network.search import RegionScope
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def test_a_region_knows_its_ancestors_nearest_first(za_regions):
    assert za_regions.jhb.ancestors() == [za_regions.gp, za_regions.za]
    assert za_regions.jhb.depth == 2 and za_regions.za.depth == 0


def test_moving_a_province_moves_its_districts_too(za_regions):
    other = RegionFactory(code="zz", name="Elsewhere", level="country", country="ZZ")
    za_regions.gp.parent = other
    za_regions.gp.save()
    jhb = Region.objects.get(pk=za_regions.jhb.pk)
    assert jhb.ancestors() == [za_regions.gp, other]
    assert jhb.path.startswith(other.path) and jhb.depth == 2


def test_a_search_region_is_found_with_its_ancestors_by_code_or_name(za_regions):
    scope = RegionScope.find("za-gp-johannesburg")
    assert scope.region == za_regions.jhb and list(scope.ancestors) == [
        za_regions.gp,
        za_regions.za,
    ]
    assert RegionScope.find("Johannesburg").region == za_regions.jhb
    assert RegionScope.find("atlantis") is None
