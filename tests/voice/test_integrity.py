"""Rating integrity, played as the attacks of issue 15: codes stuffed for one service, a
"service" of another organisation recorded on one's own case, and a published mean
differenced with k−1 planted ratings. Each must now fail to stuff or to reveal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.cases import care
from aftercare.voice import integrity, ratings, stats
from aftercare.voice.models import (
    DIMENSIONS,
    FeedbackCode,
    FlagReason,
    FlagStatus,
    Rating,
    RatingFlag,
)
from tests.conftest import actor, member
from tests.factories import ReferralFactory, SurvivorFactory
from tests.voice.factories import DutyBearerFactory, ServiceFactory, rate

pytestmark = pytest.mark.django_db

FIVE = dict.fromkeys(DIMENSIONS, 5)
ONE = dict.fromkeys(DIMENSIONS, 1)


def last_quarter() -> date:
    start = integrity.quarter_start(timezone.localdate())
    return integrity.quarter_start(start - timedelta(days=1))


def move_to_last_quarter() -> None:
    """Ratings given now are published once their quarter is complete: let it be."""
    Rating.objects.update(period=last_quarter())
    FeedbackCode.objects.exclude(used_on=None).update(used_on=last_quarter())
    RatingFlag.objects.update(quarter=last_quarter())


def published(subject_id):
    return stats.subject_report(subject_id)[1]


def referral(survivor, from_org, to_org, status):
    return ReferralFactory(
        survivor=survivor,
        from_organisation=from_org,
        to_organisation=to_org,
        reason="housing",
        status=status,
        respond_by=timezone.now() + timedelta(days=2),
    )


# Attack 1: twelve codes for one service -----------------------------------------------------


def test_twelve_codes_for_one_service_give_one_rating(survivor_a, case_worker_a):
    service = ServiceFactory(survivor=survivor_a)
    worker = actor(case_worker_a)
    raw, _ = ratings.issue_code(worker, service, service.organisation_id)
    for _ in range(11):
        with pytest.raises(ratings.CodeExists, match="works until"):
            ratings.issue_code(worker, service, service.organisation_id)
    assert FeedbackCode.objects.count() == 1

    ratings.rate_with_code(raw, FIVE)
    with pytest.raises(ratings.CodeRefused, match="already used"):
        ratings.rate_with_code(raw, FIVE)
    with pytest.raises(ratings.CodeExists, match="already rated"):
        ratings.issue_code(worker, service, service.organisation_id)
    assert Rating.objects.count() == 1


def test_an_expired_unused_code_can_be_replaced_but_the_service_is_still_rated_once(
    survivor_a, case_worker_a
):
    service = ServiceFactory(survivor=survivor_a)
    worker = actor(case_worker_a)
    first, _ = ratings.issue_code(worker, service, service.organisation_id)
    FeedbackCode.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    second, _ = ratings.issue_code(worker, service, service.organisation_id)
    ratings.rate_with_code(second, FIVE)
    with pytest.raises(ratings.CodeRefused, match="expired"):
        ratings.rate_with_code(first, FIVE)
    assert Rating.objects.count() == 1


def test_a_code_cannot_rate_a_service_the_survivor_rated_in_the_portal(portal_a, case_worker_a):
    service = ServiceFactory(survivor=portal_a.survivor)
    raw, _ = ratings.issue_code(actor(case_worker_a), service, service.organisation_id)
    ratings.rate_as_survivor(
        actor(portal_a.user), portal_a.account, service, service.organisation_id, FIVE
    )
    with pytest.raises(ratings.AlreadyRated):
        ratings.rate_with_code(raw, FIVE)
    assert Rating.objects.count() == 1 and FeedbackCode.objects.get().used_on is None


def test_twelve_services_on_one_case_count_as_one_survivor_and_are_flagged(
    survivor_a, case_worker_a, org_a, coordinator
):
    """The stuffing moved to twelve made-up services of one case: twelve ratings, one voice."""
    worker = actor(case_worker_a)
    for _ in range(12):
        service = care.record_service(
            worker,
            survivor_a,
            {"domain": "medical", "organisation": org_a, "date": timezone.localdate()},
        )
        raw, _ = ratings.issue_code(worker, service, org_a.pk)
        ratings.rate_with_code(raw, FIVE)
    assert Rating.objects.count() == 12
    assert Rating.objects.values("rater").distinct().count() == 1
    flags = {f.reason: f for f in RatingFlag.objects.all()}
    assert flags[FlagReason.BURST].count == 12 and flags[FlagReason.BURST].via_organisation == org_a
    assert flags[FlagReason.OWN_CODES].count == 12
    move_to_last_quarter()
    RatingFlag.objects.update(status=FlagStatus.CLEARED)  # even if the coordinator let it through
    assert published(org_a.pk) is None  # one survivor: below k = 5


# Attack 2: a "service" by another organisation on one's own case ------------------------------


def test_the_api_refuses_a_service_of_another_organisation_without_an_accepted_referral(
    api, survivor_a, case_worker_a, org_b
):
    client = api.as_user(case_worker_a)
    url = f"/api/v1/survivors/{survivor_a.pk}/services"
    body = {"domain": "medical", "organisation": str(org_b.pk), "date": str(timezone.localdate())}
    response = client.post(url, body, format="json")
    assert response.status_code == 403
    assert "organisation" in response.json()["errors"]
    referral(survivor_a, survivor_a.organisation, org_b, "sent")
    assert client.post(url, body, format="json").status_code == 403  # sent, not accepted
    referral(survivor_a, survivor_a.organisation, org_b, "declined")
    assert client.post(url, body, format="json").status_code == 403
    assert not survivor_a.services.exists()
    referral(survivor_a, survivor_a.organisation, org_b, "accepted")
    assert client.post(url, body, format="json").status_code == 201
    assert survivor_a.services.get().organisation == org_b


def test_a_partner_records_its_own_service_and_one_of_the_referring_organisation(
    survivor_a, org_a, org_b, case_worker_b
):
    referral(survivor_a, org_a, org_b, "in_progress")
    worker_b = actor(case_worker_b)
    care.record_service(
        worker_b,
        survivor_a,
        {"domain": "housing", "organisation": org_b, "date": timezone.localdate()},
    )
    care.record_service(
        worker_b,
        survivor_a,
        {"domain": "legal", "organisation": org_a, "date": timezone.localdate()},
    )
    assert survivor_a.services.count() == 2


def test_a_partner_cannot_record_a_third_organisations_service(
    survivor_a, org_a, org_b, case_worker_b
):
    from tests.factories import OrganisationFactory

    third = OrganisationFactory(slug="org-c")
    referral(survivor_a, org_a, org_b, "accepted")
    referral(survivor_a, org_a, third, "accepted")  # a's partner, not b's
    with pytest.raises(care.NotAPartner):
        care.record_service(
            actor(case_worker_b),
            survivor_a,
            {"domain": "housing", "organisation": third, "date": timezone.localdate()},
        )


def test_the_case_page_form_refuses_another_organisations_service(
    web_login, case_worker_a, survivor_a, org_b
):
    client = web_login(case_worker_a)
    page = client.get(f"/cases/{survivor_a.pk}/forms/service/")  # read when opened (issue 18)
    assert f'value="{org_b.pk}"' not in page.content.decode()  # not offered
    response = client.post(
        f"/cases/{survivor_a.pk}/services/",
        {"domain": "medical", "organisation": str(org_b.pk), "date": "2026-01-05"},
        follow=True,
    )
    assert response.status_code == 200
    assert not survivor_a.services.exists()
    assert (
        "Select a valid choice" in response.content.decode()
        or "only for your own organisation" in response.content.decode()
    )


def test_six_one_star_codes_for_another_organisation_cannot_be_made(
    survivor_a, case_worker_a, org_b
):
    """The attack as it was: record B's "service" on one's own case, rate B with codes for it."""
    with pytest.raises(care.NotAPartner):
        care.record_service(
            actor(case_worker_a),
            survivor_a,
            {"domain": "medical", "organisation": org_b, "date": timezone.localdate()},
        )
    assert not Rating.objects.filter(organisation=org_b).exists()


# Attack 3: differencing a published mean with k−1 planted ratings ---------------------------------


def _plant(org, worker, n: int, score: dict) -> None:
    """n made-up cases of the attacker's own, one service each, each code filled in by the
    attacker."""
    for _ in range(n):
        survivor = SurvivorFactory(organisation=org)
        service = care.record_service(
            worker,
            survivor,
            {"domain": "medical", "organisation": org, "date": timezone.localdate()},
        )
        raw, _ = ratings.issue_code(worker, service, org.pk)
        ratings.rate_with_code(raw, score)


def _victim_rates(org, score: dict) -> None:
    """A real survivor rates in the portal: a service of her own, not through the attacker's
    code."""
    survivor = SurvivorFactory(organisation=org)
    service = ServiceFactory(survivor=survivor, organisation=org)
    ratings._store(
        ratings.Subject(organisation=org), "medical", score, "", "portal", service=service
    )


def test_differencing_with_k_minus_1_planted_ratings_reveals_nothing(
    org_a, case_worker_a, settings, coordinator
):
    k = settings.AFTERCARE_RATING_MIN_GROUP
    worker = actor(case_worker_a)
    # Published before: an earlier quarter of five genuine survivors, each 4.
    for _ in range(k):
        _victim_rates(org_a, dict.fromkeys(DIMENSIONS, 4))
    Rating.objects.update(period=date(timezone.localdate().year - 2, 1, 1))
    before = published(org_a.pk)
    assert before is not None and before.figures.survivors == k

    _plant(org_a, worker, k - 1, FIVE)
    _victim_rates(org_a, ONE)
    move_to_last_quarter_only_new = Rating.objects.filter(
        period__gte=date(timezone.localdate().year - 1, 1, 1)
    )
    move_to_last_quarter_only_new.update(period=last_quarter())
    RatingFlag.objects.update(quarter=last_quarter())

    flag = RatingFlag.objects.get(reason=FlagReason.OWN_CODES)
    assert flag.status == FlagStatus.OPEN and flag.count == k - 1
    after = published(org_a.pk)
    assert (
        after.figures == before.figures and len(after.batches) == 1
    )  # nothing moved: nothing to difference

    # The coordinator withholds the quarter: it never appears.
    integrity.review_flag(actor(coordinator), flag.pk, decision="withhold", note="planted")
    assert published(org_a.pk).figures == before.figures


def test_k_minus_1_planted_ratings_from_one_case_count_as_one_survivor(
    org_a, case_worker_a, settings
):
    k = settings.AFTERCARE_RATING_MIN_GROUP
    worker = actor(case_worker_a)
    fake = SurvivorFactory(organisation=org_a)
    for _ in range(k - 1):
        service = care.record_service(
            worker, fake, {"domain": "medical", "organisation": org_a, "date": timezone.localdate()}
        )
        raw, _ = ratings.issue_code(worker, service, org_a.pk)
        ratings.rate_with_code(raw, FIVE)
    _victim_rates(org_a, ONE)
    move_to_last_quarter()
    RatingFlag.objects.update(status=FlagStatus.CLEARED)
    assert Rating.objects.count() == k
    assert published(org_a.pk) is None  # two survivors, not k


def test_a_change_of_fewer_than_k_new_survivors_is_not_published(org_a):
    """The same five survivors rating again next quarter, plus one new: the figure does not move."""
    subject = ratings.Subject(organisation=org_a)
    people = [SurvivorFactory(organisation=org_a) for _ in range(5)]
    old, new = date(timezone.localdate().year - 2, 1, 1), date(timezone.localdate().year - 2, 4, 1)
    for survivor in people:
        ratings._store(
            subject,
            "medical",
            dict.fromkeys(DIMENSIONS, 4),
            "",
            "portal",
            service=ServiceFactory(survivor=survivor),
        )
    Rating.objects.update(period=old)
    for survivor in [*people, SurvivorFactory(organisation=org_a)]:
        ratings._store(
            subject, "medical", ONE, "", "portal", service=ServiceFactory(survivor=survivor)
        )
    Rating.objects.exclude(period=old).update(period=new)
    report = published(org_a.pk)
    assert [b.tally.survivors for b in report.batches] == [5]
    assert report.figures.mean == 4.0


def test_genuine_ratings_from_many_survivors_still_publish(org_a, org_b, case_worker_b, survivor_a):
    """Ratings of A through B's codes (a partner) and in the portal: no flag, published."""
    referral(survivor_a, org_a, org_b, "accepted")
    worker_b = actor(case_worker_b)
    for i in range(3):
        survivor = SurvivorFactory(organisation=org_b)
        referral(survivor, org_b, org_a, "accepted")
        service = care.record_service(
            worker_b,
            survivor,
            {"domain": "medical", "organisation": org_a, "date": timezone.localdate()},
        )
        raw, _code = ratings.issue_code(worker_b, service, org_a.pk)
        ratings.rate_with_code(raw, FIVE)
        FeedbackCode.objects.filter(used_on=timezone.localdate()).update(
            used_on=timezone.localdate() - timedelta(days=10 * i)
        )
    for _ in range(3):
        _victim_rates(org_a, dict.fromkeys(DIMENSIONS, 4))
    assert integrity.scan() == 0
    move_to_last_quarter()
    report = published(org_a.pk)
    assert report is not None and report.figures.survivors == 6


