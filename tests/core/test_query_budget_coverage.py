"""The query-budget table covers every page and list endpoint (the performance issue's rule).

Every route of the URLconf that is not the API is a page unless `EXCLUDED` says, with a reason,
why it is not one (a form's POST, a file download, a machine's endpoint); every GET of the API
whose answer is a page of results (the OpenAPI schema's `results`) is a list endpoint. Each page
and list must have a row in tests/query_budgets.py, or be in the `NOT_YET` backlog below.

The backlog may only shrink: an entry that is no longer a route, or that has since been given a
budget, fails here, so whoever budgets a route deletes its line. A new page or list that is in
neither table fails here too: give it a budget (tests/core/test_query_budgets.py measures it).
"""

from __future__ import annotations

import re
import uuid
from functools import cache

import pytest
from django.urls import Resolver404, get_resolver, resolve

from aftercare.accounts.roles import Role
from tests.conftest import member
from tests.core.test_query_budgets import signed_in
from tests.query_budgets import BUDGETS, PORTAL_BUDGETS
from tests.test_route_matrix import walk

# Not pages: each with the reason. The POST-only ones are checked below to refuse a GET (405).
POST_ONLY = "a form's POST: its GET is refused (405), the page that holds the form is budgeted"
DOWNLOAD = "a file download (spreadsheet, CSV, document), not a page"
MACHINE = "answers a machine (probe, metrics, service worker, web manifest, JSON status)"
SIGN_OUT = "signs out or switches language, organisation: a redirect, never a page"
REDIRECT = "a redirect to the page that does the work, which is budgeted"
EXCLUDED: dict[str, str] = {
    **dict.fromkeys(
        (
            "core:notifications_read",
            "accounts:recovery_codes",
            "accounts:member_role",
            "accounts:member_reset_second_factor",
            "accounts:member_deactivate",
            "accounts:member_decide",
            "cases:import_commit",
            "cases:status",
            "cases:consent",
            "cases:needs",
            "cases:goal_add",
            "cases:goal_update",
            "cases:review_add",
            "cases:service_add",
            "cases:note_add",
            "cases:document_add",
            "cases:legal_add",
            "cases:legal_update",
            "cases:reassign",
            "risk:acknowledge_alert",
            "referrals:approve_transfer",
            "referrals:transition",
            "interop:htcds_import_commit",
            "reports:start_export",
            "voice:link_account",
            "voice:reset_pin",
            "voice:close_account",
            "voice:issue_code",
            "voice:highlight",
            "voice:retire_highlight",
            "voice:moderate",
            "voice:review_flag",
            "livelihoods:add_placement",
            "livelihoods:end_placement",
            "livelihoods:record_retention",
            "livelihoods:add_savings_entry",
            "livelihoods:add_income",
            "livelihoods:enrol",
            "livelihoods:mark_attendance",
            "livelihoods:finish_training",
            "livelihoods:enrol_in_school",
            "livelihoods:update_school",
            "livelihoods:record_term",
            "livelihoods:record_progression",
            "livelihoods:add_supplies",
            "livelihoods:add_protection",
            "livelihoods:add_batch",
            "livelihoods:add_sale",
            "livelihoods:household_support",
            "livelihoods:household_follow_up",
            "livelihoods:add_wage_standard",
            "livelihoods:add_rate",
            "prevention:capture_submit",
            "prevention:capture_form",
            "caresettings:add",
            "caresettings:end",
            "caresettings:lawyer",
            "caresettings:remove_cost",
            "mentoring:match",
            "mentoring:end_match",
            "mentoring:session",
            "mentoring:role",
            "atrisk:training",
            "atrisk:complete_training",
            "atrisk:job",
            "atrisk:housing",
            "atrisk:household",
            "atrisk:consent",
            # The survivor's portal: a comment on her plan (/me/), a withdrawal of her consent
            # (/me/consent/); withdrawing the last one answers with a page that asks her to confirm.
            "voice:comment",
            "voice:withdraw",
        ),
        POST_ONLY,
    ),
    **dict.fromkeys(
        (
            "cases:import_template",
            "cases:document",
            "interop:htcds_export",
            "reports:indicators_download",
            "reports:download",
            "caresettings:report_download",
        ),
        DOWNLOAD,
    ),
    **dict.fromkeys(
        (
            "core:health",
            "core:ready",
            "core:metrics",
            "core:bench_floor",
            "prevention:capture_status",
            "prevention:service_worker",
            "prevention:manifest",
        ),
        MACHINE,
    ),
    **dict.fromkeys(
        (
            "accounts:logout",
            "accounts:switch_organisation",
            "voice:sign_out",
            "voice:quick_exit",
            "voice:language",
            "set_language",
        ),
        SIGN_OUT,
    ),
    "interop:htcds_import": REDIRECT + " (its GET goes back to the HTCDS page, /interop/htcds/)",
    "reports:export_status": "an export's progress, polled by htmx: one row read by its id",
}

