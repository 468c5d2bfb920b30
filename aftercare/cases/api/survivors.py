"""API: survivors' cases, consent, needs, care-plan goals and services delivered.

The shapes they read and answer are in `aftercare.cases.serializers`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts.policy import Action, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases import assignment, care, duplicates, services
from aftercare.cases.access import Section, access_case, with_listed_names
from aftercare.cases.serializers.care import (
    ConsentSerializer,
    GoalSerializer,
    NeedsInput,
    ServiceSerializer,
)
from aftercare.cases.serializers.survivors import (
    DuplicateCheckInput,
    IntakeInput,
    IntakeResult,
    MatchesSerializer,
    PossibleDuplicateResponse,
    SurvivorDetail,
    SurvivorListItem,
    SurvivorPatch,
    SurvivorSummary,
    matches_data,
)
from aftercare.core.api import ListPagination, api_actor, paginate
from aftercare.core.errors import DomainError


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
        page = with_listed_names(
            actor, paginator.paginate_queryset(cases.merged(), request, view=self)
        )
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


# A case's rows of one section: a page of them, and adding one through the care operation.
# Reading needs the section; adding needs to write it and the right to edit. (A comment, not a
# docstring: a view's docstring is its operations' description in the schema.)
class CaseRowsView(APIView):
    section: Section
    serializer_class: type[serializers.ModelSerializer]

    def rows(self, survivor):
        raise NotImplementedError

    def add(self, actor, survivor, data):
        raise NotImplementedError

    def get(self, request, survivor_id):
        survivor = access_case(api_actor(request), survivor_id, section=self.section).survivor
        return paginate(request, self, self.rows(survivor), self.serializer_class)

    def post(self, request, survivor_id):
        actor = api_actor(request)
        survivor = access_case(actor, survivor_id, section=self.section, write=True).survivor
        require(actor, Action.EDIT_CASE)
        form = self.serializer_class(data=request.data)
        form.is_valid(raise_exception=True)
        row = self.add(actor, survivor, form.validated_data)
        return Response(self.serializer_class(row).data, status=status.HTTP_201_CREATED)


def case_rows_schema(serializer_class):
    """The schema of a `CaseRowsView`: a list of the rows, and the row added (201)."""
    return extend_schema_view(
        get=extend_schema(responses=serializer_class(many=True)),
        post=extend_schema(request=serializer_class, responses={201: serializer_class}),
    )


@case_rows_schema(ConsentSerializer)
class ConsentView(CaseRowsView):
    section = Section.CONSENT
    serializer_class = ConsentSerializer

    def rows(self, survivor):
        return survivor.consents.select_related("recorded_by").order_by("-recorded_at")

    def add(self, actor, survivor, data):
        return care.record_consent(actor, survivor, **data)


@case_rows_schema(GoalSerializer)
class GoalsView(CaseRowsView):
    section = Section.PLAN
    serializer_class = GoalSerializer

    def rows(self, survivor):
        return survivor.goals.all()

    def add(self, actor, survivor, data):
        return care.add_goal(actor, survivor, data)


@case_rows_schema(ServiceSerializer)
class ServicesView(CaseRowsView):
    section = Section.SERVICES
    serializer_class = ServiceSerializer

    def rows(self, survivor):
        return survivor.services.all()

    def add(self, actor, survivor, data):
        return care.record_service(actor, survivor, data)


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
