"""How risk looks in the API: assessments, measurements, alerts, and the shapes of instruments
and measures."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from aftercare.risk import services


class DateNotInFuture(serializers.DateField):
    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if day > timezone.localdate():
            raise serializers.ValidationError(_("The date cannot be in the future."))
        return day


class AnswersField(serializers.JSONField):
    """An object; its keys and values are checked against the instrument or measure in use."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("Send an object."))
        return data


class AssessmentInput(serializers.Serializer):
    answers = AnswersField(
        help_text=(
            "{factor_code: true/false or absent/partly/present}; unanswered factors are absent"
        )
    )
    assessed_on = DateNotInFuture(required=False, help_text="defaults to today")


class AssessmentOutput(serializers.Serializer):
    id = serializers.UUIDField()
    survivor = serializers.UUIDField(source="survivor_id")
    instrument = serializers.SerializerMethodField()
    score = serializers.FloatField()
    level = serializers.CharField()
    reasons = serializers.SerializerMethodField()
    next_follow_up = serializers.DateField()
    assessed_at = serializers.DateTimeField()
    assessed_by = serializers.CharField(source="assessed_by.username", default=None)
    answers = serializers.DictField(child=serializers.CharField())
    contributions = serializers.ListField(child=serializers.DictField())
    forced_by = serializers.CharField(allow_blank=True)

    def get_instrument(self, obj) -> dict:
        return {"code": obj.instrument.code, "version": obj.instrument.version}

    def get_reasons(self, obj) -> list[str]:
        return services.assessment_reasons(obj)


class MeasurementInput(serializers.Serializer):
    measure = serializers.CharField(help_text="a measure code from GET /api/v1/measures")
    answers = AnswersField(
        help_text="{item number: answer on the measure's scale}; every item is required"
    )
    recorded_on = DateNotInFuture(required=False, help_text="defaults to today")


class MeasurementOutput(serializers.Serializer):
    id = serializers.UUIDField()
    survivor = serializers.UUIDField(source="survivor_id")
    measure = serializers.CharField(source="measure.code")
    measure_version = serializers.IntegerField(source="measure.version")
    total = serializers.IntegerField()
    band = serializers.CharField()
    band_label = serializers.CharField()
    concern = serializers.SerializerMethodField()
    answers = serializers.DictField(child=serializers.IntegerField())
    recorded_at = serializers.DateTimeField()

    def get_concern(self, obj) -> bool:
        return bool((obj.band_info or {}).get("concern"))


class AlertOutput(serializers.Serializer):
    id = serializers.UUIDField()
    survivor = serializers.UUIDField(source="survivor_id")
    case_code = serializers.SerializerMethodField()
    kind = serializers.CharField()
    factor = serializers.CharField(source="factor_code", allow_blank=True)
    summary = serializers.CharField()
    status = serializers.CharField()
    assessment = serializers.UUIDField(source="assessment_id", allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    raised_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)

    def get_case_code(self, obj) -> str:
        return getattr(obj, "case_code", None) or obj.survivor.case_code


INSTRUMENT_SCHEMA = inline_serializer(
    "RiskInstrument",
    {
        "code": serializers.CharField(),
        "version": serializers.IntegerField(),
        "name": serializers.CharField(),
        "description": serializers.CharField(),
        "active": serializers.BooleanField(),
        "answers": serializers.ListField(child=serializers.CharField()),
        "thresholds": serializers.DictField(child=serializers.FloatField()),
        "follow_up_days": serializers.DictField(child=serializers.IntegerField()),
        "factors": serializers.ListField(child=serializers.DictField()),
    },
)


MEASURE_SCHEMA = inline_serializer(
    "Measure",
    many=True,
    fields={
        "code": serializers.CharField(),
        "version": serializers.IntegerField(),
        "name": serializers.CharField(),
        "description": serializers.CharField(),
        "licence_note": serializers.CharField(),
        "scale": serializers.ListField(child=serializers.DictField()),
        "bands": serializers.ListField(child=serializers.DictField()),
        "items": serializers.ListField(child=serializers.DictField()),
    },
)