# The coordinator's queue -------------------------------------------------------------------------


def test_the_moderation_page_lists_flags_and_the_coordinator_clears_one(
    web_login, coordinator, org_a, case_worker_a
):
    _plant(org_a, actor(case_worker_a), 5, FIVE)
    client = web_login(coordinator)
    page = client.get("/voice/moderation/").content.decode()
    assert "Unusual rating patterns" in page and "Organisation A" in page
    assert "Many ratings from one organisation" in page
    flag = RatingFlag.objects.get(reason=FlagReason.BURST)
    response = client.post(
        f"/voice/moderation/flags/{flag.pk}/", {"decision": "clear", "note": "A survivors' day"}
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (
        flag.status == FlagStatus.CLEARED
        and flag.reviewed_by == coordinator
        and flag.note == "A survivors' day"
    )
    page = client.get("/voice/moderation/").content.decode()
    assert "Checked recently" in page and "the ratings look genuine" in page


def test_only_the_coordinator_sees_and_decides_flags(web_login, case_worker_a, org_a, coordinator):
    _plant(org_a, actor(case_worker_a), 5, FIVE)
    flag = RatingFlag.objects.first()
    client = web_login(case_worker_a)
    assert client.get("/voice/moderation/").status_code == 403
    assert (
        client.post(f"/voice/moderation/flags/{flag.pk}/", {"decision": "clear"}).status_code == 403
    )
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    manager = member(org_a, Role.ADMIN, "boss_a")
    assert (
        web_login(manager)
        .post(f"/voice/moderation/flags/{flag.pk}/", {"decision": "withhold"})
        .status_code
        == 403
    )


def test_a_cleared_flag_reopens_when_the_pattern_grows(org_a, case_worker_a, coordinator, settings):
    worker = actor(case_worker_a)
    _plant(org_a, worker, 5, FIVE)
    flag = RatingFlag.objects.get(reason=FlagReason.BURST)
    integrity.review_flag(actor(coordinator), flag.pk, decision="clear")
    _plant(org_a, worker, settings.AFTERCARE_RATING_BURST_COUNT, FIVE)
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN and flag.count == 10


def test_a_duty_bearer_rated_through_its_organisations_codes_is_flagged(
    survivor_a, case_worker_a, org_a
):
    bearer = DutyBearerFactory(organisation=org_a, registered_by=org_a)
    worker = actor(case_worker_a)
    for _ in range(3):
        survivor = SurvivorFactory(organisation=org_a)
        service = care.record_service(
            worker,
            survivor,
            {
                "domain": "medical",
                "organisation": org_a,
                "date": timezone.localdate(),
                "duty_bearer": bearer,
            },
        )
        raw, _ = ratings.issue_code(worker, service, bearer.pk)
        ratings.rate_with_code(raw, FIVE)
    flag = RatingFlag.objects.get()
    assert flag.reason == FlagReason.OWN_CODES and flag.duty_bearer == bearer and flag.count == 3


def test_longest_burst_counts_days_within_the_window():
    d = date(2026, 3, 1)
    assert integrity.longest_burst([d, d, d + timedelta(days=2), d + timedelta(days=3)], 3) == 3
    assert integrity.longest_burst([d + timedelta(days=10 * i) for i in range(5)], 3) == 1
    assert integrity.longest_burst([], 3) == 0


def test_ratings_from_before_rater_keys_still_count_one_each(org_a):
    rate(org_a, 4, n=5, period=last_quarter())
    assert published(org_a.pk).figures.survivors == 5


def test_the_performance_page_tells_the_coordinator_how_many_patterns_wait(
    web_login, coordinator, org_a, case_worker_a
):
    _plant(org_a, actor(case_worker_a), 5, FIVE)
    html = web_login(coordinator).get("/voice/performance/").content.decode()
    assert "2 patterns to check" in html
