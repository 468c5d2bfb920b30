"""API: feedback (by a survivor's token or a feedback code), the SMS webhook, provider
performance in aggregate, and the duty-bearer registry."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from twilio.twiml.messaging_response import MessagingResponse

from aftercare.accounts.policy import Action, require
from aftercare.core.api import ListPagination, api_actor
from aftercare.core.tasks import enqueue
from aftercare.network.models import Region
from aftercare.voice import gateways, limits, ratings, registry, sms, stats, tasks
from aftercare.voice.models import Channel
from aftercare.voice.portal_accounts import active_account
from aftercare.voice.serializers import (
    AFRICASTALKING_FORM,
    TWILIO_FORM,
    DutyBearerSerializer,
    ErrorsOutput,
    FeedbackInput,
    FeedbackOutput,
)


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _rating_errors(exc: ratings.RatingInvalid) -> serializers.ValidationError:
    return serializers.ValidationError(
        {"ratings": [f"{name}: {message}" for name, message in exc.errors.items()]}
    )


class FeedbackView(APIView):
    """A survivor's rating of an organisation or a duty bearer for a service received.

    With `code`, no account is needed and the code decides what is rated (a `subject` or
    `domain` that disagrees with it is refused). Otherwise the caller must be a survivor with
    a portal account, rating someone who served them; once per service. The answer never
    carries an id that could tie the rating to the caller.
    """

    permission_classes = [AllowAny]

    @extend_schema(
        request=FeedbackInput,
        responses={
            201: FeedbackOutput,
            400: ErrorsOutput,
            401: ErrorsOutput,
            403: ErrorsOutput,
            409: OpenApiResponse(
                ErrorsOutput,
                description="this service was already rated (each service is rated once)",
            ),
            429: OpenApiResponse(
                ErrorsOutput, description="too many tries or wrong codes from this address"
            ),
        },
    )
    def post(self, request):
        form = FeedbackInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            if data.get("code"):
                rating = ratings.rate_with_code(
                    data["code"],
                    data["ratings"],
                    data.get("comment", ""),
                    channel=Channel.API,
                    client=limits.client_key("api", _client_address(request)),
                    subject_id=data.get("subject"),
                    domain=data.get("domain"),
                )
            else:
                rating = self._as_survivor(request, data)
        except ratings.RatingInvalid as exc:
            raise _rating_errors(exc) from exc
        subject = rating.organisation_id or rating.duty_bearer_id
        return Response(
            {
                "status": "received",
                "subject": str(subject),
                "domain": rating.domain,
                "anonymous": True,
            },
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
            raise serializers.ValidationError(
                {
                    "subject": [
                        _("Give the organisation or duty bearer you rate, or a feedback code.")
                    ]
                }
            )
        ratings.validate_scores(data["ratings"])
        subject = ratings.resolve_subject(data["subject"])
        service = ratings.service_for_api(
            account, subject, data.get("domain") or None, data.get("service")
        )
        return ratings.rate_as_survivor(
            actor,
            account,
            service,
            subject.pk,
            data["ratings"],
            data.get("comment", ""),
            channel=Channel.API,
        )


SmsReplyOutput = inline_serializer(
    "SmsReply", {"status": serializers.CharField(), "reply": serializers.CharField()}
)
SmsErrors = ErrorsOutput


class SmsInboundView(APIView):
    """Inbound SMS from a gateway that speaks Aftercare's own format: a JSON object (or form
    fields) with `from` and `text` (or `From` and `Body`), optionally a message id (`id`,
    `message_id`, `MessageSid`). Authenticated by the shared secret in
    `X-Aftercare-Webhook-Secret`, or an HMAC-SHA256 of the body in
    `X-Aftercare-Signature: sha256=<hex>`. Answers 200 with `reply`, the text to send back;
    400 for a body that is not one object."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        request=inline_serializer(
            "InboundSms",
            {
                "from": serializers.CharField(),
                "text": serializers.CharField(),
                "id": serializers.CharField(
                    required=False, help_text="the gateway's message id, to answer a retry once"
                ),
            },
        ),
        responses={200: SmsReplyOutput, 400: SmsErrors, 403: SmsErrors},
        parameters=[
            OpenApiParameter(
                sms.SECRET_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="AFTERCARE_SMS_WEBHOOK_SECRET as is",
            ),
            OpenApiParameter(
                sms.SIGNATURE_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=False,
                description=(
                    "sha256=<hex HMAC-SHA256 of the body keyed with AFTERCARE_SMS_WEBHOOK_SECRET>"
                ),
            ),
        ],
    )
    def post(self, request):
        body = request._request.body
        if not sms.verify(request.headers, body):
            raise PermissionDenied(
                _(
                    "The webhook secret is missing or wrong (or "
                    "AFTERCARE_SMS_WEBHOOK_SECRET is not set)."
                )
            )
        data = request.data
        if not isinstance(data, Mapping):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send one JSON object with from and text.")]}
            )
        sender = _text_field(data, "from", "From", "msisdn")
        text = _text_field(data, "text", "Body", "message")
        message_id = _text_field(data, "id", "message_id", "messageId", "MessageSid")
        answer = sms.receive(sender, text, message_id)
        return Response({"status": answer.status, "reply": answer.reply})


def _text_field(data: Mapping, *names: str) -> str:
    """The first of `names` given, as text; a list or an object in its place is refused."""
    for name in names:
        value = data.get(name)
        if value in (None, ""):
            continue
        if isinstance(value, (dict, list, bool)):
            raise serializers.ValidationError({name: [_("Give text here.")]})
        return str(value)[:2000]
    return ""


