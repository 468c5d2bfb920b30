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


def given(data, *names, **defaults) -> dict:
    """The body's fields as a service's keyword arguments: each of `names` as sent (None when
    left out), each of `defaults` as sent or its default."""
    return {
        **{name: data.get(name) for name in names},
        **{name: data.get(name, default) for name, default in defaults.items()},
    }


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
    # ApiView's docstring stays the description of these operations in the schema. Recording
    # prevention work is the right to write, unless a resource names another.
    write = Action.RECORD_PREVENTION


class Listing(Resource):
    # The caller's records of `model` (GET, a page), with its region and `prefetch` fetched
    # alongside; a listing that adds one (POST) has `create`. No docstring on `rows`: it would
    # become the description of every listing's GET.
    model = None
    prefetch: tuple[str, ...] = ()
    read = Action.VIEW_PREVENTION

    def rows(self, actor):
        records = self.model.objects.visible_to(actor).select_related("region")
        return records.prefetch_related(*self.prefetch)


class Detail(Resource):
    # One record of `model`, the caller's to see (`access.get_visible`).
    model = None

    def fetch(self, actor, **ids):
        return get_visible(actor, self.model, *ids.values())


class SchoolsView(Listing):
    model, output, body, write = School, out.SchoolSerializer, SchoolInput, Action.MANAGE_PREVENTION

    def create(self, actor, target, data):
        return schools.add_school(
            actor,
            region=region_of(data),
            level=data.get("level") or "primary",
            member_organisation=organisation_of(data, "member_organisation"),
            **given(data, "joined_on", name=""),
        )


class SchoolDetailView(Detail):
    model, output = School, out.SchoolDetailSerializer


class SessionsView(Resource):
    output, body = out.CapacitySessionSerializer, CapacitySessionInput

    def create(self, actor, school_id, data):
        return schools.record_session(
            actor,
            school_id,
            **given(data, "held_on", "teachers_female", "teachers_male", topic="", facilitators=""),
        )


class SchoolCasesView(Resource):
    output, body = out.SchoolCaseSerializer, SchoolCaseInput

    def rows(self, actor, school_id):
        return get_visible(actor, School, school_id).cases.all()

    def create(self, actor, school_id, data):
        return schools.identify_case(
            actor, school_id, **given(data, "identified_on", reference="", concern="")
        )


class ReportCaseView(Resource):
    output, body = out.SchoolCaseSerializer, SchoolCaseReportInput
    created_status = 200

    def create(self, actor, case_id, data):
        partner = organisation_of(data, "referred_to")
        return schools.report_case(
            actor,
            case_id,
            detail=data.get("reported_to_detail", ""),
            referred_to=partner,
            **given(data, "reported_on", "version", reported_to=""),
        )


class FollowUpsView(Resource):
    output, body = out.SchoolFollowUpSerializer, SchoolFollowUpInput

    def create(self, actor, case_id, data):
        return schools.follow_up(actor, case_id, **given(data, "followed_on", outcome="", note=""))


class ChampionsView(Listing):
    model, output, body = Champion, out.ChampionSerializer, ChampionInput

    def rows(self, actor):
        champions_ = super().rows(actor)
        active = self.request.query_params.get("active")
        if active in ("true", "false"):
            champions_ = champions_.filter(is_active=active == "true")
        return champions_

    def create(self, actor, target, data):
        return champions.add_champion(
            actor, region=region_of(data), **given(data, "joined_on", name="", kind="", sex="")
        )


class ChampionDetailView(Detail):
    model, output, patch_body = Champion, out.ChampionSerializer, ChampionStatusInput

    def update(self, actor, champion_id, data):
        return champions.set_active(
            actor, champion_id, data["is_active"], data.get("version"), on=data.get("on")
        )


class ChampionActivitiesView(Resource):
    output, body = out.ChampionActivitySerializer, ChampionActivityInput

    def create(self, actor, champion_id, data):
        return champions.record_activity(
            actor,
            champion_id,
            **given(data, "held_on", "people_reached", kind="", description=""),
        )


class TrainingsView(Listing):
    model, output, body = ChampionTraining, out.ChampionTrainingSerializer, ChampionTrainingInput
    prefetch = ("champions",)

    def create(self, actor, target, data):
        ids = [str(i) for i in data["champions"]]
        return champions.record_training(
            actor,
            region=region_of(data),
            champions=ids,
            **given(data, "held_on", topic="", facilitators=""),
        )


class ActivitiesView(Listing):
    model, output, body = CommunityActivity, out.CommunityActivitySerializer, CommunityActivityInput
    prefetch = ("champions", "attendance")  # the attendance of each, summed by the serializer

    def create(self, actor, target, data):
        ids = [str(i) for i in data.get("champions", [])]
        # The counts as sent: the service names an unknown sex or age group, which the serializer
        # drops.
        return community.add_activity(
            actor,
            region=region_of(data),
            champions=ids,
            attendance=read_object(self.request).get("attendance"),
            **given(data, "kind", "held_on", "topics", venue="", facilitators=""),
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


class CampaignsView(Listing):
    model, output, body = Campaign, out.AwarenessCampaignSerializer, CampaignInput

    def create(self, actor, target, data):
        return community.add_campaign(
            actor,
            region=region_of(data),
            **given(
                data,
                "topics",
                "started_on",
                "ended_on",
                "estimated_reach",
                name="",
                medium="",
                reach_basis="",
            ),
        )


class InstrumentsView(Listing):
    model, output, body = PolicyInstrument, out.PolicyInstrumentSerializer, PolicyInstrumentInput
    write, prefetch = Action.MANAGE_PREVENTION, ("milestones",)

    def create(self, actor, target, data):
        return milestones.add_instrument(
            actor, region=region_of(data), **given(data, "drafted_on", title="", kind="", note="")
        )


class InstrumentDetailView(Detail):
    model, output = PolicyInstrument, out.PolicyInstrumentSerializer


class AdvanceView(Resource):
    """The next stage of an instrument: drafted → lobbied → passed → enforced, nothing else."""

    output, body = out.PolicyInstrumentSerializer, PolicyAdvanceInput
    write, created_status = Action.MANAGE_PREVENTION, 200

    def create(self, actor, instrument_id, data):
        return milestones.advance(
            actor, instrument_id, **given(data, "reached_on", "version", to="", note="")
        )
