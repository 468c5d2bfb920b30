"""The answer shape of a survivor's own livelihood (`GET /api/v1/me/livelihood`)."""

from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

OWN_SCHEMA = inline_serializer(
    "OwnLivelihood",
    {
        "earnings": serializers.ListField(child=serializers.DictField()),
        "earnings_totals": serializers.DictField(child=serializers.CharField()),
        "savings": serializers.DictField(child=serializers.CharField()),
        "jobs": serializers.ListField(child=serializers.DictField()),
        "training": serializers.ListField(child=serializers.DictField()),
    },
)
