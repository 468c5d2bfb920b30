"""The query budget of every page and list endpoint: one table, enforced by
tests/core/test_query_budgets.py against a case with a long history.

Each row: the path (with {survivor}, {referral}, {organisation} filled in by the test), who
asks (a web session of that role, "api:" and the role for a bearer token, or "anonymous"
signed out), and the most queries the request may run, everything included: session, user,
actor, the view, the audit insert. A budget is a ceiling that does not depend on how much a
case or list holds; raising one is a decision to write down here, in review, not a number to
update until the test passes.
"""

# Met by issue 18: the holder's page costs 15, a partner's 13
# (tests/cases/test_case_page_budget.py). Lowered to 14 (issue 18, item 3): the page's forms are
# read when their section is opened (casefile.forms_on_open), so the organisations they offer
# (partners, service providers, prosecutors' offices: one read) are no longer read with it.
CASE_PAGE_BUDGET = 14

BUDGETS: list[tuple[str, str, int]] = [
    # Web pages, a case worker
    # 4 + the open count + the work queue (one query per kind of work) + the first names beside
    # the recent cases' codes
    ("/dashboard/", "worker", 12),
    ("/notifications/", "worker", 2),
    ("/accounts/security/", "worker", 3),
    # The case list: + 1 for the first names shown beside the codes (the given names of the
    # page's rows alone, decrypted in one query), + the count of open cases held, as the
    # dashboard and reports count them, + the workers and teams to filter by (issue 16).
    ("/cases/", "worker", 8),
    ("/cases/?order=risk", "worker", 8),
    ("/cases/?scope=all", "worker", 9),  # + the cases partners share with us, shown as such
    # A search (issue 16): + the cases shared with the survivor's identity, the matching name
    # keys, how many codes matched (for the audit); the same however many words or matches.
    ("/cases/?q=Nomvla", "worker", 12),  # a search looks at every case she may see (+ those shared)
    ("/cases/?q=AC-T", "worker", 12),
    ("/cases/{survivor}/", "worker", CASE_PAGE_BUDGET),
    # The case page's panels, each read when opened (issue 18); asked for without htmx here, so
    # each is its own page: the case through access_case and its audit insert, the panel's reads,
    # the page's frame (notifications, organisation).
    ("/cases/{survivor}/panels/risk/", "worker", 11),
    ("/cases/{survivor}/panels/livelihood/", "worker", 12),
    ("/cases/{survivor}/panels/history/", "worker", 4),
    ("/cases/{survivor}/panels/history/", "supervisor", 6),
    # The case page's forms, each read when its section is opened (casefile.forms_on_open);
    # asked for without htmx, each on a page of its own: the case and its audit insert, the
    # frame's unread count, + the organisations a form offers (goal, needs, service, legal,
    # consent: one read).
    ("/cases/{survivor}/forms/status/", "worker", 3),
    ("/cases/{survivor}/forms/goal/", "worker", 4),
    ("/cases/{survivor}/forms/review/", "worker", 3),
    ("/cases/{survivor}/forms/needs/", "worker", 4),
    ("/cases/{survivor}/forms/service/", "worker", 4),
    ("/cases/{survivor}/forms/note/", "worker", 3),
    ("/cases/{survivor}/forms/legal/", "worker", 4),
    ("/cases/{survivor}/forms/document/", "worker", 3),
    ("/cases/{survivor}/forms/consent/", "worker", 4),
    ("/cases/{survivor}/edit/", "worker", 5),
    ("/cases/new/", "worker", 2),
    ("/network/", "worker", 4),
    ("/network/{organisation}/", "worker", 4),
    ("/risk/alerts/", "worker", 4),  # + the first names beside the codes
    ("/risk/{survivor}/", "worker", 12),
    ("/referrals/", "worker", 2),
    ("/referrals/{referral}/", "worker", 5),
    # The guided form: the case through access_case and its audit insert, her needs, her consent,
    # and the directory's ranked page of partners (one query, + their services and regions).
    ("/referrals/new/{survivor}/", "worker", 9),
    (
        "/referrals/to/{organisation}/",
        "worker",
        6,
    ),  # the profile (+ services, regions), a page of cases
    ("/livelihoods/", "worker", 3),
    # Her jobs and income records read once (the income series takes the page's): 21 before,
    # 19 with jobs, follow-ups, schooling, sales and income recorded (tests/livelihoods/test_pages).
    ("/livelihoods/cases/{survivor}/", "worker", 19),
    ("/livelihoods/programmes/", "worker", 3),  # + the cohorts, once any programme has one
    ("/livelihoods/employers/", "worker", 5),  # + placements of people at risk (issue 17)
    ("/livelihoods/products/", "worker", 4),  # + the makers of the products listed
    ("/livelihoods/households/", "worker", 4),  # + households of people at risk
    # Whom she may rate and what she rated, read at once for all her services (was 11: a query
    # per service and one per subject).
    ("/voice/cases/{survivor}/", "worker", 7),
    ("/voice/duty-bearers/", "worker", 3),  # a page of them: counted, then read
    ("/at-risk/", "worker", 3),
    ("/at-risk/{beneficiary}/", "worker", 11),
    ("/at-risk/{beneficiary}/edit/", "worker", 6),  # her record (+ its read audited), the regions
    # Web pages, a supervisor
    ("/audit/", "supervisor", 3),
    ("/cases/{survivor}/merge/", "supervisor", 5),  # the case, its audit, its name tokens' matches
    ("/cases/workload/", "supervisor", 7),
    # + the rating flags that hold publication back, + the open count; + the duty bearers in the
    # league, + the income change's earners, then their jobs, income and sales read once for all
    # of them (livelihoods.indicators._income_sources: three or four queries each before).
    ("/reports/", "supervisor", 32),
    # + 12: the six at-risk indicators, each a count and its breakdowns; + 10: the income change
    # as on /reports/ (4) and its earners' breakdown, the KAP change of every survey at once as on
    # /prevention/ (5).
    ("/reports/indicators/", "supervisor", 76),
    ("/reports/gaps/", "supervisor", 7),  # + the providers' services, once any serve a region
    # + looking for exports whose worker was lost (failed before listing; no write when none is).
    ("/reports/exports/", "supervisor", 4),
    ("/voice/performance/", "supervisor", 6),  # + open moderation flags, + the duty bearers
    # + 5: the KAP change of every survey with a follow-up in the period, read at once for them
    # all (kap.changes: its rounds, baselines, answer counts, questions, communities; five for
    # each survey before).
    ("/prevention/", "supervisor", 25),
    ("/prevention/indicators/", "supervisor", 27),
    ("/prevention/schools/", "supervisor", 2),
    ("/prevention/champions/", "supervisor", 3),  # + their trainings
    ("/prevention/activities/", "supervisor", 3),  # + their attendance, in one query
    ("/prevention/campaigns/", "supervisor", 3),
    ("/prevention/policy/", "supervisor", 3),  # + their milestones
    ("/prevention/surveys/", "supervisor", 3),  # + their rounds
    (
        "/dashboard/",
        "supervisor",
        14,
    ),  # + transfers to approve, + the first names beside the recent cases
    # Members (issue 16): the admin's list, the supervisor's approvals
    ("/accounts/members/", "admin", 3),
    ("/accounts/member-approvals/", "supervisor", 2),
    # Web pages, a network coordinator
    # moderation, unanswered referrals, free places, the gap map (+ its providers' services)
    ("/dashboard/", "coordinator", 12),
    # Dashboards of the roles without case access: their own work queue
    ("/dashboard/", "me_officer", 3),
    ("/dashboard/", "field_worker", 3),
    ("/dashboard/", "referral_source", 2),
    ("/voice/moderation/", "coordinator", 6),  # flags, their subjects, comments to screen
    ("/interop/htcds/", "supervisor", 1),
    ("/livelihoods/wage-standards/", "supervisor", 3),
    # The API, a case worker's token
    ("/api/v1/me", "api:worker", 3),
    ("/api/v1/my-work", "api:worker", 8),
    ("/api/v1/my-work", "api:coordinator", 13),  # + the gap map's providers, as /dashboard/
    ("/api/v1/service-domains", "api:worker", 1),
    ("/api/v1/organisations", "api:worker", 5),
    ("/api/v1/organisations?service=housing", "api:worker", 5),  # + services, regions served
    ("/api/v1/organisations/{organisation}", "api:worker", 5),
    ("/api/v1/survivors", "api:worker", 7),  # + first names, as /cases/
    ("/api/v1/survivors?limit=50", "api:worker", 7),
    ("/api/v1/survivors?q=nomv", "api:worker", 10),  # + the search's three, as /cases/?q=
    ("/api/v1/survivors?assigned_to=me", "api:worker", 7),
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
    ("/api/v1/duty-bearers", "api:worker", 4),
    ("/api/v1/employers", "api:worker", 4),
    ("/api/v1/training-programmes", "api:worker", 5),  # + cohorts and their enrolments
    ("/api/v1/products", "api:worker", 5),  # + the makers of the products listed
    ("/api/v1/wage-standards", "api:worker", 3),
    ("/api/v1/exchange-rates", "api:worker", 3),
    ("/api/v1/households", "api:worker", 4),
    ("/api/v1/beneficiaries", "api:worker", 4),
    ("/api/v1/beneficiaries/{beneficiary}", "api:worker", 9),
    # A page of each (counted, then read with its region), + what each row shows with it.
    ("/api/v1/prevention/schools", "api:supervisor", 4),
    ("/api/v1/prevention/champions", "api:supervisor", 4),
    ("/api/v1/prevention/champion-trainings", "api:supervisor", 5),  # + the champions trained
    # + the champions, + the attendance of every activity in one query (one each before)
    ("/api/v1/prevention/activities", "api:supervisor", 6),
    ("/api/v1/prevention/campaigns", "api:supervisor", 3),
    ("/api/v1/prevention/policy-instruments", "api:supervisor", 5),  # + their milestones
    # + their rounds with their responses counted in the same query (one count each before)
    ("/api/v1/prevention/surveys", "api:supervisor", 5),
    # + 5: the KAP change of every survey at once, as /prevention/
    ("/api/v1/prevention/indicators?from=2026-01-01&to=2026-12-31", "api:supervisor", 26),
    # The API, a supervisor's token
    ("/api/v1/reports/indicators", "api:supervisor", 78),  # as /reports/indicators/
    ("/api/v1/caseload/workers", "api:supervisor", 8),
    # + open moderation flags, + the duty bearers
    ("/api/v1/reports/provider-performance", "api:supervisor", 5),
    # The API, members (issue 16)
    ("/api/v1/members", "api:admin", 5),
    ("/api/v1/member-approvals", "api:supervisor", 4),
    # Budgeted with the coverage test (tests/core/test_query_budget_coverage.py): the pages and
    # lists that had none.
    ("/", "worker", 12),
    ("/accounts/two-factor/set-up/", "worker", 9),
    ("/accounts/members/invite/", "admin", 1),
    ("/cases/import/", "worker", 1),
    ("/network/regions/suggest/?q=Gau", "worker", 1),
    ("/risk/{survivor}/assess/", "worker", 5),
    ("/referrals/new/", "worker", 2),
    ("/voice/duty-bearers/new/", "worker", 3),
    ("/voice/duty-bearers/options/", "worker", 1),
    ("/at-risk/new/", "worker", 3),
    ("/care-settings/cases/{survivor}/", "worker", 6),
    ("/care-settings/costs/", "supervisor", 2),
    ("/care-settings/report/", "supervisor", 5),
    ("/mentoring/cases/{survivor}/", "worker", 7),
    ("/mentoring/mentors/", "worker", 2),
    ("/prevention/schools/new/", "supervisor", 2),
    ("/prevention/champions/new/", "supervisor", 2),
    ("/prevention/champions/trainings/new/", "supervisor", 3),
    ("/prevention/activities/new/", "supervisor", 2),
    ("/prevention/campaigns/new/", "supervisor", 2),
    ("/prevention/policy/new/", "supervisor", 2),
    ("/prevention/surveys/new/", "supervisor", 1),
    ("/prevention/capture/", "supervisor", 4),
    ("/api/v1/survivors/{survivor}/care-settings", "api:worker", 5),
    ("/api/v1/survivors/{survivor}/mentoring", "api:worker", 5),
    ("/api/v1/survivors/{survivor}/leadership", "api:worker", 5),
    ("/api/v1/programme-costs", "api:supervisor", 3),
    ("/api/v1/mentors", "api:worker", 3),
    # A programme (+ its cohorts), a cohort (+ its enrolments), a household (+ its support): the
    # budget's world gives each four.
    ("/livelihoods/programmes/{programme}/", "worker", 5),
    ("/livelihoods/cohorts/{cohort}/", "worker", 4),
    ("/livelihoods/households/{household}/", "worker", 5),
    ("/api/v1/training-programmes/{programme}/cohorts", "api:worker", 6),
    ("/api/v1/households/{household}", "api:worker", 6),
    # Pages of one record and their lists (the world gives each several children: services,
    # sales, ratings, sessions, cases, follow-ups, activities, rounds...); none grows with them.
    # The profile, its services and regions served, + the regions to choose from (two lists).
    ("/network/{own_organisation}/edit/", "admin", 6),
    ("/network/{own_organisation}/capacity/", "admin", 4),  # one form per service, read once
    ("/risk/{survivor}/measures/rosenberg/", "worker", 5),  # the case (+ audit), its items
    # The region and its districts, needs by level and by district, the providers (services,
    # regions served, names), referrals by outcome, her cases there (+ that list's audit).
    ("/reports/gaps/cell/?domain=housing&region={region}", "supervisor", 11),
    ("/reports/exports/{export}/", "supervisor", 2),
    ("/voice/duty-bearers/{duty_bearer}/", "worker", 4),  # + the organisations, the regions
    # The league (ratings, flags, duty bearers), her approved quotes, the highlights
    ("/voice/performance/{duty_bearer}/", "supervisor", 6),
    # The product, its makers, a page of sales (+ shares, + their makers), the batches (+ their
    # makers) and the sale form's batches to choose from.
    ("/livelihoods/products/{product}/", "worker", 10),
    ("/api/v1/products/{product}/sales", "api:worker", 7),  # a page (+ shares, + makers)
    # The school, its cases (+ their follow-ups) and sessions
    ("/prevention/schools/{school}/", "supervisor", 5),
    ("/prevention/schools/{school}/sessions/new/", "supervisor", 2),
    ("/prevention/schools/{school}/cases/new/", "supervisor", 2),
    ("/prevention/school-cases/{unreported_case}/report/", "supervisor", 3),  # + the partners
    ("/prevention/school-cases/{school_case}/follow-up/", "supervisor", 2),
    ("/prevention/champions/{champion}/", "supervisor", 4),  # + activities, trainings
    ("/prevention/champions/{champion}/activities/new/", "supervisor", 2),
    ("/prevention/activities/{activity}/", "supervisor", 3),  # + its attendance
    ("/prevention/policy/{instrument}/advance/", "supervisor", 2),
    # The KAP change (5, as /prevention/), + its rounds with their responses counted at once
    # (kap.counted_rounds: one count per round before).
    ("/prevention/surveys/{survey}/", "supervisor", 8),
    ("/prevention/surveys/{survey}/rounds/new/", "supervisor", 2),
    ("/api/v1/prevention/schools/{school}/cases", "api:supervisor", 5),
    # Signed out: the sign-in pages and the public feedback form read nothing (no session yet)
    ("/accounts/sign-in/", "anonymous", 0),
    ("/me/sign-in/", "anonymous", 0),
    ("/feedback/", "anonymous", 0),
]


