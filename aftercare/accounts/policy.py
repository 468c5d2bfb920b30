"""Who may do what: the one place that answers it.

Every check names an action from `Action`; the table `ALLOWED` says which roles hold it
in their active organisation. Views, the API and the CLI ask `can()` or `require()`;
querysets of sensitive records are narrowed with `visible_to(actor)` on their managers,
which also consult this module, so a rule is written once.

The roles and this table are accounts'; the machinery that answers from a table (the actor,
`can`, `require`) is core's (aftercare.core.policy), read here so that a caller imports one module.
"""

from __future__ import annotations

from enum import StrEnum

from aftercare.accounts.roles import Role
from aftercare.core.policy import Actor, Policy

__all__ = [
    "ALLOWED",
    "CASE_ROLES",
    "Action",
    "Actor",
    "can",
    "can_for_organisation",
    "can_read_note",
    "require",
]


class Action(StrEnum):
    VIEW_CASES = "cases.view"
    CREATE_CASE = "cases.create"
    EDIT_CASE = "cases.edit"
    VIEW_DIRECTORY = "network.view_directory"
    MANAGE_ORGANISATION = "accounts.manage_organisation"
    MANAGE_MEMBERS = "accounts.manage_members"
    APPROVE_MEMBERS = "accounts.approve_members"
    VIEW_AUDIT = "audit.view"
    VIEW_AGGREGATE_REPORTS = "reports.view_aggregate"
    VIEW_OWN_PLAN = "voice.view_own_plan"
    VIEW_RISK = "risk.view"
    ASSESS_RISK = "risk.assess"
    VIEW_RISK_ALERTS = "risk.view_alerts"
    ACKNOWLEDGE_RISK_ALERT = "risk.acknowledge_alert"
    RECORD_MEASURE = "risk.record_measure"
    CLOSE_CASE = "cases.close"
    MERGE_CASES = "cases.merge"
    EXPORT_CASES = "cases.export"
    VIEW_REFERRALS = "referrals.view"
    MAKE_REFERRAL = "referrals.make"
    RESPOND_REFERRAL = "referrals.respond"
    EMERGENCY_REFERRAL = "referrals.emergency_override"
    VIEW_CASE_AUDIT = "cases.view_audit"
    VIEW_RESTRICTED_CONTACTS = "network.view_restricted_contacts"
    UPDATE_CAPACITY = "network.update_capacity"
    RATE_SERVICE = "voice.rate"
    MANAGE_PORTAL_ACCOUNTS = "voice.manage_portal_accounts"
    ISSUE_FEEDBACK_CODE = "voice.issue_feedback_code"
    VIEW_DUTY_BEARERS = "voice.view_duty_bearers"
    MANAGE_DUTY_BEARERS = "voice.manage_duty_bearers"
    MODERATE_FEEDBACK = "voice.moderate_feedback"
    VIEW_LIVELIHOODS = "livelihoods.view"
    RECORD_LIVELIHOOD = "livelihoods.record"
    MANAGE_WAGE_STANDARDS = "livelihoods.manage_wage_standards"
    VIEW_OWN_LIVELIHOOD = "livelihoods.view_own"
    VIEW_PREVENTION = "prevention.view"
    RECORD_PREVENTION = "prevention.record"
    MANAGE_PREVENTION = "prevention.manage"
    VIEW_CARE_SETTINGS = "caresettings.view"
    RECORD_CARE_SETTING = "caresettings.record"
    RECORD_COSTS = "caresettings.record_costs"
    HAND_OVER_CASE = "cases.hand_over"
    REASSIGN_CASE = "cases.reassign"
    VIEW_WORKLOAD = "cases.view_workload"


CASE_ROLES = frozenset({Role.CASE_WORKER, Role.SUPERVISOR, Role.ADMIN})

