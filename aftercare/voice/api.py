"""API: feedback (by a survivor's token or a feedback code), the SMS webhook, provider
performance in aggregate, and the duty-bearer registry."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts.models import Organisation
from aftercare.core.api import ListPagination, api_actor
from aftercare.core.policy import Action, require
from aftercare.network.models import Region
from aftercare.network.taxonomy import ServiceDomain
from aftercare.voice import limits, ratings, registry, sms, stats
from aftercare.voice.models import Channel, DutyBearer, DutyBearerKind
from aftercare.voice.portal_accounts import active_account

MAX_COMMENT = ratings.MAX_COMMENT


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _rating_errors(exc: ratings.RatingInvalid) -> serializers.ValidationError:
    return serializers.ValidationError({"ratings": [f"{name}: {message}" for name, message in exc.errors.items()]})


class FeedbackInput(serializers.Serializer):
    subject = serializers.CharField(required=False, allow_blank=True, help_text="organisation id or duty-bearer id")
    domain = serializers.ChoiceField(choices=ServiceDomain.values, required=False, allow_blank=True)
    ratings = serializers.JSONField(help_text="{respect, timeliness, helpfulness, safety, information}: each 1–5")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=MAX_COMMENT)
    code = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text="a one-time feedback code")
    service = serializers.UUIDField(required=False, help_text="with a survivor's token: the service rated")


FeedbackOutput = inline_serializer(
    "FeedbackReceived",
    {"status": serializers.CharField(), "subject": serializers.CharField(), "domain": serializers.CharField(),
     "anonymous": serializers.BooleanField()},
)


class FeedbackView(APIView):
    """A survivor's rating of an organisation or a duty bearer for a service received.

    With `code`, no account is needed and the code decides what is rated (a `subject` or
    `domain` that disagrees with it is refused). Otherwise the caller must be a survivor with
    a portal account, rating someone who served them; once per service. The answer never
    carries an id that could tie the rating to the caller.
    """

    permission_classes = [AllowAny]

    @extend_schema(request=FeedbackInput, responses={201: FeedbackOutput})
    def post(self, request):
        form = FeedbackInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            if data.get("code"):
                rating = ratings.rate_with_code(
                    data["code"], data["ratings"], data.get("comment", ""), channel=Channel.API,
                    client=limits.client_key("api", _client_address(request)),
                    subject_id=data.get("subject"), domain=data.get("domain"),
                )
            else:
                rating = self._as_survivor(request, data)
        except ratings.RatingInvalid as exc:
            raise _rating_errors(exc) from exc
        subject = rating.organisation_id or rating.duty_bearer_id
        return Response(
            {"status": "received", "subject": str(subject), "domain": rating.domain, "anonymous": True},
            status=status.HTTP_201_CREATED,
        )

    def _as_survivor(self, request, data):
        if request.user is None or not request.user.is_authenticated:
            raise NotAuthenticated()
        actor = api_actor(request)
        require(actor, Action.RATE_SERVICE)
        account = active_account(request.user)
        if account is None:
            raise PermissionDenied
        if not data.get("subject"):
            raise serializers.ValidationError({"subject": [_("Give the organisation or duty bearer you rate, or a feedback code.")]})
        ratings.validate_scores(data["ratings"])
        subject = ratings.resolve_subject(data["subject"])
        service = ratings.service_for_api(account, subject, data.get("domain") or None, data.get("service"))
        return ratings.rate_as_survivor(actor, account, service, subject.pk, data["ratings"], data.get("comment", ""),
                                        channel=Channel.API)


class SmsInboundView(APIView):
    """Inbound SMS from a gateway: form fields `from` and `text` (or Twilio's `From` and
    `Body`), optionally a message id (`id`, `message_id`, `MessageSid`). Authenticated by the
    shared secret in `X-Aftercare-Webhook-Secret`, or an HMAC-SHA256 of the body in
    `X-Aftercare-Signature: sha256=<hex>`. Answers 200 with `reply`, the text to send back."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [FormParser, MultiPartParser, JSONParser]

    @extend_schema(
        request=inline_serializer("InboundSms", {"from": serializers.CharField(), "text": serializers.CharField()}),
        responses={200: inline_serializer("SmsReply", {"status": serializers.CharField(), "reply": serializers.CharField()})},
    )
    def post(self, request):
        body = request._request.body
        if not sms.verify(request.headers, body):
            raise PermissionDenied(_("The webhook secret is missing or wrong (or AFTERCARE_SMS_WEBHOOK_SECRET is not set)."))
        data = request.data
        sender = str(data.get("from") or data.get("From") or data.get("msisdn") or "")
        text = str(data.get("text") or data.get("Body") or data.get("message") or "")
        message_id = str(data.get("id") or data.get("message_id") or data.get("messageId") or data.get("MessageSid") or "")
        answer = sms.receive(sender, text, message_id)
        return Response({"status": answer.status, "reply": answer.reply})


