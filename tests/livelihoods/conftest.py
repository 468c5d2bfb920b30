"""Livelihood fixtures: a South African region tree with wage standards, an employer, a case.

The standards are round demo figures for the arithmetic in the tests, not the law:
a national minimum wage of R28.79 an hour (45-hour week) and a living wage of R7,000 a month.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from aftercare.accounts.policy import ALLOWED, Action
from aftercare.accounts.roles import Role
from aftercare.livelihoods.models import ExchangeRate, WageStandard
from tests.factories import PartnerEmployerFactory, RegionFactory, SurvivorFactory

# Roles that may see no livelihood record: 403 on every endpoint and page.
LOWER_ROLES = sorted(set(Role) - ALLOWED[Action.VIEW_LIVELIHOODS])
STANDARDS_FROM = date(2025, 3, 1)


@pytest.fixture
def za(db):
    country = RegionFactory(code="za", name="South Africa", level="country")
    gauteng = RegionFactory(code="za-gp", name="Gauteng", level="province", parent=country)
    western_cape = RegionFactory(
        code="za-wc", name="Western Cape", level="province", parent=country
    )
    return {
        "country": country,
        "gauteng": gauteng,
        "western_cape": western_cape,
        "johannesburg": RegionFactory(code="za-gp-jhb", name="Johannesburg", parent=gauteng),
        "cape_town": RegionFactory(code="za-wc-ct", name="Cape Town", parent=western_cape),
    }


def standard(
    region, kind, amount, period, *, currency="ZAR", hours=45, valid_from=STANDARDS_FROM, days=5
):
    return WageStandard.objects.create(
        region=region,
        kind=kind,
        amount=Decimal(amount),
        currency=currency,
        period=period,
        hours_per_week=Decimal(hours),
        days_per_week=Decimal(days),
        valid_from=valid_from,
    )


@pytest.fixture
def za_standards(za):
    return {
        "minimum": standard(za["country"], "minimum", "28.79", "hourly"),
        "living": standard(za["country"], "living", "7000", "monthly"),
    }


@pytest.fixture
def employer(org_a, za):
    return PartnerEmployerFactory(
        name="Rosebank Hotel",
        sector="hospitality",
        region=za["johannesburg"],
        added_by_organisation=org_a,
    )


@pytest.fixture
def jhb_survivor(org_a, za):
    return SurvivorFactory(
        organisation=org_a, region=za["johannesburg"], given_name="Thandeka", family_name="Dlamini"
    )


def usd_rate(rate="18.00", valid_from=date(2025, 1, 1)):
    return ExchangeRate.objects.create(
        base="USD", quote="ZAR", rate=Decimal(rate), valid_from=valid_from
    )