ALLOWED: dict[Action, frozenset[Role]] = {
    Action.VIEW_CASES: CASE_ROLES,
    Action.CREATE_CASE: frozenset({Role.CASE_WORKER, Role.SUPERVISOR}),
    Action.EDIT_CASE: frozenset({Role.CASE_WORKER, Role.SUPERVISOR}),
    Action.VIEW_DIRECTORY: frozenset(Role) - {Role.SURVIVOR},
    Action.MANAGE_ORGANISATION: frozenset({Role.ADMIN}),
    Action.MANAGE_MEMBERS: frozenset({Role.ADMIN}),
    # A role that grants case access takes effect only once a supervisor approves it
    # (aftercare.accounts.members): never the admin who asked, never the member concerned.
    Action.APPROVE_MEMBERS: frozenset({Role.SUPERVISOR}),
    Action.VIEW_AUDIT: frozenset({Role.ADMIN, Role.SUPERVISOR}),
    Action.VIEW_AGGREGATE_REPORTS: frozenset(
        {Role.NETWORK_COORDINATOR, Role.ME_OFFICER, Role.SUPERVISOR, Role.ADMIN}
    ),
    Action.VIEW_OWN_PLAN: frozenset({Role.SURVIVOR}),
    Action.VIEW_RISK: CASE_ROLES,
    Action.ASSESS_RISK: frozenset({Role.CASE_WORKER, Role.SUPERVISOR}),
    Action.VIEW_RISK_ALERTS: CASE_ROLES,
    Action.ACKNOWLEDGE_RISK_ALERT: frozenset({Role.CASE_WORKER, Role.SUPERVISOR}),
    Action.RECORD_MEASURE: frozenset({Role.CASE_WORKER, Role.SUPERVISOR}),
    Action.CLOSE_CASE: frozenset({Role.CASE_WORKER, Role.SUPERVISOR}),
    # Merging two records of one person moves a whole history and closes a case: a supervisor's
    # call.
    Action.MERGE_CASES: frozenset({Role.SUPERVISOR}),
    # A whole caseload with identifiers, out of Aftercare (the HTCDS export): supervisors and
    # admins.
    Action.EXPORT_CASES: frozenset({Role.SUPERVISOR, Role.ADMIN}),
    Action.VIEW_REFERRALS: frozenset(
        {Role.CASE_WORKER, Role.SUPERVISOR, Role.ADMIN, Role.REFERRAL_SOURCE}
    ),
    Action.MAKE_REFERRAL: frozenset({Role.CASE_WORKER, Role.SUPERVISOR, Role.REFERRAL_SOURCE}),
    Action.RESPOND_REFERRAL: frozenset({Role.CASE_WORKER, Role.SUPERVISOR}),
    Action.EMERGENCY_REFERRAL: frozenset({Role.CASE_WORKER, Role.SUPERVISOR, Role.REFERRAL_SOURCE}),
    Action.VIEW_CASE_AUDIT: frozenset({Role.SUPERVISOR, Role.ADMIN}),
    # A shelter's street address and private contacts: its own case staff, checked with
    # `can_for_organisation`, so no other organisation and no lower role ever sees them.
    Action.VIEW_RESTRICTED_CONTACTS: CASE_ROLES,
    Action.UPDATE_CAPACITY: frozenset({Role.ADMIN}),
    # Survivor voice. Linking a portal account and handing out feedback codes are case work,
    # for a case the actor's organisation holds (checked in aftercare.voice). Ratings are read
    # only in aggregate, under VIEW_AGGREGATE_REPORTS; only the coordinator sees comments
    # before they are screened and chooses which are quoted.
    Action.RATE_SERVICE: frozenset({Role.SURVIVOR}),
    Action.MANAGE_PORTAL_ACCOUNTS: frozenset({Role.CASE_WORKER, Role.SUPERVISOR}),
    Action.ISSUE_FEEDBACK_CODE: frozenset({Role.CASE_WORKER, Role.SUPERVISOR}),
    Action.VIEW_DUTY_BEARERS: frozenset(Role) - {Role.SURVIVOR},
    Action.MANAGE_DUTY_BEARERS: CASE_ROLES | {Role.NETWORK_COORDINATOR},
    Action.MODERATE_FEEDBACK: frozenset({Role.NETWORK_COORDINATOR}),
    # Livelihoods (aftercare.livelihoods): case staff see a case's jobs, savings, earnings and
    # school; only the organisation holding the case records them. Wage standards and exchange
    # rates are the network's reference data, kept by its coordinator and organisation admins.
    Action.VIEW_LIVELIHOODS: CASE_ROLES,
    Action.RECORD_LIVELIHOOD: frozenset({Role.CASE_WORKER, Role.SUPERVISOR}),
    Action.MANAGE_WAGE_STANDARDS: frozenset({Role.ADMIN, Role.NETWORK_COORDINATOR}),
    Action.VIEW_OWN_LIVELIHOOD: frozenset({Role.SURVIVOR}),
    # Prevention (aftercare.prevention) holds no survivor identifiers, so it has its own role:
    # field workers record schools' cases, dialogues and champions' work in their organisation
    # and see no case file. Defining schools, surveys and by-laws is a supervisor's or admin's.
    Action.VIEW_PREVENTION: frozenset(
        {Role.FIELD_WORKER, Role.SUPERVISOR, Role.ADMIN, Role.ME_OFFICER}
    ),
    Action.RECORD_PREVENTION: frozenset({Role.FIELD_WORKER, Role.SUPERVISOR}),
    Action.MANAGE_PREVENTION: frozenset({Role.SUPERVISOR, Role.ADMIN}),
    # Care settings (aftercare.caresettings): where a survivor lives is known to the case staff
    # of the organisation holding her case; programme costs are the organisation's own
    # accounts, kept by its supervisors and admins and read by the report roles.
    Action.VIEW_CARE_SETTINGS: CASE_ROLES,
    Action.RECORD_CARE_SETTING: frozenset({Role.CASE_WORKER, Role.SUPERVISOR}),
    Action.RECORD_COSTS: frozenset({Role.SUPERVISOR, Role.ADMIN}),
    # Assignment (aftercare.cases.assignment): the worker responsible for a case hands it over
    # (HAND_OVER_CASE, checked against the case's current worker); a supervisor reassigns any
    # case of the organisation and sees who holds what and how loaded each worker is.
    Action.HAND_OVER_CASE: frozenset({Role.CASE_WORKER, Role.SUPERVISOR}),
    Action.REASSIGN_CASE: frozenset({Role.SUPERVISOR}),
    Action.VIEW_WORKLOAD: frozenset({Role.SUPERVISOR, Role.ADMIN}),
}


POLICY = Policy(ALLOWED)
can = POLICY.can
require = POLICY.require
can_for_organisation = POLICY.can_for_organisation


def can_read_note(actor: Actor | None, sensitivity: str) -> bool:
    """Clinical notes are for clinicians only; other notes for anyone who may see the case."""
    if not can(actor, Action.VIEW_CASES):
        return False
    return sensitivity != "clinical" or actor.clinical
