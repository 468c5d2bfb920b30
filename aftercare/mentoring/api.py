"""API: a survivor's mentor matches and sessions, her leadership roles, and the organisation's
mentors. Each view names its right first (403), then fetches the case through `services`
(404 for a case the caller may not know about, 403 for a partner organisation)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts.models import Organisation
from aftercare.core.api import api_actor
from aftercare.livelihoods.api.common import page, valid
from aftercare.mentoring import services
from aftercare.mentoring.models import LeadershipKind, MentorKind, SessionTopic

PAGING = [OpenApiParameter("limit", int), OpenApiParameter("offset", int)]


class MentorOut(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=MentorKind.choices)
    name = serializers.CharField()
    is_active = serializers.BooleanField()


class MentorIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MentorKind.choices)
    name = serializers.CharField(max_length=120)


class SessionOut(serializers.Serializer):
    id = serializers.UUIDField()
    held_on = serializers.DateField()
    topic = serializers.ChoiceField(choices=SessionTopic.choices)
    minutes = serializers.IntegerField(allow_null=True)
    notes = serializers.CharField()


class SessionIn(serializers.Serializer):
    held_on = serializers.DateField()
    topic = serializers.ChoiceField(choices=SessionTopic.choices)
    minutes = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=600)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class MatchOut(serializers.Serializer):
    id = serializers.UUIDField()
    mentor = MentorOut()
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)
    focus = serializers.CharField()
    sessions = SessionOut(many=True, source="sessions.all")


class MatchIn(serializers.Serializer):
    mentor = serializers.UUIDField(help_text="one of your organisation's mentors (GET /api/v1/mentors)")
    start = serializers.DateField()
    focus = serializers.CharField(required=False, allow_blank=True, default="")


class RoleOut(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=LeadershipKind.choices)
    organisation = serializers.UUIDField(source="organisation_id", allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)
    counted = serializers.BooleanField(help_text="she agreed that this role is counted in reports")


class RoleIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LeadershipKind.choices)
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False, allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True)
    counted = serializers.BooleanField(required=False, default=False)


class MentorsView(APIView):
    @extend_schema(operation_id="mentors_list", responses=MentorOut(many=True), parameters=PAGING)
    def get(self, request):
        return page(request, self, services.mentors_of(api_actor(request)), MentorOut)

    @extend_schema(operation_id="mentors_create", request=MentorIn, responses={201: MentorOut})
    def post(self, request):
        mentor = services.add_mentor(api_actor(request), valid(MentorIn, request))
        return Response(MentorOut(mentor).data, status=status.HTTP_201_CREATED)


class MentoringView(APIView):
    """A survivor's mentor matches, each with its sessions; POST matches a mentor."""

    @extend_schema(operation_id="survivor_mentoring_list", responses=MatchOut(many=True), parameters=PAGING)
    def get(self, request, survivor_id):
        survivor = services.case_to_read(api_actor(request), survivor_id)
        return page(request, self, services.matches_of(survivor), MatchOut)

    @extend_schema(operation_id="survivor_mentoring_create", request=MatchIn, responses={201: MatchOut})
    def post(self, request, survivor_id):
        actor = api_actor(request)
        survivor = services.case_to_record(actor, survivor_id)
        match = services.match_mentor(actor, survivor, valid(MatchIn, request))
        return Response(MatchOut(match).data, status=status.HTTP_201_CREATED)


class SessionsView(APIView):
    @extend_schema(operation_id="survivor_mentoring_session_create", request=SessionIn, responses={201: SessionOut})
    def post(self, request, survivor_id, match_id):
        actor = api_actor(request)
        survivor = services.case_to_record(actor, survivor_id)
        session = services.record_session(actor, survivor, match_id, valid(SessionIn, request))
        return Response(SessionOut(session).data, status=status.HTTP_201_CREATED)


class LeadershipView(APIView):
    @extend_schema(operation_id="survivor_leadership_list", responses=RoleOut(many=True), parameters=PAGING)
    def get(self, request, survivor_id):
        survivor = services.case_to_read(api_actor(request), survivor_id)
        return page(request, self, services.roles_of(survivor), RoleOut)

    @extend_schema(operation_id="survivor_leadership_create", request=RoleIn, responses={201: RoleOut})
    def post(self, request, survivor_id):
        actor = api_actor(request)
        survivor = services.case_to_record(actor, survivor_id)
        role = services.add_role(actor, survivor, valid(RoleIn, request))
        return Response(RoleOut(role).data, status=status.HTTP_201_CREATED)
