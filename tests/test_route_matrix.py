"""The route matrix (issue 13): every URL pattern and API operation, probed by every role in
every relationship to one survivor's record, for reads and for writes.

The routes come from the URLconf and the OpenAPI schema; each must be in the policy table
below, so a new route that nobody placed behind the wall fails here. Each probe asserts the
allowed outcome (let through, or refused with 401/403/404/405 or a redirect to sign in) and
that the body holds no identifier of a record the caller may not see. Every probe runs in a
savepoint that is rolled back, so one shared dataset serves them all.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from dataclasses import dataclass
from datetime import date
from http.cookies import SimpleCookie

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from aftercare.accounts.models import ApiToken
from aftercare.accounts.policy import Action
from aftercare.accounts.roles import Role
from aftercare.cases import care
from aftercare.cases.access import PARTNER_ALWAYS, PARTNER_WRITES, SHAREABLE, Section
from aftercare.referrals import services as referrals
from tests.conftest import actor, current_code, member
from tests.factories import OrganisationFactory, SurvivorFactory, totp_device

pytestmark = pytest.mark.django_db

S = Section
READ, WRITE = "read", "write"


@dataclass(frozen=True)
class CaseRoute:
    """A route on one case: the section it shows or changes, the role action each method needs,
    and whether its GET is the form of a change (then it follows the write rule)."""

    section: Section | None
    read: Action | None = Action.VIEW_CASES
    write: Action | None = Action.EDIT_CASE
    form: bool = False
    holder_only: bool = (
        False  # only the holding organisation reads or changes it, whatever is shared
    )
    partner: str = ""  # "any": a partner's outcome depends on the record, not on the wall
    record_decides: bool = False  # let through the wall, the record may still be absent (404)
    get_only: bool = False  # answers GET alone (405 to a POST): not probed with POST


V, E = Action.VIEW_CASES, Action.EDIT_CASE
LV, LR = Action.VIEW_LIVELIHOODS, Action.RECORD_LIVELIHOOD
CASE_ROUTES: dict[str, CaseRoute] = {
    "cases:detail": CaseRoute(None, V, None),
    "cases:edit": CaseRoute(S.IDENTITY, write=E, form=True),
    "cases:status": CaseRoute(None, None, E, holder_only=True),
    # Merging two records of one person: a supervisor of the holding organisation only (issue 16).
    "cases:merge": CaseRoute(None, None, Action.MERGE_CASES, form=True, holder_only=True),
    "api:survivor-merge": CaseRoute(None, None, Action.MERGE_CASES, holder_only=True),
    # Handing a case over: the holder's case worker (her own case) or supervisor, never a partner.
    "cases:reassign": CaseRoute(None, None, Action.HAND_OVER_CASE, holder_only=True),
    # The case page's panels read when opened (issue 18): the same wall as the pages they come from.
    "cases:risk_panel": CaseRoute(S.RISK, Action.VIEW_RISK, None),
    "cases:livelihood_panel": CaseRoute(S.LIVELIHOOD, LV, None),
    "cases:history_panel": CaseRoute(S.HISTORY, V, None),
    # The case page's forms, read when their section is opened (issue 18): each GET shows the form
    # of a change, so it follows the write rule of the form's POST; they answer GET alone.
    **{
        f"cases:{name}_form": CaseRoute(section, None, E, form=True, get_only=True)
        for name, section in (
            ("goal", S.PLAN),
            ("review", S.PLAN),
            ("needs", S.NEEDS),
            ("service", S.SERVICES),
            ("note", S.NOTES),
            ("legal", S.LEGAL),
            ("document", S.DOCUMENTS),
            ("consent", S.CONSENT),
        )
    },
    "cases:status_form": CaseRoute(None, None, E, form=True, holder_only=True, get_only=True),
    "cases:consent": CaseRoute(S.CONSENT, None, E),
    "cases:needs": CaseRoute(S.NEEDS, None, E),
    "cases:goal_add": CaseRoute(S.PLAN, None, E),
    "cases:goal_update": CaseRoute(S.PLAN, None, E),
    "cases:review_add": CaseRoute(S.PLAN, None, E),
    "cases:service_add": CaseRoute(S.SERVICES, None, E),
    "cases:note_add": CaseRoute(S.NOTES, None, E),
    "cases:document_add": CaseRoute(S.DOCUMENTS, None, E),
    "cases:document": CaseRoute(S.DOCUMENTS, V, None),
    "cases:legal_add": CaseRoute(S.LEGAL, None, E),
    "cases:legal_update": CaseRoute(S.LEGAL, None, E),
    "risk:survivor": CaseRoute(S.RISK, Action.VIEW_RISK, None),
    "risk:assess": CaseRoute(S.RISK, write=Action.ASSESS_RISK, form=True),
    "risk:record_measure": CaseRoute(S.RISK, write=Action.RECORD_MEASURE, form=True),
    "referrals:new": CaseRoute(None, write=Action.MAKE_REFERRAL, form=True, holder_only=True),
    "voice:case": CaseRoute(None, V, None),
    "voice:link_account": CaseRoute(None, None, Action.MANAGE_PORTAL_ACCOUNTS, holder_only=True),
    "voice:reset_pin": CaseRoute(None, None, Action.MANAGE_PORTAL_ACCOUNTS, holder_only=True),
    "voice:close_account": CaseRoute(
        None, None, Action.MANAGE_PORTAL_ACCOUNTS, holder_only=True, record_decides=True
    ),
    "voice:issue_code": CaseRoute(S.SERVICES, None, Action.ISSUE_FEEDBACK_CODE, partner="any"),
    "livelihoods:case": CaseRoute(S.LIVELIHOOD, LV, None),
    **{
        f"livelihoods:{name}": CaseRoute(S.LIVELIHOOD, None, LR)
        for name in (
            "add_placement",
            "end_placement",
            "record_retention",
            "add_savings_entry",
            "add_income",
            "enrol",
            "mark_attendance",
            "finish_training",
            "enrol_in_school",
            "update_school",
            "record_term",
            "record_progression",
            "add_supplies",
            "add_protection",
        )
    },
    # Care settings and mentoring: the holder's alone, shared with no partner.
    "caresettings:case": CaseRoute(None, Action.VIEW_CARE_SETTINGS, None, holder_only=True),
    **{
        f"caresettings:{name}": CaseRoute(None, None, Action.RECORD_CARE_SETTING, holder_only=True)
        for name in ("add", "end", "lawyer")
    },
    "api:survivor-care-settings": CaseRoute(
        None, Action.VIEW_CARE_SETTINGS, Action.RECORD_CARE_SETTING, holder_only=True
    ),
    "api:survivor-care-setting": CaseRoute(
        None, Action.VIEW_CARE_SETTINGS, Action.RECORD_CARE_SETTING, holder_only=True
    ),
    "mentoring:case": CaseRoute(None, V, None, holder_only=True),
    **{
        f"mentoring:{name}": CaseRoute(None, None, E, holder_only=True)
        for name in ("match", "end_match", "session", "role")
    },
    **{
        f"api:survivor-{name}": CaseRoute(None, V, E, holder_only=True)
        for name in ("mentoring", "mentoring-sessions", "leadership")
    },
    "api:survivor": CaseRoute(None, V, E),
    "api:survivor-assignment": CaseRoute(None, V, Action.HAND_OVER_CASE, holder_only=True),
    "api:survivor-consents": CaseRoute(S.CONSENT, V, E),
    "api:survivor-needs": CaseRoute(S.NEEDS, None, E),
    "api:survivor-goals": CaseRoute(S.PLAN, V, E),
    "api:survivor-services": CaseRoute(S.SERVICES, V, E),
    "api:survivor-risk-assessments": CaseRoute(S.RISK, Action.VIEW_RISK, Action.ASSESS_RISK),
    "api:survivor-measures": CaseRoute(S.RISK, Action.VIEW_RISK, Action.RECORD_MEASURE),
    **{
        f"api:survivor-{name}": CaseRoute(S.LIVELIHOOD, LV, LR)
        for name in (
            "placements",
            "placement",
            "placement-follow-up",
            "savings",
            "income",
            "earnings",
            "economic-outcomes",
            "training",
            "training-enrolment",
            "training-attendance",
            "education",
            "school-enrolment",
            "school-terms",
            "school-progressions",
            "school-supplies",
            "social-protection",
        )
    },
}
# The API's PATCH of a survivor changes her identity: the section of the write, not of the read.
WRITE_SECTION = {"api:survivor": S.IDENTITY}

OPEN, SIGNED_IN = "open", "signed in"
# Every other route: OPEN ones answer anyone (sign-in, health, the SMS and OpenRosa webhooks
# that authenticate themselves); SIGNED_IN ones refuse the anonymous. None may show another
# organisation's record.
OTHER_ROUTES: dict[str, str] = {
    "home": OPEN,
    "core:dashboard": SIGNED_IN,
    "core:health": OPEN,
    "core:ready": OPEN,
    "core:metrics": OPEN,
    "core:bench_floor": OPEN,
    "core:notifications": SIGNED_IN,
    "core:notifications_read": SIGNED_IN,
    "accounts:login": OPEN,
    "accounts:logout": OPEN,
    "accounts:two_factor": OPEN,
    "accounts:two_factor_enrol": SIGNED_IN,
    "accounts:recovery_codes": SIGNED_IN,
    "accounts:security": SIGNED_IN,
    "accounts:switch_organisation": SIGNED_IN,
    "cases:list": SIGNED_IN,
    "cases:intake": SIGNED_IN,
    "cases:import": SIGNED_IN,
    "cases:import_commit": SIGNED_IN,
    "cases:import_template": SIGNED_IN,
    "cases:workload": SIGNED_IN,
    "api:caseload-workers": SIGNED_IN,
    "network:directory": SIGNED_IN,
    "network:region_suggestions": SIGNED_IN,
    "network:profile": SIGNED_IN,
    "network:edit_profile": SIGNED_IN,
    "network:edit_capacity": SIGNED_IN,
    "audit:trail": SIGNED_IN,
    "risk:alerts": SIGNED_IN,
    "risk:acknowledge_alert": SIGNED_IN,
    "referrals:list": SIGNED_IN,
    "referrals:new_person": SIGNED_IN,
    "referrals:refer_here": SIGNED_IN,
    "referrals:detail": SIGNED_IN,
    "referrals:approve_transfer": SIGNED_IN,
    "referrals:transition": SIGNED_IN,
    "interop:htcds": SIGNED_IN,
    "interop:htcds_export": SIGNED_IN,
    "interop:htcds_import": SIGNED_IN,
    "interop:htcds_import_commit": SIGNED_IN,
    "reports:dashboard": SIGNED_IN,
    "reports:indicators": SIGNED_IN,
    "reports:indicators_download": SIGNED_IN,
    "reports:gaps": SIGNED_IN,
    "reports:gap_cell": SIGNED_IN,
    "reports:exports": SIGNED_IN,
    "reports:start_export": SIGNED_IN,
    "reports:export": SIGNED_IN,
    "reports:export_status": SIGNED_IN,
    "reports:download": OPEN,
    "voice:portal": SIGNED_IN,
    "voice:sign_in": OPEN,
    "voice:sign_out": OPEN,
    "voice:quick_exit": OPEN,
    "voice:language": OPEN,
    "voice:comment": SIGNED_IN,
    "voice:consents": SIGNED_IN,
    "voice:withdraw": SIGNED_IN,
    "voice:referrals": SIGNED_IN,
    "voice:data": SIGNED_IN,
    "voice:rate_list": SIGNED_IN,
    "voice:rate": SIGNED_IN,
    "voice:pin": SIGNED_IN,
    "voice:feedback": OPEN,
    "voice:duty_bearers": SIGNED_IN,
    "voice:duty_bearer_add": SIGNED_IN,
    "voice:duty_bearer_edit": SIGNED_IN,
    "voice:performance": SIGNED_IN,
    "voice:performance_subject": SIGNED_IN,
    "voice:highlight": SIGNED_IN,
    "voice:retire_highlight": SIGNED_IN,
    "voice:moderation": SIGNED_IN,
    "voice:moderate": SIGNED_IN,
    "voice:review_flag": SIGNED_IN,
    "voice:duty_bearer_options": SIGNED_IN,
    "livelihoods:overview": SIGNED_IN,
    "livelihoods:programmes": SIGNED_IN,
    "livelihoods:programme": SIGNED_IN,
    "livelihoods:cohort": SIGNED_IN,
    "livelihoods:employers": SIGNED_IN,
    "livelihoods:products": SIGNED_IN,
    "livelihoods:product": SIGNED_IN,
    "livelihoods:add_batch": SIGNED_IN,
    "livelihoods:add_sale": SIGNED_IN,
    "livelihoods:households": SIGNED_IN,
    "livelihoods:household": SIGNED_IN,
    "livelihoods:household_support": SIGNED_IN,
    "livelihoods:household_follow_up": SIGNED_IN,
    "livelihoods:wage_standards": SIGNED_IN,
    "livelihoods:add_wage_standard": SIGNED_IN,
    "livelihoods:add_rate": SIGNED_IN,
    "livelihoods:portal_earnings": SIGNED_IN,
    "prevention:home": SIGNED_IN,
    "prevention:indicators": SIGNED_IN,
    "prevention:schools": SIGNED_IN,
    "prevention:school_add": SIGNED_IN,
    "prevention:school": SIGNED_IN,
    "prevention:session_add": SIGNED_IN,
    "prevention:case_add": SIGNED_IN,
    "prevention:case_report": SIGNED_IN,
    "prevention:case_follow_up": SIGNED_IN,
    "prevention:champions": SIGNED_IN,
    "prevention:champion_add": SIGNED_IN,
    "prevention:training_add": SIGNED_IN,
    "prevention:champion": SIGNED_IN,
    "prevention:champion_activity_add": SIGNED_IN,
    "prevention:activities": SIGNED_IN,
    "prevention:activity_add": SIGNED_IN,
    "prevention:activity": SIGNED_IN,
    "prevention:campaigns": SIGNED_IN,
    "prevention:campaign_add": SIGNED_IN,
    "prevention:policy": SIGNED_IN,
    "prevention:policy_add": SIGNED_IN,
    "prevention:policy_advance": SIGNED_IN,
    "prevention:surveys": SIGNED_IN,
    "prevention:survey_define": SIGNED_IN,
    "prevention:survey": SIGNED_IN,
    "prevention:round_add": SIGNED_IN,
    "prevention:capture": SIGNED_IN,
    "prevention:capture_status": OPEN,
    "prevention:capture_submit": SIGNED_IN,
    "prevention:capture_form": SIGNED_IN,
    "prevention:service_worker": OPEN,
    "prevention:manifest": OPEN,
    "set_language": OPEN,
    "api:token": OPEN,
    "api:me": SIGNED_IN,
    "api:my-work": SIGNED_IN,
    "api:service-domains": OPEN,
    "api:organisations": SIGNED_IN,
    "api:organisation": SIGNED_IN,
    "api:organisation-capacity": SIGNED_IN,
    "api:survivors": SIGNED_IN,
    "api:duplicate-check": SIGNED_IN,
    "api:referrals": SIGNED_IN,
    "api:referral": SIGNED_IN,
    "api:referral-approve-transfer": SIGNED_IN,
    "api:referral-accept": SIGNED_IN,
    "api:referral-decline": SIGNED_IN,
    "api:referral-start": SIGNED_IN,
    "api:referral-complete": SIGNED_IN,
    "api:referral-cancel": SIGNED_IN,
    "api:risk-instrument": SIGNED_IN,
    "api:measures": SIGNED_IN,
    "api:risk-alerts": SIGNED_IN,
    "api:risk-alert-acknowledge": SIGNED_IN,
    "api:feedback": OPEN,
    "api:sms-inbound": OPEN,
    "api:sms-twilio": OPEN,
    "api:sms-africastalking": OPEN,
    "api:provider-performance": SIGNED_IN,
    "api:provider-performance-subject": SIGNED_IN,
    "api:duty-bearers": SIGNED_IN,
    "api:employers": SIGNED_IN,
    "api:training-programmes": SIGNED_IN,
    "api:training-cohorts": SIGNED_IN,
    "api:products": SIGNED_IN,
    "api:product-batches": SIGNED_IN,
    "api:product-sales": SIGNED_IN,
    "api:wage-standards": SIGNED_IN,
    "api:exchange-rates": SIGNED_IN,
    "api:households": SIGNED_IN,
    "api:household": SIGNED_IN,
    "api:household-support": SIGNED_IN,
    "api:household-follow-ups": SIGNED_IN,
    "api:me-livelihood": SIGNED_IN,
    "api:htcds-export-xlsx": SIGNED_IN,
    "api:htcds-export-json": SIGNED_IN,
    "api:htcds-import": SIGNED_IN,
    "api:openrosa-submission": OPEN,
    "api:openrosa-key-submission": OPEN,
    "api:htcds-kobo": OPEN,
    "api:prevention-schools": SIGNED_IN,
    "api:prevention-school": SIGNED_IN,
    "api:prevention-school-sessions": SIGNED_IN,
    "api:prevention-school-cases": SIGNED_IN,
    "api:prevention-case-report": SIGNED_IN,
    "api:prevention-case-follow-ups": SIGNED_IN,
    "api:prevention-champions": SIGNED_IN,
    "api:prevention-champion": SIGNED_IN,
    "api:prevention-champion-activities": SIGNED_IN,
    "api:prevention-trainings": SIGNED_IN,
    "api:prevention-activities": SIGNED_IN,
    "api:prevention-activity": SIGNED_IN,
    "api:prevention-attendance": SIGNED_IN,
    "api:prevention-campaigns": SIGNED_IN,
    "api:prevention-instruments": SIGNED_IN,
    "api:prevention-instrument": SIGNED_IN,
    "api:prevention-advance": SIGNED_IN,
    "api:prevention-surveys": SIGNED_IN,
    "api:prevention-survey": SIGNED_IN,
    "api:prevention-survey-rounds": SIGNED_IN,
    "api:prevention-survey-change": SIGNED_IN,
    "api:prevention-round-responses": SIGNED_IN,
    "api:prevention-submissions": SIGNED_IN,
    "api:prevention-indicators": SIGNED_IN,
    "api:report-indicators": SIGNED_IN,
    "api:export-ctdc": SIGNED_IN,
    "api:openapi": OPEN,
    "api:docs": OPEN,
    "caresettings:costs": SIGNED_IN,
    "caresettings:remove_cost": SIGNED_IN,
    "caresettings:report": SIGNED_IN,
    "caresettings:report_download": SIGNED_IN,
    "mentoring:mentors": SIGNED_IN,
    "mentoring:portal": SIGNED_IN,
    "api:programme-costs": SIGNED_IN,
    "api:report-care-settings": SIGNED_IN,
    "api:mentors": SIGNED_IN,
    # People at risk (never trafficked): her organisation's alone, shared with no one.
    **{
        f"atrisk:{name}": SIGNED_IN
        for name in (
            "list",
            "create",
            "detail",
            "training",
            "complete_training",
            "job",
            "housing",
            "household",
            "consent",
        )
    },
    "api:beneficiaries": SIGNED_IN,
    "api:beneficiary": SIGNED_IN,
    "api:beneficiary-consents": SIGNED_IN,
    "api:beneficiary-training": SIGNED_IN,
    "api:beneficiary-training-complete": SIGNED_IN,
    "api:beneficiary-jobs": SIGNED_IN,
    "api:beneficiary-housing": SIGNED_IN,
    "api:beneficiary-household": SIGNED_IN,
    "atrisk:edit": SIGNED_IN,
    # ODK Collect's OpenRosa forms: the same Basic sign-in as its submissions, or the key in the
    # URL.
    "api:openrosa-formlist": SIGNED_IN,
    "api:openrosa-form": SIGNED_IN,
    "api:openrosa-manifest": SIGNED_IN,
    "api:openrosa-key-formlist": OPEN,
    "api:openrosa-key-form": OPEN,
    "api:openrosa-key-manifest": OPEN,
    # Members (issue 16): an admin's own organisation only, a supervisor's approvals; the
    # invitation link answers anyone holding a live token (a made-up one is a 404).
    "accounts:members": SIGNED_IN,
    "accounts:member_invite": SIGNED_IN,
    "accounts:member_role": SIGNED_IN,
    "accounts:member_reset_second_factor": SIGNED_IN,
    "accounts:member_deactivate": SIGNED_IN,
    "accounts:member_approvals": SIGNED_IN,
    "accounts:member_decide": SIGNED_IN,
    "accounts:invitation": OPEN,
    "api:members": SIGNED_IN,
    "api:member": SIGNED_IN,
    "api:member-reset-second-factor": SIGNED_IN,
    "api:member-deactivate": SIGNED_IN,
    "api:member-approvals": SIGNED_IN,
    "api:member-approval-approve": SIGNED_IN,
    "api:member-approval-reject": SIGNED_IN,
}

ROLES = [
    Role.SURVIVOR,
    Role.CASE_WORKER,
    Role.SUPERVISOR,
    Role.REFERRAL_SOURCE,
    Role.NETWORK_COORDINATOR,
    Role.ME_OFFICER,
    Role.ADMIN,
    Role.FIELD_WORKER,
]
RELATIONS = [
    "own",
    "other",
    *[f"partner:{s}" for s in SHAREABLE],
    "partner:completed",
    "partner:cancelled",
]
DENIED = {401, 403, 404, 405}
# Never log out or switch the probing client's organisation in the middle of the matrix:
# these are posted by nobody, and the sign-outs are probed signed out only.
NO_POST = {
    "accounts:logout",
    "voice:sign_out",
    "accounts:switch_organisation",
    "voice:quick_exit",
    "set_language",
    "voice:language",
}
SIGNS_OUT = {"accounts:logout", "voice:sign_out", "voice:quick_exit"}

MARKERS = {
    S.IDENTITY: ["Zwelithini", "0825550123", "12 Hidden Lane", "8001015009087"],
    S.PLAN: ["GOALMARKER"],
    S.CONSENT: ["CONSENTMARKER"],
    S.LEGAL: ["LEGALMARKER"],
}
HOLDERS_NOTE = "NOTEMARKER"
CODE, GIVEN = "AC-WALLTEST", "Qhawekazi"


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or ""), prefix + str(pattern.pattern)


def api_methods() -> dict[str, set[str]]:
    """Each API path's operations, from the OpenAPI schema as served."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        re.sub(r"\{[^}]+\}", "{}", path): {
            m.upper() for m in ops if m in ("get", "post", "put", "patch", "delete")
        }
        for path, ops in schema["paths"].items()
    }


