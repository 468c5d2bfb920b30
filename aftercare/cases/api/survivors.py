"""API: survivors' cases, consent, needs, care-plan goals and services delivered."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts.models import Organisation
from aftercare.accounts.policy import Action, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases import assignment, care, duplicates, services
from aftercare.cases.access import Section, access_case, with_listed_names
from aftercare.cases.models import (
    ClosureReason,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    ExploitationType,
    GivenBy,
    Goal,
    MeansOfControl,
    ServiceDelivery,
    Survivor,
)
from aftercare.core.api import ListPagination, api_actor, paginate
from aftercare.core.errors import DomainError
from aftercare.network.models import Region
from aftercare.network.taxonomy import ServiceDomain


class SurvivorSummary(serializers.ModelSerializer):
    """What a list shows: the pseudonymous profile, no direct identifiers."""

    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    age_band = serializers.CharField(read_only=True)
    is_minor = serializers.BooleanField(read_only=True)
    assigned_worker = serializers.SerializerMethodField(
        help_text=(
            "the user responsible for the case; null when "
            "no one is, or for a case shared by a partner"
        )
    )
    team = serializers.SerializerMethodField(help_text="the team sharing the case; null likewise")

    class Meta:
        model = Survivor
        fields = [
            "id",
            "case_code",
            "organisation",
            "year_of_birth",
            "age_band",
            "is_minor",
            "gender",
            "nationality",
            "region",
            "exploitation_types",
            "means_of_control",
            "recruiter_relation",
            "country_of_exploitation",
            "identified_by",
            "languages",
            "status",
            "closure_reason",
            "assigned_worker",
            "team",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _held_by_caller(self, obj) -> bool:
        """Who holds a case inside its organisation is that organisation's business, not a
        partner's."""
        return str(obj.organisation_id) == str(self.context.get("organisation_id", ""))

    def get_assigned_worker(self, obj) -> str | None:
        return (
            str(obj.assigned_worker_id)
            if obj.assigned_worker_id and self._held_by_caller(obj)
            else None
        )

    def get_team(self, obj) -> str | None:
        return str(obj.team_id) if obj.team_id and self._held_by_caller(obj) else None


class SurvivorListItem(SurvivorSummary):
    """A row of the case list: the pseudonymous profile, and the survivor's first name only
    for a caller who may see her identity (null for the others)."""

    first_name = serializers.SerializerMethodField()

    class Meta(SurvivorSummary.Meta):
        fields = [*SurvivorSummary.Meta.fields, "first_name"]
        read_only_fields = fields

    def get_first_name(self, obj) -> str | None:
        return getattr(obj, "listed_name", "") or None


class SurvivorDetail(SurvivorSummary):
    class Meta(SurvivorSummary.Meta):
        fields = SurvivorSummary.Meta.fields + [
            "given_name",
            "family_name",
            "phone",
            "address",
            "date_of_birth",
            "id_number",
            "guardian_name",
            "guardian_phone",
            "guardian_relation",
        ]
        read_only_fields = fields


class SurvivorInput(serializers.ModelSerializer):
    """Intake and change input, derived from the model so the two cannot drift apart."""

    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True
    )
    nationality = CountryField(required=False, allow_blank=True)
    country_of_exploitation = CountryField(required=False, allow_blank=True)
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationType.choices),
        required=False,
        allow_empty=True,
    )
    means_of_control = serializers.ListField(
        child=serializers.ChoiceField(choices=MeansOfControl.choices),
        required=False,
        allow_empty=True,
    )
    languages = serializers.ListField(
        child=serializers.RegexField(
            r"^[a-z]{2,3}$",
            error_messages={"invalid": _("Use ISO 639 language codes, e.g. en, hi, sw.")},
        ),
        required=False,
        allow_empty=True,
    )
    year_of_birth = serializers.IntegerField(required=False, allow_null=True, min_value=1900)
    # Stored encrypted as text, but it is a date: parse and check it like one.
    date_of_birth = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = Survivor
        fields = list(services.PROFILE_FIELDS)
        extra_kwargs = {"given_name": {"required": True, "allow_blank": False}}

    def validate_year_of_birth(self, value):
        if value is not None and value > timezone.now().year:
            raise serializers.ValidationError(_("The year of birth cannot be in the future."))
        return value

    def validate_date_of_birth(self, value):
        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError(_("The date of birth cannot be in the future."))
        return value

    def validate_exploitation_types(self, value):
        return sorted(set(value))

    def validate_means_of_control(self, value):
        return sorted(set(value))


