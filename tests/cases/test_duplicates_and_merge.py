"""Issue 16: duplicates found before saving, merging two records of one person, the duplicate
closure leaving every count, and a date of birth that fills the year of birth."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.http import Http404

from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditAction, AuditEvent
from aftercare.casefile import merge
from aftercare.cases import care, services
from aftercare.cases import merge as cases_merge
from aftercare.cases import sections as page
from aftercare.cases.access import access_case
from aftercare.cases.models import ClosureReason, DuplicateToken, Survivor
from aftercare.core.errors import DomainError, TransitionNotAllowed
from aftercare.referrals import services as referrals
from aftercare.risk import services as risk_services
from tests.conftest import actor, member
from tests.factories import SurvivorFactory

pytestmark = pytest.mark.django_db

PRIYA = {"given_name": "Priya", "family_name": "Mondal", "year_of_birth": 1998}
# The same person, spelled as another worker heard it.
PRIA = {"given_name": "Pria", "family_name": "Mandal", "year_of_birth": 1998}


def intake(user, data, **kwargs) -> Survivor:
    return services.intake_survivor(actor(user), dict(data), **kwargs)[0]


# Duplicates before saving ---------------------------------------------------------------------


def test_intake_saves_nothing_until_the_worker_has_seen_the_matches(case_worker_a):
    existing = intake(case_worker_a, PRIYA)
    with pytest.raises(services.PossibleDuplicateFound) as found:
        intake(case_worker_a, PRIA, confirm_new=False)
    assert [case.pk for case in found.value.matches.own] == [existing.pk]
    assert Survivor.objects.count() == 1
    intake(case_worker_a, PRIA, confirm_new=True)
    assert Survivor.objects.count() == 2


def test_web_intake_shows_own_match_with_a_link_and_saves_only_when_confirmed(
    web_login, case_worker_a
):
    existing = intake(case_worker_a, PRIYA)
    client = web_login(case_worker_a)
    response = client.post("/cases/new/", {**PRIA, "gender": "woman"})
    assert response.status_code == 200
    text = response.content.decode()
    assert Survivor.objects.count() == 1, (
        "a possible duplicate must not be saved before the worker decides"
    )
    assert f'href="/cases/{existing.pk}/"' in text and existing.case_code in text
    assert "This is her: open the case" in text and "A different person: save" in text
    assert "Pria" in text  # her details are kept in the form, nothing is lost
    response = client.post("/cases/new/", {**PRIA, "gender": "woman", "confirm_new": "1"})
    assert response.status_code == 302
    assert Survivor.objects.count() == 2


def test_web_intake_says_only_that_a_partner_may_know_her(web_login, case_worker_a, case_worker_b):
    other = intake(case_worker_a, PRIYA)
    response = web_login(case_worker_b).post("/cases/new/", {**PRIA, "gender": "woman"})
    text = response.content.decode()
    assert response.status_code == 200 and Survivor.objects.count() == 1
    assert "A partner may already know her; ask the network coordinator." in text
    for leak in (
        other.case_code,
        str(other.pk),
        "Organisation A",
        "org-a",
        "Priya",
        "Mondal",
        "This is her",
    ):
        assert leak not in text, leak


def test_web_intake_without_a_match_opens_the_case_at_once(web_login, case_worker_a):
    response = web_login(case_worker_a).post("/cases/new/", {**PRIYA, "gender": "woman"})
    assert response.status_code == 302 and Survivor.objects.count() == 1


def test_api_intake_answers_409_with_own_matches_then_201_when_confirmed(api, case_worker_a):
    existing = intake(case_worker_a, PRIYA)
    client = api.as_user(case_worker_a)
    response = client.post("/api/v1/survivors", PRIA, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "possible_duplicate" and "confirm_new" in body["errors"]
    assert body["matches"] == {
        "own": [
            {"id": str(existing.pk), "case_code": existing.case_code, "status": existing.status}
        ],
        "elsewhere_in_network": False,
    }
    assert Survivor.objects.count() == 1
    response = client.post("/api/v1/survivors", {**PRIA, "confirm_new": True}, format="json")
    assert response.status_code == 201, response.json()
    assert Survivor.objects.count() == 2


def test_api_409_for_a_match_elsewhere_leaks_nothing(api, case_worker_a, case_worker_b):
    other = intake(case_worker_a, PRIYA)
    response = api.as_user(case_worker_b).post("/api/v1/survivors", PRIA, format="json")
    assert response.status_code == 409
    assert response.json()["matches"] == {"own": [], "elsewhere_in_network": True}
    text = response.content.decode()
    for leak in (
        other.case_code,
        str(other.pk),
        str(other.organisation_id),
        "Organisation A",
        "org-a",
        "Priya",
        "Mondal",
    ):
        assert leak not in text, leak


def test_duplicate_check_endpoint_writes_nothing_and_leaks_nothing(
    api, case_worker_a, case_worker_b
):
    mine = intake(
        case_worker_b, {"given_name": "Pria", "family_name": "Mandal", "year_of_birth": 1999}
    )
    other = intake(case_worker_a, PRIYA)
    response = api.as_user(case_worker_b).post("/api/v1/duplicate-check", PRIA, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "own": [{"id": str(mine.pk), "case_code": mine.case_code, "status": mine.status}],
        "elsewhere_in_network": True,
    }
    assert (
        other.case_code not in response.content.decode()
        and str(other.pk) not in response.content.decode()
    )
    assert Survivor.objects.count() == 2


@pytest.mark.parametrize(
    "role", [Role.REFERRAL_SOURCE, Role.ME_OFFICER, Role.ADMIN, Role.NETWORK_COORDINATOR]
)
def test_duplicate_check_is_for_those_who_open_cases(api, org_a, role):
    response = api.as_user(member(org_a, role)).post("/api/v1/duplicate-check", PRIA, format="json")
    assert response.status_code == 403


def test_a_merged_duplicate_matches_no_later_intake_but_the_kept_case_does(
    case_worker_a, supervisor_a
):
    keep = intake(case_worker_a, PRIYA)
    other = intake(
        case_worker_a, {"given_name": "Priya", "family_name": "Sen", "year_of_birth": 1998}
    )
    merge.merge_cases(actor(supervisor_a), keep.pk, other.pk)
    matches = services.duplicates.possible_matches(actor(case_worker_a), "Priya", "Sen", 1998)
    assert [case.pk for case in matches.own] == [keep.pk]  # her other name now finds the kept case
    assert not DuplicateToken.objects.filter(survivor=other).exists()


# Merge --------------------------------------------------------------------------------------


def _full_history(user, survivor: Survivor, partner) -> dict:
    """One of each record a case holds, so a merge that forgets one is caught."""
    who = actor(user)
    care.record_consent(who, survivor, purpose="referral", granted=True, method="written")
    care.assess_needs(who, survivor, {"housing": "high"})
    care.add_goal(who, survivor, {"domain": "housing", "description": "A room"})
    care.review_plan(
        who, survivor, reviewed_on=datetime.date.today(), outcome="ok", survivor_took_part=True
    )
    care.record_service(
        who,
        survivor,
        {"domain": "housing", "organisation": survivor.organisation, "date": datetime.date.today()},
    )
    care.write_note(who, survivor, text="A note", sensitivity="general")
    care.save_legal_case(who, survivor, {"stage": "investigation", "court_reference": "X-1"})
    risk_services.assess_risk(who, survivor, {})
    referral = referrals.refer_survivor(who, survivor, partner, ["housing"], "needs a bed")
    return {"referral": referral}


def test_merge_moves_every_record_and_closes_the_other_as_its_duplicate(
    case_worker_a, supervisor_a, org_a, org_b
):
    keep = intake(case_worker_a, PRIYA)
    other = intake(case_worker_a, PRIA, confirm_new=True)
    made = _full_history(case_worker_a, other, org_b)
    other_trail = AuditEvent.objects.filter(case_id=other.pk).count()
    assert other_trail > 5

    merge.merge_cases(actor(supervisor_a), keep.pk, other.pk)

    for relation in cases_merge._relations():
        model, name = relation.related_model, relation.field.name
        if relation.one_to_one:
            continue
        assert (
            not model._base_manager.filter(**{name: other})
            .exclude(
                **(
                    {"reason": ClosureReason.DUPLICATE}
                    if model._meta.model_name == "statuschange"
                    else {}
                )
            )
            .exists()
        ), f"{model._meta.label} left on the duplicate"
    assert (
        keep.consents.count() == 1
        and keep.needs_assessments.count() == 1
        and keep.goals.count() == 1
    )
    assert keep.plan_reviews.count() == 1 and keep.services.count() == 1 and keep.notes.count() == 1
    assert keep.legal_cases.count() == 1 and keep.risk_assessments.count() == 1
    made["referral"].refresh_from_db()
    assert made["referral"].survivor_id == keep.pk
    keep.refresh_from_db()
    assert keep.risk_rank > 0, (
        "the caseload's copy of the current risk follows the moved assessment"
    )
    other.refresh_from_db()
    assert other.status == "closed" and other.closure_reason == ClosureReason.DUPLICATE
    assert other.merged_into_id == keep.pk and other.closed_at is not None
    # The duplicate's audit trail (append-only) is read from the kept case.
    supervisor_view = access_case(actor(supervisor_a), keep.pk)
    trail = page.case_audit_trail(supervisor_view)
    assert trail.filter(case_id=other.pk).count() >= other_trail
    assert trail.filter(
        action=AuditAction.UPDATE, case_id=keep.pk, reason__contains=other.case_code
    ).exists()


def test_merge_is_one_transaction_refusing_two_records_allowed_once(case_worker_a, supervisor_a):
    from aftercare.livelihoods.models import SavingsAccount

    keep = intake(case_worker_a, PRIYA)
    other = intake(case_worker_a, PRIA, confirm_new=True)
    care.write_note(actor(case_worker_a), other, text="kept where it was", sensitivity="general")
    for survivor in (keep, other):
        SavingsAccount.objects.create(
            survivor=survivor, organisation=survivor.organisation, currency="ZAR"
        )
    with pytest.raises(DomainError):
        merge.merge_cases(actor(supervisor_a), keep.pk, other.pk)
    other.refresh_from_db()
    assert other.notes.count() == 1 and other.status != "closed" and other.merged_into_id is None


def test_merge_refuses_the_same_case_and_a_case_already_merged(case_worker_a, supervisor_a):
    keep = intake(case_worker_a, PRIYA)
    other = intake(case_worker_a, PRIA, confirm_new=True)
    with pytest.raises(DomainError):
        merge.merge_cases(actor(supervisor_a), keep.pk, keep.pk)
    merge.merge_cases(actor(supervisor_a), keep.pk, other.pk)
    with pytest.raises(DomainError):
        merge.merge_cases(actor(supervisor_a), keep.pk, other.pk)
    with pytest.raises(DomainError):
        merge.merge_cases(actor(supervisor_a), other.pk, keep.pk)


def test_merge_across_organisations_is_not_found(
    case_worker_a, case_worker_b, supervisor_a, supervisor_b
):
    mine = intake(case_worker_a, PRIYA)
    theirs = intake(case_worker_b, PRIA, confirm_new=True)
    with pytest.raises(Http404):
        merge.merge_cases(actor(supervisor_a), mine.pk, theirs.pk)
    with pytest.raises(Http404):
        merge.merge_cases(actor(supervisor_b), mine.pk, theirs.pk)
    assert Survivor.objects.filter(closure_reason=ClosureReason.DUPLICATE).count() == 0


@pytest.mark.parametrize(
    "role", [Role.CASE_WORKER, Role.ADMIN, Role.REFERRAL_SOURCE, Role.ME_OFFICER]
)
def test_merge_is_a_supervisors_call(org_a, case_worker_a, role):
    keep = intake(case_worker_a, PRIYA)
    other = intake(case_worker_a, PRIA, confirm_new=True)
    with pytest.raises(PermissionDenied):
        merge.merge_cases(actor(member(org_a, role)), keep.pk, other.pk)


def test_api_merge(api, case_worker_a, case_worker_b, supervisor_a, supervisor_b):
    keep = intake(case_worker_a, PRIYA)
    other = intake(case_worker_a, PRIA, confirm_new=True)
    theirs = intake(case_worker_b, PRIA, confirm_new=True)
    url = f"/api/v1/survivors/{keep.pk}/merge"
    assert (
        api.as_user(case_worker_a).post(url, {"other": str(other.pk)}, format="json").status_code
        == 403
    )
    assert (
        api.as_user(supervisor_b).post(url, {"other": str(other.pk)}, format="json").status_code
        == 404
    )
    assert (
        api.as_user(supervisor_a).post(url, {"other": str(theirs.pk)}, format="json").status_code
        == 404
    )
    assert (
        api.as_user(supervisor_a).post(url, {"other": "nonsense"}, format="json").status_code == 400
    )
    stale = api.as_user(supervisor_a).post(
        url, {"other": str(other.pk), "version": keep.version + 7}, format="json"
    )
    assert stale.status_code == 409
    response = api.as_user(supervisor_a).post(
        url, {"other": str(other.pk), "version": keep.version}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == str(keep.pk)
    other.refresh_from_db()
    assert other.closure_reason == "duplicate" and other.merged_into_id == keep.pk
    theirs.refresh_from_db()
    assert theirs.status != "closed"


def test_web_merge_page(web_login, case_worker_a, case_worker_b, supervisor_a):
    keep = intake(case_worker_a, PRIYA)
    other = intake(case_worker_a, PRIA, confirm_new=True)
    theirs = intake(case_worker_b, PRIA, confirm_new=True)
    assert web_login(case_worker_a).get(f"/cases/{keep.pk}/merge/").status_code == 403
    client = web_login(supervisor_a)
    page_ = client.get(f"/cases/{keep.pk}/merge/")
    assert page_.status_code == 200
    assert (
        other.case_code in page_.content.decode() and theirs.case_code not in page_.content.decode()
    )
    assert client.get(f"/cases/{theirs.pk}/merge/").status_code == 404
    refused = client.post(
        f"/cases/{keep.pk}/merge/",
        {"other_code": theirs.case_code, "confirm": "on", "version": keep.version},
    )
    assert (
        refused.status_code == 200
        and "Your organisation holds no other case with this code." in refused.content.decode()
    )
    unconfirmed = client.post(
        f"/cases/{keep.pk}/merge/", {"other": str(other.pk), "version": keep.version}
    )
    assert unconfirmed.status_code == 200
    done = client.post(
        f"/cases/{keep.pk}/merge/",
        {"other": str(other.pk), "confirm": "on", "version": keep.version},
    )
    assert done.status_code == 302
    other.refresh_from_db()
    assert other.merged_into_id == keep.pk
    duplicate_page = client.get(f"/cases/{other.pk}/").content.decode()
    assert f'href="/cases/{keep.pk}/"' in duplicate_page


def test_closing_as_duplicate_only_by_merging_and_a_duplicate_stays_closed(
    case_worker_a, supervisor_a
):
    keep = intake(case_worker_a, PRIYA)
    other = intake(case_worker_a, PRIA, confirm_new=True)
    with pytest.raises(DomainError):
        services.update_survivor(
            actor(case_worker_a),
            other,
            {"status": "closed", "closure_reason": "duplicate"},
            other.version,
        )
    merge.merge_cases(actor(supervisor_a), keep.pk, other.pk)
    other.refresh_from_db()
    with pytest.raises(TransitionNotAllowed):
        services.update_survivor(actor(case_worker_a), other, {"status": "active"}, other.version)


# A duplicate leaves every count ------------------------------------------------------------


def test_a_duplicate_leaves_the_caseload_list(web_login, api, case_worker_a, supervisor_a):
    keep = intake(case_worker_a, PRIYA)
    other = intake(case_worker_a, PRIA, confirm_new=True)
    merge.merge_cases(actor(supervisor_a), keep.pk, other.pk)
    listed = api.as_user(case_worker_a).get("/api/v1/survivors").json()
    assert [row["id"] for row in listed["results"]] == [str(keep.pk)] and listed["count"] == 1
    assert other.case_code not in web_login(case_worker_a).get("/cases/").content.decode()


def test_demo_indicators_dashboard_and_ctdc_do_not_count_a_duplicate():
    from django.utils import timezone

    from aftercare.accounts.models import Membership
    from aftercare.accounts.services import actor_for
    from aftercare.cases.counting import Scope
    from aftercare.cases.models import OPEN_STATUSES
    from aftercare.demo import network as demo
    from aftercare.reports import dashboard, indicators

    demo.load()
    sup = (
        Membership.objects.filter(role=Role.SUPERVISOR)
        .select_related("user", "organisation")
        .first()
    )
    who = actor_for(sup.user, str(sup.organisation_id))
    keep, other = Survivor.objects.filter(
        organisation=sup.organisation, status__in=OPEN_STATUSES, anonymised_at__isnull=True
    ).order_by("created_at")[:2]
    today = timezone.localdate()
    network = Scope(actor=None, organisation_id=None, small_cell_min=0)
    organisation = Scope(actor=who, organisation_id=sup.organisation_id, small_cell_min=0)

    def figures():
        report = indicators.build(network, today - datetime.timedelta(days=364), today)
        served = next(row.value for row in report.indicators if row.code == "survivors_served")
        return served, dashboard.caseload(organisation)["open"], network.survivors().count()

    before = figures()
    merge.merge_cases(who, keep.pk, other.pk)
    after = figures()
    assert after == (before[0] - 1, before[1] - 1, before[2] - 1)
    assert other.pk not in set(network.survivors().values_list("pk", flat=True))


# Date of birth fills the year of birth -----------------------------------------------------


def test_intake_with_a_date_of_birth_fills_the_year(case_worker_a):
    survivor = intake(
        case_worker_a, {"given_name": "Asha", "date_of_birth": datetime.date(2001, 5, 4)}
    )
    assert survivor.year_of_birth == 2001 and survivor.age_band != "unknown"
    with pytest.raises(DomainError):
        intake(
            case_worker_a,
            {
                "given_name": "Asha",
                "date_of_birth": datetime.date(2001, 5, 4),
                "year_of_birth": 1990,
            },
        )


def test_intake_of_a_minor_by_date_of_birth_asks_for_the_guardian(case_worker_a):
    born = datetime.date(datetime.date.today().year - 12, 1, 1)
    with pytest.raises(services.GuardianRequired):
        intake(case_worker_a, {"given_name": "Asha", "date_of_birth": born})


def test_web_intake_by_date_of_birth_and_the_receivers_view(
    web_login, case_worker_a, case_worker_b, org_b
):
    response = web_login(case_worker_a).post(
        "/cases/new/", {"given_name": "Asha", "date_of_birth": "2001-05-04", "gender": "woman"}
    )
    assert response.status_code == 302
    survivor = Survivor.objects.get()
    assert survivor.year_of_birth == 2001
    care.record_consent(
        actor(case_worker_a), survivor, purpose="referral", granted=True, method="written"
    )
    referral = referrals.refer_survivor(
        actor(case_worker_a), survivor, org_b, ["housing"], "needs a bed"
    )
    referrals.transition(actor(case_worker_b), referral.pk, "accept")
    text = web_login(case_worker_b).get(f"/cases/{survivor.pk}/").content.decode()
    assert "2001" in text and survivor.age_band in text
    assert "(unknown)" not in text


def test_web_intake_refuses_a_year_that_contradicts_the_date(web_login, case_worker_a):
    response = web_login(case_worker_a).post(
        "/cases/new/",
        {
            "given_name": "Asha",
            "date_of_birth": "2001-05-04",
            "year_of_birth": "1990",
            "gender": "woman",
        },
    )
    assert response.status_code == 200 and not Survivor.objects.exists()
    assert "The year of birth does not match the date of birth." in response.content.decode()


def test_api_patch_with_a_date_of_birth_fills_the_year(api, case_worker_a):
    survivor = intake(case_worker_a, {"given_name": "Asha"})
    response = api.as_user(case_worker_a).patch(
        f"/api/v1/survivors/{survivor.pk}",
        {"date_of_birth": "2003-02-01", "version": survivor.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["year_of_birth"] == 2003


def test_data_migration_fills_the_year_of_existing_rows(org_a):
    from importlib import import_module

    migration = import_module("aftercare.cases.migrations.0010_duplicates_and_merge")
    missing = SurvivorFactory(
        organisation=org_a,
        given_name="Asha",
        year_of_birth=None,
        date_of_birth=datetime.date(2000, 3, 3),
    )
    unknown = SurvivorFactory(organisation=org_a, given_name="Bina", year_of_birth=None)
    migration.fill_year_of_birth(django_apps, None)
    missing.refresh_from_db()
    unknown.refresh_from_db()
    assert missing.year_of_birth == 2000 and unknown.year_of_birth is None
    assert DuplicateToken.objects.filter(survivor=missing).exists()
