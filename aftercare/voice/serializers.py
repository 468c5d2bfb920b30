"""How survivor voice looks in the API: feedback, the inbound SMS forms, and duty bearers."""

from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from aftercare.accounts.models import Organisation
from aftercare.network.models import Region
from aftercare.network.taxonomy import ServiceDomain
from aftercare.voice import ratings
from aftercare.voice.models import DutyBearer, DutyBearerKind

MAX_COMMENT = ratings.MAX_COMMENT


class FeedbackInput(serializers.Serializer):
    subject = serializers.CharField(
        required=False, allow_blank=True, help_text="organisation id or duty-bearer id"
    )
    domain = serializers.ChoiceField(choices=ServiceDomain.values, required=False, allow_blank=True)
    ratings = serializers.JSONField(
        help_text="{respect, timeliness, helpfulness, safety, information}: each 1–5"
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=MAX_COMMENT)
    code = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="a one-time feedback code"
    )
    service = serializers.UUIDField(
        required=False, help_text="with a survivor's token: the service rated"
    )


ErrorsOutput = inline_serializer(
    "VoiceErrors",
    {"errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()))},
)


FeedbackOutput = inline_serializer(
    "FeedbackReceived",
    {
        "status": serializers.CharField(),
        "subject": serializers.CharField(),
        "domain": serializers.CharField(),
        "anonymous": serializers.BooleanField(),
    },
)


TWILIO_FORM = inline_serializer(
    "TwilioInboundSms",
    {
        "MessageSid": serializers.CharField(),
        "AccountSid": serializers.CharField(required=False),
        "From": serializers.CharField(),
        "To": serializers.CharField(required=False),
        "Body": serializers.CharField(),
        "NumMedia": serializers.CharField(required=False),
    },
)


AFRICASTALKING_FORM = inline_serializer(
    "AfricasTalkingInboundSms",
    {
        "from": serializers.CharField(),
        "to": serializers.CharField(required=False),
        "text": serializers.CharField(),
        "date": serializers.CharField(required=False),
        "id": serializers.CharField(),
        "linkId": serializers.CharField(required=False),
    },
)


class DutyBearerSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(read_only=True)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True), required=False, allow_null=True
    )
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True
    )
    kind = serializers.ChoiceField(choices=DutyBearerKind.choices)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = DutyBearer
        fields = ["id", "name", "kind", "organisation", "region", "is_active", "version"]
        read_only_fields = ["is_active"]
