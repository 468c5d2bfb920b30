"""The savings ledger: running balance, overdraws refused with a clear message, entries
immutable."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from aftercare.core.errors import DomainError
from aftercare.livelihoods import savings
from aftercare.livelihoods.models import ImmutableEntry, SavingsAccount, SavingsEntry

pytestmark = pytest.mark.django_db


def deposit(worker, survivor, amount, currency="ZAR"):
    return savings.record_entry(
        worker, survivor, kind="deposit", amount=Decimal(amount), currency=currency
    )


def withdraw(worker, survivor, amount, currency="ZAR"):
    return savings.record_entry(
        worker, survivor, kind="withdrawal", amount=Decimal(amount), currency=currency
    )


def test_entries_keep_a_running_balance(worker, survivor_a):
    deposit(worker, survivor_a, "500")
    deposit(worker, survivor_a, "250.50")
    last = withdraw(worker, survivor_a, "100")
    assert [
        (e.sequence, e.change, e.balance_after) for e in SavingsEntry.objects.order_by("sequence")
    ] == [
        (1, Decimal("500"), Decimal("500")),
        (2, Decimal("250.5"), Decimal("750.5")),
        (3, Decimal("-100"), Decimal("650.5")),
    ]
    assert last.account.balance == Decimal("650.5")
    assert savings.balances(survivor_a) == {"ZAR": Decimal("650.5")}


def test_a_withdrawal_beyond_the_balance_is_refused_and_nothing_is_recorded(worker, survivor_a):
    deposit(worker, survivor_a, "300")
    with pytest.raises(savings.InsufficientBalance) as refused:
        withdraw(worker, survivor_a, "300.01")
    assert refused.value.status_code == 409
    assert "cannot go below zero" in refused.value.message and "300.00 ZAR" in refused.value.message
    assert SavingsEntry.objects.count() == 1
    assert SavingsAccount.objects.get().balance == Decimal(300)
    withdraw(worker, survivor_a, "300")  # the whole balance may be taken
    assert SavingsAccount.objects.get().balance == 0


def test_a_withdrawal_with_no_savings_in_that_currency_is_refused(worker, survivor_a):
    deposit(worker, survivor_a, "300", "ZAR")
    with pytest.raises(savings.InsufficientBalance, match="no savings in USD"):
        withdraw(worker, survivor_a, "1", "USD")
    assert not SavingsAccount.objects.filter(currency="USD").exists()


def test_each_currency_has_its_own_balance(worker, survivor_a):
    deposit(worker, survivor_a, "300", "ZAR")
    deposit(worker, survivor_a, "20", "USD")
    with pytest.raises(savings.InsufficientBalance):
        withdraw(worker, survivor_a, "25", "USD")  # the rand do not cover dollars
    assert savings.balances(survivor_a) == {"USD": Decimal(20), "ZAR": Decimal(300)}


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("0", "ZAR", "above zero"),
        ("-5", "ZAR", "above zero"),
        ("10.005", "ZAR", "at most 2 decimal places"),
        ("100.5", "UGX", "at most 0 decimal places"),
        ("10", "XYZ", "not an ISO 4217"),
    ],
)
def test_bad_amounts_are_refused(worker, survivor_a, amount, currency, message):
    with pytest.raises(DomainError, match=message):
        deposit(worker, survivor_a, amount, currency)
    assert not SavingsEntry.objects.exists()


def test_entries_cannot_be_changed_or_removed_through_the_orm(worker, survivor_a):
    entry = deposit(worker, survivor_a, "100")
    entry.change = Decimal("1000")
    with pytest.raises(ImmutableEntry):
        entry.save()
    with pytest.raises(ImmutableEntry):
        entry.delete()
    with pytest.raises(ImmutableEntry):
        SavingsEntry.objects.filter(pk=entry.pk).update(change=Decimal("1000"))
    with pytest.raises(ImmutableEntry):
        SavingsEntry.objects.all().delete()
    assert SavingsEntry.objects.get().change == Decimal(100)


def test_the_database_refuses_to_change_an_entry(worker, survivor_a):
    entry = deposit(worker, survivor_a, "100")
    table = SavingsEntry._meta.db_table
    with (
        pytest.raises(Exception, match="never changed") as refused,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            f"UPDATE {table} SET change = 1000 WHERE id = %s",
            [entry.pk.hex if connection.vendor == "sqlite" else str(entry.pk)],
        )  # noqa: S608
    assert refused.type.__module__.startswith(("django.db", "sqlite3", "psycopg"))
    assert SavingsEntry.objects.get().change == Decimal(100)


def test_the_database_refuses_a_negative_balance(worker, survivor_a):
    account = deposit(worker, survivor_a, "100").account
    with pytest.raises(IntegrityError), transaction.atomic():
        SavingsAccount.objects.filter(pk=account.pk).update(balance=Decimal("-1"))


def test_a_correction_is_a_new_entry_naming_the_one_it_corrects(worker, survivor_a):
    wrong = deposit(worker, survivor_a, "500")  # it was 50
    with pytest.raises(DomainError, match="Say what the correction"):
        savings.record_entry(
            worker,
            survivor_a,
            kind="correction",
            amount=Decimal("-450"),
            currency="ZAR",
            corrects=wrong.pk,
        )
    with pytest.raises(DomainError, match="Name the entry"):
        savings.record_entry(
            worker,
            survivor_a,
            kind="correction",
            amount=Decimal("-450"),
            currency="ZAR",
            note="typo",
        )
    fix = savings.record_entry(
        worker,
        survivor_a,
        kind="correction",
        amount=Decimal("-450"),
        currency="ZAR",
        corrects=wrong.pk,
        note="Deposit was R50, not R500",
    )
    assert fix.corrects == wrong and fix.balance_after == Decimal(50)
    wrong.refresh_from_db()
    assert wrong.change == Decimal(500)  # the original stays as it was
    assert SavingsEntry.objects.count() == 2


def test_a_correction_cannot_overdraw_either(worker, survivor_a):
    wrong = deposit(worker, survivor_a, "100")
    withdraw(worker, survivor_a, "80")
    with pytest.raises(savings.InsufficientBalance):
        savings.record_entry(
            worker,
            survivor_a,
            kind="correction",
            amount=Decimal("-50"),
            currency="ZAR",
            corrects=wrong.pk,
            note="was 50",
        )


def test_only_the_holding_organisation_records_savings(case_worker_b, survivor_a):
    from django.core.exceptions import PermissionDenied

    from tests.conftest import actor

    with pytest.raises(PermissionDenied):
        savings.record_entry(
            actor(case_worker_b), survivor_a, kind="deposit", amount=Decimal(1), currency="ZAR"
        )
