"""Social-enterprise sales: each maker's share, and the shares adding up to the sale exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftercare.core.errors import DomainError
from aftercare.livelihoods import enterprise
from aftercare.livelihoods.models import MakerShare, Sale
from aftercare.livelihoods.money import MINOR_UNITS
from tests.factories import SurvivorFactory

SOLD = date(2025, 9, 12)


@given(
    units=st.integers(min_value=0, max_value=10**11),
    weights=st.lists(st.integers(min_value=1, max_value=500), min_size=1, max_size=30),
    currency=st.sampled_from(["ZAR", "INR", "UGX", "KWD", "JPY"]),
)
def test_shares_always_add_up_to_the_total_to_the_minor_unit(units, weights, currency):
    total = Decimal(units).scaleb(-MINOR_UNITS[currency])
    shares = enterprise.split(total, weights, currency)
    assert sum(shares) == total
    assert all(
        share == share.quantize(Decimal(1).scaleb(-MINOR_UNITS[currency])) for share in shares
    )
    # Nobody is more than one minor unit away from her exact part.
    unit = Decimal(1).scaleb(-MINOR_UNITS[currency])
    for share, weight in zip(shares, weights, strict=True):
        assert abs(share - total * weight / sum(weights)) < unit


def test_a_three_way_split_gives_the_leftover_cent_to_the_largest_remainder():
    # R100.00 in thirds: 33.33 each leaves one cent; the first of equal remainders gets it.
    assert enterprise.split(Decimal("100.00"), [1, 1, 1], "ZAR") == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    # By pieces 3:2:2 of R100: exact parts 42.857…, 28.571…, 28.571… → 42.86, 28.57, 28.57.
    assert enterprise.split(Decimal("100.00"), [3, 2, 2], "ZAR") == [
        Decimal("42.86"),
        Decimal("28.57"),
        Decimal("28.57"),
    ]


@pytest.fixture
def makers(org_a):
    return [SurvivorFactory(organisation=org_a) for _ in range(3)]


@pytest.fixture
def bags(worker, makers):
    return enterprise.add_product(
        worker,
        {
            "name": "Tote bag",
            "materials": "shweshwe cotton",
            "makers": makers,
            "maker_percent": Decimal(100),
        },
    )


@pytest.mark.django_db
def test_a_sale_is_shared_equally_among_the_products_makers(worker, bags, makers):
    sale = enterprise.record_sale(
        worker,
        bags,
        channel="market",
        quantity=3,
        unit_price=Decimal("33.35"),
        currency="ZAR",
        sold_on=SOLD,
    )
    # 3 × 33.35 = 100.05; in thirds 33.35 each.
    assert (
        sale.total == Decimal("100.05")
        and sale.makers_part == sale.total
        and sale.enterprise_part == 0
    )
    shares = {s.survivor_id: s.amount for s in sale.shares.all()}
    assert sum(shares.values()) == sale.total
    assert set(shares) == {m.pk for m in makers}


@pytest.mark.django_db
def test_a_sale_from_a_batch_is_shared_by_the_pieces_each_made(worker, bags, makers):
    batch = enterprise.add_batch(
        worker,
        bags,
        made_on=date(2025, 9, 1),
        quantity=7,
        makers=[(makers[0], 3), (makers[1], 2), (makers[2], 2)],
    )
    sale = enterprise.record_sale(
        worker,
        bags,
        channel="shop",
        quantity=4,
        unit_price=Decimal("25"),
        currency="ZAR",
        sold_on=SOLD,
        batch=batch,
    )
    shares = [s.amount for s in sale.shares.order_by("-weight", "survivor__case_code")]
    assert sum(shares) == Decimal(100)
    assert shares[0] == Decimal("42.86")


@pytest.mark.django_db
def test_the_enterprise_keeps_its_part_and_the_parts_add_up(worker, makers):
    earrings = enterprise.add_product(
        worker, {"name": "Gold earrings", "makers": makers[:2], "maker_percent": Decimal("60")}
    )
    sale = enterprise.record_sale(
        worker,
        earrings,
        channel="wholesale",
        quantity=1,
        unit_price=Decimal("1001"),
        currency="INR",
        sold_on=SOLD,
    )
    # 60% of 1,001.00 = 600.60 to the makers (300.30 each); the centre keeps 400.40.
    assert (sale.total, sale.makers_part, sale.enterprise_part) == (
        Decimal(1001),
        Decimal("600.60"),
        Decimal("400.40"),
    )
    assert sorted(s.amount for s in sale.shares.all()) == [Decimal("300.30"), Decimal("300.30")]
    assert Sale.objects.filter(pk=sale.pk).get().makers_part + sale.enterprise_part == sale.total


@pytest.mark.django_db
def test_each_maker_sees_her_own_earnings(worker, bags, makers):
    enterprise.record_sale(
        worker,
        bags,
        channel="market",
        quantity=1,
        unit_price=Decimal("30"),
        currency="ZAR",
        sold_on=SOLD,
    )
    enterprise.record_sale(
        worker,
        bags,
        channel="online",
        quantity=2,
        unit_price=Decimal("30"),
        currency="ZAR",
        sold_on=SOLD,
    )
    mine = enterprise.earnings_of(makers[0])
    assert [s.amount for s in mine] == [Decimal("20"), Decimal("10")]
    assert MakerShare.objects.count() == 6


@pytest.mark.django_db
def test_the_batch_pieces_must_add_up_and_makers_must_be_visible(worker, bags, makers, org_b):
    with pytest.raises(DomainError, match="add up to the 5 pieces"):
        enterprise.add_batch(worker, bags, made_on=SOLD, quantity=5, makers=[(makers[0], 3)])
    outsider = SurvivorFactory(organisation=org_b)
    with pytest.raises(DomainError, match="case you can see"):
        enterprise.record_sale(
            worker,
            bags,
            channel="market",
            quantity=1,
            unit_price=Decimal(1),
            currency="ZAR",
            sold_on=SOLD,
            makers=[(outsider, 1)],
        )
    with pytest.raises(DomainError, match="No case you can see has the code"):
        enterprise.makers_by_code(worker, [outsider.case_code])


@pytest.mark.django_db
def test_a_product_without_makers_cannot_be_sold(worker):
    product = enterprise.add_product(worker, {"name": "Candles"})
    with pytest.raises(DomainError, match="no makers"):
        enterprise.record_sale(
            worker,
            product,
            channel="market",
            quantity=1,
            unit_price=Decimal(5),
            currency="ZAR",
            sold_on=SOLD,
        )
