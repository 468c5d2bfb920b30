"""The organisations a case's forms offer cost work in proportion to the case's history.

At the reports benchmark's scale a query that joined a case's referrals with its services
(and took DISTINCT) joined hundreds of millions of rows, and the case page never answered.
These tests measure the work the database does, not the time it takes: the SQLite virtual
machine's instruction count, or the rows PostgreSQL's plan actually produced, must grow in
step with the history, not with its square.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from aftercare.cases import care
from aftercare.cases.models import ServiceDelivery
from aftercare.referrals.models import Referral
from tests.factories import (
    OrganisationFactory,
    ReferralFactory,
    ServiceDeliveryFactory,
    SurvivorFactory,
)

pytestmark = pytest.mark.django_db


def give_history(survivor, partners, times: int) -> None:
    today = timezone.localdate()
    ServiceDelivery.objects.bulk_create(
        ServiceDelivery(
            survivor=survivor,
            domain="housing",
            organisation=partners[i % len(partners)],
            date=today,
        )
        for i in range(times)
    )
    Referral.objects.bulk_create(
        Referral(
            survivor=survivor,
            from_organisation=survivor.organisation,
            to_organisation=partners[i % len(partners)],
            domains=["housing"],
            reason="r",
            respond_by=timezone.now() + timedelta(days=3),
        )
        for i in range(times)
    )


def work_done(queryset) -> int:
    """How much the database worked to answer `queryset`, in units that do not depend on time."""
    sql, params = queryset.query.sql_with_params()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        plan = plan[0]["Plan"] if isinstance(plan, list) else plan

        def rows(node) -> int:
            own = int(node.get("Actual Rows", 0) * node.get("Actual Loops", 1))
            return own + sum(rows(child) for child in node.get("Plans", []))

        return rows(plan)
    connection.ensure_connection()
    raw = connection.connection
    steps = [0]

    def tick():
        steps[0] += 1
        return 0

    raw.set_progress_handler(tick, 100)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
    finally:
        raw.set_progress_handler(None, 0)
    return steps[0]


def test_partner_organisations_do_not_grow_with_the_networks_history(org_a):
    """One case's partners cost the same whether its partners served 100 or 800 others."""
    partners = OrganisationFactory.create_batch(3)
    case = SurvivorFactory(organisation=org_a)
    give_history(case, partners, 3)
    others = SurvivorFactory(organisation=org_a)
    give_history(others, partners, 50)
    before = work_done(care.partner_organisations(case, org_a))
    give_history(others, partners, 350)
    after = work_done(care.partner_organisations(case, org_a))
    # 8x the network's history: a query joining each partner's referrals with its services
    # does ~64x the work; one that reads this case's rows by index does about the same.
    assert after <= 3 * max(before, 1), (
        f"{before} units with 53+53 rows per partner, {after} with 403+403"
    )


def test_partner_organisations_offer_own_holder_referred_and_serving_organisations(org_a, org_b):
    referred, serving, stranger = (
        OrganisationFactory(),
        OrganisationFactory(),
        OrganisationFactory(),
    )
    survivor = SurvivorFactory(organisation=org_b)
    ServiceDeliveryFactory(
        survivor=survivor, domain="medical", organisation=serving, date=timezone.localdate()
    )
    ReferralFactory(
        survivor=survivor,
        from_organisation=org_b,
        to_organisation=referred,
        domains=["medical"],
        reason="r",
    )
    offered = set(care.partner_organisations(survivor, org_a))
    assert offered == {org_a, org_b, referred, serving}
    assert stranger not in offered
