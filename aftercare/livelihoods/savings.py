"""The savings ledger: deposits, withdrawals and corrections, one account per survivor and currency.

Every entry locks the account row first (`select_for_update`), reads the balance, and writes
the entry and the new balance in the same transaction. Two withdrawals at the same moment
therefore run one after the other, and the second sees what the first left: the balance
never goes below zero (a check constraint says so again in the database).
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.models import Survivor
from aftercare.core.errors import DomainError
from aftercare.core.policy import Actor
from aftercare.livelihoods import access
from aftercare.livelihoods.models import EntryKind, SavingsAccount, SavingsEntry
from aftercare.livelihoods.money import clean_amount, format_money

MAX_NOTE = 300


class InsufficientBalance(DomainError):
    """A withdrawal (or a correction) would take the balance below zero."""

    status_code = 409
    code = "insufficient_balance"


def accounts_of(survivor: Survivor):
    return SavingsAccount.objects.filter(survivor=survivor).order_by("currency")


def entries_of(survivor: Survivor):
    return (
        SavingsEntry.objects.filter(account__survivor=survivor)
        .select_related("account", "recorded_by", "corrects")
        .order_by("account__currency", "-sequence")
    )


@transaction.atomic
def record_entry(
    actor: Actor,
    survivor: Survivor,
    *,
    kind: str,
    amount,
    currency: str,
    entry_date: date | None = None,
    note: str = "",
    corrects: SavingsEntry | str | None = None,
) -> SavingsEntry:
    """Add one entry to the survivor's ledger in `currency`; refuse one that would overdraw it.

    `amount` is positive for deposits and withdrawals; a correction's amount is signed (what
    it adds to or takes from the balance) and names the entry it corrects.
    """
    access.require_record(actor, survivor)
    if kind not in EntryKind.values:
        raise DomainError(_("Choose deposit, withdrawal or correction."), field="kind")
    value = clean_amount(amount, currency, signed=kind == EntryKind.CORRECTION)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError(
            _("Keep the note under %(n)s characters.") % {"n": MAX_NOTE}, field="note"
        )
    entry_date = entry_date or timezone.localdate()
    if entry_date > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="entry_date")
    change = {EntryKind.DEPOSIT: value, EntryKind.WITHDRAWAL: -value}.get(kind, value)

    if kind == EntryKind.DEPOSIT:
        SavingsAccount.objects.get_or_create(
            survivor=survivor, currency=currency, defaults={"organisation": survivor.organisation}
        )
    # The lock: every other entry on this account waits here until this transaction ends.
    account = (
        SavingsAccount.objects.select_for_update()
        .filter(survivor=survivor, currency=currency)
        .first()
    )
    if account is None:
        raise InsufficientBalance(
            _("Refused: there are no savings in %(currency)s to take from. Nothing was recorded.")
            % {"currency": currency},
            field="amount",
        )
    corrected = None
    if kind == EntryKind.CORRECTION:
        corrected = _corrected_entry(account, corrects)
        if not note:
            raise DomainError(_("Say what the correction puts right."), field="note")
    elif corrects:
        raise DomainError(_("Only a correction names an entry it corrects."), field="corrects")
    balance = account.balance + change
    if balance < 0:
        raise InsufficientBalance(
            _(
                "Refused: taking %(amount)s would leave %(balance)s, and the savings "
                "cannot go below zero. The balance is %(current)s. Nothing was recorded."
            )
            % {
                "amount": format_money(-change, currency),
                "balance": format_money(balance, currency),
                "current": format_money(account.balance, currency),
            },
            field="amount",
        )
    sequence = account.entries_count + 1
    entry = SavingsEntry.objects.create(
        account=account,
        sequence=sequence,
        kind=kind,
        change=change,
        balance_after=balance,
        entry_date=entry_date,
        note=note,
        corrects=corrected,
        recorded_by=actor.user,
    )
    account.balance, account.entries_count = balance, sequence
    account.save(update_fields=["balance", "entries_count"])
    record(
        actor,
        AuditAction.CREATE,
        entry,
        label=f"{survivor.case_code} savings {kind}",
        fields=["change", "balance_after"],
    )
    return entry


def _corrected_entry(account: SavingsAccount, corrects) -> SavingsEntry:
    if corrects is None or corrects == "":
        raise DomainError(_("Name the entry this corrects."), field="corrects")
    try:
        key = corrects.pk if isinstance(corrects, SavingsEntry) else uuid.UUID(str(corrects))
        return account.entries.get(pk=key)
    except (SavingsEntry.DoesNotExist, ValueError) as exc:
        raise DomainError(
            _("That entry is not in this savings account."), field="corrects"
        ) from exc


def balances(survivor: Survivor) -> dict[str, Decimal]:
    return {a.currency: a.balance for a in accounts_of(survivor)}
