"""`aftercare survivor-account`, API tokens for survivors, and the demo's survivor voice."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from aftercare.accounts.models import User
from aftercare.accounts.roles import Role
from aftercare.accounts.services import audit_trail
from aftercare.audit.models import AuditEvent
from aftercare.cases import care
from aftercare.demo import network as demo
from aftercare.demo import voice as voice_demo
from aftercare.voice import stats
from aftercare.voice.models import DutyBearer, Rating, SurvivorAccount
from tests.conftest import actor, member
from tests.factories import SurvivorFactory

pytestmark = pytest.mark.django_db


def test_the_cli_links_an_account_as_the_case_worker(survivor_a, case_worker_a, capsys):
    call_command(
        "survivor_account", "link", survivor_a.case_code, "--by", "cw_a", "--pin", "583920"
    )
    account = SurvivorAccount.objects.get(survivor=survivor_a)
    assert account.check_pin("583920")
    assert "PIN 583920" in capsys.readouterr().out
    assert AuditEvent.objects.filter(
        object_type="voice.survivoraccount", actor_username="cw_a"
    ).exists()


def test_the_cli_refuses_a_case_worker_of_another_organisation(survivor_a, case_worker_b):
    with pytest.raises(CommandError, match="may not"):
        call_command("survivor_account", "link", survivor_a.case_code, "--by", "cw_b")
    assert not SurvivorAccount.objects.exists()


def test_the_cli_resets_a_pin(portal_a, capsys):
    call_command("survivor_account", "reset-pin", portal_a.survivor.case_code, "--by", "cw_a")
    pin = capsys.readouterr().out.split("PIN ")[1].split()[0]
    portal_a.account.refresh_from_db()
    assert portal_a.account.check_pin(pin) and not portal_a.account.check_pin(portal_a.pin)


def test_a_survivor_gets_an_api_token_with_the_pin(api, portal_a):
    response = api.post(
        "/api/v1/auth/token", {"username": "amara", "password": portal_a.pin}, format="json"
    )
    assert response.status_code == 200
    me = api.as_user(portal_a.user).get("/api/v1/me").json()
    assert me["active_role"] == Role.SURVIVOR


def test_portal_reads_of_the_case_are_audited(survivor_client, portal_a):
    browser = survivor_client(portal_a)
    for path in ("/me/", "/me/consent/", "/me/referrals/", "/me/my-information/"):
        browser.get(path)
    reads = AuditEvent.objects.filter(
        action="read", object_id=str(portal_a.survivor.pk), actor_username="amara"
    )
    assert reads.count() == 4


def test_a_rating_leaves_no_trace_of_its_rater_in_the_audit_trail(survivor_client, portal_a, org_a):
    from tests.voice.factories import ServiceFactory

    service = ServiceFactory(survivor=portal_a.survivor)
    form = {
        "subject": str(service.organisation_id),
        "respect": 5,
        "timeliness": 4,
        "helpfulness": 4,
        "safety": 5,
        "information": 3,
    }
    survivor_client(portal_a).post(f"/me/rate/{service.pk}/", form)
    event = AuditEvent.objects.get(object_type="voice.rating")
    assert event.actor_id is None and event.organisation_id is None and event.object_id == ""
    assert (
        audit_trail(actor(member(org_a, Role.ADMIN))).filter(object_type="voice.rating").count()
        == 0
    )


def test_the_demo_survivor_voice_is_idempotent_and_mixes_published_and_withheld_groups(db):
    _regions, organisations = demo.load_network()
    hope = organisations["hope-for-women-sa"]
    user = member(hope, Role.SURVIVOR, voice_demo.DEMO_SURVIVOR)
    case = SurvivorFactory(organisation=hope, year_of_birth=1995)
    cw = member(hope, Role.CASE_WORKER)
    care.assess_needs(actor(cw), case, {"housing": "high"})
    first = voice_demo.load(organisations)
    second = voice_demo.load(organisations)
    assert first["portal"] == case.case_code == second["portal"]
    assert second["ratings_added"] == 0 and DutyBearer.objects.count() == len(
        voice_demo.DUTY_BEARERS
    )
    assert SurvivorAccount.objects.get(user=user).check_pin(voice_demo.DEMO_PIN)
    assert case.goals.filter(added_by_survivor=True).count() >= 1 and case.goals.count() >= 2
    report = stats.performance()
    assert len(report.subjects) >= 5 and report.withheld >= 2
    assert (
        Rating.objects.filter(comment_status="pending").exists()
        or Rating.objects.filter(comment_status="approved").exists()
    )
    assert User.objects.filter(username=voice_demo.DEMO_SURVIVOR).count() == 1


def test_the_demo_flags_its_planted_pattern_and_offers_a_code_to_try_by_sms(db, client, settings):
    from aftercare.voice.models import FeedbackCode, FlagReason, RatingFlag

    _regions, organisations = demo.load_network()
    hope, shelter = organisations["hope-for-women-sa"], organisations["gauteng-safe-house"]
    thandi = member(hope, Role.CASE_WORKER, voice_demo.DEMO_CASE_WORKER)
    from aftercare.accounts.models import Membership

    Membership.objects.create(user=thandi, organisation=shelter, role=Role.CASE_WORKER)
    member(hope, Role.SURVIVOR, voice_demo.DEMO_SURVIVOR)
    case = SurvivorFactory(organisation=hope, year_of_birth=1995)
    care.assess_needs(actor(thandi, hope), case, {"housing": "high"})
    for _ in range(voice_demo.FLAGGED_COUNT):
        SurvivorFactory(organisation=shelter)
    first = voice_demo.load(organisations)
    assert first["flagged_ratings"] == voice_demo.FLAGGED_COUNT
    assert {f.reason for f in RatingFlag.objects.all()} == {FlagReason.BURST, FlagReason.OWN_CODES}
    assert first["sms_code"] == "DEMO01"
    again = voice_demo.load(organisations)
    assert (
        again["flagged_ratings"] == 0 and again["sms_code"] == "DEMO01"
    )  # unused: the same code again
    response = client.post(
        "/api/v1/sms/inbound",
        {"from": "+27825550199", "text": "RATE DEMO01 5 4 5 5 4"},
        content_type="application/json",
        HTTP_X_AFTERCARE_WEBHOOK_SECRET=settings.AFTERCARE_SMS_WEBHOOK_SECRET,
    )
    assert response.json()["status"] == "accepted"
    assert voice_demo.load(organisations)["sms_code"] == "DEMO02"  # the first was used: a new one
    assert FeedbackCode.objects.filter(service__survivor=case).count() == 2
