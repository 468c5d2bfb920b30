"""How interoperability looks in the API: the report of an HTCDS import."""

from __future__ import annotations

from rest_framework import serializers


class ReportSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    committed = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.DictField())
    not_held = serializers.ListField(child=serializers.CharField())
    not_read = serializers.ListField(child=serializers.CharField())
    passed_over = serializers.ListField(
        child=serializers.CharField(), help_text="columns without a header, or not the standard's"
    )
    folded = serializers.ListField(
        child=serializers.CharField(),
        help_text="values read as another of the standard's: column: value → written back",
    )
    possible_duplicates = serializers.IntegerField()
    case_codes = serializers.ListField(child=serializers.CharField())
