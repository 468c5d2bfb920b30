"""API: a survivor's training enrolments, school, school supplies and social protection."""

from __future__ import annotations

from aftercare.livelihoods import education, training
from aftercare.livelihoods.api.common import PAGED, CaseRecords, CaseResource, need_version
from aftercare.livelihoods.serializers.education import (
    ProgressionIn,
    ProtectionIn,
    ProtectionOut,
    SchoolIn,
    SchoolOut,
    SchoolPatch,
    SupplyIn,
    SupplyOut,
    TermIn,
)
from aftercare.livelihoods.serializers.training import (
    AttendanceIn,
    EnrolmentIn,
    EnrolmentOut,
    EnrolmentPatch,
)

# Training
# ------------------------------------------------------------------------------------------


class TrainingView(CaseRecords):
    output, body, of = EnrolmentOut, EnrolmentIn, training.enrolments_of

    def create(self, actor, survivor, data):
        enrolment = training.enrol(
            actor, survivor, data["cohort"], enrolled_on=data.get("enrolled_on")
        )
        return training.get_enrolment(survivor, enrolment.pk)


class TrainingEnrolmentView(CaseResource):
    output, patch_body, part = EnrolmentOut, EnrolmentPatch, training.get_enrolment

    def update(self, actor, target, data):
        """Complete (with the certificate) or withdraw; 409 for a stale version."""
        training.finish(actor, target[1], data, need_version(data))
        return self.read_again(target)


class TrainingAttendanceView(CaseResource):
    output, body, part = EnrolmentOut, AttendanceIn, training.get_enrolment

    def create(self, actor, target, data):
        """Mark one day present or absent; marking a day again replaces the mark."""
        training.mark_attendance(actor, target[1], on=data["date"], present=data["present"])
        return self.read_again(target)


# School
# --------------------------------------------------------------------------------------------


class EducationView(CaseRecords):
    output, body, of = SchoolOut, SchoolIn, education.schooling_of

    def create(self, actor, survivor, data):
        enrolment = education.enrol_in_school(actor, survivor, data)
        return education.get_enrolment(survivor, enrolment.pk)


class SchoolEnrolmentView(CaseResource):
    output, patch_body, part = SchoolOut, SchoolPatch, education.get_enrolment

    def update(self, actor, target, data):
        education.update_school(actor, target[1], data, need_version(data))
        return self.read_again(target)


class SchoolTermsView(CaseResource):
    output, body, part = SchoolOut, TermIn, education.get_enrolment

    def create(self, actor, target, data):
        education.record_term(actor, target[1], data)
        return self.read_again(target)


class SchoolProgressionsView(CaseResource):
    output, body, part = SchoolOut, ProgressionIn, education.get_enrolment

    def create(self, actor, target, data):
        education.record_progression(actor, target[1], data)
        return self.read_again(target)


class SuppliesView(CaseResource):
    output, body = SupplyOut, SupplyIn
    openapi = PAGED

    def rows(self, actor, survivor_id):
        return self.survivor(actor, survivor_id).school_supplies.all()

    def create(self, actor, survivor, data):
        return education.record_supplies(actor, survivor, data)


class SocialProtectionView(CaseResource):
    output, body = ProtectionOut, ProtectionIn
    openapi = PAGED

    def rows(self, actor, survivor_id):
        return self.survivor(actor, survivor_id).social_protection.all()

    def create(self, actor, survivor, data):
        return education.record_social_protection(actor, survivor, data)
