"""Where a survivor lives, as periods: recorded by the organisation holding her case only."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from aftercare.accounts.roles import Role
from aftercare.caresettings import access, services
from aftercare.caresettings.models import CareSetting
from aftercare.cases import care
from aftercare.core.errors import DomainError
from aftercare.core.models import Notification
from aftercare.referrals import services as referrals
from tests.conftest import actor, member

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days_ago(n: int):
    return TODAY - timedelta(days=n)


def closed(**extra):
    return {
        "kind": "closed_shelter",
        "start": days_ago(30),
        "may_leave": False,
        "lawyer_access": False,
        **extra,
    }


def test_a_new_period_ends_the_open_one_the_day_before(case_worker_a, survivor_a):
    worker = actor(case_worker_a)
    first = services.record_setting(
        worker, survivor_a, {"kind": "open_shelter", "start": days_ago(100)}
    )
    services.record_setting(worker, survivor_a, {"kind": "community_family", "start": days_ago(40)})
    first.refresh_from_db()
    assert first.end == days_ago(41)
    assert services.current_setting(survivor_a).kind == "community_family"


def test_overlapping_periods_are_refused(case_worker_a, survivor_a):
    worker = actor(case_worker_a)
    services.record_setting(
        worker, survivor_a, {"kind": "open_shelter", "start": days_ago(100), "end": days_ago(50)}
    )
    with pytest.raises(services.PeriodsOverlap):
        services.record_setting(
            worker,
            survivor_a,
            {"kind": "community_family", "start": days_ago(60), "end": days_ago(10)},
        )
    assert survivor_a.care_settings.count() == 1


def test_a_closed_setting_asks_whether_she_may_leave_and_has_seen_a_lawyer(
    case_worker_a, survivor_a
):
    worker = actor(case_worker_a)
    with pytest.raises(DomainError) as missing:
        services.record_setting(
            worker, survivor_a, {"kind": "closed_shelter", "start": days_ago(3)}
        )
    assert missing.value.field == "may_leave"
    with pytest.raises(DomainError) as lawyer:
        services.record_setting(
            worker, survivor_a, {"kind": "closed_shelter", "start": days_ago(3), "may_leave": False}
        )
    assert lawyer.value.field == "lawyer_access"


def test_regime_answers_are_not_kept_for_an_open_setting(case_worker_a, survivor_a):
    setting = services.record_setting(
        actor(case_worker_a),
        survivor_a,
        {
            "kind": "community_independent",
            "start": days_ago(5),
            "may_leave": False,
            "lawyer_access": False,
            "appeal": "lodged",
        },
    )
    assert (setting.may_leave, setting.lawyer_access, setting.appeal) == (None, None, "")


def test_length_of_stay_counts_to_today_while_she_is_there(case_worker_a, survivor_a):
    setting = services.record_setting(
        actor(case_worker_a), survivor_a, {"kind": "transitional_housing", "start": days_ago(400)}
    )
    assert setting.days() == 400


def test_detention_without_a_lawyer_past_the_limit_alerts_the_supervisors_once(
    settings, case_worker_a, org_a, survivor_a
):
    settings.AFTERCARE_DETENTION_LAWYER_DAYS = 7
    supervisor = member(org_a, Role.SUPERVISOR)
    setting = services.record_setting(actor(case_worker_a), survivor_a, closed())
    alerts = Notification.objects.filter(user=supervisor)
    assert alerts.count() == 1
    assert survivor_a.case_code in alerts.get().text and "lawyer" in alerts.get().text
    assert not Notification.objects.filter(user=case_worker_a).exists()
    assert services.flag_detentions_without_lawyer() == 0  # once only
    setting.refresh_from_db()
    assert setting.alerted_at is not None


def test_the_sweep_alerts_when_a_detention_passes_the_limit(
    settings, case_worker_a, org_a, survivor_a
):
    settings.AFTERCARE_DETENTION_LAWYER_DAYS = 7
    supervisor = member(org_a, Role.SUPERVISOR)
    services.record_setting(actor(case_worker_a), survivor_a, closed(start=days_ago(3)))
    assert not Notification.objects.filter(user=supervisor).exists()
    assert services.flag_detentions_without_lawyer(today=TODAY + timedelta(days=10)) == 1
    assert Notification.objects.filter(user=supervisor).count() == 1


def test_no_alert_once_she_has_seen_a_lawyer(settings, case_worker_a, org_a, survivor_a):
    settings.AFTERCARE_DETENTION_LAWYER_DAYS = 7
    supervisor = member(org_a, Role.SUPERVISOR)
    services.record_setting(
        actor(case_worker_a), survivor_a, closed(lawyer_access=True, lawyer_access_on=days_ago(28))
    )
    assert services.flag_detentions_without_lawyer() == 0
    assert not Notification.objects.filter(user=supervisor).exists()


def test_another_organisation_cannot_find_the_case(case_worker_b, survivor_a):
    with pytest.raises(Exception) as refused:
        access.case_to_read(actor(case_worker_b), survivor_a.pk)
    assert refused.type.__name__ == "Http404"


def test_a_partner_organisation_does_not_see_where_she_lives(
    case_worker_a, case_worker_b, org_b, survivor_a
):
    worker = actor(case_worker_a)
    care.record_consent(worker, survivor_a, purpose="referral", granted=True, method="written")
    referral = referrals.refer_survivor(
        worker,
        survivor_a,
        org_b,
        ["housing"],
        "needs a bed",
        shared_sections=["needs", "plan", "identity"],
    )
    referrals.transition(actor(case_worker_b), referral.pk, "accept")
    with pytest.raises(PermissionDenied):
        access.case_to_read(actor(case_worker_b), survivor_a.pk)


@pytest.mark.parametrize(
    "role", [Role.REFERRAL_SOURCE, Role.ME_OFFICER, Role.NETWORK_COORDINATOR, Role.FIELD_WORKER]
)
def test_roles_without_case_access_cannot_read_or_record(org_a, survivor_a, role):
    lower = actor(member(org_a, role))
    with pytest.raises(PermissionDenied):
        access.case_to_read(lower, survivor_a.pk)
    with pytest.raises(PermissionDenied):
        services.record_setting(lower, survivor_a, {"kind": "open_shelter", "start": days_ago(1)})


def test_an_admin_reads_but_does_not_record(org_a, survivor_a):
    admin = actor(member(org_a, Role.ADMIN))
    assert access.case_to_read(admin, survivor_a.pk) == survivor_a
    with pytest.raises(PermissionDenied):
        services.record_setting(admin, survivor_a, {"kind": "open_shelter", "start": days_ago(1)})


def test_a_stale_version_is_refused(case_worker_a, survivor_a):
    worker = actor(case_worker_a)
    setting = services.record_setting(
        worker, survivor_a, {"kind": "open_shelter", "start": days_ago(10)}
    )
    services.update_setting(worker, survivor_a, setting.pk, {"end": days_ago(2)}, version=1)
    with pytest.raises(DomainError) as stale:
        services.update_setting(worker, survivor_a, setting.pk, {"end": days_ago(1)}, version=1)
    assert stale.value.status_code == 409
    assert CareSetting.objects.get(pk=setting.pk).end == days_ago(2)