def build_world():
    """Organisation A holds the case; C is another organisation; each partner organisation was
    referred the case sharing one section; two more had it shared and closed (completed,
    cancelled)."""
    orgs = {"own": OrganisationFactory(slug="wall-a", name="Wall Holder")}
    orgs["other"] = OrganisationFactory(slug="wall-c", name="Wall Other")
    for relation in RELATIONS[2:]:
        orgs[relation] = OrganisationFactory(
            slug=f"wall-{relation.replace(':', '-')}", name=f"Wall {relation}"
        )
    users = {
        (role, relation): member(orgs[relation], role, f"{role}-{relation}".replace(":", "-"))
        for role in ROLES
        for relation in RELATIONS
    }
    holder = actor(users[(Role.CASE_WORKER, "own")])
    survivor = SurvivorFactory(
        organisation=orgs["own"],
        case_code=CODE,
        given_name=GIVEN,
        family_name="Zwelithini",
        phone="0825550123",
        address="12 Hidden Lane",
        id_number="8001015009087",
    )
    care.record_consent(
        holder, survivor, purpose="referral", granted=True, method="written", notes="CONSENTMARKER"
    )
    goal = care.add_goal(holder, survivor, {"domain": "housing", "description": "GOALMARKER"})
    care.write_note(holder, survivor, text=HOLDERS_NOTE, sensitivity="general")
    legal = care.save_legal_case(
        holder, survivor, {"stage": "investigation", "court_reference": "LEGALMARKER"}
    )
    service = care.record_service(
        holder, survivor, {"domain": "housing", "organisation": orgs["own"], "date": date.today()}
    )
    document = care.upload_document(
        holder, survivor, kind="other", filename="x.pdf", content=b"%PDF-1.4 test"
    )
    referral_ids = {}
    for relation in RELATIONS[2:]:
        section = relation.split(":")[1]
        shared = (
            [section] if section in {s.value for s in SHAREABLE} else [s.value for s in SHAREABLE]
        )
        referral = referrals.refer_survivor(
            holder, survivor, orgs[relation], ["housing"], "wall", shared_sections=shared
        )
        receiver = actor(users[(Role.CASE_WORKER, relation)])
        referrals.transition(receiver, referral.pk, "accept")
        if section == "completed":
            referrals.transition(receiver, referral.pk, "complete", text="done")
        if section == "cancelled":
            referrals.transition(holder, referral.pk, "cancel", text="no longer")
        referral_ids[relation] = referral.pk
    ids = {
        "survivor_id": survivor.pk,
        "goal_id": goal.pk,
        "legal_id": legal.pk,
        "service_id": service.pk,
        "document_id": document.pk,
        "referral_id": referral_ids[f"partner:{S.NEEDS}"],
    }
    return orgs, users, ids


