"""Import HTCDS cases: a spreadsheet (the layout `exporter` writes, or any sheet whose
headers are HTCDS field names or labels) or records (a Kobo export, an ODK submission).

The machinery is the spreadsheet import of cases (`aftercare.cases.case_import`): the file is
read by `cases.sheets.read_sheet` within its limits, problems are `RowError`s in an
`ImportReport` (`line N, column "X": message`), the dry run writes nothing, a checked file
waits for its commit encrypted in the cache (`core.sheet_import.hold`), and the commit is
all-or-nothing, each case opened through `cases.services.intake_survivor` and then moved,
consented and planned through the same operations a case worker's clicks call.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from aftercare.accounts.policy import Action, Actor, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases import care, duplicates, services
from aftercare.cases.access import require_holder
from aftercare.cases.case_import import ImportReport, RowError
from aftercare.cases.models import CaseStatus, ConsentMethod, GivenBy, Survivor, TraffickingEvent
from aftercare.cases.serializers.survivors import SurvivorInput
from aftercare.cases.sheets import Sheet, read_sheet
from aftercare.core.errors import DomainError
from aftercare.interop import mapping
from aftercare.interop.mapping import CASE_FIELDS, EVENT_FIELDS, SUPPORT_PLAN_FIELDS, Field
from aftercare.interop.models import HtcdsDetails
from aftercare.interop.reader import (
    CaseData,
    Cell,
    Columns,
    Folded,
    Problem,
    read_case,
    resolve,
    text_of,
)

# Steps through the case lifecycle (`cases.services.TRANSITIONS`) from intake to each status.
PATH = {
    CaseStatus.INTAKE: (),
    CaseStatus.ACTIVE: (CaseStatus.ACTIVE,),
    CaseStatus.STABLE: (CaseStatus.ACTIVE, CaseStatus.STABLE),
    CaseStatus.CLOSED: (CaseStatus.CLOSED,),
}
RELATED = {"SupportPlan": SUPPORT_PLAN_FIELDS, "TraffickingEvents": EVENT_FIELDS}


@dataclass
class HtcdsReport(ImportReport):
    """The cases import's report, plus the columns passed over and the cases opened."""

    not_held: list[str] = field(
        default_factory=list
    )  # HTCDS fields Aftercare does not hold: ignored
    not_read: list[str] = field(
        default_factory=list
    )  # columns Aftercare writes but does not read back
    passed_over: list[str] = field(
        default_factory=list
    )  # columns without a header, or not the standard's
    folded: list[str] = field(
        default_factory=list
    )  # values read as another of the standard's, with how often
    case_codes: list[str] = field(default_factory=list)

    def note_folded(self, folded: list[Folded]) -> None:
        counts = Counter(str(item) for item in folded)
        for text, count in counts.items():
            self.folded.append(text if count == 1 else f"{text} (×{count})")


def _problems(report: HtcdsReport, problems: list[Problem]) -> None:
    report.errors.extend(RowError(p.line, p.column, p.message) for p in problems)


def _header_errors(report: HtcdsReport, columns: Columns, line: int, prefix: str = "") -> None:
    for key in columns.repeated:
        report.errors.append(
            RowError(line, prefix + key, _("This column repeats another column of the same field."))
        )
    report.not_held += [
        prefix + key for key in columns.not_held if prefix + key not in report.not_held
    ]
    report.passed_over += [
        prefix + key for key in columns.unknown if prefix + key not in report.passed_over
    ]


def _not_read(columns: Columns, fields: tuple[Field, ...]) -> list[str]:
    export_only = {
        item.name for item in fields if item.direction == "export" and item.name != "aft_CaseCode"
    }
    return [key for name, key in columns.matched.items() if name in export_only]


def _is_label_row(sheet: Sheet, cells: list[str]) -> bool:
    """Whether a row holds the standard's labels of the field names above it, whichever columns
    Aftercare holds: most of its named cells are labels (or field names) of the standard."""
    named = [
        text
        for index, text in enumerate(cells)
        if text and index < len(sheet.headers) and sheet.headers[index]
    ]
    labels = [
        text
        for text in named
        if mapping.norm(text) in mapping.LABELS
        or mapping.norm(text) in mapping.NOT_HELD_NAMES
        or mapping.norm(text) in mapping.ALL_NAMES
    ]
    return len(labels) >= 2 and 2 * len(labels) >= len(named)


