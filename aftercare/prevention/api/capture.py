"""Offline capture over the API: `POST /api/v1/prevention/submissions`, the same
`capture.submit` the installable web app uses (see aftercare.prevention.capture)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from aftercare.accounts.policy import Action, require
from aftercare.core.api import ApiView, ErrorSerializer, api_actor
from aftercare.prevention import capture

SubmissionInput = type(
    "CaptureSubmission",
    (serializers.Serializer,),
    {
        "key": serializers.UUIDField(
            help_text="made on the device when the record was made; sent again unchanged"
        ),
        "kind": serializers.ChoiceField(choices=["attendance", "activity", "follow_up"]),
        "data": serializers.DictField(
            help_text="attendance: {activity, version, attendance}; activity: {kind, "
            "held_on, region, topics, venue?, facilitators?, attendance}; "
            "follow_up: {case, followed_on, outcome, note?}"
        ),
    },
)
CaptureRefused = inline_serializer(
    "CaptureRefused",
    {
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
        "key": serializers.UUIDField(required=False),
        "kind": serializers.CharField(required=False),
        "outcome": serializers.CharField(required=False),
        "message": serializers.CharField(required=False),
    },
)
SubmissionAnswer = inline_serializer(
    "CaptureAnswer",
    {
        "key": serializers.UUIDField(),
        "kind": serializers.CharField(),
        "outcome": serializers.ChoiceField(choices=["applied", "conflict", "invalid"]),
        "message": serializers.CharField(),
        "record": serializers.DictField(required=False),
        "server": serializers.DictField(required=False),
        "yours": serializers.DictField(required=False),
        "errors": serializers.DictField(required=False),
    },
)


def answer(result: capture.Answer) -> Response:
    response = Response(result.body, status=result.status_code)
    if result.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


class SubmissionsView(ApiView):
    """One captured record, applied exactly once per `key`. A repeat gets the first answer
    (with `Idempotent-Replayed: true`); 409 is a conflict with the server's figures in
    `server`; 422 is a key already used for other content."""

    @extend_schema(
        request=SubmissionInput,
        responses={
            201: SubmissionAnswer,
            200: SubmissionAnswer,
            400: CaptureRefused,
            409: SubmissionAnswer,
            422: ErrorSerializer,
        },
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = self.valid(SubmissionInput)
        result = capture.submit(actor, str(data["key"]), data["kind"], data["data"])
        return answer(result)
