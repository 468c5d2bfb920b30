"""API: the risk instrument, a survivor's risk assessments and measures, and risk alerts."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts.policy import Action, require
from aftercare.core.api import ListPagination, api_actor
from aftercare.risk import access, measures, services
from aftercare.risk.instruments import instrument_definition
from aftercare.risk.models import AlertStatus, Instrument, Measure, label_text
from aftercare.risk.serializers import (
    INSTRUMENT_SCHEMA,
    MEASURE_SCHEMA,
    AlertOutput,
    AssessmentInput,
    AssessmentOutput,
    MeasurementInput,
    MeasurementOutput,
)


def _field_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(exc.message_dict)


class RiskInstrumentView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("version", int, description="a past version; default the active one")
        ],
        responses=INSTRUMENT_SCHEMA,
    )
    def get(self, request):
        require(api_actor(request), Action.VIEW_RISK)
        version = request.query_params.get("version", "")
        if version and not version.isdigit():
            raise serializers.ValidationError({"version": [_("Enter a whole number.")]})
        instruments = Instrument.objects.filter(code=services.DEFAULT_INSTRUMENT).prefetch_related(
            "factors"
        )
        instrument = (
            instruments.filter(version=int(version)).first()
            if version
            else instruments.filter(active=True).first()
        )
        if instrument is None and not version:
            services.active_instrument()  # raises NoActiveInstrument (409)
        if instrument is None:
            raise NotFound()
        return Response(instrument_definition(instrument, translate=True))


class SurvivorRiskAssessmentsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
        responses=AssessmentOutput(many=True),
    )
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
                actor,
                survivor,
                form.validated_data["answers"],
                assessed_on=form.validated_data.get("assessed_on"),
            )
        except DjangoValidationError as exc:
            raise _field_errors(exc) from exc
        return Response(AssessmentOutput(assessment).data, status=status.HTTP_201_CREATED)


class SurvivorMeasurementsView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("measure", str),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses=MeasurementOutput(many=True),
    )
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
                actor,
                survivor,
                data["measure"],
                data["answers"],
                recorded_on=data.get("recorded_on"),
            )
        except DjangoValidationError as exc:
            raise _field_errors(exc) from exc
        return Response(MeasurementOutput(measurement).data, status=status.HTTP_201_CREATED)


def measure_definition(measure: Measure) -> dict:
    return {
        "code": measure.code,
        "version": measure.version,
        "name": label_text(measure.name),
        "description": label_text(measure.description),
        "licence_note": label_text(measure.licence_note),
        "scale": [{"value": p["value"], "label": label_text(p["label"])} for p in measure.scale],
        "bands": [{**b, "label": label_text(b["label"])} for b in measure.bands],
        "items": [
            {"number": i.number, "text": i.text_text, "reversed": i.reversed}
            for i in measure.items.all()
        ],
    }


class MeasuresView(APIView):
    @extend_schema(responses=MEASURE_SCHEMA)
    def get(self, request):
        """The active measures with their items, scale and bands (a short list, so not
        paginated)."""
        require(api_actor(request), Action.VIEW_RISK)
        rows = [measure_definition(m) for m in measures.active_measures()]
        return Response({"count": len(rows), "next": None, "previous": None, "results": rows})


class RiskAlertsView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=AlertStatus.values),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses=AlertOutput(many=True),
    )
    def get(self, request):
        actor = api_actor(request)
        status_ = request.query_params.get("status", AlertStatus.OPEN)
        if status_ not in AlertStatus.values:
            raise serializers.ValidationError(
                {
                    "status": [
                        _("Choose one of: %(values)s.") % {"values": ", ".join(AlertStatus.values)}
                    ]
                }
            )
        alerts = services.visible_alerts(actor, status_)
        paginator = ListPagination()
        page = paginator.paginate_queryset(alerts, request, view=self)
        return paginator.get_paginated_response(AlertOutput(page, many=True).data)


class AcknowledgeAlertView(APIView):
    @extend_schema(request=None, responses=AlertOutput)
    def post(self, request, alert_id):
        alert = services.acknowledge_alert(api_actor(request), alert_id)
        return Response(AlertOutput(alert).data)