def _data_rows(sheet: Sheet) -> list[tuple[int, list[str]]]:
    """The rows under the header that hold anything under a named column: without the standard's
    label row, and without the template's empty rows, numbered in a column with no name."""
    named = [index for index, header in enumerate(sheet.headers) if header]
    rows = [
        (line, cells)
        for line, cells in sheet.rows
        if any(index < len(cells) and cells[index] for index in named)
    ]
    if rows and _is_label_row(sheet, rows[0][1]):
        return rows[1:]
    return rows


def _unnamed(
    report: HtcdsReport, sheet: Sheet, rows: list[tuple[int, list[str]]], prefix: str = ""
) -> None:
    """Columns without a header that hold something: passed over, named once by their letter."""
    for index, header in enumerate(sheet.headers):
        if not header and any(index < len(cells) and cells[index] for _line, cells in rows):
            report.passed_over.append(
                prefix
                + _("column %(letter)s (no header)") % {"letter": get_column_letter(index + 1)}
            )


def _cells(
    headers: list[str], columns: Columns, cells: list[str], line: int, prefix: str = ""
) -> dict[str, Cell]:
    index = {header: i for i, header in reversed(list(enumerate(headers)))}
    found = {}
    for name, key in columns.matched.items():
        position = index[key]
        text = cells[position] if position < len(cells) else ""
        if text:
            found[name] = Cell(prefix + key, text, line)
    return found


def _related(
    content: bytes, kind: str, report: HtcdsReport, codes: set[str]
) -> dict[str, dict[str, list[dict[str, Cell]]]]:
    """The support-plan and event rows of a workbook, by sheet and case code."""
    by_case: dict[str, dict[str, list[dict[str, Cell]]]] = defaultdict(lambda: defaultdict(list))
    if kind != "xlsx":
        return by_case
    names = _sheet_names(content)
    for title, fields in RELATED.items():
        if title not in names:
            continue
        sheet = read_sheet(content, kind, title)
        columns = resolve(sheet.headers, fields)
        prefix = f"{title}!"
        _header_errors(report, columns, sheet.header_line, prefix)
        if "aft_CaseCode" not in columns.matched:
            report.errors.append(
                RowError(
                    sheet.header_line,
                    prefix + "aft_CaseCode",
                    _("This sheet needs the column aft_CaseCode, naming the case of each row."),
                )
            )
            continue
        rows = _data_rows(sheet)
        _unnamed(report, sheet, rows, prefix)
        for line, cells in rows:
            row = _cells(sheet.headers, columns, cells, line, prefix)
            code = text_of(row.pop("aft_CaseCode").value) if "aft_CaseCode" in row else ""
            if code not in codes:
                report.errors.append(
                    RowError(
                        line,
                        prefix + "aft_CaseCode",
                        _("No row of the Cases sheet has this case code."),
                    )
                )
                continue
            by_case[code][title].append(row)
    return by_case


def _sheet_names(content: bytes) -> list[str]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _finish(
    actor: Actor, report: HtcdsReport, cases: list[CaseData], *, count_duplicates: bool
) -> None:
    if count_duplicates and cases:
        people = [
            (
                c.profile["given_name"],
                c.profile.get("family_name", ""),
                c.profile.get("year_of_birth"),
            )
            for c in cases
        ]
        # A dry run tells nothing of other organisations: only matches in the caller's own (and
        # among
        # the rows), never "known elsewhere in the network" for a list of names (intake alone says
        # that).
        report.possible_duplicates = sum(
            found.in_own_organisation
            for found in duplicates.check_many(actor.organisation_id, people)
        )


