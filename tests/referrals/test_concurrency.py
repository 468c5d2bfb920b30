"""Two staff accept the same referral at the same moment: one wins, the other gets 409."""

import os
import threading

import pytest
from django.db import connection, connections

from aftercare.accounts.roles import Role
from aftercare.cases import care
from aftercare.core.errors import TransitionNotAllowed
from aftercare.referrals import services
from aftercare.referrals.models import Referral
from tests.conftest import actor

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="DATABASE_URL is not PostgreSQL: row locking under real concurrency is tested there",
    ),
]


def test_simultaneous_accepts_one_wins_the_other_conflicts(
    org_a, org_b, case_worker_a, survivor_a, make_member
):
    worker = actor(case_worker_a)
    care.record_consent(
        worker, survivor_a, purpose="service_delivery", granted=True, method="written"
    )
    care.record_consent(worker, survivor_a, purpose="referral", granted=True, method="verbal")
    referral = services.refer_survivor(worker, survivor_a, org_b, ["housing"], "Needs a bed")
    staff = [make_member(org_b, Role.CASE_WORKER), make_member(org_b, Role.SUPERVISOR)]
    barrier = threading.Barrier(len(staff))
    outcomes: list[str] = []

    def accept(user):
        try:
            barrier.wait(timeout=10)
            services.transition(actor(user), referral.pk, "accept")
            outcomes.append("accepted")
        except TransitionNotAllowed:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(user,)) for user in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["accepted", "conflict"]
    assert connection.vendor == "postgresql"
    referral = Referral.objects.get(pk=referral.pk)
    assert (
        referral.status == "accepted" and referral.events.filter(to_status="accepted").count() == 1
    )


def test_simultaneous_accepts_over_http_give_200_and_409(
    live_server, org_a, org_b, case_worker_a, survivor_a, make_member
):
    import json
    import urllib.error
    import urllib.request

    from aftercare.accounts.models import ApiToken

    worker = actor(case_worker_a)
    care.record_consent(
        worker, survivor_a, purpose="service_delivery", granted=True, method="written"
    )
    care.record_consent(worker, survivor_a, purpose="referral", granted=True, method="verbal")
    referral = services.refer_survivor(worker, survivor_a, org_b, ["housing"], "Needs a bed")
    tokens = [ApiToken.issue(make_member(org_b, Role.CASE_WORKER))[0] for _ in range(2)]
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def accept(token):
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/referrals/{referral.pk}/accept",
            data=json.dumps({}).encode(),
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        barrier.wait(timeout=10)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                codes.append(response.status)
        except urllib.error.HTTPError as error:
            codes.append(error.code)

    threads = [threading.Thread(target=accept, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(codes) == [200, 409]
