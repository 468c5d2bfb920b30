"""API of prevention work under /api/v1/prevention/: schools and their cases, champions,
activities and attendance, campaigns and policy milestones. Surveys, offline capture and the
indicators are in api_surveys.py and api_capture.py.

Thin: each view checks the caller's role, reads the body through its input serializer (a body
that is not a JSON object, or a field of the wrong type, is a 400 naming the field: never a 500),
calls one service, and answers with a serializer. Another
organisation's record is a 404; a role that may not act is a 403; a stale `version` or a
transition not allowed is a 409 (core.api maps the domain errors).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from aftercare.accounts.models import Organisation
from aftercare.core.api import ApiView, ListPagination, api_actor, read_object
from aftercare.core.errors import DomainError
from aftercare.core.ids import is_uuid
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


def organisation_of(data, field: str):
    """A network organisation named by id in `data[field]`, if any; a 400 naming the field otherwise."""
    value = data.get(field)
    if value in (None, ""):
        return None
    organisation = Organisation.objects.filter(pk=str(value)).first() if is_uuid(value) else None
    if organisation is None:
        raise DomainError(_("No organisation has this id."), field=field)
    return organisation


def _body(name: str, fields: dict) -> type[serializers.Serializer]:
    """An input serializer class named `name` (its name in the schema) with these fields."""
    return type(name, (serializers.Serializer,), dict(fields))


SchoolInput = _body("SchoolInput", {
    "name": serializers.CharField(), "region": serializers.CharField(help_text="region code or id"),
    "level": serializers.CharField(required=False, allow_blank=True), "joined_on": serializers.DateField(required=False),
    "member_organisation": serializers.UUIDField(required=False)})
CapacitySessionInput = _body("CapacitySessionInput", {
    "held_on": serializers.DateField(), "topic": serializers.CharField(),
    "teachers_female": serializers.IntegerField(required=False, min_value=0),
    "teachers_male": serializers.IntegerField(required=False, min_value=0),
    "facilitators": serializers.CharField(required=False, allow_blank=True)})
SchoolCaseInput = _body("SchoolCaseInput", {
    "reference": serializers.CharField(help_text="the school's own reference, never a name"),
    "concern": serializers.CharField(), "identified_on": serializers.DateField()})
SchoolCaseReportInput = _body("SchoolCaseReportInput", {
    "reported_on": serializers.DateField(), "reported_to": serializers.CharField(),
    "reported_to_detail": serializers.CharField(required=False, allow_blank=True),
    "referred_to": serializers.UUIDField(required=False), "version": serializers.IntegerField()})
SchoolFollowUpInput = _body("SchoolFollowUpInput", {
    "followed_on": serializers.DateField(), "outcome": serializers.CharField(),
    "note": serializers.CharField(required=False, allow_blank=True)})
ChampionInput = _body("ChampionInput", {
    "name": serializers.CharField(), "kind": serializers.CharField(), "sex": serializers.CharField(),
    "region": serializers.CharField(), "joined_on": serializers.DateField(required=False)})
ChampionStatusInput = _body("ChampionStatusInput", {
    "is_active": serializers.BooleanField(), "version": serializers.IntegerField(),
    "on": serializers.DateField(required=False)})
ChampionActivityInput = _body("ChampionActivityInput", {
    "held_on": serializers.DateField(), "kind": serializers.CharField(),
    "description": serializers.CharField(required=False, allow_blank=True),
    "people_reached": serializers.IntegerField(required=False)})
ChampionTrainingInput = _body("ChampionTrainingInput", {
    "held_on": serializers.DateField(), "topic": serializers.CharField(), "region": serializers.CharField(),
    "champions": serializers.ListField(child=serializers.UUIDField()),
    "facilitators": serializers.CharField(required=False, allow_blank=True)})
CommunityActivityInput = _body("CommunityActivityInput", {
    "kind": serializers.ChoiceField(choices=["dialogue", "awareness"]), "held_on": serializers.DateField(),
    "region": serializers.CharField(), "topics": serializers.ListField(child=serializers.CharField()),
    "venue": serializers.CharField(required=False, allow_blank=True), "facilitators": serializers.CharField(required=False, allow_blank=True),
    "champions": serializers.ListField(child=serializers.UUIDField(), required=False),
    "attendance": out.AttendanceCounts(required=False)})
ActivityAttendanceInput = _body("ActivityAttendanceInput", {"attendance": out.AttendanceCounts(), "version": serializers.IntegerField()})
CampaignInput = _body("CampaignInput", {
    "name": serializers.CharField(), "medium": serializers.CharField(),
    "topics": serializers.ListField(child=serializers.CharField()), "region": serializers.CharField(),
    "started_on": serializers.DateField(), "ended_on": serializers.DateField(required=False),
    "estimated_reach": serializers.IntegerField(), "reach_basis": serializers.CharField(required=False, allow_blank=True)})
PolicyInstrumentInput = _body("PolicyInstrumentInput", {
    "title": serializers.CharField(), "kind": serializers.ChoiceField(choices=["ordinance", "by_law", "policy"]),
    "region": serializers.CharField(help_text="a country, province, district or sub-county: sets the level"),
    "drafted_on": serializers.DateField(), "note": serializers.CharField(required=False, allow_blank=True)})
PolicyAdvanceInput = _body("PolicyAdvanceInput", {
    "to": serializers.ChoiceField(choices=["lobbied", "passed", "enforced"]),
    "reached_on": serializers.DateField(), "version": serializers.IntegerField(),
    "note": serializers.CharField(required=False, allow_blank=True)})


class SchoolsView(ApiView):
    @extend_schema(responses=out.SchoolSerializer(many=True))
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_PREVENTION)
        return listing(request, self, School.objects.visible_to(actor).select_related("region"), out.SchoolSerializer)

    @extend_schema(
        request=SchoolInput,
        responses={201: out.SchoolSerializer},
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.MANAGE_PREVENTION)
        data = self.valid(SchoolInput)
        school = schools.add_school(actor, name=data.get("name", ""), region=region_of(data),
                                    level=data.get("level") or "primary", joined_on=data.get("joined_on"),
                                    member_organisation=organisation_of(data, "member_organisation"))
        return created(out.SchoolSerializer, school)


class SchoolDetailView(ApiView):
    @extend_schema(responses=out.SchoolDetailSerializer)
    def get(self, request, school_id):
        school = get_visible(api_actor(request), School, school_id)
        return Response(out.SchoolDetailSerializer(school).data)


class SessionsView(ApiView):
    @extend_schema(
        request=CapacitySessionInput,
        responses={201: out.CapacitySessionSerializer},
    )
    def post(self, request, school_id):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = self.valid(CapacitySessionInput)
        session = schools.record_session(
            actor, school_id, held_on=data.get("held_on"), topic=data.get("topic", ""),
            teachers_female=data.get("teachers_female"), teachers_male=data.get("teachers_male"),
            facilitators=data.get("facilitators", ""),
        )
        return created(out.CapacitySessionSerializer, session)


class SchoolCasesView(ApiView):
    @extend_schema(responses=out.SchoolCaseSerializer(many=True))
    def get(self, request, school_id):
        school = get_visible(api_actor(request), School, school_id)
        return listing(request, self, school.cases.all(), out.SchoolCaseSerializer)

    @extend_schema(
        request=SchoolCaseInput,
        responses={201: out.SchoolCaseSerializer},
    )
    def post(self, request, school_id):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = self.valid(SchoolCaseInput)
        case = schools.identify_case(actor, school_id, reference=data.get("reference", ""),
                                     concern=data.get("concern", ""), identified_on=data.get("identified_on"))
        return created(out.SchoolCaseSerializer, case)


class ReportCaseView(ApiView):
    @extend_schema(
        request=SchoolCaseReportInput,
        responses={200: out.SchoolCaseSerializer},
    )
    def post(self, request, case_id):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = self.valid(SchoolCaseReportInput)
        partner = organisation_of(data, "referred_to")
        case = schools.report_case(actor, case_id, reported_on=data.get("reported_on"),
                                   reported_to=data.get("reported_to", ""), detail=data.get("reported_to_detail", ""),
                                   referred_to=partner, version=data.get("version"))
        return Response(out.SchoolCaseSerializer(case).data)


class FollowUpsView(ApiView):
    @extend_schema(
        request=SchoolFollowUpInput,
        responses={201: out.SchoolFollowUpSerializer},
    )
    def post(self, request, case_id):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = self.valid(SchoolFollowUpInput)
        entry = schools.follow_up(actor, case_id, followed_on=data.get("followed_on"),
                                  outcome=data.get("outcome", ""), note=data.get("note", ""))
        return created(out.SchoolFollowUpSerializer, entry)


class ChampionsView(ApiView):
    @extend_schema(responses=out.ChampionSerializer(many=True))
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_PREVENTION)
        champions_ = Champion.objects.visible_to(actor).select_related("region")
        if request.query_params.get("active") in ("true", "false"):
            champions_ = champions_.filter(is_active=request.query_params["active"] == "true")
        return listing(request, self, champions_, out.ChampionSerializer)

    @extend_schema(
        request=ChampionInput,
        responses={201: out.ChampionSerializer},
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = self.valid(ChampionInput)
        champion = champions.add_champion(actor, name=data.get("name", ""), kind=data.get("kind", ""),
                                          sex=data.get("sex", ""), region=region_of(data),
                                          joined_on=data.get("joined_on"))
        return created(out.ChampionSerializer, champion)


class ChampionDetailView(ApiView):
    @extend_schema(responses=out.ChampionSerializer)
    def get(self, request, champion_id):
        return Response(out.ChampionSerializer(get_visible(api_actor(request), Champion, champion_id)).data)

    @extend_schema(
        request=ChampionStatusInput,
        responses=out.ChampionSerializer,
    )
    def patch(self, request, champion_id):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = self.valid(ChampionStatusInput)
        champion = champions.set_active(actor, champion_id, data["is_active"], data.get("version"),
                                        on=data.get("on"))
        return Response(out.ChampionSerializer(champion).data)


class ChampionActivitiesView(ApiView):
    @extend_schema(
        request=ChampionActivityInput,
        responses={201: out.ChampionActivitySerializer},
    )
    def post(self, request, champion_id):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = self.valid(ChampionActivityInput)
        entry = champions.record_activity(actor, champion_id, held_on=data.get("held_on"),
                                          kind=data.get("kind", ""), description=data.get("description", ""),
                                          people_reached=data.get("people_reached"))
        return created(out.ChampionActivitySerializer, entry)


class TrainingsView(ApiView):
    @extend_schema(responses=out.ChampionTrainingSerializer(many=True))
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_PREVENTION)
        trainings = ChampionTraining.objects.visible_to(actor).select_related("region").prefetch_related("champions")
        return listing(request, self, trainings, out.ChampionTrainingSerializer)

    @extend_schema(
        request=ChampionTrainingInput,
        responses={201: out.ChampionTrainingSerializer},
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = self.valid(ChampionTrainingInput)
        ids = [str(i) for i in data["champions"]]
        training = champions.record_training(actor, held_on=data.get("held_on"), topic=data.get("topic", ""),
                                             region=region_of(data), champions=ids,
                                             facilitators=data.get("facilitators", ""))
        return created(out.ChampionTrainingSerializer, training)


class ActivitiesView(ApiView):
    @extend_schema(responses=out.CommunityActivitySerializer(many=True))
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_PREVENTION)
        activities = CommunityActivity.objects.visible_to(actor).select_related("region").prefetch_related("champions")
        return listing(request, self, activities, out.CommunityActivitySerializer)

    @extend_schema(
        request=CommunityActivityInput,
        responses={201: out.CommunityActivitySerializer},
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = self.valid(CommunityActivityInput)
        ids = [str(i) for i in data.get("champions", [])]
        # The counts as sent: the service names an unknown sex or age group, which the serializer drops.
        activity = community.add_activity(
            actor, kind=data["kind"], held_on=data["held_on"], region=region_of(data),
            topics=data["topics"], venue=data.get("venue", ""), facilitators=data.get("facilitators", ""),
            champions=ids, attendance=read_object(request).get("attendance"),
        )
        return created(out.CommunityActivitySerializer, activity)


class ActivityDetailView(ApiView):
    @extend_schema(responses=out.CommunityActivitySerializer)
    def get(self, request, activity_id):
        return Response(out.CommunityActivitySerializer(get_visible(api_actor(request), CommunityActivity, activity_id)).data)


class AttendanceView(ApiView):
    @extend_schema(
        request=ActivityAttendanceInput,
        responses=out.CommunityActivitySerializer,
    )
    def put(self, request, activity_id):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = self.valid(ActivityAttendanceInput)
        activity = community.set_attendance(actor, activity_id, read_object(request)["attendance"], data["version"])
        activity.refresh_from_db()
        return Response(out.CommunityActivitySerializer(activity).data)


class CampaignsView(ApiView):
    @extend_schema(responses=out.AwarenessCampaignSerializer(many=True))
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_PREVENTION)
        return listing(request, self, Campaign.objects.visible_to(actor).select_related("region"),
                       out.AwarenessCampaignSerializer)

    @extend_schema(
        request=CampaignInput,
        responses={201: out.AwarenessCampaignSerializer},
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = self.valid(CampaignInput)
        campaign = community.add_campaign(
            actor, name=data.get("name", ""), medium=data.get("medium", ""), topics=data.get("topics"),
            region=region_of(data), started_on=data.get("started_on"), ended_on=data.get("ended_on"),
            estimated_reach=data.get("estimated_reach"), reach_basis=data.get("reach_basis", ""),
        )
        return created(out.AwarenessCampaignSerializer, campaign)


class InstrumentsView(ApiView):
    @extend_schema(responses=out.PolicyInstrumentSerializer(many=True))
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_PREVENTION)
        instruments = PolicyInstrument.objects.visible_to(actor).select_related("region").prefetch_related("milestones")
        return listing(request, self, instruments, out.PolicyInstrumentSerializer)

    @extend_schema(
        request=PolicyInstrumentInput,
        responses={201: out.PolicyInstrumentSerializer},
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.MANAGE_PREVENTION)
        data = self.valid(PolicyInstrumentInput)
        instrument = milestones.add_instrument(actor, title=data.get("title", ""), kind=data.get("kind", ""),
                                               region=region_of(data), drafted_on=data.get("drafted_on"),
                                               note=data.get("note", ""))
        return created(out.PolicyInstrumentSerializer, instrument)


class InstrumentDetailView(ApiView):
    @extend_schema(responses=out.PolicyInstrumentSerializer)
    def get(self, request, instrument_id):
        instrument = get_visible(api_actor(request), PolicyInstrument, instrument_id)
        return Response(out.PolicyInstrumentSerializer(instrument).data)


class AdvanceView(ApiView):
    """The next stage of an instrument: drafted → lobbied → passed → enforced, nothing else."""

    @extend_schema(
        request=PolicyAdvanceInput,
        responses=out.PolicyInstrumentSerializer,
    )
    def post(self, request, instrument_id):
        actor = api_actor(request)
        require(actor, Action.MANAGE_PREVENTION)
        data = self.valid(PolicyAdvanceInput)
        instrument = milestones.advance(actor, instrument_id, to=data.get("to", ""),
                                        reached_on=data.get("reached_on"), version=data.get("version"),
                                        note=data.get("note", ""))
        return Response(out.PolicyInstrumentSerializer(instrument).data)

