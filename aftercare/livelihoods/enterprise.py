"""Social enterprise: products survivors make, batches, sales and each maker's share.

A sale's total is split once, when it is recorded, into the makers' part (the product's
`maker_percent`) and the enterprise's part; the makers' part is split among the makers by
the pieces each made (or equally), in whole minor units by the largest-remainder method,
so the shares always add up to the makers' part exactly, to the cent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.models import Survivor
from aftercare.core.errors import DomainError
from aftercare.core.ids import get_by_id
from aftercare.livelihoods.models import (
    BatchMaker,
    MakerShare,
    Product,
    ProductionBatch,
    Sale,
    SaleChannel,
)
from aftercare.livelihoods.money import clean_amount, from_minor, rounded, to_minor

MAX_MAKERS = 50


def split(total: Decimal, weights: Sequence[int], currency: str) -> list[Decimal]:
    """Split `total` in proportion to `weights`, in whole minor units, summing exactly to `total`.

    Each share first gets the floor of its exact part; the units left over go one each to the
    shares with the largest remainders (the earlier one first on a tie).
    """
    if not weights or any(w <= 0 for w in weights):
        raise ValueError("weights must be positive")
    units, whole = to_minor(total, currency), sum(weights)
    floors = [units * w // whole for w in weights]
    left = units - sum(floors)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(units * weights[i] % whole), i))
    for i in by_remainder[:left]:
        floors[i] += 1
    return [from_minor(u, currency) for u in floors]


def products(actor: Actor):
    """The products the actor's organisation records."""
    require(actor, Action.VIEW_LIVELIHOODS)
    return Product.objects.filter(organisation_id=actor.organisation_id).select_related(
        "enterprise"
    )


def get_product(actor: Actor, product_id) -> Product:
    return get_by_id(products(actor), product_id, "No such product")


def makers_by_code(actor: Actor, codes: Iterable[str], field: str = "makers") -> list[Survivor]:
    """Survivors the actor may see, named by case code; any other code is refused by name."""
    wanted = [c.strip().upper() for c in codes if c and c.strip()]
    if len(wanted) > MAX_MAKERS:
        raise DomainError(_("At most %(n)s makers.") % {"n": MAX_MAKERS}, field=field)
    found = {
        s.case_code: s
        for s in Survivor.objects.visible_to(actor)
        .filter(case_code__in=wanted)
        .only("id", "case_code", "organisation_id")
    }
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise DomainError(
            _("No case you can see has the code %(codes)s.") % {"codes": ", ".join(unknown)},
            field=field,
        )
    return [found[c] for c in dict.fromkeys(wanted)]


def _visible_makers(
    actor: Actor, survivors: Iterable[Survivor], field: str = "makers"
) -> list[Survivor]:
    survivors = list(dict.fromkeys(survivors))
    ids = {s.pk for s in survivors}
    if len(ids) > MAX_MAKERS:
        raise DomainError(_("At most %(n)s makers.") % {"n": MAX_MAKERS}, field=field)
    if Survivor.objects.visible_to(actor).filter(pk__in=ids).count() != len(ids):
        raise DomainError(_("Every maker must be a case you can see."), field=field)
    return survivors


@transaction.atomic
def add_product(actor: Actor, data: Mapping[str, Any]) -> Product:
    require(actor, Action.RECORD_LIVELIHOOD)
    name = (data.get("name") or "").strip()
    if not name:
        raise DomainError(_("Name the product."), field="name")
    makers = _visible_makers(actor, data.get("makers") or [])
    product = Product.objects.create(
        organisation=actor.organisation,
        enterprise=data.get("enterprise"),
        name=name,
        description=data.get("description", ""),
        materials=data.get("materials", ""),
        maker_percent=data.get("maker_percent", Decimal(100)),
        created_by=actor.user,
    )
    product.makers.set(makers)
    record(actor, AuditAction.CREATE, product, fields=["name", "makers", "maker_percent"])
    return product


