"""People at risk: register, consent, and enrol in training, jobs, housing and household support.

Who may do what is the rule for cases, with one wall fewer to think about: a beneficiary is
her organisation's alone (no referral shares her), case roles read (VIEW_CASES), case workers
and supervisors record (EDIT_CASE). Another organisation gets 404, a lower role 403. She is
enrolled in nothing without her consent to be enrolled; she is counted in reports only while
she consents to the use of her data.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, require
from aftercare.atrisk.access import require_own
from aftercare.atrisk.models import (
    Beneficiary,
    BeneficiaryConsent,
    BeneficiaryConsentPurpose,
    Housing,
    JobPlacement,
    TrainingEnrolment,
)
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.models import Gender
from aftercare.cases.services import CODE_ALPHABET
from aftercare.core.errors import ConsentRequired, DomainError, StaleVersion, TransitionNotAllowed
from aftercare.livelihoods.models import Cohort, Household, PartnerEmployer

PROFILE_FIELDS = ("given_name", "year_of_birth", "gender", "region", "household")


def _own_household(actor: Actor, household: Household | None) -> Household | None:
    if household is not None and household.organisation_id != actor.organisation_id:
        raise DomainError(_("Choose a household your organisation registered."), field="household")
    return household


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field=field)


def _period(data: Mapping[str, Any], start: str, end: str, ends_too_soon: str) -> date | None:
    """A period she was given: it starts today or before, and does not end before it starts
    (`ends_too_soon` says so, on the end). Its end, or None while it is open."""
    _not_future(data[start], start)
    ending = data.get(end)
    if ending and ending < data[start]:
        raise DomainError(ends_too_soon, field=end)
    return ending


def _year_of_birth(year: int | None) -> int | None:
    if year is not None and not (1900 <= year <= timezone.localdate().year):
        raise DomainError(
            _("Give a year of birth between 1900 and this year."), field="year_of_birth"
        )
    return year


@transaction.atomic
def register(actor: Actor, data: Mapping[str, Any]) -> Beneficiary:
    """Her record and her two consents, in one transaction: no record without consent to enrol."""
    require(actor, Action.EDIT_CASE)
    if not data.get("consents_to_enrolment"):
        raise ConsentRequired(
            _("No one is enrolled without consent (the person's or their guardian's)."),
            field="consents_to_enrolment",
        )
    name = (data.get("given_name") or "").strip()
    if not name:
        raise DomainError(_("Give the given name."), field="given_name")
    gender = data.get("gender") or Gender.UNKNOWN
    if gender not in Gender.values:
        raise DomainError(_("Choose a gender."), field="gender")
    values = {
        "given_name": name,
        "year_of_birth": _year_of_birth(data.get("year_of_birth")),
        "gender": gender,
        "region": data.get("region"),
        "household": _own_household(actor, data.get("household")),
    }
    for attempt in range(5):
        code = "AR-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(7))
        try:
            with transaction.atomic():
                beneficiary = Beneficiary.objects.create(
                    code=code,
                    organisation_id=actor.organisation_id,
                    created_by=actor.user,
                    **values,
                )
            break
        except IntegrityError:
            if attempt == 4:
                raise
    record(actor, AuditAction.CREATE, beneficiary, fields=[*values])
    method, given_by = (
        data.get("consent_method") or "verbal",
        data.get("consent_given_by") or "person",
    )
    record_consent(actor, beneficiary, BeneficiaryConsentPurpose.ENROLMENT, True, method, given_by)
    record_consent(
        actor,
        beneficiary,
        BeneficiaryConsentPurpose.DATA_USE,
        bool(data.get("consents_to_data_use")),
        method,
        given_by,
    )
    return beneficiary


@transaction.atomic
def record_consent(
    actor: Actor,
    beneficiary: Beneficiary,
    purpose: str,
    granted: bool,
    method: str,
    given_by: str = "person",
) -> BeneficiaryConsent:
    """A new decision; the newest decides, and is copied onto her record for lists and reports."""
    require_own(actor, beneficiary)
    if purpose not in BeneficiaryConsentPurpose.values:
        raise DomainError(_("Choose what the consent is for."), field="purpose")
    row = BeneficiaryConsent.objects.create(
        beneficiary=beneficiary,
        purpose=purpose,
        granted=granted,
        method=method,
        given_by=given_by,
        recorded_by=actor.user,
    )
    field = (
        "consents_to_enrolment"
        if purpose == BeneficiaryConsentPurpose.ENROLMENT
        else "consents_to_data_use"
    )
    Beneficiary.objects.filter(pk=beneficiary.pk).update(**{field: granted})
    setattr(beneficiary, field, granted)
    record(actor, AuditAction.UPDATE, beneficiary, fields=[f"consent:{purpose}"])
    return row


def _require_enrolment_consent(beneficiary: Beneficiary) -> None:
    if not beneficiary.consents_to_enrolment:
        raise ConsentRequired(_("Consent to be enrolled was withdrawn: record nothing new."))


@transaction.atomic
def enrol_training(
    actor: Actor, beneficiary: Beneficiary, data: Mapping[str, Any]
) -> TrainingEnrolment:
    require_own(actor, beneficiary)
    _require_enrolment_consent(beneficiary)
    cohort = data["cohort"]
    if not isinstance(cohort, Cohort):
        cohort = Cohort.objects.filter(pk=cohort, programme__is_active=True).first()
        if cohort is None:
            raise DomainError(
                _("Choose a cohort of a programme open for enrolment."), field="cohort"
            )
    enrolled_on = data.get("enrolled_on") or timezone.localdate()
    _not_future(enrolled_on, "enrolled_on")
    try:
        with transaction.atomic():
            row = TrainingEnrolment.objects.create(
                beneficiary=beneficiary,
                cohort=cohort,
                enrolled_on=enrolled_on,
                recorded_by=actor.user,
            )
    except IntegrityError as exc:
        raise TransitionNotAllowed(_("Already enrolled in that cohort."), field="cohort") from exc
    record(actor, AuditAction.CREATE, beneficiary, fields=["training"])
    return row


@transaction.atomic
def complete_training(
    actor: Actor,
    beneficiary: Beneficiary,
    enrolment_id,
    *,
    completed_on: date,
    certificate_number: str = "",
) -> TrainingEnrolment:
    require_own(actor, beneficiary)
    row = beneficiary.training.select_for_update().filter(pk=enrolment_id).first()
    if row is None:
        raise Http404("No such enrolment")
    _not_future(completed_on, "completed_on")
    if completed_on < row.enrolled_on:
        raise DomainError(
            _("The course cannot be completed before the enrolment."), field="completed_on"
        )
    row.status, row.completed_on, row.certificate_number = (
        "completed",
        completed_on,
        certificate_number,
    )
    row.save(update_fields=["status", "completed_on", "certificate_number"])
    record(actor, AuditAction.UPDATE, beneficiary, fields=["training"])
    return row


@transaction.atomic
def place_in_job(actor: Actor, beneficiary: Beneficiary, data: Mapping[str, Any]) -> JobPlacement:
    require_own(actor, beneficiary)
    _require_enrolment_consent(beneficiary)
    employer = data["employer"]
    if not isinstance(employer, PartnerEmployer):
        employer = PartnerEmployer.objects.filter(pk=employer, is_active=True).first()
        if employer is None:
            raise DomainError(_("Choose an active partner employer."), field="employer")
    end = _period(data, "start_date", "end_date", _("The job cannot end before it starts."))
    row = JobPlacement.objects.create(
        beneficiary=beneficiary,
        employer=employer,
        role=data["role"],
        start_date=data["start_date"],
        end_date=end,
        recorded_by=actor.user,
    )
    record(actor, AuditAction.CREATE, beneficiary, fields=["job"])
    return row


@transaction.atomic
def house(actor: Actor, beneficiary: Beneficiary, data: Mapping[str, Any]) -> Housing:
    require_own(actor, beneficiary)
    _require_enrolment_consent(beneficiary)
    end = _period(data, "start", "end", _("The housing cannot end before it starts."))
    row = Housing.objects.create(
        beneficiary=beneficiary,
        kind=data["kind"],
        start=data["start"],
        end=end,
        recorded_by=actor.user,
    )
    record(actor, AuditAction.CREATE, beneficiary, fields=["housing"])
    return row


@transaction.atomic
def join_household(
    actor: Actor, beneficiary: Beneficiary, household: Household | None
) -> Beneficiary:
    """Her household (registered in livelihoods), through which household support reaches her."""
    require_own(actor, beneficiary)
    beneficiary.household = _own_household(actor, household)
    beneficiary.version += 1
    beneficiary.save(update_fields=["household", "version"])
    record(actor, AuditAction.UPDATE, beneficiary, fields=["household"])
    return beneficiary


EDITABLE_FIELDS = ("given_name", "year_of_birth", "gender", "region")


@transaction.atomic
def update_profile(
    actor: Actor, beneficiary: Beneficiary, data: Mapping[str, Any], *, version: int
) -> Beneficiary:
    """Correct her given name, year of birth, gender or region after registration.

    The row is locked and the `version` the caller read must still be current, so two workers'
    corrections never silently overwrite each other (409). Only the fields that changed are
    audited, by name: the audit never holds the (encrypted) name itself."""
    require_own(actor, beneficiary)
    current = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    if current.version != version:
        raise StaleVersion(
            _("This record changed since you opened it. Reload it and try again."), field="version"
        )
    values: dict[str, Any] = {}
    if "given_name" in data:
        name = (data.get("given_name") or "").strip()
        if not name:
            raise DomainError(_("Give the given name."), field="given_name")
        values["given_name"] = name
    if "year_of_birth" in data:
        values["year_of_birth"] = _year_of_birth(data.get("year_of_birth"))
    if "gender" in data:
        gender = data.get("gender") or Gender.UNKNOWN
        if gender not in Gender.values:
            raise DomainError(_("Choose a gender."), field="gender")
        values["gender"] = gender
    if "region" in data:
        values["region"] = data.get("region")
    changed = [
        f
        for f, v in values.items()
        if (getattr(current, f + "_id") if f == "region" else getattr(current, f))
        != (v.pk if f == "region" and v is not None else v)
    ]
    if not changed:
        return current
    for field in changed:
        setattr(current, field, values[field])
    current.version += 1
    current.save(update_fields=[*changed, "version"])
    record(actor, AuditAction.UPDATE, current, fields=changed)
    return current


def detail(beneficiary: Beneficiary) -> dict:
    """What her page and the API show beside her record."""
    household = beneficiary.household
    return {
        "training": list(beneficiary.training.select_related("cohort__programme__provider")),
        "jobs": list(beneficiary.jobs.select_related("employer")),
        "housing": list(beneficiary.housing.all()),
        "household_support": list(household.support.all()) if household else [],
        "consents": list(beneficiary.consents.all()[:10]),
    }
