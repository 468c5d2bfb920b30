"""Alerts: high risk, reported trafficker contact, and overdue follow-ups flagged by the task."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from aftercare.audit.models import AuditEvent
from aftercare.core.errors import TransitionNotAllowed
from aftercare.core.tasks import enqueue
from aftercare.risk import services
from aftercare.risk.models import Alert, AlertKind, AlertStatus
from aftercare.risk.tasks import flag_overdue_follow_ups
from tests.conftest import actor
from tests.factories import SurvivorFactory

pytestmark = pytest.mark.django_db

HIGH = dict.fromkeys(
    ["homelessness", "no_income", "unstable_housing", "attachment_to_trafficker"], True
)  # 10


def _days_ago(n):
    return timezone.localdate() - timedelta(days=n)


def test_high_risk_assessment_opens_a_high_risk_alert(worker, survivor_a):
    assessment = services.assess_risk(worker, survivor_a, HIGH)
    alert = Alert.objects.get(survivor=survivor_a)
    assert (alert.kind, alert.status, alert.assessment) == (
        AlertKind.HIGH_RISK,
        AlertStatus.OPEN,
        assessment,
    )


def test_medium_risk_opens_no_alert(worker, survivor_a):
    services.assess_risk(worker, survivor_a, {"homelessness": True, "no_income": True})
    assert not Alert.objects.exists()


def test_reported_trafficker_contact_opens_its_own_alert_as_well_as_high_risk(worker, survivor_a):
    services.assess_risk(worker, survivor_a, {"trafficker_contact": True})
    kinds = sorted(Alert.objects.filter(survivor=survivor_a).values_list("kind", "factor_code"))
    assert kinds == [("high_risk", ""), ("reported_factor", "trafficker_contact")]
    contact = Alert.objects.get(kind=AlertKind.REPORTED_FACTOR)
    assert contact.summary == "Contact from the trafficker"
    high = Alert.objects.get(kind=AlertKind.HIGH_RISK)
    assert high.summary == "Score 4, raised to high by: Contact from the trafficker"


def test_a_second_high_assessment_does_not_duplicate_the_open_alert(worker, survivor_a):
    services.assess_risk(worker, survivor_a, HIGH)
    latest = services.assess_risk(worker, survivor_a, HIGH)
    alert = Alert.objects.get(survivor=survivor_a, kind=AlertKind.HIGH_RISK)
    assert alert.assessment == latest


def test_once_acknowledged_a_new_high_assessment_opens_a_new_alert(worker, survivor_a):
    services.assess_risk(worker, survivor_a, HIGH)
    services.acknowledge_alert(worker, Alert.objects.get().pk)
    services.assess_risk(worker, survivor_a, HIGH)
    assert Alert.objects.filter(survivor=survivor_a, kind=AlertKind.HIGH_RISK).count() == 2


def test_task_flags_follow_ups_whose_date_has_passed(worker, survivor_a, org_a):
    # Medium risk 40 days ago: follow-up due 10 days ago (30-day interval).
    services.assess_risk(
        worker, survivor_a, {"homelessness": True, "no_income": True}, assessed_on=_days_ago(40)
    )
    not_due = SurvivorFactory(organisation=org_a)
    services.assess_risk(
        worker, not_due, {"homelessness": True, "no_income": True}, assessed_on=_days_ago(20)
    )
    assert flag_overdue_follow_ups.apply().get() == 1
    alert = Alert.objects.get(kind=AlertKind.OVERDUE_FOLLOW_UP)
    assert (alert.survivor, alert.due_date, alert.status) == (
        survivor_a,
        _days_ago(10),
        AlertStatus.OPEN,
    )
    assert AuditEvent.objects.filter(
        action="create", object_id=str(alert.pk), organisation_id=org_a.pk
    ).exists()


def test_task_started_through_enqueue_runs_after_commit(
    worker, survivor_a, django_capture_on_commit_callbacks
):
    services.assess_risk(
        worker, survivor_a, {}, assessed_on=_days_ago(91)
    )  # low: due after 90 days
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(flag_overdue_follow_ups)
    assert Alert.objects.filter(survivor=survivor_a, kind=AlertKind.OVERDUE_FOLLOW_UP).exists()


def test_a_follow_up_due_today_is_not_yet_overdue(worker, survivor_a):
    services.assess_risk(worker, survivor_a, {}, assessed_on=_days_ago(90))
    assert services.flag_overdue_follow_ups() == 0


def test_an_overdue_follow_up_is_flagged_once_even_after_acknowledgement(worker, survivor_a):
    services.assess_risk(worker, survivor_a, {}, assessed_on=_days_ago(100))
    assert services.flag_overdue_follow_ups() == 1
    assert services.flag_overdue_follow_ups() == 0
    services.acknowledge_alert(worker, Alert.objects.get().pk)
    assert services.flag_overdue_follow_ups() == 0


def test_closed_cases_are_not_flagged(worker, survivor_a):
    services.assess_risk(worker, survivor_a, {}, assessed_on=_days_ago(100))
    type(survivor_a).objects.filter(pk=survivor_a.pk).update(status="closed")
    assert services.flag_overdue_follow_ups() == 0


def test_a_new_assessment_resolves_the_overdue_alert(worker, survivor_a):
    services.assess_risk(worker, survivor_a, {}, assessed_on=_days_ago(100))
    services.flag_overdue_follow_ups()
    services.assess_risk(worker, survivor_a, {})
    assert Alert.objects.get().status == AlertStatus.RESOLVED


def test_a_lower_assessment_resolves_high_risk_but_not_a_reported_contact(worker, survivor_a):
    services.assess_risk(worker, survivor_a, {"trafficker_contact": True})
    services.assess_risk(worker, survivor_a, {"no_income": True})
    statuses = dict(Alert.objects.values_list("kind", "status"))
    assert statuses == {
        AlertKind.HIGH_RISK: AlertStatus.RESOLVED,
        AlertKind.REPORTED_FACTOR: AlertStatus.OPEN,
    }


def test_acknowledging_records_who_and_when_and_is_audited(worker, survivor_a, case_worker_a):
    services.assess_risk(worker, survivor_a, HIGH)
    alert = services.acknowledge_alert(worker, Alert.objects.get().pk)
    assert (alert.status, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, case_worker_a)
    assert AuditEvent.objects.filter(action="update", object_id=str(alert.pk)).exists()
    with pytest.raises(TransitionNotAllowed):
        services.acknowledge_alert(worker, alert.pk)


def test_other_organisations_cannot_see_or_acknowledge_alerts(worker, survivor_a, case_worker_b):
    services.assess_risk(worker, survivor_a, HIGH)
    outsider = actor(case_worker_b)
    assert not services.visible_alerts(outsider).exists()
    with pytest.raises(Http404):
        services.acknowledge_alert(outsider, Alert.objects.get().pk)


def test_admin_sees_alerts_but_may_not_acknowledge(worker, survivor_a, org_a, make_member):
    from aftercare.accounts.roles import Role

    services.assess_risk(worker, survivor_a, HIGH)
    admin = actor(make_member(org_a, Role.ADMIN))
    assert services.visible_alerts(admin).count() == 1
    with pytest.raises(PermissionDenied):
        services.acknowledge_alert(admin, Alert.objects.get().pk)


def test_assessment_and_its_alerts_are_audited(worker, survivor_a):
    assessment = services.assess_risk(worker, survivor_a, {"trafficker_contact": True})
    event = AuditEvent.objects.get(action="create", object_id=str(assessment.pk))
    assert event.object_label == f"{survivor_a.case_code} risk assessment"
    assert event.actor_username == "cw_a"
    alert_ids = {str(pk) for pk in Alert.objects.values_list("pk", flat=True)}
    assert alert_ids == set(
        AuditEvent.objects.filter(object_type="risk.alert").values_list("object_id", flat=True)
    )


def test_celery_beat_runs_the_overdue_task_hourly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["risk-overdue-follow-ups"]
    assert entry == {"task": flag_overdue_follow_ups.name, "schedule": 3600}


def test_cron_can_run_it_by_its_dashed_name(worker, survivor_a):
    import io

    from django.core.management import call_command

    from aftercare.cli import ALIASES

    services.assess_risk(worker, survivor_a, {}, assessed_on=_days_ago(100))
    out = io.StringIO()
    call_command(ALIASES["flag-overdue-follow-ups"], stdout=out)
    assert out.getvalue() == "1 overdue follow-ups flagged.\n"
    assert Alert.objects.filter(kind=AlertKind.OVERDUE_FOLLOW_UP).count() == 1


def test_alerts_list_reported_contact_first_then_high_risk_then_overdue(worker, survivor_a, org_a):
    overdue = SurvivorFactory(organisation=org_a)
    services.assess_risk(worker, overdue, {}, assessed_on=_days_ago(100))
    services.flag_overdue_follow_ups()
    services.assess_risk(worker, survivor_a, {"trafficker_contact": True})
    assert [a.kind for a in services.visible_alerts(worker)] == [
        AlertKind.REPORTED_FACTOR,
        AlertKind.HIGH_RISK,
        AlertKind.OVERDUE_FOLLOW_UP,
    ]