def url_for(route: str, ids: dict, orgs: dict) -> tuple[str, bool]:
    """The route with the dataset's ids; and whether an id had to be made up (no such record)."""
    made_up = []

    def value(match):
        converter, name = match.group(1) or "str", match.group(2)
        if name in ids:
            return str(ids[name])
        if name in ("slug", "organisation_id"):
            return orgs["own"].slug if name == "slug" else str(orgs["own"].pk)
        if converter == "int" or name == "months":
            return "3"
        if name in ("action",):
            return "start"
        if name in ("file_format", "fmt"):
            return "csv"
        if name == "code":
            return "rosenberg"
        made_up.append(name)
        return str(uuid.uuid4())

    path = re.sub(r"<(?:(\w+):)?(\w+)>", value, route)
    return "/" + path.replace("^", "").replace("$", ""), bool(made_up)


def signed_in_clients(users) -> dict:
    clients = {}
    for key, user in users.items():
        web = Client()
        web.force_login(user)
        if user.needs_two_factor:
            response = web.post("/accounts/two-factor/", {"code": current_code(totp_device(user))})
            assert response.status_code == 302
        api = APIClient()
        raw, _token = ApiToken.issue(user)
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        clients[key] = (web, api)
    return clients


def expected(route: CaseRoute, name: str, method: str, role: Role, relation: str) -> str | None:
    """'allow', 'deny', or None where only the record decides (no status asserted)."""
    writing = method != "GET" or route.form
    action = route.write if writing else route.read
    if action is None or not can_role(role, Action.VIEW_CASES) or not can_role(role, action):
        return "deny"
    if relation == "own":
        return "allow"
    if relation in ("other", "partner:completed", "partner:cancelled"):
        return "deny"
    if route.partner == "any":
        return None
    sections = {Section(relation.split(":")[1])} | PARTNER_ALWAYS
    section = WRITE_SECTION.get(name, route.section) if writing else route.section
    if section is not None and section not in sections:
        return "deny"
    if route.holder_only or (writing and section not in PARTNER_WRITES):
        return "deny"
    return "allow"