def read_workbook(
    actor: Actor, content: bytes, kind: str, *, count_duplicates: bool = True
) -> tuple[HtcdsReport, list[CaseData]]:
    """Check a spreadsheet: every problem in the report, and the cases it would open."""
    require(actor, Action.CREATE_CASE)
    sheet = read_sheet(content, kind)
    columns = resolve(sheet.headers, CASE_FIELDS)
    rows = _data_rows(sheet)
    report = HtcdsReport(rows=len(rows), header_line=sheet.header_line)
    _header_errors(report, columns, sheet.header_line)
    _unnamed(report, sheet, rows)
    report.not_read = _not_read(columns, CASE_FIELDS)
    if "prs_FirstName" not in columns.matched:
        report.errors.append(
            RowError(
                sheet.header_line,
                "prs_FirstName",
                _("The header row has no prs_FirstName (First Name), which every case needs."),
            )
        )
        return report, []
    row_cells = [(line, _cells(sheet.headers, columns, cells, line)) for line, cells in rows]
    codes: dict[str, int] = {}
    for line, cells in row_cells:
        if "aft_CaseCode" in cells and (code := text_of(cells["aft_CaseCode"].value)) in codes:
            report.errors.append(
                RowError(
                    line,
                    cells["aft_CaseCode"].column,
                    _("This case code is also on line %(line)s.") % {"line": codes[code]},
                )
            )
        elif "aft_CaseCode" in cells:
            codes[code] = line
    related = _related(content, kind, report, set(codes))
    rules = SurvivorInput()
    cases, folded = [], []
    for line, cells in row_cells:
        code = text_of(cells.pop("aft_CaseCode").value) if "aft_CaseCode" in cells else ""
        mine = related.get(code, {})
        data, problems = read_case(
            cells, mine.get("SupportPlan", []), mine.get("TraffickingEvents", []), line, rules
        )
        _problems(report, problems)
        folded += data.folded
        if not problems:
            cases.append(data)
    report.note_folded(folded)
    _finish(actor, report, cases, count_duplicates=count_duplicates)
    return report, cases


def read_records(
    actor: Actor,
    records: list[dict[str, Any]],
    *,
    count_duplicates: bool = False,
    require_consent: bool = False,
) -> tuple[HtcdsReport, list[CaseData]]:
    """Check records (JSON objects, a form's answers), numbered from 1 in the report.

    A record's keys are HTCDS field names (a Kobo group's path is allowed); `spl` and `hte`
    may hold lists of support-plan objectives and trafficking events.
    """
    require(actor, Action.CREATE_CASE)
    report = HtcdsReport(rows=len(records), header_line=0)
    rules = SurvivorInput()
    cases, folded = [], []
    for number, answers in enumerate(records, start=1):
        if not isinstance(answers, dict):
            report.errors.append(RowError(number, "", _("A record must be a JSON object.")))
            continue
        keys = [key for key in answers if key not in ("spl", "hte")]
        columns = resolve(keys, CASE_FIELDS)
        _header_errors(report, columns, number)
        cells = {
            name: Cell(key, answers[key], number)
            for name, key in columns.matched.items()
            if text_of(answers[key]) and name != "aft_CaseCode"
        }
        related = []
        for key, fields in (("spl", SUPPORT_PLAN_FIELDS), ("hte", EVENT_FIELDS)):
            rows = []
            for position, item in enumerate(answers.get(key) or [], start=1):
                item = item if isinstance(item, dict) else {}
                found = resolve(list(item), fields)
                _header_errors(report, found, number, f"{key}[{position}].")
                rows.append(
                    {
                        name: Cell(f"{key}[{position}].{k}", item[k], number)
                        for name, k in found.matched.items()
                        if text_of(item[k]) and name != "aft_CaseCode"
                    }
                )
            related.append(rows)
        data, problems = read_case(
            cells, related[0], related[1], number, rules, require_consent=require_consent
        )
        _problems(report, problems)
        folded += data.folded
        if not problems:
            cases.append(data)
    report.note_folded(folded)
    report.not_held = sorted(set(report.not_held))
    report.passed_over = sorted(set(report.passed_over))
    _finish(actor, report, cases, count_duplicates=count_duplicates)
    return report, cases


# Committing ------------------------------------------------------------------------------


def add_trafficking_event(
    actor: Actor, survivor: Survivor, data: dict[str, Any]
) -> TraffickingEvent:
    require(actor, Action.EDIT_CASE)
    require_holder(actor, survivor)
    event = TraffickingEvent.objects.create(survivor=survivor, recorded_by=actor.user, **data)
    record(actor, AuditAction.CREATE, event, fields=[key for key, value in data.items() if value])
    return event


def open_case(actor: Actor, data: CaseData, *, consent_method: str) -> Survivor:
    """Open one checked case and bring it to its status, consents, objectives and events."""
    survivor, _possible = services.intake_survivor(actor, data.profile)
    for status in PATH[data.status]:
        survivor = services.update_survivor(
            actor,
            survivor,
            {"status": status, "closure_reason": data.closure_reason},
            survivor.version,
        )
    _record_consents(
        actor, survivor, data.consents, consent_method, _("Imported from an HTCDS record.")
    )
    for goal in data.goals:
        care.add_goal(actor, survivor, goal)
    for event in data.events:
        add_trafficking_event(actor, survivor, event)
    hold_details(actor, survivor, data.details)
    return survivor


