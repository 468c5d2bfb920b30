"""Schools: a case from identification through report to follow-up, and the days to report."""

from datetime import date

import pytest

from aftercare.audit.models import AuditEvent
from aftercare.core.errors import DomainError, StaleVersion, TransitionNotAllowed
from aftercare.prevention import schools
from tests.prevention.factories import SchoolCaseFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org_a, fw):
    school = SchoolFactory(organisation=org_a)
    return schools.identify_case(
        fw,
        school,
        reference="LPS-2025-014",
        concern="sexual_exploitation",
        identified_on="2025-03-03",
    )


def test_days_to_report_count_from_identification(case, fw):
    reported = schools.report_case(
        fw,
        case.pk,
        reported_on="2025-03-10",
        reported_to="social_welfare",
        detail="Napak probation office",
        version=1,
    )
    assert (reported.stage, reported.days_to_report, reported.version) == ("reported", 7, 2)
    assert reported.reported_to_detail == "Napak probation office"


def test_a_case_reported_the_same_day_took_zero_days(case, fw):
    assert (
        schools.report_case(
            fw, case.pk, reported_on="2025-03-03", reported_to="police", version=1
        ).days_to_report
        == 0
    )


def test_an_unreported_case_has_no_days_to_report(case):
    assert case.days_to_report is None


def test_a_report_before_identification_is_refused(case, fw):
    with pytest.raises(DomainError, match="before it was identified"):
        schools.report_case(fw, case.pk, reported_on="2025-03-01", reported_to="police", version=1)


def test_a_case_is_reported_once(case, fw):
    schools.report_case(fw, case.pk, reported_on="2025-03-04", reported_to="police", version=1)
    with pytest.raises(TransitionNotAllowed):
        schools.report_case(fw, case.pk, reported_on="2025-03-05", reported_to="police", version=2)


def test_a_report_on_a_stale_version_is_refused(case, fw):
    with pytest.raises(StaleVersion):
        schools.report_case(fw, case.pk, reported_on="2025-03-04", reported_to="police", version=7)


def test_follow_up_waits_for_the_report_and_a_safe_outcome_closes_the_case(case, fw):
    with pytest.raises(TransitionNotAllowed, match="reported to before following it up"):
        schools.follow_up(fw, case.pk, followed_on="2025-03-20", outcome="in_school")
    schools.report_case(fw, case.pk, reported_on="2025-03-04", reported_to="helpline", version=1)
    schools.follow_up(fw, case.pk, followed_on="2025-03-20", outcome="at_risk")
    case.refresh_from_db()
    assert case.stage == "followed_up" and case.closed_on is None
    schools.follow_up(
        fw, case.pk, followed_on="2025-05-02", outcome="safe", note="Back in P6, living with aunt"
    )
    case.refresh_from_db()
    assert (case.stage, case.closed_on) == ("closed", date(2025, 5, 2))
    with pytest.raises(schools.CaseClosed):
        schools.follow_up(fw, case.pk, followed_on="2025-05-03", outcome="in_school")


def test_a_school_reference_is_used_once_per_school(case, fw):
    with pytest.raises(DomainError, match="already has a case with this reference"):
        schools.identify_case(
            fw, case.school, reference="LPS-2025-014", concern="abuse", identified_on="2025-03-04"
        )


def test_identification_in_the_future_is_refused(org_a, fw):
    with pytest.raises(DomainError, match="in the future"):
        schools.identify_case(
            fw,
            SchoolFactory(organisation=org_a),
            reference="X",
            concern="abuse",
            identified_on="2999-01-01",
        )


def test_each_step_is_audited_with_the_reference_and_no_name(case, fw):
    schools.report_case(fw, case.pk, reported_on="2025-03-04", reported_to="police", version=1)
    labels = list(
        AuditEvent.objects.filter(object_type="prevention.schoolcase").values_list(
            "action", "object_label"
        )
    )
    assert sorted(labels) == [
        ("create", "school case LPS-2025-014"),
        ("update", "school case LPS-2025-014"),
    ]


def test_teachers_trained_are_counted_by_sex(org_a, fw):
    session = schools.record_session(
        fw,
        SchoolFactory(organisation=org_a),
        held_on="2025-02-03",
        topic="Identify, report, follow up",
        teachers_female="6",
        teachers_male=4,
    )
    assert (session.teachers_female, session.teachers_male, session.teachers_total) == (6, 4, 10)


def test_a_field_worker_cannot_add_schools(fw, karamoja_regions):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        schools.add_school(fw, name="Matany Primary", region=karamoja_regions["napak"])


def test_a_case_of_another_organisation_is_not_found(org_b, fw):
    from django.http import Http404

    other = SchoolCaseFactory(school=SchoolFactory(organisation=org_b))
    with pytest.raises(Http404):
        schools.report_case(fw, other.pk, reported_on="2025-03-04", reported_to="police", version=1)