def can_role(role: Role, action: Action) -> bool:
    from aftercare.accounts.policy import ALLOWED

    return role in ALLOWED[action]


def forbidden_markers(role: Role, relation: str, allowed: bool) -> list[str]:
    """What this caller must never read: everything of the case unless let in, then what was not
    shared."""
    every = [CODE, GIVEN, HOLDERS_NOTE, *[m for ms in MARKERS.values() for m in ms]]
    if relation == "own" and can_role(role, Action.VIEW_CASES):
        return []
    if (
        not allowed
        or not relation.startswith("partner:")
        or relation.endswith(("completed", "cancelled"))
    ):
        return every if not _partner_may_know_code(role, relation) else every[2:]
    section = Section(relation.split(":")[1])
    return [HOLDERS_NOTE, *[m for s, ms in MARKERS.items() if s != section for m in ms]]


def _partner_may_know_code(role: Role, relation: str) -> bool:
    """The organisations the case was referred to keep the referral: its code and first name."""
    return relation.startswith("partner:") and can_role(role, Action.VIEW_REFERRALS)


def outcome_of(response) -> str:
    if response.status_code in DENIED:
        return "deny"
    if response.status_code == 302 and "/sign-in" in response.get("Location", ""):
        return "deny"
    return "allow"


def probe(client, method: str, url: str):
    saved = SimpleCookie()
    saved.update(client.cookies)
    with transaction.atomic():
        call = getattr(client, method.lower())
        response = (
            call(url, {}, format="json")
            if isinstance(client, APIClient) and method != "GET"
            else call(url)
        )
        transaction.set_rollback(True)
    client.cookies = saved
    return response


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


