"""Withdrawals at the same moment never overdraw the savings (PostgreSQL, real threads).

Each withdrawal locks the survivor's ledger row with SELECT ... FOR UPDATE, so they queue up
and each sees the balance the one before it left.
"""

import os
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from aftercare.livelihoods import savings
from aftercare.livelihoods.models import SavingsAccount, SavingsEntry
from tests.conftest import actor

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason=(
            "DATABASE_URL is not PostgreSQL: SQLite takes one writer at "
            "a time, so row locks under real concurrency are tested there"
        ),
    ),
]
THREADS = 8


def test_simultaneous_withdrawals_never_overdraw(case_worker_a, survivor_a):
    worker = actor(case_worker_a)
    savings.record_entry(worker, survivor_a, kind="deposit", amount=Decimal("500"), currency="ZAR")
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def withdraw():
        try:
            barrier.wait(timeout=10)
            savings.record_entry(
                actor(case_worker_a),
                survivor_a,
                kind="withdrawal",
                amount=Decimal("150"),
                currency="ZAR",
            )
            result = "withdrawn"
        except savings.InsufficientBalance:
            result = "refused"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=withdraw) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert connection.vendor == "postgresql"
    # 500 covers three withdrawals of 150; the other five are refused.
    assert sorted(outcomes) == ["refused"] * 5 + ["withdrawn"] * 3
    account = SavingsAccount.objects.get()
    assert account.balance == Decimal(50)
    balances = list(
        SavingsEntry.objects.order_by("sequence").values_list("balance_after", flat=True)
    )
    assert balances == [Decimal(500), Decimal(350), Decimal(200), Decimal(50)]
    assert min(balances) >= 0


def test_simultaneous_first_deposits_open_one_account(case_worker_a, survivor_a):
    barrier = threading.Barrier(4)
    errors: list[Exception] = []

    def deposit():
        try:
            barrier.wait(timeout=10)
            savings.record_entry(
                actor(case_worker_a),
                survivor_a,
                kind="deposit",
                amount=Decimal("10"),
                currency="KES",
            )
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deposit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    account = SavingsAccount.objects.get(currency="KES")
    assert account.balance == Decimal(40) and account.entries_count == 4
