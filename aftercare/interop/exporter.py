"""Export cases in the HTCDS layout: an XLSX workbook in the standard's single-select
spreadsheet layout, or JSON.

Which cases: those the caller may see (`Survivor.objects.visible_to`), a case merged into
another as its duplicate left out (the kept case carries her records), whose survivor's
current decision grants `referral`, consent to her case being shared with other
organisations, which is what leaving Aftercare in a case data standard is. Consent to
anonymised reporting is not enough: this export is not anonymised. Cases without that
consent are left out and counted. Of each case, only the parts the caller's organisation
sees (`cases.access.access_case`): identifiers with `identity`, the support plan with
`plan`, consent with `consent`, referral history with `history`. Each exported case is one
`export` event in the audit trail, so her case's history says who took it out, and when.

The workbook: a `Cases` sheet whose first row holds the field names (hidden, as in the
standard's templates) and the second their labels, one case a row; `SupportPlan` and
`TraffickingEvents` sheets linked to it by `aft_CaseCode`; and a `validation` sheet of the
picklists, which the single-valued picklist columns use as drop-down lists. Cells that hold
several values separate them with `;`, as the standard's multi-select template does.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from aftercare.accounts.policy import Action, Actor, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.access import Section, case_access_for
from aftercare.cases.care import survivors_with_consent
from aftercare.cases.models import (
    ClosureReason,
    Consent,
    ConsentPurpose,
    Gender,
    Survivor,
    TraffickingEventType,
)
from aftercare.core import spreadsheets
from aftercare.interop import mapping
from aftercare.interop.mapping import CASE_FIELDS, EVENT_FIELDS, SUPPORT_PLAN_FIELDS, Field
from aftercare.interop.models import HtcdsDetails
from aftercare.referrals.models import Referral, ReferralStatus

Value = str | list[str]
CONSENT_FIELDS = {
    "con_Consent": ConsentPurpose.SERVICE_DELIVERY,
    "aft_ConsentReferral": ConsentPurpose.REFERRAL,
    "aft_ConsentAnonymisedReporting": ConsentPurpose.ANONYMISED_REPORTING,
    "aft_ConsentContact": ConsentPurpose.CONTACT,
}
DATE_FORMAT = "yyyy-mm-dd"
ACCEPTED = (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED)


@dataclass
class CaseRecord:
    case: dict[str, Value]
    support_plan: list[dict[str, Value]] = field(default_factory=list)
    events: list[dict[str, Value]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {**self.case, "spl": self.support_plan, "hte": self.events}


@dataclass
class Export:
    records: list[CaseRecord]
    without_consent: int  # visible cases left out: no consent to share them


def _flag(granted: bool | None) -> str:
    return "" if granted is None else mapping.CONSENT.to_htcds("true" if granted else "false")


def _date(value) -> str:
    if value is None:
        return ""
    return (value.date() if hasattr(value, "date") else value).isoformat()


def _consents(survivor: Survivor) -> dict[str, bool]:
    """Her current general decision per purpose (rows come newest first)."""
    current: dict[str, bool] = {}
    for consent in survivor.consents.all():
        if consent.organisation_id is None:
            current.setdefault(consent.purpose, consent.granted)
    return current


def _plain(survivor: Survivor, item: Field) -> Value:
    value = getattr(survivor, item.attr)
    if item.attr == "region":
        return value.code if value else ""
    if item.kind == "multi":
        return [item.picklist.to_htcds(code) for code in value]
    if item.kind == "languages":
        return list(value)
    if item.kind == "picklist":
        return item.picklist.to_htcds(value) if value else ""
    if item.kind == "date":
        return _date(value)
    return "" if value is None else str(value)


def _referrals(survivor: Survivor) -> dict[str, str]:
    referrals = list(survivor.referrals.all())
    incoming = max(
        (
            r
            for r in referrals
            if r.to_organisation_id == survivor.organisation_id and r.status in ACCEPTED
        ),
        key=lambda r: r.accepted_at or r.created_at,
        default=None,
    )
    outgoing = max(
        (
            r
            for r in referrals
            if r.from_organisation_id == survivor.organisation_id
            and r.to_organisation_id != survivor.organisation_id
        ),
        key=lambda r: r.created_at,
        default=None,
    )
    reason = mapping.REFERRAL_REASON.to_htcds("services")
    values = {}
    if incoming:
        values |= {
            "cas_ReferringOrganisation": incoming.from_organisation.name,
            "cas_IncomingReferralDate": _date(incoming.accepted_at or incoming.created_at),
            "cas_ReasonForIncomingReferral": reason,
            "cas_IncomingReferralDetails": incoming.reason,
        }
    if outgoing:
        values |= {
            "cas_ReferredOrganisation": outgoing.to_organisation.name,
            "cas_OutgoingReferralDate": _date(outgoing.created_at),
            "cas_ReasonForOutgoingReferral": reason,
            "cas_OutgoingReferralDetails": outgoing.reason,
        }
    return values


def _details(survivor: Survivor) -> HtcdsDetails:
    try:
        return survivor.htcds
    except HtcdsDetails.DoesNotExist:
        return HtcdsDetails(survivor=survivor)


def _held(details: HtcdsDetails) -> dict[str, Value]:
    """What the case holds of the standard beyond its own fields; an Aftercare referral, when
    there is one, takes the place of the incoming referral a partner described."""
    return {
        "vic_ForcedLabourIndustry": list(details.forced_labour_industries),
        "vic_TypeOfSexExploitation": list(details.sex_exploitation_types),
        "cas_ReferringOrganisation": details.referring_organisation,
        "cas_IncomingReferralDate": _date(details.incoming_referral_date),
        "cas_ReasonForIncomingReferral": details.incoming_referral_reason,
        "cas_IncomingReferralDetails": details.incoming_referral_details,
    }


def case_record(survivor: Survivor, sections: frozenset[str]) -> CaseRecord:
    """One case in HTCDS terms, with what `sections` does not cover left empty."""
    organisation = survivor.organisation
    details = _details(survivor)
    consents = _consents(survivor)
    events = list(survivor.trafficking_events.all())
    recruitment = next((e for e in events if e.kind == TraffickingEventType.RECRUITMENT), None)
    closed_transferred = (
        survivor.status == "closed" and survivor.closure_reason == ClosureReason.TRANSFERRED
    )
    special: dict[str, Value] = {
        "org_Name": organisation.name,
        "org_Type": mapping.ORGANISATION_TYPE.to_htcds(organisation.kind),
        "org_ShippingCountry": organisation.country,
        "org_Phone": organisation.public_phone,
        "prs_Deceased": _flag(survivor.closure_reason == ClosureReason.DECEASED),
        "prs_MailingStreet": survivor.address,
        "vic_LocationOfExploitation": survivor.country_of_exploitation,
        "vic_LocationOfRecruitment": (recruitment.place or recruitment.country)
        if recruitment
        else "",
        "cas_Status": "ClosedReferred"
        if closed_transferred
        else mapping.CASE_STATUS.to_htcds(survivor.status),
        "cas_ReasonForCaseClosure": details.closure_reason_text
        if survivor.closure_reason == ClosureReason.OTHER and details.closure_reason_text
        else survivor.closure_reason,
        "aft_CaseCode": survivor.case_code,
        "aft_Status": survivor.status if mapping.CASE_STATUS.ambiguous(survivor.status) else "",
        "aft_ExploitationTypes": list(survivor.exploitation_types)
        if any(mapping.EXPLOITATION.ambiguous(code) for code in survivor.exploitation_types)
        else [],
        **{name: _flag(consents.get(purpose)) for name, purpose in CONSENT_FIELDS.items()},
        **_held(details),
        **_referrals(survivor),
    }
    case: dict[str, Value] = {}
    for item in CASE_FIELDS:
        if item.direction == "import" or (item.section and item.section not in sections):
            value: Value = [] if item.kind in ("multi", "languages") else ""
        elif item.attr:
            value = _plain(survivor, item)
        else:
            value = special.get(item.name, "")
        case[item.name] = value
    if (
        case["prs_Gender"] == mapping.GENDER.to_htcds(Gender.TRANSGENDER)
        and details.gender in mapping.TRANSGENDER_VALUES
    ):
        case["prs_Gender"] = details.gender  # the standard's own value, as a partner gave it
    result = CaseRecord(case)
    if Section.PLAN in sections:
        result.support_plan = [
            {
                "aft_CaseCode": survivor.case_code,
                "spl_Type": goal.domain,
                "spl_Objectives": goal.description,
                "spl_ActionPlan": goal.actions,
                "spl_PlannedEndDate": _date(goal.target_date),
                "aft_GoalStatus": goal.status,
            }
            for goal in survivor.goals.all()
        ]
    if Section.IDENTITY in sections:
        result.events = [
            {
                "aft_CaseCode": survivor.case_code,
                "hte_Type": mapping.EVENT_TYPE.to_htcds(event.kind),
                "hte_Date": _date(event.date),
                "hte_Country": event.country,
                "hte_City": event.place,
                "hte_Description": event.description,
            }
            for event in events
        ]
    return result


def export_cases(
    actor: Actor, ids: Iterable[str] | None = None, *, file_format: str = "xlsx"
) -> Export:
    """The records of the cases the actor may export (all visible ones, or those of `ids`),
    audited."""
    require(actor, Action.EXPORT_CASES)
    visible = Survivor.objects.visible_to(actor).counted()
    if ids is not None:
        visible = visible.filter(pk__in=list(ids))
    consenting = survivors_with_consent(visible, ConsentPurpose.REFERRAL)
    cases = (
        consenting.select_related("organisation", "region", "htcds")
        .prefetch_related(
            Prefetch("consents", queryset=Consent.objects.order_by("-recorded_at", "-id")),
            "goals",
            "trafficking_events",
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related("from_organisation", "to_organisation"),
            ),
        )
        .order_by("case_code")
    )
    records = []
    for survivor in cases:
        records.append(case_record(survivor, case_access_for(actor, survivor).sections))
        record(actor, AuditAction.EXPORT, survivor, reason=f"HTCDS export ({file_format})")
    return Export(records, without_consent=visible.count() - len(records))


# Writing ---------------------------------------------------------------------------------


def _cell(value: Value, item: Field):
    """A value as the workbook holds it: several values in one text, a date as a date cell."""
    if isinstance(value, list):
        return f"{mapping.SEPARATOR} ".join(value)
    if item.kind == "date" and value:
        return datetime.date.fromisoformat(value)
    return value


def _sheet(
    workbook,
    title: str,
    fields: tuple[Field, ...],
    rows: list[dict[str, Value]],
    lists: dict[str, str],
):
    sheet = workbook.create_sheet(title)
    written = [item for item in fields if item.direction != "import"]
    names = [item.name for item in written]
    spreadsheets.append(sheet, names)
    spreadsheets.append(sheet, [item.label for item in written])
    for row in rows:
        spreadsheets.append(sheet, [_cell(row.get(item.name, ""), item) for item in written])
    for index, item in enumerate(written, start=1):
        if item.kind == "date":
            for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
                cell.number_format = DATE_FORMAT
    sheet.row_dimensions[1].hidden = True  # the field names, for programs; people read the labels
    for index, name in enumerate(names, start=1):
        sheet.cell(row=2, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(name) + 2)
        if name in lists:  # single-valued picklists: a drop-down of the standard's values
            check = DataValidation(type="list", formula1=lists[name], allow_blank=True)
            check.add(
                f"{get_column_letter(index)}3:{get_column_letter(index)}{max(3, len(rows) + 2)}"
            )
            sheet.add_data_validation(check)
    sheet.freeze_panes = "A3"


def _validation_sheet(workbook) -> dict[str, str]:
    """The picklists, one column each; returns the range formula of each single-valued column's
    list."""
    sheet = workbook.create_sheet("validation")
    lists: dict[str, str] = {}
    column = 0
    for fields in mapping.SHEETS.values():
        for item in fields:
            if item.picklist is None or item.direction == "import" or item.name in lists:
                continue
            column += 1
            values = item.picklist.htcds_values
            spreadsheets.put(sheet, 1, column, item.name).font = Font(bold=True)
            for row, value in enumerate(values, start=2):
                spreadsheets.put(sheet, row, column, value)
            letter = get_column_letter(column)
            if item.kind != "multi":
                lists[item.name] = (
                    f"{quote_sheetname('validation')}!${letter}$2:${letter}${len(values) + 1}"
                )
    return lists


def to_xlsx(export: Export) -> bytes:
    workbook = spreadsheets.new_workbook()
    lists = _validation_sheet(workbook)  # written first, for the ranges of the drop-down lists
    _sheet(workbook, "Cases", CASE_FIELDS, [r.case for r in export.records], lists)
    _sheet(
        workbook,
        "SupportPlan",
        SUPPORT_PLAN_FIELDS,
        [g for r in export.records for g in r.support_plan],
        lists,
    )
    _sheet(
        workbook,
        "TraffickingEvents",
        EVENT_FIELDS,
        [e for r in export.records for e in r.events],
        lists,
    )
    workbook.move_sheet("validation", offset=3)  # Cases first: importers read the first sheet
    return spreadsheets.save(workbook)


def to_json(export: Export) -> bytes:
    document = {
        "standard": mapping.STANDARD,
        "generator": "Aftercare",
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "cases": [r.as_json() for r in export.records],
        "left_out_without_consent": export.without_consent,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()
