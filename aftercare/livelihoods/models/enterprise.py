"""Social enterprise: what survivors make, production batches, sales and each maker's share."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.livelihoods.models.base import Named, amount_field, by_user, currency_field


class Product(Named):
    """A product line, e.g. tote bags at Bliss and Bloom or gold earrings at a jewellery centre.

    `organisation` records it (and sees its sales); `enterprise` is who sells it, if another.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("social enterprise"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    materials = models.CharField(_("materials"), max_length=300, blank=True)
    makers = models.ManyToManyField(
        "cases.Survivor", related_name="products_made", blank=True, verbose_name=_("makers")
    )
    maker_percent = models.DecimalField(
        _("makers' share of each sale (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(100),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("what the enterprise keeps for materials and selling is the rest"),
    )
    is_active = models.BooleanField(_("still made"), default=True)
    created_by = by_user()
    created_at = models.DateTimeField(default=timezone.now)


class ProductionBatch(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="batches")
    made_on = models.DateField(_("made on"))
    quantity = models.PositiveIntegerField(_("pieces made"), validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = by_user()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-made_on"]
        verbose_name_plural = "production batches"

    def __str__(self) -> str:
        return f"{self.product} · {self.made_on} ({self.quantity})"


class BatchMaker(models.Model):
    """Who made how many pieces of a batch: the weights of a sale's shares from that batch."""

    batch = models.ForeignKey(ProductionBatch, on_delete=models.CASCADE, related_name="makers")
    survivor = models.ForeignKey("cases.Survivor", on_delete=models.PROTECT, related_name="+")
    pieces = models.PositiveIntegerField(_("pieces"), validators=[MinValueValidator(1)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "survivor"], name="one_row_per_batch_maker")
        ]

    def __str__(self) -> str:
        return f"{self.pieces} pieces"


class SaleChannel(models.TextChoices):
    MARKET = "market", _("Market stall")
    SHOP = "shop", _("Shop")
    ONLINE = "online", _("Online")
    WHOLESALE = "wholesale", _("Wholesale or order")
    EVENT = "event", _("Event or fair")
    OTHER = "other", _("Other")


class Sale(models.Model):
    """A sale. Its total, the makers' part and the enterprise's part are fixed when recorded:
    `makers_part + enterprise_part == total`, and the makers' shares add up to `makers_part`
    (by construction in `enterprise.record_sale`; SQLite keeps decimals as floats, so a check
    constraint on the sum would misfire there)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="sales")
    batch = models.ForeignKey(
        ProductionBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="sales"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=SaleChannel.choices)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = amount_field(_("unit price"))
    currency = currency_field()
    sold_on = models.DateField(_("date"), db_index=True)
    total = amount_field(_("total"), editable=False)
    makers_part = amount_field(_("makers' part"), editable=False)
    enterprise_part = amount_field(_("enterprise's part"), editable=False)
    created_by = by_user()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sold_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product} on {self.sold_on}"

    def audit_label(self) -> str:
        return f"sale of {self.product}"[:200]


class MakerShare(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="shares")
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.PROTECT, related_name="maker_shares"
    )
    weight = models.PositiveIntegerField(
        default=1, help_text="pieces made, or 1 for an equal share"
    )
    amount = amount_field()
    currency = currency_field()

    class Meta:
        ordering = ["sale__sold_on"]
        constraints = [
            models.UniqueConstraint(fields=["sale", "survivor"], name="one_share_per_maker")
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