class TwilioSmsView(APIView):
    """Twilio's inbound-message webhook, as Twilio sends it: form fields (`From`, `To`, `Body`,
    `MessageSid`, ...) signed in `X-Twilio-Signature` with the account's auth token
    (`AFTERCARE_TWILIO_AUTH_TOKEN`). Answers TwiML, `<Response><Message>reply</Message></Response>`,
    which Twilio sends back to the survivor. 403 without a valid signature (or without the
    token)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [FormParser]

    @extend_schema(
        request={"application/x-www-form-urlencoded": TWILIO_FORM},
        parameters=[
            OpenApiParameter(
                gateways.TWILIO_SIGNATURE_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="Base64 HMAC-SHA1 of the URL and the sorted form parameters",
            )
        ],
        responses={
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.STR, description="TwiML with the reply"
            ),
            (403, "application/json"): SmsErrors,
        },
    )
    def post(self, request):
        form = request._request.POST  # Django's parse: the signature covers exactly these fields
        if not gateways.twilio_signature_valid(request._request):
            raise PermissionDenied(
                _(
                    "The Twilio signature is missing or wrong "
                    "(or AFTERCARE_TWILIO_AUTH_TOKEN is not set)."
                )
            )
        answer = sms.receive(form.get("From", ""), form.get("Body", ""), form.get("MessageSid", ""))
        twiml = MessagingResponse()
        if answer.reply:
            twiml.message(answer.reply)
        return HttpResponse(str(twiml), content_type="application/xml; charset=utf-8")


class AfricasTalkingSmsView(APIView):
    """Africa's Talking's incoming-message callback, as it sends it: form fields `from`, `to`,
    `text`, `date`, `id` (and `linkId`), no header; the URL carries the secret
    `AFTERCARE_AFRICASTALKING_SECRET`. Africa's Talking ignores the answer, so the reply goes out
    through the outbound SMS interface by a background task that retries. 403 for a wrong
    secret (or none set)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [FormParser]

    @extend_schema(
        request={"application/x-www-form-urlencoded": AFRICASTALKING_FORM},
        responses={
            200: inline_serializer("AfricasTalkingAnswer", {"status": serializers.CharField()}),
            403: SmsErrors,
        },
    )
    def post(self, request, secret):
        if not gateways.africastalking_secret_valid(secret):
            raise PermissionDenied(
                _("Wrong address (or AFTERCARE_AFRICASTALKING_SECRET is not set).")
            )
        form = request._request.POST
        sender = form.get("from", "")
        answer = sms.receive(sender, form.get("text", ""), form.get("id", ""))
        if answer.reply and sender and answer.status != "duplicate":
            enqueue(tasks.send_sms, sender, answer.reply)
        return Response({"status": answer.status})


def _subject_json(report: stats.SubjectReport) -> dict:
    figures = report.figures
    region = report.region
    return {
        "subject": str(report.pk),
        "subject_type": report.type,
        "name": report.subject.name,
        "kind": report.kind,
        "region": {"id": str(region.pk), "code": region.code, "name": region.name}
        if region
        else None,
        "rank": report.rank,
        "n": figures.n,
        "survivors": figures.survivors,
        "mean": figures.mean,
        "bayesian_mean": figures.bayesian_mean,
        "interval": list(figures.interval),
        "dimensions": figures.dimensions,
        "period": {
            "from": stats.quarter_label(report.batches[0].first),
            "to": stats.quarter_label(report.batches[-1].last),
        },
    }


def _network_json(network: stats.Network, withheld: int) -> dict:
    return {
        "k": network.k,
        "prior_weight": network.m,
        "network_mean": network.mean,
        "sigma": round(network.sigma, 3),
        "withheld_subjects": withheld,
        "method": (
            "bayesian_mean = (m*network_mean + n*mean)/(m+n); interval = bayesian_mean "
            "± 1.96*sigma/sqrt(m+n), clipped to [1,5]; sigma = pooled within-subject "
            "SD (≥ 0.5); n counts voices (one per survivor, subject and quarter); ratings "
            "released per subject in batches of completed quarters bringing ≥ k "
            "survivors new to its figures, none past a quarter the coordinator is checking"
        ),
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
        return Response(
            {
                "count": paginator.count,
                "next": paginator.get_next_link(),
                "results": [_subject_json(r) for r in page],
                **_network_json(report.network, report.withheld),
            }
        )


class ProviderPerformanceSubjectView(APIView):
    """One published subject: its figures, its trend (each released batch of quarters), the
    comments the coordinator approved for quoting (no dates), and good-practice highlights."""

    def get(self, request, subject_id):
        require(api_actor(request), Action.VIEW_AGGREGATE_REPORTS)
        report, subject = stats.subject_report(subject_id)
        if subject is None:
            raise NotFound()
        return Response(
            {
                **_subject_json(subject),
                "trend": [
                    {
                        "period": batch.label,
                        "n": figures.n,
                        "survivors": figures.survivors,
                        "mean": figures.mean,
                        "bayesian_mean": figures.bayesian_mean,
                        "interval": list(figures.interval),
                    }
                    for batch, figures in stats.trend(report.network, subject)
                ],
                "quotes": stats.quotes(subject),
                "good_practice": [p.text for p in stats.highlights([subject])],
                **_network_json(report.network, report.withheld),
            }
        )


class DutyBearersView(APIView):
    """The registry of duty bearers (network-wide); case staff and the coordinator add to it."""

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str),
            OpenApiParameter("q", str),
            OpenApiParameter("region", str),
        ],
        responses=DutyBearerSerializer(many=True),
    )
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_DUTY_BEARERS)
        region = (
            _region(request.query_params["region"]) if request.query_params.get("region") else None
        )
        bearers = registry.visible_duty_bearers(
            actor,
            q=request.query_params.get("q", ""),
            kind=request.query_params.get("kind", ""),
            region=region,
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