class SurvivorPatch(SurvivorInput):
    version = serializers.IntegerField(min_value=1)
    closure_reason = serializers.ChoiceField(choices=ClosureReason.choices, required=False)

    class Meta(SurvivorInput.Meta):
        fields = [*SurvivorInput.Meta.fields, "status", "closure_reason", "version"]
        extra_kwargs = {"given_name": {"required": False, "allow_blank": False}}


class IntakeResult(SurvivorDetail):
    possible_duplicate = serializers.SerializerMethodField()

    class Meta(SurvivorDetail.Meta):
        fields = [*SurvivorDetail.Meta.fields, "possible_duplicate"]
        read_only_fields = fields

    def get_possible_duplicate(self, obj) -> dict:
        found = self.context["possible"]
        return {
            "in_own_organisation": found.in_own_organisation,
            "elsewhere_in_network": found.elsewhere_in_network,
        }


class IntakeInput(SurvivorInput):
    confirm_new = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "true once the caller has seen the possible matches (409) and she is someone else"
        ),
    )

    class Meta(SurvivorInput.Meta):
        fields = [*SurvivorInput.Meta.fields, "confirm_new"]


class MatchSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    case_code = serializers.CharField()
    status = serializers.CharField()


class MatchesSerializer(serializers.Serializer):
    """Possible matches: the caller's own organisation's cases (it may open them), and for the
    rest of the network only whether a partner may know her, never which or where."""

    own = MatchSerializer(many=True, help_text="cases of the caller's organisation")
    elsewhere_in_network = serializers.BooleanField(
        help_text=(
            "a partner may already know her: ask the network coordinator (nothing more is said)"
        )
    )


class PossibleDuplicateResponse(serializers.Serializer):
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    code = serializers.CharField(help_text="possible_duplicate")
    matches = MatchesSerializer()


def matches_data(matches) -> dict:
    return {
        "own": [
            {"id": str(case.pk), "case_code": case.case_code, "status": case.status}
            for case in matches.own
        ],
        "elsewhere_in_network": matches.elsewhere_in_network,
    }


class DuplicateCheckInput(serializers.Serializer):
    given_name = serializers.CharField(max_length=200)
    family_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    year_of_birth = serializers.IntegerField(
        required=False, allow_null=True, min_value=1900, default=None
    )
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)


class DuplicateCheckView(APIView):
    """Intake identifiers in, possible matches out; nothing is written but the audit of the
    look-up."""

    @extend_schema(request=DuplicateCheckInput, responses=MatchesSerializer)
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.CREATE_CASE)
        form = DuplicateCheckInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        try:
            services.derive_birth_year(data)
        except DomainError as exc:
            raise serializers.ValidationError({exc.field: [exc.message]}) from exc
        found = duplicates.possible_matches(
            actor, data["given_name"], data["family_name"], data["year_of_birth"]
        )
        record(
            actor,
            AuditAction.LIST,
            object_type="cases.survivor",
            label=f"{len(found.own)} possible matches",
        )
        return Response(matches_data(found))


class MergeInput(serializers.Serializer):
    other = serializers.UUIDField(
        help_text="the id of the other case of the same person, closed as its duplicate"
    )
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="this case's version as last read (409 when stale)"
    )


