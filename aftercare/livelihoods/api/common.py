"""Pieces the livelihood API shares: money fields, paging, and money as strings."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.response import Response

from aftercare.core import resources
from aftercare.core.api import ListPagination
from aftercare.livelihoods import access
from aftercare.livelihoods.money import AMOUNT_DIGITS, AMOUNT_PLACES, CURRENCY_CHOICES, rounded
from aftercare.network.models import Region


class Amount(serializers.DecimalField):
    """An amount as a JSON string or number; its currency's minor unit is checked by the service."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", AMOUNT_DIGITS)
        kwargs.setdefault("decimal_places", AMOUNT_PLACES)
        super().__init__(**kwargs)


class Currency(serializers.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "ISO 4217 code")
        super().__init__(choices=CURRENCY_CHOICES, **kwargs)


class PastDate(serializers.DateField):
    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if day > timezone.localdate():
            raise serializers.ValidationError(_("The date cannot be in the future."))
        return day


class RegionCode(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(slug_field="code", queryset=Region.objects.all(), **kwargs)


class Version(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("help_text", "the version you last read; 409 if it is no longer current")
        super().__init__(**kwargs)


def money(amount: Decimal | None, currency: str) -> str | None:
    """An amount as a string to the currency's minor unit: JSON numbers would lose cents."""
    return None if amount is None else str(rounded(amount, currency))


def page(request, view, rows, serializer, **extra) -> Response:
    paginator = ListPagination()
    chunk = paginator.paginate_queryset(rows, request, view=view)
    response = paginator.get_paginated_response(serializer(chunk, many=True).data)
    response.data.update(extra)
    return response


def valid(serializer_class, request, **kwargs) -> dict:
    form = serializer_class(data=request.data, **kwargs)
    form.is_valid(raise_exception=True)
    return dict(form.validated_data)


class Resource(resources.Resource):
    # No docstring (it would describe every operation below it). The body is read by its
    # serializer alone, as this part of the API always has.
    def parse(self, serializer_class) -> dict:
        return valid(serializer_class, self.request)


class CaseResource(Resource):
    # A survivor's part: read through `access.survivor_to_read`, written through
    # `survivor_to_record`; `part(survivor, **ids)`, if set, is the record the address names
    # (a write then acts on `(survivor, record)`).
    part = None

    def survivor(self, actor, survivor_id):
        return access.survivor_to_read(actor, survivor_id)

    def to_record(self, actor, survivor_id, **ids):
        survivor = access.survivor_to_record(actor, survivor_id)
        return (survivor, type(self).part(survivor, **ids)) if self.part else survivor

    def read_again(self, target):
        """The record of `(survivor, record)` as it is after a write, for the answer."""
        survivor, record = target
        return type(self).part(survivor, record.pk)
