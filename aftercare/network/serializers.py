"""How the network looks in the API: serializers for services, capacity and profiles, and the
directory's answer shapes for the OpenAPI schema."""

from __future__ import annotations

from rest_framework import serializers

from aftercare.network.models import OrganisationService


class OfferedServiceSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="domain")
    name = serializers.CharField(source="get_domain_display")

    class Meta:
        model = OrganisationService
        fields = ["service", "name", "eligibility_notes"]


class ServiceCapacitySerializer(serializers.ModelSerializer):
    """A service's live capacity; `null` figures are not counted there, which is not zero."""

    service = serializers.CharField(source="domain", read_only=True)
    updated_at = serializers.DateTimeField(source="capacity_updated_at", read_only=True)
    is_stale = serializers.SerializerMethodField()
    version = serializers.IntegerField(source="capacity_version", read_only=True)

    class Meta:
        model = OrganisationService
        fields = [
            "service",
            "beds_total",
            "beds_available",
            "slots_total",
            "slots_available",
            "updated_at",
            "is_stale",
            "version",
        ]
        read_only_fields = fields

    def get_is_stale(self, service) -> bool:
        return service.is_stale(self.context.get("now"))


class CapacityPatch(serializers.Serializer):
    beds_total = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    beds_available = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    slots_total = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    slots_available = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    version = serializers.IntegerField(min_value=1, required=True)


class RegionServedSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    country = serializers.CharField()


# The shapes of the directory's answers, for the OpenAPI schema. The answers are built as
# plain dicts in api.py (a serializer per field is too slow for a page of 500); a test checks
# that both name the same fields.
class ContactSchema(serializers.Serializer):
    phone = serializers.CharField()
    email = serializers.CharField()
    website = serializers.CharField()


class PublicProfileSchema(serializers.Serializer):
    id = serializers.UUIDField()
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    country = serializers.CharField()
    region = serializers.CharField(allow_null=True, help_text="code of the main office's region")
    description = serializers.CharField()
    populations = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    contact = ContactSchema()


class CapacityFiguresSchema(serializers.Serializer):
    beds_available = serializers.IntegerField(allow_null=True)
    slots_available = serializers.IntegerField(allow_null=True)
    updated_at = serializers.DateTimeField(
        allow_null=True, help_text="the oldest update among the services counted"
    )
    is_stale = serializers.BooleanField()


class DirectoryResultSchema(PublicProfileSchema):
    services = serializers.ListField(child=serializers.CharField())
    regions = serializers.ListField(
        child=serializers.CharField(), help_text="codes of the regions served"
    )
    capacity = CapacityFiguresSchema(help_text="of the services asked for, or of all services")
    median_response_hours = serializers.FloatField(allow_null=True)
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class ReferralStatsSchema(serializers.Serializer):
    received = serializers.IntegerField()
    acceptance_rate = serializers.FloatField(allow_null=True)
    completion_rate = serializers.FloatField(allow_null=True)
    median_hours_to_accept = serializers.FloatField(allow_null=True)


class RestrictedSchema(serializers.Serializer):
    street_address = serializers.CharField()
    restricted_phone = serializers.CharField()
    restricted_email = serializers.CharField()
    restricted_notes = serializers.CharField()


class ProfileSchema(PublicProfileSchema):
    services = OfferedServiceSerializer(many=True)
    regions = RegionServedSerializer(many=True)
    capacity = ServiceCapacitySerializer(many=True)
    capacity_stale_before = serializers.DateTimeField()
    referral_stats = ReferralStatsSchema(
        allow_null=True, help_text="null until it has received a referral"
    )
    version = serializers.IntegerField()
    restricted = RestrictedSchema(
        required=False, help_text="only for the organisation's own case staff"
    )
