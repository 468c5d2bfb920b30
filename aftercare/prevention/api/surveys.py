"""API of KAP surveys (defined as data, rounds, responses, change) and the indicators."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from aftercare.accounts.policy import Action, require
from aftercare.core.api import ApiView, api_actor, paginate, read_object
from aftercare.core.errors import DomainError
from aftercare.prevention import indicators, kap
from aftercare.prevention import serializers as out
from aftercare.prevention.access import get_visible
from aftercare.prevention.api.programme import created
from aftercare.prevention.models import Survey, SurveyRound
from aftercare.prevention.reporting import indicator_scope


class SurveyInvalidResponse(serializers.Serializer):
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


def _all_errors(exc: kap.SurveyInvalid):
    """Every error of a definition or batch at once, by path, as a 400."""
    return serializers.ValidationError(exc.errors)


SurveyDefinition = inline_serializer(
    "SurveyDefinition",
    {
        "code": serializers.CharField(allow_blank=True),
        "name": serializers.CharField(allow_blank=True),
        "description": serializers.CharField(required=False, allow_blank=True),
        "scales": serializers.ListField(child=serializers.DictField()),
        "questions": serializers.ListField(child=serializers.DictField()),
    },
).__class__
SurveyRoundInput = inline_serializer(
    "SurveyRoundInput",
    {
        "kind": serializers.ChoiceField(choices=["baseline", "follow_up"]),
        "label": serializers.CharField(),
        "started_on": serializers.DateField(),
        "ended_on": serializers.DateField(),
    },
).__class__
SurveyResponsesInput = inline_serializer(
    "SurveyResponsesInput", {"responses": serializers.ListField(child=serializers.DictField())}
).__class__


class SurveysView(ApiView):
    @extend_schema(responses=out.KapSurveySerializer(many=True))
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_PREVENTION)
        return paginate(
            request,
            self,
            Survey.objects.visible_to(actor).prefetch_related(kap.rounds_counted()),
            out.KapSurveySerializer,
        )

    @extend_schema(
        request=SurveyDefinition,
        responses={201: out.KapSurveySerializer, 400: SurveyInvalidResponse},
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.MANAGE_PREVENTION)
        self.valid(SurveyDefinition)
        # the definition as sent: kap checks its scales and questions and names every error at once
        try:
            survey = kap.define_survey(actor, read_object(request))
        except kap.SurveyInvalid as exc:
            raise _all_errors(exc) from exc
        return created(out.KapSurveySerializer, survey)


class SurveyDetailView(ApiView):
    @extend_schema(
        responses=inline_serializer(
            "SurveyWithDefinition",
            {
                "id": serializers.UUIDField(),
                "definition": serializers.DictField(),
                "rounds": out.SurveyRoundSerializer(many=True),
            },
        )
    )
    def get(self, request, survey_id):
        survey = get_visible(api_actor(request), Survey, survey_id)
        return Response(
            {
                "id": str(survey.pk),
                "definition": kap.definition(survey),
                "rounds": out.SurveyRoundSerializer(kap.counted_rounds(survey), many=True).data,
            }
        )


class RoundsView(ApiView):
    @extend_schema(request=SurveyRoundInput, responses={201: out.SurveyRoundSerializer})
    def post(self, request, survey_id):
        actor = api_actor(request)
        require(actor, Action.MANAGE_PREVENTION)
        data = self.valid(SurveyRoundInput)
        survey_round = kap.add_round(
            actor,
            survey_id,
            kind=data["kind"],
            label=data["label"],
            started_on=data["started_on"],
            ended_on=data["ended_on"],
        )
        return created(out.SurveyRoundSerializer, survey_round)


class ResponsesView(ApiView):
    """Responses to a round, all or nothing: `{"responses": [{"community", "sex", "age_group",
    "collected_on", "answers": {question_code: value}}]}`."""

    @extend_schema(
        request=SurveyResponsesInput,
        responses={
            201: inline_serializer("ResponsesSaved", {"saved": serializers.IntegerField()}),
            400: SurveyInvalidResponse,
        },
    )
    def post(self, request, round_id):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = self.valid(SurveyResponsesInput)
        try:
            saved = kap.record_responses(actor, round_id, data["responses"])
        except kap.SurveyInvalid as exc:
            raise _all_errors(exc) from exc
        return Response({"saved": saved}, status=201)


class ChangeView(ApiView):
    """Baseline against a follow-up round (`?follow_up=` round id, else the latest), per question
    and per community: shares favourable, change in percentage points, chi-square or Fisher p."""

    @extend_schema(
        parameters=[OpenApiParameter("follow_up", str)],
        responses=inline_serializer(
            "KapChange",
            {"questions": serializers.ListField(), "communities": serializers.ListField()},
        ),
    )
    def get(self, request, survey_id):
        survey = get_visible(api_actor(request), Survey, survey_id)
        follow_up = None
        if request.query_params.get("follow_up"):
            follow_up = get_visible(
                api_actor(request),
                SurveyRound,
                request.query_params["follow_up"],
                queryset=SurveyRound.objects.filter(survey=survey, kind="follow_up"),
            )
        return Response(kap.change(survey, follow_up).as_dict())


def parse_period(params) -> tuple[date, date]:
    try:
        start, end = (
            date.fromisoformat(params.get("from", "")),
            date.fromisoformat(params.get("to", "")),
        )
    except ValueError as exc:
        raise DomainError(
            _("Give the period as from=YYYY-MM-DD&to=YYYY-MM-DD."), field="from"
        ) from exc
    if end < start:
        raise DomainError(_("The period ends before it starts."), field="to")
    return start, end


class IndicatorsView(ApiView):
    """The funder indicators of prevention for a period: `prevention.indicators.for_period`.
    Coordinators and M&E officers see the network, or one organisation with `organisation=`;
    supervisors and admins see their own organisation."""

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, required=True),
            OpenApiParameter("to", str, required=True),
            OpenApiParameter("organisation", str),
        ],
        responses=inline_serializer("PreventionIndicators", {"period": serializers.DictField()}),
    )
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_AGGREGATE_REPORTS)
        start, end = parse_period(request.query_params)
        try:
            organisation = indicator_scope(actor, request.query_params.get("organisation"))
        except LookupError as exc:
            raise Http404 from exc
        return Response(indicators.figures(start, end, organisation))