class SurvivorListView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter(
                "q",
                str,
                description=(
                    "Any part of a case code (three characters or more), or part or "
                    "a one-letter misspelling of the survivor's given or family name; "
                    "every word must match. Names are matched on keyed tokens, never "
                    "decrypted; a case shared by a referral is found by name only if "
                    "the survivor agreed to share her identity. Results are ranked, "
                    "best match first. The search is audited without the query text."
                ),
            ),
            OpenApiParameter("risk_level", str),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
            OpenApiParameter(
                "assigned_to",
                str,
                description=(
                    "`me`, `none` (no one responsible yet) or a user "
                    "id: the cases that worker is responsible for"
                ),
            ),
            OpenApiParameter(
                "assigned", str, description="`me` or a username (same as `assigned_to`)"
            ),
            OpenApiParameter("team", str, description="a team id of the caller's organisation"),
        ],
        responses=SurvivorListItem(many=True),
    )
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_CASES)
        query = request.query_params.get("q", "").strip()
        found = services.search_survivors(actor, query, request.query_params.get("status", ""))
        cases = found.cases.at_risk_level(request.query_params.get("risk_level", ""))
        cases = assignment.filter_caseload(
            cases,
            actor,
            assigned_to=_assigned_to(actor, request.query_params),
            team=request.query_params.get("team", ""),
        )
        if not query:
            cases = cases.order_by("-created_at", "id")
        paginator = ListPagination()
        page = with_listed_names(actor, paginator.paginate_queryset(cases, request, view=self))
        if not query:  # a search was recorded by the search itself, with what matched and how
            record(
                actor, AuditAction.LIST, object_type="cases.survivor", label=f"{len(page)} cases"
            )
        context = {"organisation_id": actor.organisation_id}
        return paginator.get_paginated_response(
            SurvivorListItem(page, many=True, context=context).data
        )

    @extend_schema(
        request=IntakeInput,
        responses={201: IntakeResult, 409: PossibleDuplicateResponse},
        description=(
            "Intake checks for possible duplicates first: when one exists nothing is "
            "saved and the answer is 409 with `matches` (the caller's own organisation's "
            "cases by id and code; elsewhere in the network only `elsewhere_in_network`). "
            "Send the same body again with `confirm_new: true` to open the case "
            "anyway. A `date_of_birth` fills `year_of_birth` (they must agree)."
        ),
    )
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.CREATE_CASE)
        form = IntakeInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        confirm_new = data.pop("confirm_new", False)
        try:
            survivor, possible = services.intake_survivor(actor, data, confirm_new=confirm_new)
        except services.PossibleDuplicateFound as exc:
            record(
                actor,
                AuditAction.LIST,
                object_type="cases.survivor",
                label=f"{len(exc.matches.own)} possible matches",
            )
            return Response(
                {
                    "errors": {exc.field: [exc.message]},
                    "code": exc.code,
                    "matches": matches_data(exc.matches),
                },
                status=status.HTTP_409_CONFLICT,
            )
        context = {"possible": possible, "organisation_id": actor.organisation_id}
        return Response(
            IntakeResult(survivor, context=context).data, status=status.HTTP_201_CREATED
        )


def _assigned_to(actor, params) -> str:
    """`assigned_to` as given, or `assigned` (`me` or a username of the caller's organisation) as a
    user id."""
    if params.get("assigned_to"):
        return params["assigned_to"]
    name = params.get("assigned", "")
    if not name or name in ("me", "none"):
        return name
    user = (
        assignment.case_holders(actor.organisation_id)
        .filter(username=name)
        .values_list("pk", flat=True)
        .first()
    )
    return str(user) if user else "nobody"


