"""The API's shapes of the care a case records: consent, needs assessments, care-plan goals and
services delivered."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from aftercare.accounts.models import Organisation
from aftercare.cases import care
from aftercare.cases.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    GivenBy,
    Goal,
    ServiceDelivery,
)
from aftercare.network.taxonomy import ServiceDomain


class ConsentSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    method = serializers.ChoiceField(choices=ConsentMethod.choices, default=ConsentMethod.VERBAL)
    given_by = serializers.ChoiceField(choices=GivenBy.choices, default=GivenBy.SURVIVOR)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True, default="")

    class Meta:
        model = Consent
        fields = [
            "id",
            "purpose",
            "granted",
            "organisation",
            "method",
            "given_by",
            "notes",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["id", "recorded_by", "recorded_at"]


class NeedsInput(serializers.Serializer):
    needs = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        allow_empty=False,
        help_text=(
            "Level by service domain: none, low, medium, high or urgent. "
            'A domain left out (or "") was not assessed and is not '
            "recorded: it never reads as none. At least one domain is needed."
        ),
    )


class GoalSerializer(serializers.ModelSerializer):
    domain = serializers.ChoiceField(choices=ServiceDomain.choices)
    responsible_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Goal
        fields = [
            "id",
            *care.GOAL_FIELDS,
            "added_by_survivor",
            "version",
            "created_at",
        ]
        read_only_fields = ["id", "added_by_survivor", "version", "created_at"]


class ServiceSerializer(serializers.ModelSerializer):
    domain = serializers.ChoiceField(choices=ServiceDomain.choices)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        help_text=(
            "the recording organisation, or a partner through "
            "an accepted referral of this survivor (else 403)"
        ),
    )
    # The registry is voice's: reached through the foreign key.
    duty_bearer = serializers.PrimaryKeyRelatedField(
        queryset=ServiceDelivery._meta.get_field("duty_bearer").related_model.objects.filter(
            is_active=True
        ),
        required=False,
        allow_null=True,
        help_text="id of an active entry of the duty-bearer registry (GET /api/v1/duty-bearers?q=)",
    )
    duty_bearer_name = serializers.CharField(
        read_only=True,
        help_text="a name typed before services named registry entries, that matched none",
    )

    class Meta:
        model = ServiceDelivery
        fields = [
            "id",
            "domain",
            "organisation",
            "date",
            "duty_bearer",
            "duty_bearer_name",
            "notes",
            "recorded_at",
        ]
        read_only_fields = ["id", "duty_bearer_name", "recorded_at"]

    def validate_date(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("A service delivered cannot be in the future."))
        return value
