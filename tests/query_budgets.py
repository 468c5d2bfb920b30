"""The query budget of every page and list endpoint: one table, enforced by
tests/core/test_query_budgets.py against a case with a long history.

Each row: the path (with {survivor}, {referral}, {organisation} filled in by the test), who
asks (a web session of that role, or "api:" and the role for a bearer token), and the most
queries the request may run, everything included: session, user, actor, the view, the audit
insert. A budget is a ceiling that does not depend on how much a case or list holds; raising
one is a decision to write down here, in review, not a number to update until the test passes.
"""

CASE_PAGE_BUDGET = 15

BUDGETS: list[tuple[str, str, int]] = [
    # Web pages, a case worker
    ("/dashboard/", "worker", 4),
    ("/notifications/", "worker", 2),
    ("/accounts/security/", "worker", 3),
    ("/cases/", "worker", 7),  # + the workers and teams to filter by (issue 16)
    ("/cases/?order=risk", "worker", 7),
    ("/cases/?scope=all", "worker", 7),
    ("/cases/{survivor}/", "worker", CASE_PAGE_BUDGET),
    ("/cases/{survivor}/edit/", "worker", 5),
    ("/cases/new/", "worker", 2),
    ("/network/", "worker", 4),
    ("/network/{organisation}/", "worker", 4),
    ("/risk/alerts/", "worker", 3),
    ("/risk/{survivor}/", "worker", 12),
    ("/referrals/", "worker", 2),
    ("/referrals/{referral}/", "worker", 5),
    ("/referrals/new/{survivor}/", "worker", 3),
    ("/livelihoods/", "worker", 3),
    ("/livelihoods/cases/{survivor}/", "worker", 21),
    ("/livelihoods/programmes/", "worker", 2),
    ("/livelihoods/employers/", "worker", 4),
    ("/livelihoods/products/", "worker", 3),
    ("/livelihoods/households/", "worker", 3),
    ("/voice/cases/{survivor}/", "worker", 11),
    ("/voice/duty-bearers/", "worker", 2),
    # Web pages, a supervisor
    ("/audit/", "supervisor", 3),
    ("/cases/workload/", "supervisor", 7),
    ("/reports/", "supervisor", 26),  # + the rating flags that hold publication back
    ("/reports/indicators/", "supervisor", 55),
    ("/reports/gaps/", "supervisor", 6),
    ("/reports/exports/", "supervisor", 3),
    ("/voice/performance/", "supervisor", 5),  # + open moderation flags
    ("/prevention/", "supervisor", 20),
    ("/prevention/indicators/", "supervisor", 22),
    ("/prevention/schools/", "supervisor", 2),
    ("/prevention/champions/", "supervisor", 2),
    ("/prevention/activities/", "supervisor", 2),
    ("/prevention/campaigns/", "supervisor", 3),
    ("/prevention/policy/", "supervisor", 2),
    ("/prevention/surveys/", "supervisor", 2),
    # Web pages, a network coordinator
    ("/voice/moderation/", "coordinator", 6),  # flags, their subjects, comments to screen
    ("/interop/htcds/", "supervisor", 1),
    ("/livelihoods/wage-standards/", "supervisor", 3),
    # The API, a case worker's token
    ("/api/v1/me", "api:worker", 3),
    ("/api/v1/service-domains", "api:worker", 1),
    ("/api/v1/organisations", "api:worker", 5),
    ("/api/v1/organisations?service=housing", "api:worker", 3),
    ("/api/v1/organisations/{organisation}", "api:worker", 5),
    ("/api/v1/survivors", "api:worker", 6),
    ("/api/v1/survivors?limit=50", "api:worker", 6),
    ("/api/v1/survivors?assigned_to=me", "api:worker", 6),
    ("/api/v1/survivors/{survivor}/assignment", "api:worker", 6),
    ("/api/v1/survivors/{survivor}", "api:worker", 5),
    ("/api/v1/survivors/{survivor}/consents", "api:worker", 7),
    ("/api/v1/survivors/{survivor}/goals", "api:worker", 7),
    ("/api/v1/survivors/{survivor}/services", "api:worker", 7),
    ("/api/v1/survivors/{survivor}/risk-assessments", "api:worker", 8),
    ("/api/v1/survivors/{survivor}/measures", "api:worker", 6),
    ("/api/v1/survivors/{survivor}/placements", "api:worker", 6),
    ("/api/v1/survivors/{survivor}/savings", "api:worker", 7),
    ("/api/v1/survivors/{survivor}/income", "api:worker", 6),
    ("/api/v1/survivors/{survivor}/earnings", "api:worker", 7),
    ("/api/v1/survivors/{survivor}/economic-outcomes", "api:worker", 13),
    ("/api/v1/survivors/{survivor}/training", "api:worker", 6),
    ("/api/v1/survivors/{survivor}/education", "api:worker", 6),
    ("/api/v1/survivors/{survivor}/school-supplies", "api:worker", 6),
    ("/api/v1/survivors/{survivor}/social-protection", "api:worker", 6),
    ("/api/v1/referrals", "api:worker", 6),
    ("/api/v1/referrals?direction=incoming", "api:worker", 3),
    ("/api/v1/referrals/{referral}", "api:worker", 6),
    ("/api/v1/risk-instrument", "api:worker", 4),
    ("/api/v1/measures", "api:worker", 4),
    ("/api/v1/risk-alerts", "api:worker", 3),
    ("/api/v1/duty-bearers", "api:worker", 3),
    ("/api/v1/employers", "api:worker", 3),
    ("/api/v1/training-programmes", "api:worker", 3),
    ("/api/v1/products", "api:worker", 3),
    ("/api/v1/wage-standards", "api:worker", 3),
    ("/api/v1/exchange-rates", "api:worker", 3),
    ("/api/v1/households", "api:worker", 3),
    ("/api/v1/prevention/schools", "api:supervisor", 3),
    ("/api/v1/prevention/champions", "api:supervisor", 3),
    ("/api/v1/prevention/champion-trainings", "api:supervisor", 3),
    ("/api/v1/prevention/activities", "api:supervisor", 3),
    ("/api/v1/prevention/campaigns", "api:supervisor", 3),
    ("/api/v1/prevention/policy-instruments", "api:supervisor", 3),
    ("/api/v1/prevention/surveys", "api:supervisor", 3),
    ("/api/v1/prevention/indicators?from=2026-01-01&to=2026-12-31", "api:supervisor", 21),
    # The API, a supervisor's token
    ("/api/v1/reports/indicators", "api:supervisor", 57),
    ("/api/v1/caseload/workers", "api:supervisor", 8),
    ("/api/v1/reports/provider-performance", "api:supervisor", 4),  # + open moderation flags
]