@transaction.atomic
def add_batch(
    actor: Actor,
    product: Product,
    *,
    made_on: date,
    quantity: int,
    makers: Sequence[tuple[Survivor, int]],
) -> ProductionBatch:
    """A batch and who made how many of its pieces (the pieces must add up to the batch)."""
    require(actor, Action.RECORD_LIVELIHOOD)
    if product.organisation_id != actor.organisation_id:
        raise Http404("No such product")
    if made_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="made_on")
    if not makers:
        raise DomainError(_("Say who made the batch."), field="makers")
    _visible_makers(actor, [s for s, _n in makers])
    if sum(n for _s, n in makers) != quantity:
        raise DomainError(
            _("The makers' pieces must add up to the %(n)s pieces made.") % {"n": quantity},
            field="makers",
        )
    batch = ProductionBatch.objects.create(
        product=product, made_on=made_on, quantity=quantity, created_by=actor.user
    )
    BatchMaker.objects.bulk_create(BatchMaker(batch=batch, survivor=s, pieces=n) for s, n in makers)
    product.makers.add(*[s for s, _n in makers])
    record(
        actor,
        AuditAction.CREATE,
        batch,
        label=f"batch of {product}"[:200],
        fields=["quantity", "makers"],
    )
    return batch


def _weights(
    product: Product, batch: ProductionBatch | None, makers: Sequence[tuple[Survivor, int]] | None
) -> list[tuple[Survivor, int]]:
    if makers:
        return list(makers)
    if batch is not None:
        return [
            (m.survivor, m.pieces)
            for m in batch.makers.select_related("survivor").order_by("survivor__case_code")
        ]
    return [(s, 1) for s in product.makers.order_by("case_code")]


@transaction.atomic
def record_sale(
    actor: Actor,
    product: Product,
    *,
    channel: str,
    quantity: int,
    unit_price,
    currency: str,
    sold_on: date,
    batch: ProductionBatch | None = None,
    makers: Sequence[tuple[Survivor, int]] | None = None,
) -> Sale:
    """Record a sale and each maker's share of it.

    The shares are weighted by `makers` if given, else by the pieces each made in `batch`,
    else equally among the product's makers.
    """
    require(actor, Action.RECORD_LIVELIHOOD)
    if product.organisation_id != actor.organisation_id:
        raise Http404("No such product")
    if channel not in SaleChannel.values:
        raise DomainError(_("Choose how it was sold."), field="channel")
    if quantity < 1:
        raise DomainError(_("Enter how many were sold."), field="quantity")
    if sold_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="sold_on")
    if batch is not None and batch.product_id != product.pk:
        raise DomainError(_("That batch is of another product."), field="batch")
    price = clean_amount(unit_price, currency, field="unit_price")
    weights = _weights(product, batch, makers)
    if not weights:
        raise DomainError(
            _("Say who made what was sold: the product has no makers yet."), field="makers"
        )
    if any(w < 1 for _s, w in weights):
        raise DomainError(
            _("Each maker's weight must be a whole number above zero."), field="makers"
        )
    _visible_makers(actor, [s for s, _w in weights])
    total = rounded(price * quantity, currency)
    makers_part = rounded(total * product.maker_percent / 100, currency)
    sale = Sale.objects.create(
        product=product,
        batch=batch,
        organisation=actor.organisation,
        channel=channel,
        quantity=quantity,
        unit_price=price,
        currency=currency,
        sold_on=sold_on,
        total=total,
        makers_part=makers_part,
        enterprise_part=total - makers_part,
        created_by=actor.user,
    )
    amounts = split(makers_part, [w for _s, w in weights], currency)
    MakerShare.objects.bulk_create(
        MakerShare(sale=sale, survivor=s, weight=w, amount=a, currency=currency)
        for (s, w), a in zip(weights, amounts, strict=True)
    )
    record(actor, AuditAction.CREATE, sale, fields=["total", "makers_part", "shares"])
    return sale


def sales_of(product: Product):
    return product.sales.prefetch_related("shares__survivor").order_by("-sold_on", "-created_at")


def earnings_of(survivor: Survivor):
    """The survivor's shares of every sale, wherever the product is recorded, newest first."""
    return survivor.maker_shares.select_related("sale__product__enterprise").order_by(
        "-sale__sold_on", "-sale__created_at"
    )