def budget_of(path: str, who: str) -> int:
    """The budget written above for `path` asked by `who`, for the tests that check a page or
    list against its budget at two sizes (assert_queries in tests/conftest.py)."""
    return {(row_path, row_who): n for row_path, row_who, n in BUDGETS}[(path, who)]


# The pages behind a different sign-in, measured by tests/core/test_query_budgets_portal.py: a
# staff member half signed in, an invitation's link, and the survivor's own portal signed in with
# her PIN ("survivor"), whose long history costs each page no more than a newcomer's. Each portal
# page reads her account (with her case and organisation) and, but for the PIN and rating pages,
# writes the audit event of what it shows her. Her session is no longer written on every page
# (it slides once a minute, as staff sessions do), her membership is the identity cache's, and
# the staff layout's unread count is not read for her layout: 4 fewer than at first on each page.
PORTAL_BUDGETS: list[tuple[str, str, int]] = [
    ("/accounts/two-factor/", "half_signed_in", 1),  # whether she has a confirmed device
    # The invitation found by its token's hash, with its member and organisation
    ("/accounts/invitation/{token}/", "invited", 1),
    ("/me/", "survivor", 4),  # her goals, the comments on them
    ("/me/consent/", "survivor", 3),  # her consent decisions (+ the organisations they name)
    ("/me/referrals/", "survivor", 3),  # her referrals (+ where to)
    ("/me/my-information/", "survivor", 3),  # the referrals that share her case (+ with whom)
    # Her newest 30 services (+ who gave them), the duty bearers they name, up to 50 registered
    # with each organisation that gave one, her rating receipts: all at once. It was two queries
    # per service and one per subject of each: 30 for a newcomer, 99 for her.
    ("/me/rate/", "survivor", 5),
    ("/me/rate/{service}/", "survivor", 5),  # the service, its subjects as above, her receipts
    ("/me/pin/", "survivor", 1),
    # Her shares of sales (+ product), their totals, savings accounts and entries, jobs, training
    ("/me/earnings/", "survivor", 8),
    # Her mentors (+ how many meetings, not the meetings), her roles now and past in one read
    ("/me/mentor/", "survivor", 4),
]
