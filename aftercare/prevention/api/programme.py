"""API of prevention work under /api/v1/prevention/: schools and their cases, champions,
activities and attendance, campaigns and policy milestones. Surveys, offline capture and the
indicators are in `surveys` and `capture` beside this module.

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
from aftercare.accounts.policy import Action, require
from aftercare.core import resources
from aftercare.core.api import ApiView, api_actor, read_object
from aftercare.core.errors import DomainError
from aftercare.core.ids import is_uuid
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


def created(serializer, instance):
    return Response(serializer(instance).data, status=status.HTTP_201_CREATED)


def organisation_of(data, field: str):
    """A network organisation named by id in `data[field]`, if any; a 400 naming the field
    otherwise."""
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


SchoolInput = _body(
    "SchoolInput",
    {
        "name": serializers.CharField(),
        "region": serializers.CharField(help_text="region code or id"),
        "level": serializers.CharField(required=False, allow_blank=True),
        "joined_on": serializers.DateField(required=False),
        "member_organisation": serializers.UUIDField(required=False),
    },
)
CapacitySessionInput = _body(
    "CapacitySessionInput",
    {
        "held_on": serializers.DateField(),
        "topic": serializers.CharField(),
        "teachers_female": serializers.IntegerField(required=False, min_value=0),
        "teachers_male": serializers.IntegerField(required=False, min_value=0),
        "facilitators": serializers.CharField(required=False, allow_blank=True),
    },
)
SchoolCaseInput = _body(
    "SchoolCaseInput",
    {
        "reference": serializers.CharField(help_text="the school's own reference, never a name"),
        "concern": serializers.CharField(),
        "identified_on": serializers.DateField(),
    },
)
SchoolCaseReportInput = _body(
    "SchoolCaseReportInput",
    {
        "reported_on": serializers.DateField(),
        "reported_to": serializers.CharField(),
        "reported_to_detail": serializers.CharField(required=False, allow_blank=True),
        "referred_to": serializers.UUIDField(required=False),
        "version": serializers.IntegerField(),
    },
)
SchoolFollowUpInput = _body(
    "SchoolFollowUpInput",
    {
        "followed_on": serializers.DateField(),
        "outcome": serializers.CharField(),
        "note": serializers.CharField(required=False, allow_blank=True),
    },
)
ChampionInput = _body(
    "ChampionInput",
    {
        "name": serializers.CharField(),
        "kind": serializers.CharField(),
        "sex": serializers.CharField(),
        "region": serializers.CharField(),
        "joined_on": serializers.DateField(required=False),
    },
)
ChampionStatusInput = _body(
    "ChampionStatusInput",
    {
        "is_active": serializers.BooleanField(),
        "version": serializers.IntegerField(),
        "on": serializers.DateField(required=False),
    },
)
ChampionActivityInput = _body(
    "ChampionActivityInput",
    {
        "held_on": serializers.DateField(),
        "kind": serializers.CharField(),
        "description": serializers.CharField(required=False, allow_blank=True),
        "people_reached": serializers.IntegerField(required=False),
    },
)
ChampionTrainingInput = _body(
    "ChampionTrainingInput",
    {
        "held_on": serializers.DateField(),
        "topic": serializers.CharField(),
        "region": serializers.CharField(),
        "champions": serializers.ListField(child=serializers.UUIDField()),
        "facilitators": serializers.CharField(required=False, allow_blank=True),
    },
)
CommunityActivityInput = _body(
    "CommunityActivityInput",
    {
        "kind": serializers.ChoiceField(choices=["dialogue", "awareness"]),
        "held_on": serializers.DateField(),
        "region": serializers.CharField(),
        "topics": serializers.ListField(child=serializers.CharField()),
        "venue": serializers.CharField(required=False, allow_blank=True),
        "facilitators": serializers.CharField(required=False, allow_blank=True),
        "champions": serializers.ListField(child=serializers.UUIDField(), required=False),
        "attendance": out.AttendanceCounts(required=False),
    },
)
ActivityAttendanceInput = _body(
    "ActivityAttendanceInput",
    {"attendance": out.AttendanceCounts(), "version": serializers.IntegerField()},
)
CampaignInput = _body(
    "CampaignInput",
    {
        "name": serializers.CharField(),
        "medium": serializers.CharField(),
        "topics": serializers.ListField(child=serializers.CharField()),
        "region": serializers.CharField(),
        "started_on": serializers.DateField(),
        "ended_on": serializers.DateField(required=False),
        "estimated_reach": serializers.IntegerField(),
        "reach_basis": serializers.CharField(required=False, allow_blank=True),
    },
)
PolicyInstrumentInput = _body(
    "PolicyInstrumentInput",
    {
        "title": serializers.CharField(),
        "kind": serializers.ChoiceField(choices=["ordinance", "by_law", "policy"]),
        "region": serializers.CharField(
            help_text="a country, province, district or sub-county: sets the level"
        ),
        "drafted_on": serializers.DateField(),
        "note": serializers.CharField(required=False, allow_blank=True),
    },
)
PolicyAdvanceInput = _body(
    "PolicyAdvanceInput",
    {
        "to": serializers.ChoiceField(choices=["lobbied", "passed", "enforced"]),
        "reached_on": serializers.DateField(),
        "version": serializers.IntegerField(),
        "note": serializers.CharField(required=False, allow_blank=True),
    },
)


class Resource(resources.Resource, ApiView):
    # ApiView's docstring stays the description of these operations in the schema.
    pass


class Detail(Resource):
    # One record of `model`, the caller's to see (`access.get_visible`).
    model = None

    def fetch(self, actor, **ids):
        return get_visible(actor, self.model, *ids.values())


class SchoolsView(Resource):
    output, body, read, write = (
        out.SchoolSerializer,
        SchoolInput,
        Action.VIEW_PREVENTION,
        Action.MANAGE_PREVENTION,
    )

    def rows(self, actor):
        return School.objects.visible_to(actor).select_related("region")

    def create(self, actor, target, data):
        return schools.add_school(
            actor,
            name=data.get("name", ""),
            region=region_of(data),
            level=data.get("level") or "primary",
            joined_on=data.get("joined_on"),
            member_organisation=organisation_of(data, "member_organisation"),
        )


class SchoolDetailView(Detail):
    model, output = School, out.SchoolDetailSerializer


class SessionsView(Resource):
    output, body, write = (
        out.CapacitySessionSerializer,
        CapacitySessionInput,
        Action.RECORD_PREVENTION,
    )

    def create(self, actor, school_id, data):
        return schools.record_session(
            actor,
            school_id,
            held_on=data.get("held_on"),
            topic=data.get("topic", ""),
            teachers_female=data.get("teachers_female"),
            teachers_male=data.get("teachers_male"),
            facilitators=data.get("facilitators", ""),
        )


class SchoolCasesView(Resource):
    output, body, write = out.SchoolCaseSerializer, SchoolCaseInput, Action.RECORD_PREVENTION

    def rows(self, actor, school_id):
        return get_visible(actor, School, school_id).cases.all()

    def create(self, actor, school_id, data):
        return schools.identify_case(
            actor,
            school_id,
            reference=data.get("reference", ""),
            concern=data.get("concern", ""),
            identified_on=data.get("identified_on"),
        )


class ReportCaseView(Resource):
    output, body, write = out.SchoolCaseSerializer, SchoolCaseReportInput, Action.RECORD_PREVENTION
    created_status = 200

    def create(self, actor, case_id, data):
        partner = organisation_of(data, "referred_to")
        return schools.report_case(
            actor,
            case_id,
            reported_on=data.get("reported_on"),
            reported_to=data.get("reported_to", ""),
            detail=data.get("reported_to_detail", ""),
            referred_to=partner,
            version=data.get("version"),
        )


class FollowUpsView(Resource):
    output, body, write = (
        out.SchoolFollowUpSerializer,
        SchoolFollowUpInput,
        Action.RECORD_PREVENTION,
    )

    def create(self, actor, case_id, data):
        return schools.follow_up(
            actor,
            case_id,
            followed_on=data.get("followed_on"),
            outcome=data.get("outcome", ""),
            note=data.get("note", ""),
        )


class ChampionsView(Resource):
    output, body, read, write = (
        out.ChampionSerializer,
        ChampionInput,
        Action.VIEW_PREVENTION,
        Action.RECORD_PREVENTION,
    )

    def rows(self, actor):
        champions_ = Champion.objects.visible_to(actor).select_related("region")
        active = self.request.query_params.get("active")
        if active in ("true", "false"):
            champions_ = champions_.filter(is_active=active == "true")
        return champions_

    def create(self, actor, target, data):
        return champions.add_champion(
            actor,
            name=data.get("name", ""),
            kind=data.get("kind", ""),
            sex=data.get("sex", ""),
            region=region_of(data),
            joined_on=data.get("joined_on"),
        )


class ChampionDetailView(Detail):
    model, output, patch_body, write = (
        Champion,
        out.ChampionSerializer,
        ChampionStatusInput,
        Action.RECORD_PREVENTION,
    )

    def update(self, actor, champion_id, data):
        return champions.set_active(
            actor, champion_id, data["is_active"], data.get("version"), on=data.get("on")
        )


class ChampionActivitiesView(Resource):
    output, body, write = (
        out.ChampionActivitySerializer,
        ChampionActivityInput,
        Action.RECORD_PREVENTION,
    )

    def create(self, actor, champion_id, data):
        return champions.record_activity(
            actor,
            champion_id,
            held_on=data.get("held_on"),
            kind=data.get("kind", ""),
            description=data.get("description", ""),
            people_reached=data.get("people_reached"),
        )


class TrainingsView(Resource):
    output, body = out.ChampionTrainingSerializer, ChampionTrainingInput
    read, write = Action.VIEW_PREVENTION, Action.RECORD_PREVENTION

    def rows(self, actor):
        return (
            ChampionTraining.objects.visible_to(actor)
            .select_related("region")
            .prefetch_related("champions")
        )

    def create(self, actor, target, data):
        ids = [str(i) for i in data["champions"]]
        return champions.record_training(
            actor,
            held_on=data.get("held_on"),
            topic=data.get("topic", ""),
            region=region_of(data),
            champions=ids,
            facilitators=data.get("facilitators", ""),
        )


class ActivitiesView(Resource):
    output, body = out.CommunityActivitySerializer, CommunityActivityInput
    read, write = Action.VIEW_PREVENTION, Action.RECORD_PREVENTION

    def rows(self, actor):
        return (
            CommunityActivity.objects.visible_to(actor)
            .select_related("region")
            .prefetch_related("champions")
        )

    def create(self, actor, target, data):
        ids = [str(i) for i in data.get("champions", [])]
        # The counts as sent: the service names an unknown sex or age group, which the serializer
        # drops.
        return community.add_activity(
            actor,
            kind=data["kind"],
            held_on=data["held_on"],
            region=region_of(data),
            topics=data["topics"],
            venue=data.get("venue", ""),
            facilitators=data.get("facilitators", ""),
            champions=ids,
            attendance=read_object(self.request).get("attendance"),
        )


class ActivityDetailView(Detail):
    model, output = CommunityActivity, out.CommunityActivitySerializer


class AttendanceView(ApiView):
    @extend_schema(
        request=ActivityAttendanceInput,
        responses=out.CommunityActivitySerializer,
    )
    def put(self, request, activity_id):
        actor = api_actor(request)
        require(actor, Action.RECORD_PREVENTION)
        data = self.valid(ActivityAttendanceInput)
        activity = community.set_attendance(
            actor, activity_id, read_object(request)["attendance"], data["version"]
        )
        activity.refresh_from_db()
        return Response(out.CommunityActivitySerializer(activity).data)


class CampaignsView(Resource):
    output, body = out.AwarenessCampaignSerializer, CampaignInput
    read, write = Action.VIEW_PREVENTION, Action.RECORD_PREVENTION

    def rows(self, actor):
        return Campaign.objects.visible_to(actor).select_related("region")

    def create(self, actor, target, data):
        return community.add_campaign(
            actor,
            name=data.get("name", ""),
            medium=data.get("medium", ""),
            topics=data.get("topics"),
            region=region_of(data),
            started_on=data.get("started_on"),
            ended_on=data.get("ended_on"),
            estimated_reach=data.get("estimated_reach"),
            reach_basis=data.get("reach_basis", ""),
        )


class InstrumentsView(Resource):
    output, body = out.PolicyInstrumentSerializer, PolicyInstrumentInput
    read, write = Action.VIEW_PREVENTION, Action.MANAGE_PREVENTION

    def rows(self, actor):
        return (
            PolicyInstrument.objects.visible_to(actor)
            .select_related("region")
            .prefetch_related("milestones")
        )

    def create(self, actor, target, data):
        return milestones.add_instrument(
            actor,
            title=data.get("title", ""),
            kind=data.get("kind", ""),
            region=region_of(data),
            drafted_on=data.get("drafted_on"),
            note=data.get("note", ""),
        )


class InstrumentDetailView(Detail):
    model, output = PolicyInstrument, out.PolicyInstrumentSerializer


class AdvanceView(Resource):
    """The next stage of an instrument: drafted → lobbied → passed → enforced, nothing else."""

    output, body, write = (
        out.PolicyInstrumentSerializer,
        PolicyAdvanceInput,
        Action.MANAGE_PREVENTION,
    )
    created_status = 200

    def create(self, actor, instrument_id, data):
        return milestones.advance(
            actor,
            instrument_id,
            to=data.get("to", ""),
            reached_on=data.get("reached_on"),
            version=data.get("version"),
            note=data.get("note", ""),
        )
