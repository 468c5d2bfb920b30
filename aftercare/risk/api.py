"""API: the risk instrument, a survivor's risk assessments and measures, and risk alerts."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.core.api import ListPagination, api_actor
from aftercare.core.policy import Action, require
from aftercare.risk import access, measures, services
from aftercare.risk.instruments import instrument_definition
from aftercare.risk.models import AlertStatus, Instrument, Measure, label_text


def _field_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(exc.message_dict)


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
    answers = AnswersField(help_text=("{factor_code: true/false or absent/partly/present}; "
                                      "unanswered factors are absent"))
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
    answers = AnswersField(help_text="{item number: answer on the measure's scale}; every item is required")
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


INSTRUMENT_SCHEMA = inline_serializer("RiskInstrument", {
    "code": serializers.CharField(), "version": serializers.IntegerField(), "name": serializers.CharField(),
    "description": serializers.CharField(), "active": serializers.BooleanField(),
    "answers": serializers.ListField(child=serializers.CharField()),
    "thresholds": serializers.DictField(child=serializers.FloatField()),
    "follow_up_days": serializers.DictField(child=serializers.IntegerField()),
    "factors": serializers.ListField(child=serializers.DictField()),
})


class RiskInstrumentView(APIView):
    @extend_schema(parameters=[OpenApiParameter("version", int, description="a past version; default the active one")],
                   responses=INSTRUMENT_SCHEMA)
    def get(self, request):
        require(api_actor(request), Action.VIEW_RISK)
        version = request.query_params.get("version", "")
        if version and not version.isdigit():
            raise serializers.ValidationError({"version": [_("Enter a whole number.")]})
        instruments = Instrument.objects.filter(code=services.DEFAULT_INSTRUMENT).prefetch_related("factors")
        instrument = instruments.filter(version=int(version)).first() if version else instruments.filter(active=True).first()
        if instrument is None and not version:
            services.active_instrument()  # raises NoActiveInstrument (409)
        if instrument is None:
            raise NotFound()
        return Response(instrument_definition(instrument, translate=True))


class SurvivorRiskAssessmentsView(APIView):
    @extend_schema(parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
                   responses=AssessmentOutput(many=True))
    def get(self, request, survivor_id):
        actor = api_actor(request)
        case = access.case_to_read(actor, survivor_id)
        paginator = ListPagination()
        page = paginator.paginate_queryset(services.survivor_assessments(case), request, view=self)
        return paginator.get_paginated_response(AssessmentOutput(page, many=True).data)

    @extend_schema(request=AssessmentInput, responses={201: AssessmentOutput})
    def post(self, request, survivor_id):
        actor = api_actor(request)
        survivor = access.case_to_record(actor, survivor_id, Action.ASSESS_RISK).survivor
        form = AssessmentInput(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            assessment = services.assess_risk(
                actor, survivor, form.validated_data["answers"], assessed_on=form.validated_data.get("assessed_on")
            )
        except DjangoValidationError as exc:
            raise _field_errors(exc) from exc
        return Response(AssessmentOutput(assessment).data, status=status.HTTP_201_CREATED)


class SurvivorMeasurementsView(APIView):
    @extend_schema(parameters=[OpenApiParameter("measure", str), OpenApiParameter("limit", int),
                               OpenApiParameter("offset", int)],
                   responses=MeasurementOutput(many=True))
    def get(self, request, survivor_id):
        actor = api_actor(request)
        case = access.case_to_read(actor, survivor_id)
        rows = measures.survivor_measurements(case, request.query_params.get("measure", ""))
        paginator = ListPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(MeasurementOutput(page, many=True).data)

    @extend_schema(request=MeasurementInput, responses={201: MeasurementOutput})
    def post(self, request, survivor_id):
        actor = api_actor(request)
        survivor = access.case_to_record(actor, survivor_id, Action.RECORD_MEASURE).survivor
        form = MeasurementInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            measurement = measures.record_measure(
                actor, survivor, data["measure"], data["answers"], recorded_on=data.get("recorded_on")
            )
        except DjangoValidationError as exc:
            raise _field_errors(exc) from exc
        return Response(MeasurementOutput(measurement).data, status=status.HTTP_201_CREATED)


MEASURE_SCHEMA = inline_serializer("Measure", many=True, fields={
    "code": serializers.CharField(), "version": serializers.IntegerField(), "name": serializers.CharField(),
    "description": serializers.CharField(), "licence_note": serializers.CharField(),
    "scale": serializers.ListField(child=serializers.DictField()),
    "bands": serializers.ListField(child=serializers.DictField()),
    "items": serializers.ListField(child=serializers.DictField()),
})


def measure_definition(measure: Measure) -> dict:
    return {
        "code": measure.code, "version": measure.version, "name": label_text(measure.name),
        "description": label_text(measure.description), "licence_note": label_text(measure.licence_note),
        "scale": [{"value": p["value"], "label": label_text(p["label"])} for p in measure.scale],
        "bands": [{**b, "label": label_text(b["label"])} for b in measure.bands],
        "items": [{"number": i.number, "text": i.text_text, "reversed": i.reversed} for i in measure.items.all()],
    }


class MeasuresView(APIView):
    @extend_schema(responses=MEASURE_SCHEMA)
    def get(self, request):
        """The active measures with their items, scale and bands (a short list, so not paginated)."""
        require(api_actor(request), Action.VIEW_RISK)
        rows = [measure_definition(m) for m in measures.active_measures()]
        return Response({"count": len(rows), "next": None, "previous": None, "results": rows})


class RiskAlertsView(APIView):
    @extend_schema(parameters=[OpenApiParameter("status", str, enum=AlertStatus.values),
                               OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
                   responses=AlertOutput(many=True))
    def get(self, request):
        actor = api_actor(request)
        status_ = request.query_params.get("status", AlertStatus.OPEN)
        if status_ not in AlertStatus.values:
            raise serializers.ValidationError({"status": [_("Choose one of: %(values)s.") % {"values": ", ".join(AlertStatus.values)}]})
        alerts = services.visible_alerts(actor, status_)
        paginator = ListPagination()
        page = paginator.paginate_queryset(alerts, request, view=self)
        return paginator.get_paginated_response(AlertOutput(page, many=True).data)


class AcknowledgeAlertView(APIView):
    @extend_schema(request=None, responses=AlertOutput)
    def post(self, request, alert_id):
        alert = services.acknowledge_alert(api_actor(request), alert_id)
        return Response(AlertOutput(alert).data)
