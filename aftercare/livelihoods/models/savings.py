"""The savings programme: one ledger per survivor and currency, entries never changed.

The account row holds the balance and is locked (SELECT ... FOR UPDATE) by every entry, so
two withdrawals at the same moment are made one after the other and cannot overdraw it.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.livelihoods.models.base import amount_field, by_user, currency_field


class ImmutableEntry(Exception):
    """A ledger entry cannot be changed or removed: record a correction instead."""


class SavingsAccount(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.PROTECT, related_name="savings_accounts"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    currency = currency_field()
    balance = amount_field(_("balance"), default=0, editable=False)
    entries_count = models.PositiveIntegerField(default=0, editable=False)
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["survivor", "currency"], name="one_savings_account_per_currency"
            ),
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="savings_never_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"savings {self.currency}"

    def audit_label(self) -> str:
        return f"{self.survivor.case_code} savings {self.currency}"


class EntryKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    CORRECTION = "correction", _("Correction")


class SavingsEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableEntry("savings entries are never changed: record a correction")

    def delete(self):
        raise ImmutableEntry("savings entries are never removed: record a correction")


class SavingsEntry(models.Model):
    """A deposit (+), a withdrawal (−) or a correction (±, naming the entry it corrects).

    `change` is signed; `balance_after` is the running balance in the order entries were
    recorded (`sequence`). Rows are only ever added: the model, its queryset and a database
    trigger (migration 0002) refuse changes.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(SavingsAccount, on_delete=models.PROTECT, related_name="entries")
    sequence = models.PositiveIntegerField(editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    change = amount_field(_("change"), positive=False)
    balance_after = amount_field(_("balance after"))
    entry_date = models.DateField(_("date"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=300, blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    recorded_by = by_user()
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = SavingsEntryQuerySet.as_manager()

    class Meta:
        ordering = ["account", "-sequence"]
        verbose_name_plural = "savings entries"
        constraints = [
            models.UniqueConstraint(fields=["account", "sequence"], name="one_entry_per_sequence"),
            models.CheckConstraint(
                condition=models.Q(balance_after__gte=0), name="entry_never_overdraws"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="deposit", change__gt=0)
                    | models.Q(kind="withdrawal", change__lt=0)
                    | models.Q(kind="correction", corrects__isnull=False)
                ),
                name="entry_sign_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.change}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableEntry("savings entries are never changed: record a correction")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEntry("savings entries are never removed: record a correction")
