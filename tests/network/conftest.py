"""A small region tree (South Africa → Gauteng → Johannesburg, Tshwane; KwaZulu-Natal → Durban)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.factories import RegionFactory


@pytest.fixture
def za_regions(db):
    za = RegionFactory(code="za", name="South Africa", level="country")
    gp = RegionFactory(code="za-gp", name="Gauteng", level="province", parent=za)
    kzn = RegionFactory(code="za-kzn", name="KwaZulu-Natal", level="province", parent=za)
    return SimpleNamespace(
        za=za,
        gp=gp,
        kzn=kzn,
        jhb=RegionFactory(code="za-gp-johannesburg", name="Johannesburg", parent=gp),
        tshwane=RegionFactory(code="za-gp-tshwane", name="Tshwane", parent=gp),
        durban=RegionFactory(code="za-kzn-ethekwini", name="eThekwini", parent=kzn),
    )
