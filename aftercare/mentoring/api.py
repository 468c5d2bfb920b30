"""API: a survivor's mentor matches and sessions, her leadership roles, and the organisation's
mentors. Each view names its right first (403), then fetches the case through `services`
(404 for a case the caller may not know about, 403 for a partner organisation)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter

from aftercare.livelihoods.api.common import Resource
from aftercare.mentoring import access, services
from aftercare.mentoring.serializers import (
    MatchIn,
    MatchOut,
    MentorIn,
    MentorOut,
    RoleIn,
    RoleOut,
    SessionIn,
    SessionOut,
)

PAGING = [OpenApiParameter("limit", int), OpenApiParameter("offset", int)]


class MentorsView(Resource):
    output, body = MentorOut, MentorIn
    openapi = {
        "get": {"operation_id": "mentors_list", "parameters": PAGING},
        "post": {"operation_id": "mentors_create"},
    }

    def rows(self, actor):
        return services.mentors_of(actor)

    def create(self, actor, target, data):
        return services.add_mentor(actor, data)


class CaseResource(Resource):
    # A survivor's part: read through case_to_read, written through case_to_record (403 for a
    # partner).
    def to_record(self, actor, survivor_id, **ids):
        return access.case_to_record(actor, survivor_id)


class MentoringView(CaseResource):
    """A survivor's mentor matches, each with its sessions; POST matches a mentor."""

    output, body = MatchOut, MatchIn
    openapi = {
        "get": {"operation_id": "survivor_mentoring_list", "parameters": PAGING},
        "post": {"operation_id": "survivor_mentoring_create"},
    }

    def rows(self, actor, survivor_id):
        return services.matches_of(access.case_to_read(actor, survivor_id))

    def create(self, actor, survivor, data):
        return services.match_mentor(actor, survivor, data)


class SessionsView(CaseResource):
    output, body = SessionOut, SessionIn
    openapi = {"post": {"operation_id": "survivor_mentoring_session_create"}}

    def create(self, actor, survivor, data):
        return services.record_session(actor, survivor, self.kwargs["match_id"], data)


class LeadershipView(CaseResource):
    output, body = RoleOut, RoleIn
    openapi = {
        "get": {"operation_id": "survivor_leadership_list", "parameters": PAGING},
        "post": {"operation_id": "survivor_leadership_create"},
    }

    def rows(self, actor, survivor_id):
        return services.roles_of(access.case_to_read(actor, survivor_id))

    def create(self, actor, survivor, data):
        return services.add_role(actor, survivor, data)