# The backlog: pages and lists with no budget yet. Budget them and delete their line; never add
# one (a new route gets its budget when it is written). Empty since stop 24: every page and list
# endpoint has a budget.
NOT_YET: dict[str, str] = {}


@cache
def routes() -> dict[str, str]:
    """Every named route of the URLconf, and its pattern."""
    return dict(walk(get_resolver().url_patterns))


@cache
def api_lists() -> set[str]:
    """The API's list endpoints: the routes whose GET answers a page of results."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    paged = set()
    for path, operations in schema["paths"].items():
        answer = operations.get("get", {}).get("responses", {}).get("200", {})
        for body in answer.get("content", {}).values():
            ref = body.get("schema", {}).get("$ref", "")
            shape = components.get(ref.rsplit("/", 1)[-1], {}) if ref else body.get("schema", {})
            if shape.get("type") == "array" or "results" in shape.get("properties", {}):
                paged.add(re.sub(r"\{[^}]+\}", "{}", path))
    return {
        name
        for name, pattern in routes().items()
        if name.startswith("api:") and re.sub(r"<(?:\w+:)?\w+>", "{}", "/" + pattern) in paged
    }


def pages() -> set[str]:
    """Every route that is not the API and not excluded with a reason: a page."""
    return {name for name in routes() if not name.startswith("api:") and name not in EXCLUDED}


def budgeted() -> set[str]:
    """The routes the budget tables measure: each row's path resolved (ids made up)."""
    names = set()
    for path, _who, _budget in [*BUDGETS, *PORTAL_BUDGETS]:
        url = re.sub(r"\{\w+\}", str(uuid.uuid4()), path.split("?", 1)[0])
        try:
            names.add(resolve(url).view_name)
        except Resolver404:
            pytest.fail(f"the budget table's {path} is no route")
    return names


def test_every_page_and_list_has_a_budget_or_is_in_the_backlog():
    missing = sorted((pages() | api_lists()) - budgeted() - set(NOT_YET))
    assert not missing, (
        f"pages and lists with no query budget (add them to tests/query_budgets.py): {missing}"
    )


def test_the_backlog_only_shrinks():
    real = pages() | api_lists()
    stale = sorted(name for name in NOT_YET if name not in real)
    assert not stale, f"backlog entries that are no page or list (delete them): {stale}"
    done = sorted(set(NOT_YET) & budgeted())
    assert not done, f"backlog entries that now have a budget (delete them from NOT_YET): {done}"


def test_every_exclusion_is_a_route_with_no_budget():
    assert not sorted(set(EXCLUDED) - set(routes())), "excluded names that are no route"
    assert not sorted(set(EXCLUDED) & budgeted()), "excluded routes that have a budget"
    assert not sorted(set(EXCLUDED) & set(NOT_YET)), "routes both excluded and in the backlog"


def made_up(pattern: str) -> str:
    def value(match):
        return "3" if match.group(1) == "int" else str(uuid.uuid4())

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, pattern)


@pytest.mark.django_db
def test_the_post_only_exclusions_refuse_a_get(org_a):
    """So POST_ONLY is not a way to hide a page: each of them answers a GET with 405."""
    client = signed_in(member(org_a, Role.SUPERVISOR, "coverage_supervisor"))
    answered = {
        name: client.get(made_up(routes()[name])).status_code
        for name, reason in EXCLUDED.items()
        if reason == POST_ONLY
    }
    pages_after_all = {name: status for name, status in answered.items() if status != 405}
    assert not pages_after_all, f"excluded as POST-only, yet answer a GET: {pages_after_all}"