CASE_ROLES = (Role.CASE_WORKER, Role.SUPERVISOR, Role.ADMIN)


def relations_probed(policy: CaseRoute | None, method: str) -> list[tuple[Role, str]]:
    """On a case's routes, the case roles in every relationship to it; the roles that hold no
    case at all (they are refused before any case is fetched) in their own and another
    organisation. On the other routes, every role from another organisation (and the case
    roles of a partner) reads, and a case worker of another organisation writes."""
    if policy is not None:
        return [
            (role, relation)
            for role in ROLES
            for relation in (RELATIONS if role in CASE_ROLES else ("own", "other"))
        ]
    if method == "GET":
        return [(role, "other") for role in ROLES] + [
            (role, f"partner:{S.NEEDS}") for role in CASE_ROLES
        ]
    return [(Role.CASE_WORKER, "other")]


def test_every_route_for_every_role_and_relationship(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    settings.AXES_ENABLED = False
    settings.SESSION_ENGINE = (
        "django.contrib.sessions.backends.cache"  # the probes test the wall, not sessions
    )
    quiet = logging.getLogger("django.request")
    level, quiet.level = quiet.level, logging.ERROR  # thousands of expected 403s and 404s
    started = time.monotonic()
    orgs, users, ids = build_world()
    clients = signed_in_clients(users)
    anonymous = (Client(), APIClient())
    schema = api_methods()
    routes = list(walk(get_resolver().url_patterns))

    unplaced = [
        name for name, _route in routes if name not in CASE_ROUTES and name not in OTHER_ROUTES
    ]
    assert not unplaced, f"routes not in the policy table of this test: {unplaced}"
    api_paths = {
        re.sub(r"<(?:\w+:)?\w+>", "{}", "/" + route)
        for name, route in routes
        if name.startswith("api:")
    }
    missing = sorted(set(schema) - api_paths)
    assert not missing, f"OpenAPI operations with no route: {missing}"

    failures, probes, cells = [], 0, set()
    for name, route in routes:
        url, made_up = url_for(route, ids, orgs)
        is_api = name.startswith("api:")
        if is_api:
            methods = sorted(schema.get(re.sub(r"<(?:\w+:)?\w+>", "{}", "/" + route), set()))
            if not methods:
                continue  # served outside the schema (the schema and its docs page)
        else:
            get_only = name in NO_POST or (name in CASE_ROUTES and CASE_ROUTES[name].get_only)
            methods = ["GET"] if get_only else ["GET", "POST"]
        policy = CASE_ROUTES.get(name)
        for method in methods:
            # Anonymous first: refused everywhere but the open routes, and never shown the record.
            response = probe(anonymous[1] if is_api else anonymous[0], method, url)
            probes += 1
            cells.add((name, method, "anonymous"))
            if response.status_code >= 500:
                failures.append(f"{method} {url} anonymous: {response.status_code}")
            if OTHER_ROUTES.get(name) != OPEN and outcome_of(response) != "deny":
                failures.append(
                    f"{method} {url} anonymous: {response.status_code}, expected a refusal"
                )
            if any(marker in body_of(response) for marker in (CODE, GIVEN, "Zwelithini")):
                failures.append(f"{method} {url} anonymous: the record shows")
            for role, relation in [] if name in SIGNS_OUT else relations_probed(policy, method):
                web, api = clients[(role, relation)]
                response = probe(api if is_api else web, method, url)
                probes += 1
                cells.add((name, method, role, relation))
                where = f"{method} {url} as {role} ({relation}): {response.status_code}"
                if response.status_code >= 500:
                    failures.append(where)
                    continue
                got = outcome_of(response)
                want = expected(policy, name, method, role, relation) if policy else None
                if (
                    want == "allow"
                    and (made_up or policy.record_decides)
                    and response.status_code == 404
                ):
                    want = None  # through the wall; the record asked for does not exist
                if want is not None and got != want:
                    failures.append(f"{where}, expected {want}")
                allowed = got == "allow" if policy else relation == "own"
                body = body_of(response)
                leaked = [m for m in forbidden_markers(role, relation, allowed) if m in body]
                if leaked:
                    failures.append(f"{where}, shows {leaked}")
    quiet.setLevel(level)
    signed_out = [
        key for key, (web, _api) in clients.items() if web.get("/notifications/").status_code != 200
    ]
    assert not signed_out, (
        f"probes signed these clients out, so their refusals prove nothing: {signed_out}"
    )
    elapsed = time.monotonic() - started
    print(
        f"\nroute matrix: {len(routes)} routes x {len(ROLES)} roles x {len(RELATIONS) + 1} "
        f"relationships, {len(cells)} cells, {probes} probes in {elapsed:.0f} s"
    )
    assert not failures, f"{len(failures)} of {probes} probes failed:\n" + "\n".join(failures[:80])
