"""API of prevention work under /api/v1/prevention/: schools and their cases, champions,
activities and attendance, campaigns and policy milestones. Surveys, offline capture and the
indicators are in api_surveys.py and api_capture.py.

Thin: each view reads the body, calls one service, and answers with a serializer. Another
organisation's record is a 404; a role that may not act is a 403; a stale `version` or a
transition not allowed is a 409 (core.api maps the domain errors).
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts.models import Organisation
from aftercare.core.api import ListPagination, api_actor
from aftercare.core.errors import DomainError
from aftercare.core.policy import Action, require
from aftercare.prevention import champions, community, milestones, schools
from aftercare.prevention import serializers as out
from aftercare.prevention.access import get_visible, resolve_region
from aftercare.prevention.models import (
    Campaign,
    Champion,
    ChampionTraining,
    CommunityActivity,
    PolicyInstrument,
    School,
)


def region_of(data, field: str = "region", *, required: bool = True):
    """The region named by id or code in `data[field]`, a 400 naming the field otherwise."""
    value = data.get(field)
    if value in (None, ""):
        if required:
            raise DomainError(_("Choose a region."), field=field)
        return None
    region = resolve_region(value)
    if region is None:
        raise DomainError(_("No region has this id or code."), field=field)
    return region


def listing(request, view, queryset, serializer):
    paginator = ListPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


def created(serializer, instance):
    return Response(serializer(instance).data, status=status.HTTP_201_CREATED)


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def organisation_of(data, field: str):
    """A network organisation named by id in `data[field]`, if any; a 400 naming the field otherwise."""
    value = data.get(field)
    if value in (None, ""):
        return None
    organisation = Organisation.objects.filter(pk=str(value)).first() if _is_uuid(value) else None
    if organisation is None:
        raise DomainError(_("No organisation has this id."), field=field)
    return organisation


def _body(name: str, fields: dict):
    return inline_serializer(name, fields)


class SchoolsView(APIView):
    @extend_schema(responses=out.SchoolSerializer(many=True))
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_PREVENTION)
        return listing(request, self, School.objects.visible_to(actor).select_related("region"), out.SchoolSerializer)

    @extend_schema(
        request=_body("SchoolInput", {
            "name": serializers.CharField(), "region": serializers.CharField(help_text="region code or id"),
            "level": serializers.CharField(required=False), "joined_on": serializers.DateField(required=False),
            "member_organisation": serializers.UUIDField(required=False)}),
        responses={201: out.SchoolSerializer},
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.MANAGE_PREVENTION)
        data = request.data
        school = schools.add_school(actor, name=data.get("name", ""), region=region_of(data),
                                    level=data.get("level") or "primary", joined_on=data.get("joined_on"),
                                    member_organisation=organisation_of(data, "member_organisation"))
        return created(out.SchoolSerializer, school)


class SchoolDetailView(APIView):
    @extend_schema(responses=out.SchoolDetailSerializer)
    def get(self, request, school_id):
        school = get_visible(api_actor(request), School, school_id)
        return Response(out.SchoolDetailSerializer(school).data)


class SessionsView(APIView):
    @extend_schema(
        request=_body("CapacitySessionInput", {
            "held_on": serializers.DateField(), "topic": serializers.CharField(),
            "teachers_female": serializers.IntegerField(), "teachers_male": serializers.IntegerField(),
            "facilitators": serializers.CharField(required=False)}),
        responses={201: out.CapacitySessionSerializer},
    )
    def post(self, request, school_id):
        data = request.data
        session = schools.record_session(
            api_actor(request), school_id, held_on=data.get("held_on"), topic=data.get("topic", ""),
            teachers_female=data.get("teachers_female"), teachers_male=data.get("teachers_male"),
            facilitators=data.get("facilitators", ""),
        )
        return created(out.CapacitySessionSerializer, session)


class SchoolCasesView(APIView):
    @extend_schema(responses=out.SchoolCaseSerializer(many=True))
    def get(self, request, school_id):
        school = get_visible(api_actor(request), School, school_id)
        return listing(request, self, school.cases.all(), out.SchoolCaseSerializer)

    @extend_schema(
        request=_body("SchoolCaseInput", {
            "reference": serializers.CharField(help_text="the school's own reference, never a name"),
            "concern": serializers.CharField(), "identified_on": serializers.DateField()}),
        responses={201: out.SchoolCaseSerializer},
    )
    def post(self, request, school_id):
        data = request.data
        case = schools.identify_case(api_actor(request), school_id, reference=data.get("reference", ""),
                                     concern=data.get("concern", ""), identified_on=data.get("identified_on"))
        return created(out.SchoolCaseSerializer, case)


class ReportCaseView(APIView):
    @extend_schema(
        request=_body("SchoolCaseReportInput", {
            "reported_on": serializers.DateField(), "reported_to": serializers.CharField(),
            "reported_to_detail": serializers.CharField(required=False),
            "referred_to": serializers.UUIDField(required=False), "version": serializers.IntegerField()}),
        responses={200: out.SchoolCaseSerializer},
    )
    def post(self, request, case_id):
        data = request.data
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        partner = organisation_of(data, "referred_to")
        case = schools.report_case(actor, case_id, reported_on=data.get("reported_on"),
                                   reported_to=data.get("reported_to", ""), detail=data.get("reported_to_detail", ""),
                                   referred_to=partner, version=data.get("version"))
        return Response(out.SchoolCaseSerializer(case).data)


class FollowUpsView(APIView):
    @extend_schema(
        request=_body("SchoolFollowUpInput", {
            "followed_on": serializers.DateField(), "outcome": serializers.CharField(),
            "note": serializers.CharField(required=False)}),
        responses={201: out.SchoolFollowUpSerializer},
    )
    def post(self, request, case_id):
        data = request.data
        entry = schools.follow_up(api_actor(request), case_id, followed_on=data.get("followed_on"),
                                  outcome=data.get("outcome", ""), note=data.get("note", ""))
        return created(out.SchoolFollowUpSerializer, entry)


class ChampionsView(APIView):
    @extend_schema(responses=out.ChampionSerializer(many=True))
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_PREVENTION)
        champions_ = Champion.objects.visible_to(actor).select_related("region")
        if request.query_params.get("active") in ("true", "false"):
            champions_ = champions_.filter(is_active=request.query_params["active"] == "true")
        return listing(request, self, champions_, out.ChampionSerializer)

    @extend_schema(
        request=_body("ChampionInput", {
            "name": serializers.CharField(), "kind": serializers.CharField(), "sex": serializers.CharField(),
            "region": serializers.CharField(), "joined_on": serializers.DateField(required=False)}),
        responses={201: out.ChampionSerializer},
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = request.data
        champion = champions.add_champion(actor, name=data.get("name", ""), kind=data.get("kind", ""),
                                          sex=data.get("sex", ""), region=region_of(data),
                                          joined_on=data.get("joined_on"))
        return created(out.ChampionSerializer, champion)


class ChampionDetailView(APIView):
    @extend_schema(responses=out.ChampionSerializer)
    def get(self, request, champion_id):
        return Response(out.ChampionSerializer(get_visible(api_actor(request), Champion, champion_id)).data)

    @extend_schema(
        request=_body("ChampionStatusInput", {
            "is_active": serializers.BooleanField(), "version": serializers.IntegerField(),
            "on": serializers.DateField(required=False)}),
        responses=out.ChampionSerializer,
    )
    def patch(self, request, champion_id):
        data = request.data
        if not isinstance(data.get("is_active"), bool):
            raise DomainError(_("Say whether the champion is active (true or false)."), field="is_active")
        champion = champions.set_active(api_actor(request), champion_id, data["is_active"], data.get("version"),
                                        on=data.get("on"))
        return Response(out.ChampionSerializer(champion).data)


class ChampionActivitiesView(APIView):
    @extend_schema(
        request=_body("ChampionActivityInput", {
            "held_on": serializers.DateField(), "kind": serializers.CharField(),
            "description": serializers.CharField(required=False),
            "people_reached": serializers.IntegerField(required=False)}),
        responses={201: out.ChampionActivitySerializer},
    )
    def post(self, request, champion_id):
        data = request.data
        entry = champions.record_activity(api_actor(request), champion_id, held_on=data.get("held_on"),
                                          kind=data.get("kind", ""), description=data.get("description", ""),
                                          people_reached=data.get("people_reached"))
        return created(out.ChampionActivitySerializer, entry)


class TrainingsView(APIView):
    @extend_schema(responses=out.ChampionTrainingSerializer(many=True))
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_PREVENTION)
        trainings = ChampionTraining.objects.visible_to(actor).select_related("region").prefetch_related("champions")
        return listing(request, self, trainings, out.ChampionTrainingSerializer)

    @extend_schema(
        request=_body("ChampionTrainingInput", {
            "held_on": serializers.DateField(), "topic": serializers.CharField(), "region": serializers.CharField(),
            "champions": serializers.ListField(child=serializers.UUIDField()),
            "facilitators": serializers.CharField(required=False)}),
        responses={201: out.ChampionTrainingSerializer},
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = request.data
        ids = data.get("champions") if isinstance(data.get("champions"), list) else []
        if not all(_is_uuid(i) for i in ids):
            raise DomainError(_("Choose champions of your organisation."), field="champions")
        training = champions.record_training(actor, held_on=data.get("held_on"), topic=data.get("topic", ""),
                                             region=region_of(data), champions=ids,
                                             facilitators=data.get("facilitators", ""))
        return created(out.ChampionTrainingSerializer, training)


class ActivitiesView(APIView):
    @extend_schema(responses=out.CommunityActivitySerializer(many=True))
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_PREVENTION)
        activities = CommunityActivity.objects.visible_to(actor).select_related("region").prefetch_related("champions")
        return listing(request, self, activities, out.CommunityActivitySerializer)

    @extend_schema(
        request=_body("CommunityActivityInput", {
            "kind": serializers.ChoiceField(choices=["dialogue", "awareness"]), "held_on": serializers.DateField(),
            "region": serializers.CharField(), "topics": serializers.ListField(child=serializers.CharField()),
            "venue": serializers.CharField(required=False), "facilitators": serializers.CharField(required=False),
            "champions": serializers.ListField(child=serializers.UUIDField(), required=False),
            "attendance": out.AttendanceCounts(required=False)}),
        responses={201: out.CommunityActivitySerializer},
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = request.data
        ids = data.get("champions") if isinstance(data.get("champions"), list) else []
        if not all(_is_uuid(i) for i in ids):
            raise DomainError(_("Choose champions of your organisation."), field="champions")
        activity = community.add_activity(
            actor, kind=data.get("kind", ""), held_on=data.get("held_on"), region=region_of(data),
            topics=data.get("topics"), venue=data.get("venue", ""), facilitators=data.get("facilitators", ""),
            champions=ids, attendance=data.get("attendance"),
        )
        return created(out.CommunityActivitySerializer, activity)


class ActivityDetailView(APIView):
    @extend_schema(responses=out.CommunityActivitySerializer)
    def get(self, request, activity_id):
        return Response(out.CommunityActivitySerializer(get_visible(api_actor(request), CommunityActivity, activity_id)).data)


class AttendanceView(APIView):
    @extend_schema(
        request=_body("ActivityAttendanceInput", {"attendance": out.AttendanceCounts(), "version": serializers.IntegerField()}),
        responses=out.CommunityActivitySerializer,
    )
    def put(self, request, activity_id):
        data = request.data
        activity = community.set_attendance(api_actor(request), activity_id, data.get("attendance"),
                                            data.get("version"))
        activity.refresh_from_db()
        return Response(out.CommunityActivitySerializer(activity).data)


class CampaignsView(APIView):
    @extend_schema(responses=out.AwarenessCampaignSerializer(many=True))
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_PREVENTION)
        return listing(request, self, Campaign.objects.visible_to(actor).select_related("region"),
                       out.AwarenessCampaignSerializer)

    @extend_schema(
        request=_body("CampaignInput", {
            "name": serializers.CharField(), "medium": serializers.CharField(),
            "topics": serializers.ListField(child=serializers.CharField()), "region": serializers.CharField(),
            "started_on": serializers.DateField(), "ended_on": serializers.DateField(required=False),
            "estimated_reach": serializers.IntegerField(), "reach_basis": serializers.CharField(required=False)}),
        responses={201: out.AwarenessCampaignSerializer},
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = request.data
        campaign = community.add_campaign(
            actor, name=data.get("name", ""), medium=data.get("medium", ""), topics=data.get("topics"),
            region=region_of(data), started_on=data.get("started_on"), ended_on=data.get("ended_on"),
            estimated_reach=data.get("estimated_reach"), reach_basis=data.get("reach_basis", ""),
        )
        return created(out.AwarenessCampaignSerializer, campaign)


class InstrumentsView(APIView):
    @extend_schema(responses=out.PolicyInstrumentSerializer(many=True))
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_PREVENTION)
        instruments = PolicyInstrument.objects.visible_to(actor).select_related("region").prefetch_related("milestones")
        return listing(request, self, instruments, out.PolicyInstrumentSerializer)

    @extend_schema(
        request=_body("PolicyInstrumentInput", {
            "title": serializers.CharField(), "kind": serializers.ChoiceField(choices=["ordinance", "by_law", "policy"]),
            "region": serializers.CharField(help_text="a country, province, district or sub-county: sets the level"),
            "drafted_on": serializers.DateField(), "note": serializers.CharField(required=False)}),
        responses={201: out.PolicyInstrumentSerializer},
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.MANAGE_PREVENTION)
        data = request.data
        instrument = milestones.add_instrument(actor, title=data.get("title", ""), kind=data.get("kind", ""),
                                               region=region_of(data), drafted_on=data.get("drafted_on"),
                                               note=data.get("note", ""))
        return created(out.PolicyInstrumentSerializer, instrument)


class InstrumentDetailView(APIView):
    @extend_schema(responses=out.PolicyInstrumentSerializer)
    def get(self, request, instrument_id):
        instrument = get_visible(api_actor(request), PolicyInstrument, instrument_id)
        return Response(out.PolicyInstrumentSerializer(instrument).data)


class AdvanceView(APIView):
    """The next stage of an instrument: drafted → lobbied → passed → enforced, nothing else."""

    @extend_schema(
        request=_body("PolicyAdvanceInput", {
            "to": serializers.ChoiceField(choices=["lobbied", "passed", "enforced"]),
            "reached_on": serializers.DateField(), "version": serializers.IntegerField(),
            "note": serializers.CharField(required=False)}),
        responses=out.PolicyInstrumentSerializer,
    )
    def post(self, request, instrument_id):
        data = request.data
        instrument = milestones.advance(api_actor(request), instrument_id, to=data.get("to", ""),
                                        reached_on=data.get("reached_on"), version=data.get("version"),
                                        note=data.get("note", ""))
        return Response(out.PolicyInstrumentSerializer(instrument).data)

