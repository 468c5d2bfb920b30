"""How referrals look in the API: the referral as answered, and what a sender or receiver sends."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from aftercare.accounts.models import Organisation
from aftercare.cases.access import SHAREABLE_CHOICES
from aftercare.cases.models import ConsentMethod, Gender
from aftercare.network.taxonomy import ServiceDomain
from aftercare.referrals import services
from aftercare.referrals.models import Referral


class ReferralOut(serializers.ModelSerializer):
    survivor = serializers.UUIDField(source="survivor_id", read_only=True)
    from_organisation = serializers.UUIDField(source="from_organisation_id", read_only=True)
    to_organisation = serializers.UUIDField(source="to_organisation_id", read_only=True)
    summary = serializers.SerializerMethodField(
        help_text="the minimum the receiving side needs to decide"
    )
    events = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "survivor",
            "from_organisation",
            "to_organisation",
            "domains",
            "reason",
            "urgent",
            "status",
            "decline_reason",
            "outcome",
            "shared_sections",
            "emergency_override",
            "respond_by",
            "created_at",
            "accepted_at",
            "closed_at",
            "version",
            "transfer",
            "transfer_approved_at",
            "transferred_at",
            "summary",
            "events",
        ]
        read_only_fields = fields

    def get_summary(self, obj) -> dict:
        needs_of = self.context.get("needs_of")
        return services.minimum_view(
            obj, needs_of.get(obj.survivor_id, {}) if needs_of is not None else None
        )

    def get_events(self, obj) -> list:
        return [
            {"from": e.from_status, "to": e.to_status, "at": e.at, "note": e.note}
            for e in obj.events.all()
        ]


class ReferralMoveOut(ReferralOut):
    """The referral after a move (sent, accepted, declined...), with what happened in words."""

    message = serializers.SerializerMethodField(
        help_text=(
            "what the move did and what comes next, in the caller's "
            "language, deadlines in the caller's organisation's time zone"
        )
    )

    class Meta(ReferralOut.Meta):
        fields = [*ReferralOut.Meta.fields, "message"]
        read_only_fields = fields

    def get_message(self, obj) -> str:
        return self.context.get("message", "")


class PersonIn(serializers.Serializer):
    """Someone a referral source refers who has no case yet: only what the receiver needs."""

    given_name = serializers.CharField(max_length=200)
    family_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    year_of_birth = serializers.IntegerField(
        required=False, allow_null=True, min_value=1900, max_value=2100
    )
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    languages = serializers.ListField(
        child=serializers.RegexField(r"^[a-z]{2,3}$"), required=False, default=list
    )


class ReferralIn(serializers.Serializer):
    survivor = serializers.UUIDField(
        required=False, help_text="an existing case of your organisation"
    )
    person = PersonIn(
        required=False, help_text="or, for referral sources, someone without a case yet"
    )
    consent_given = serializers.BooleanField(
        required=False, default=False, help_text="with `person`: she agreed to be referred"
    )
    consent_method = serializers.ChoiceField(
        choices=ConsentMethod.choices, required=False, default=ConsentMethod.VERBAL
    )
    to_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True)
    )
    domains = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceDomain.choices), allow_empty=False
    )
    reason = serializers.CharField(max_length=4000)
    shared_sections = serializers.ListField(
        child=serializers.ChoiceField(choices=SHAREABLE_CHOICES), required=False, default=list
    )
    emergency_justification = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )
    transfer = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "move the whole case to the receiver: needs her recorded consent "
            "to the transfer (with `person`: `transfer_consent_given`) and a "
            "supervisor's approval (`POST /referrals/{id}/approve-transfer`)"
        ),
    )
    transfer_consent_given = serializers.BooleanField(
        required=False,
        default=False,
        help_text="with `person`: she agreed that the receiver holds her case",
    )

    def validate(self, attrs):
        if ("survivor" in attrs) == ("person" in attrs):
            raise serializers.ValidationError(
                {"survivor": [_("Give either an existing case (survivor) or a person.")]}
            )
        return attrs


class TransitionIn(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    outcome = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=1)
