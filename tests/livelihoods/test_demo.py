"""The demo shows placements (one flagged), sales with makers' shares, savings, a school
enrolment and an income chart; loading it again adds nothing."""

import pytest

from aftercare.accounts.roles import Role
from aftercare.cases.access import case_access_for
from aftercare.demo import livelihoods as demo
from aftercare.demo.network import REGIONS
from aftercare.livelihoods import outcomes
from aftercare.livelihoods.models import (
    ExchangeRate,
    MakerShare,
    Placement,
    Sale,
    SavingsEntry,
    SchoolEnrolment,
    WageStandard,
)
from aftercare.network.models import Region
from tests.conftest import actor, member
from tests.factories import OrganisationFactory, SurvivorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_network(db):
    regions = {}
    for code, name, level, parent, country in REGIONS:
        regions[code] = Region.objects.create(
            code=code, name=name, level=level, parent=regions.get(parent), country=country
        )
    hope = OrganisationFactory(slug="hope-for-women-sa", region=regions["za-gp-johannesburg"])
    organisations = {
        "hope-for-women-sa": hope,
        "bliss-and-bloom": OrganisationFactory(slug="bliss-and-bloom", kind="social_enterprise"),
    }
    member(hope, Role.CASE_WORKER, demo.CASE_WORKER)
    for _ in range(4):
        SurvivorFactory(organisation=hope, region=regions["za-gp-johannesburg"])
    return organisations


def counts():
    return tuple(
        model.objects.count()
        for model in (
            WageStandard,
            ExchangeRate,
            Placement,
            Sale,
            MakerShare,
            SavingsEntry,
            SchoolEnrolment,
        )
    )


def test_the_demo_shows_every_part_once(demo_network):
    assert demo.load(demo_network)["cases"] == 3
    assert {p.fair_wage for p in Placement.objects.all()} == {"fair", "below_minimum"}
    for sale in Sale.objects.prefetch_related("shares"):
        assert sum(s.amount for s in sale.shares.all()) == sale.makers_part
        assert sale.makers_part + sale.enterprise_part == sale.total
    assert SavingsEntry.objects.exists() and SchoolEnrolment.objects.exists()
    machinist = Placement.objects.get(role="Machinist").survivor
    worker = actor(member(demo_network["hope-for-women-sa"], Role.CASE_WORKER))
    context = outcomes.case_livelihood_context(case_access_for(worker, machinist))
    assert context["livelihood"]["chart"] is not None
    assert context["livelihood"]["self_sufficiency"].flag is True
    before = counts()
    assert demo.load(demo_network)["cases"] == 0
    assert counts() == before