class SurvivorDetailView(APIView):
    @extend_schema(responses=SurvivorDetail)
    def get(self, request, survivor_id):
        case = access_case(api_actor(request), survivor_id)
        if not case.sees(Section.IDENTITY):
            # Shared by a referral without consent to share identity: the pseudonymous profile only.
            return Response(
                {**SurvivorSummary(case.survivor).data, "given_name": case.display_name}
            )
        return Response(
            SurvivorDetail(
                case.survivor, context={"organisation_id": case.actor.organisation_id}
            ).data
        )

    @extend_schema(request=SurvivorPatch, responses=SurvivorDetail)
    def patch(self, request, survivor_id):
        actor = api_actor(request)
        survivor = access_case(actor, survivor_id, section=Section.IDENTITY, write=True).survivor
        require(actor, Action.EDIT_CASE)
        form = SurvivorPatch(survivor, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        if "version" not in data:
            raise serializers.ValidationError({"version": [_("Send the version you last read.")]})
        version = data.pop("version")
        survivor = services.update_survivor(actor, survivor, data, version)
        return Response(
            SurvivorDetail(survivor, context={"organisation_id": actor.organisation_id}).data
        )


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


class ConsentView(APIView):
    @extend_schema(responses=ConsentSerializer(many=True))
    def get(self, request, survivor_id):
        survivor = access_case(api_actor(request), survivor_id, section=Section.CONSENT).survivor
        rows = survivor.consents.select_related("recorded_by").order_by("-recorded_at")
        return paginate(request, self, rows, ConsentSerializer)

    @extend_schema(request=ConsentSerializer, responses={201: ConsentSerializer})
    def post(self, request, survivor_id):
        actor = api_actor(request)
        survivor = access_case(actor, survivor_id, section=Section.CONSENT, write=True).survivor
        require(actor, Action.EDIT_CASE)
        form = ConsentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        consent = care.record_consent(actor, survivor, **form.validated_data)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


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


class NeedsView(APIView):
    @extend_schema(request=NeedsInput, responses={201: NeedsInput})
    def post(self, request, survivor_id):
        actor = api_actor(request)
        survivor = access_case(actor, survivor_id, section=Section.NEEDS, write=True).survivor
        require(actor, Action.EDIT_CASE)
        form = NeedsInput(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            assessment = care.assess_needs(actor, survivor, form.validated_data["needs"])
        except care.NeedsInvalid as exc:
            raise serializers.ValidationError(
                {"needs": [f"{code}: {message}" for code, message in exc.errors.items()]}
            ) from exc
        needs = {item.domain: item.level for item in assessment.items.all()}
        return Response(
            {"id": str(assessment.pk), "assessed_at": assessment.assessed_at, "needs": needs},
            status=status.HTTP_201_CREATED,
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
            "domain",
            "description",
            "actions",
            "responsible_organisation",
            "responsible_person",
            "target_date",
            "status",
            "added_by_survivor",
            "version",
            "created_at",
        ]
        read_only_fields = ["id", "added_by_survivor", "version", "created_at"]


class GoalsView(APIView):
    @extend_schema(responses=GoalSerializer(many=True))
    def get(self, request, survivor_id):
        survivor = access_case(api_actor(request), survivor_id, section=Section.PLAN).survivor
        goals = survivor.goals.all()
        return paginate(request, self, goals, GoalSerializer)

    @extend_schema(request=GoalSerializer, responses={201: GoalSerializer})
    def post(self, request, survivor_id):
        actor = api_actor(request)
        survivor = access_case(actor, survivor_id, section=Section.PLAN, write=True).survivor
        require(actor, Action.EDIT_CASE)
        form = GoalSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        goal = care.add_goal(actor, survivor, form.validated_data)
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)


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


class ServicesView(APIView):
    @extend_schema(responses=ServiceSerializer(many=True))
    def get(self, request, survivor_id):
        survivor = access_case(api_actor(request), survivor_id, section=Section.SERVICES).survivor
        rows = survivor.services.all()
        return paginate(request, self, rows, ServiceSerializer)

    @extend_schema(request=ServiceSerializer, responses={201: ServiceSerializer})
    def post(self, request, survivor_id):
        actor = api_actor(request)
        survivor = access_case(actor, survivor_id, section=Section.SERVICES, write=True).survivor
        require(actor, Action.EDIT_CASE)
        form = ServiceSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        service = care.record_service(actor, survivor, form.validated_data)
        return Response(ServiceSerializer(service).data, status=status.HTTP_201_CREATED)