def _record_consents(
    actor: Actor, survivor: Survivor, consents: dict[str, bool], method: str, notes
) -> None:
    """Record each decision, given by the survivor or, for a minor, her guardian. Grants first:
    a refusal recorded while nothing is granted would anonymise the case."""
    given_by = GivenBy.GUARDIAN if survivor.is_minor else GivenBy.SURVIVOR
    for purpose, granted in sorted(consents.items(), key=lambda item: not item[1]):
        care.record_consent(
            actor,
            survivor,
            purpose=purpose,
            granted=granted,
            method=method,
            given_by=given_by,
            notes=notes,
        )


def hold_details(
    actor: Actor, survivor: Survivor, details: dict[str, Any], *, replace: bool = False
) -> None:
    """Keep what the case has no field for (`HtcdsDetails`), so that an export gives it back.

    `replace`: the details are the whole of them (an edited form), so what is not given is cleared.
    """
    values = {name: value for name, value in details.items() if value not in (None, "", [])}
    held = HtcdsDetails.objects.filter(survivor=survivor).first()
    if held is None and not values:
        return
    held = held or HtcdsDetails(survivor=survivor)
    empty = {
        "incoming_referral_date": None,
        "forced_labour_industries": [],
        "sex_exploitation_types": [],
    }
    changed = []
    for name in HtcdsDetails.HELD:
        value = values.get(name, getattr(held, name) if not replace else empty.get(name, ""))
        if getattr(held, name) != value:
            setattr(held, name, value)
            changed.append(f"htcds.{name}")
    if changed:
        held.save()
        record(actor, AuditAction.UPDATE, survivor, fields=changed)


def update_case(
    actor: Actor, survivor: Survivor, data: CaseData, *, consent_method: str
) -> Survivor:
    """Bring a case to an edited submission of the form that opened it: its profile (what the
    form answers; a blank answer leaves the case as it is), status, consents and held details."""
    changes: dict[str, Any] = dict(data.profile)
    if data.status != survivor.status and data.status != CaseStatus.INTAKE:
        changes |= {"status": data.status, "closure_reason": data.closure_reason}
    survivor = services.update_survivor(actor, survivor, changes, survivor.version)
    current = care.latest_consents(survivor)
    changed = {
        purpose: granted
        for purpose, granted in data.consents.items()
        if (decision := current.get((purpose, None))) is None or decision.granted != granted
    }
    _record_consents(actor, survivor, changed, consent_method, _("From an edited HTCDS form."))
    hold_details(actor, survivor, data.details, replace=True)
    return survivor


def commit(
    actor: Actor,
    report: HtcdsReport,
    cases: list[CaseData],
    *,
    source: str,
    consent_method: str = ConsentMethod.WRITTEN,
    opened: Callable[[Survivor, CaseData], None] | None = None,
    existing: dict[int, Survivor] | None = None,
) -> HtcdsReport:
    """Open every case, or none if one is refused; the import is one audit event besides the cases'.

    `existing`: cases to update instead, by the line (record number) of their data: a form edited
    after it was sent updates the case its first submission opened.
    """
    if not report.ok:
        return report
    existing = existing or {}
    with transaction.atomic():
        for data in cases:
            try:
                if data.line in existing:
                    survivor = update_case(
                        actor, existing[data.line], data, consent_method=consent_method
                    )
                else:
                    survivor = open_case(actor, data, consent_method=consent_method)
            except DomainError as exc:  # a rule only the operations check: keep nothing
                transaction.set_rollback(True)
                report.errors.append(RowError(data.line, exc.field or "", exc.message))
                report.case_codes = []
                return report
            report.case_codes.append(survivor.case_code)
            if opened is not None:
                opened(survivor, data)
        record(
            actor,
            AuditAction.CREATE,
            object_type="interop.htcds_import",
            label=f"HTCDS import of {len(cases)} cases",
            fields=[source],
            reason=f"import from {source}",
        )
    report.committed = True
    return report


def check_file(actor: Actor, content: bytes, kind: str) -> HtcdsReport:
    """The dry run of a spreadsheet: writes nothing, not even to the audit trail."""
    report, _cases = read_workbook(actor, content, kind)
    return report


def commit_file(actor: Actor, content: bytes, kind: str) -> HtcdsReport:
    report, cases = read_workbook(actor, content, kind, count_duplicates=False)
    return commit(actor, report, cases, source="an HTCDS spreadsheet")