def _subject_json(report: stats.SubjectReport) -> dict:
    figures = report.figures
    region = report.region
    return {
        "subject": str(report.pk),
        "subject_type": report.type,
        "name": report.subject.name,
        "kind": report.kind,
        "region": {"id": str(region.pk), "code": region.code, "name": region.name} if region else None,
        "rank": report.rank,
        "n": figures.n,
        "survivors": figures.survivors,
        "mean": figures.mean,
        "bayesian_mean": figures.bayesian_mean,
        "interval": list(figures.interval),
        "dimensions": figures.dimensions,
        "period": {"from": stats.quarter_label(report.batches[0].first), "to": stats.quarter_label(report.batches[-1].last)},
    }


def _network_json(network: stats.Network, withheld: int) -> dict:
    return {
        "k": network.k, "prior_weight": network.m, "network_mean": network.mean, "sigma": round(network.sigma, 3),
        "withheld_subjects": withheld, "method": "bayesian_mean = (m*network_mean + n*mean)/(m+n); "
        "interval = bayesian_mean ± 1.96*sigma/sqrt(m+n), clipped to [1,5]; sigma = pooled within-subject SD (≥ 0.5); "
        "n counts voices (one per survivor, subject and quarter); ratings released per subject in batches of "
        "completed quarters bringing ≥ k survivors new to its figures, none past a quarter the coordinator is checking",
    }


def _region(key: str) -> Region | None:
    """A region by its code or its id."""
    try:
        return Region.objects.filter(Q(code=key) | Q(pk=uuid.UUID(key))).first()
    except ValueError:
        return Region.objects.filter(code=key).first()


def _filters(request) -> dict:
    params = request.query_params
    region = None
    if params.get("region"):
        region = _region(params["region"])
        if region is None:
            raise serializers.ValidationError({"region": [_("Unknown region.")]})
    subject_type = params.get("type", "")
    if subject_type not in ("", "organisation", "duty_bearer"):
        raise serializers.ValidationError({"type": [_("Use organisation or duty_bearer.")]})
    return {"subject_type": subject_type, "kind": params.get("kind", ""), "region": region}


PERFORMANCE_PARAMS = [
    OpenApiParameter("type", str, enum=["organisation", "duty_bearer"]),
    OpenApiParameter("kind", str, description="organisation kind or duty-bearer kind"),
    OpenApiParameter("region", str, description="region code or id; includes its sub-regions"),
]


class ProviderPerformanceView(APIView):
    """Survivors' ratings in aggregate, ranked by the Bayesian mean. Subjects with fewer than k
    released ratings are not listed at all; no individual rating, rater or date is ever shown."""

    @extend_schema(parameters=PERFORMANCE_PARAMS)
    def get(self, request):
        require(api_actor(request), Action.VIEW_AGGREGATE_REPORTS)
        report = stats.performance(**_filters(request))
        paginator = ListPagination()
        page = paginator.paginate_queryset(report.subjects, request, view=self)
        return Response({
            "count": paginator.count, "next": paginator.get_next_link(), "results": [_subject_json(r) for r in page],
            **_network_json(report.network, report.withheld),
        })


class ProviderPerformanceSubjectView(APIView):
    """One published subject: its figures, its trend (each released batch of quarters), the
    comments the coordinator approved for quoting (no dates), and good-practice highlights."""

    def get(self, request, subject_id):
        require(api_actor(request), Action.VIEW_AGGREGATE_REPORTS)
        report, subject = stats.subject_report(subject_id)
        if subject is None:
            raise NotFound()
        return Response({
            **_subject_json(subject),
            "trend": [
                {"period": batch.label, "n": figures.n, "survivors": figures.survivors, "mean": figures.mean, "bayesian_mean": figures.bayesian_mean,
                 "interval": list(figures.interval)}
                for batch, figures in stats.trend(report.network, subject)
            ],
            "quotes": stats.quotes(subject),
            "good_practice": [p.text for p in stats.highlights([subject])],
            **_network_json(report.network, report.withheld),
        })


class DutyBearerSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(read_only=True)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True), required=False, allow_null=True
    )
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=DutyBearerKind.choices)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = DutyBearer
        fields = ["id", "name", "kind", "organisation", "region", "is_active", "version"]
        read_only_fields = ["is_active"]


class DutyBearersView(APIView):
    """The registry of duty bearers (network-wide); case staff and the coordinator add to it."""

    @extend_schema(
        parameters=[OpenApiParameter("kind", str), OpenApiParameter("q", str), OpenApiParameter("region", str)],
        responses=DutyBearerSerializer(many=True),
    )
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_DUTY_BEARERS)
        region = _region(request.query_params["region"]) if request.query_params.get("region") else None
        bearers = registry.visible_duty_bearers(
            actor, q=request.query_params.get("q", ""), kind=request.query_params.get("kind", ""), region=region
        )
        paginator = ListPagination()
        page = paginator.paginate_queryset(bearers, request, view=self)
        return paginator.get_paginated_response(DutyBearerSerializer(page, many=True).data)

    @extend_schema(request=DutyBearerSerializer, responses={201: DutyBearerSerializer})
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.MANAGE_DUTY_BEARERS)
        form = DutyBearerSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        bearer = registry.add_duty_bearer(actor, form.validated_data)
        return Response(DutyBearerSerializer(bearer).data, status=status.HTTP_201_CREATED)
