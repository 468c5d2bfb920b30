"""Import survivors' cases from a spreadsheet (.xlsx or .csv).

Networks arrive with their cases in Excel. Every row is checked with the API's own input
rules (`api.SurvivorInput`) and intake's minor-needs-a-guardian rule before anything is
written, and every problem is reported by the line and column the user sees in their
spreadsheet. A commit is all-or-nothing, and each row still goes through
`services.intake_survivor`, so encryption, duplicate tokens and the audit trail are the same
as for a case opened by hand. Reading the file and its limits are in `cases.sheets`. The
upload page and `aftercare import-cases` both call `check` and `commit` here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from rest_framework import serializers
from rest_framework.settings import api_settings

from aftercare.accounts.policy import Action, Actor, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases import duplicates, services
from aftercare.cases.forms import SurvivorForm
from aftercare.cases.models import Survivor
from aftercare.cases.serializers.survivors import SurvivorInput
from aftercare.cases.sheets import Sheet, read_sheet
from aftercare.core import spreadsheets
from aftercare.core.errors import DomainError
from aftercare.core.sheet_import import error_messages

LIST_SEPARATORS = re.compile(r"[;,]")


@dataclass(frozen=True)
class RowError:
    line: int  # the row number the user's spreadsheet program shows (the header is usually 1)
    column: str  # the header as written in the file, a column letter, or "" for the whole row
    message: str

    def __str__(self) -> str:
        if self.column:
            return f'line {self.line}, column "{self.column}": {self.message}'
        return f"line {self.line}: {self.message}"


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    possible_duplicates: int = 0
    committed: bool = False
    header_line: int = 1

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows_with_errors(self) -> int:
        return len({error.line for error in self.errors if error.line > self.header_line})

    @property
    def rows_ok(self) -> int:
        return self.rows - self.rows_with_errors


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the template's header, in English whatever the user's language
    aliases: frozenset[str]


def _key(text: str) -> str:
    """Case-, punctuation- and spacing-insensitive form of a header or a code."""
    return " ".join(re.sub(r"[^\w]+|_", " ", text.casefold()).split())


@lru_cache(maxsize=1)
def columns() -> tuple[Column, ...]:
    """One column per profile field, named as the model names it, also known by the field's
    own name and the intake form's label."""
    result = []
    with translation.override("en"):
        for name in services.PROFILE_FIELDS:
            header = capfirst(str(Survivor._meta.get_field(name).verbose_name))
            names = {name, header}
            if name in SurvivorForm.base_fields and SurvivorForm.base_fields[name].label:
                names.add(str(SurvivorForm.base_fields[name].label))
            result.append(Column(name, header, frozenset(_key(n) for n in names)))
    return tuple(result)


def _input_fields() -> dict[str, serializers.Field]:
    return SurvivorInput().fields


def _coded_fields(fields: dict[str, serializers.Field]) -> dict[str, serializers.ChoiceField]:
    """The input fields that take codes (for a list, its items' field). Countries are left to
    CountryField, which knows codes and names in every language."""
    coded = {}
    for name, input_field in fields.items():
        chooser = (
            input_field.child if isinstance(input_field, serializers.ListField) else input_field
        )
        if isinstance(chooser, serializers.ChoiceField) and not isinstance(chooser, CountryField):
            coded[name] = chooser
    return coded


def _choice_codes(choice_field: serializers.ChoiceField) -> dict[str, str]:
    """Each code, its English label and its label in the active language, to the code."""
    codes = {}
    for code, label in choice_field.choices.items():
        with translation.override("en"):
            codes[_key(str(label))] = code
        codes[_key(str(label))] = code
        codes[_key(str(code))] = code
    return codes


# Checking -------------------------------------------------------------------------------


@dataclass
class ColumnMap:
    """Which column of the file holds which profile field."""

    headers: list[str]
    by_index: dict[int, Column] = field(default_factory=dict)
    unheaded: set[int] = field(default_factory=set)  # a value under one of these cannot be imported
    errors: list[RowError] = field(default_factory=list)

    @property
    def has_given_name(self) -> bool:
        return any(column.field == "given_name" for column in self.by_index.values())

    def header_for(self, name: str) -> str:
        """The header the user wrote for a field, else the template's (for a column they left
        out)."""
        for index, column in self.by_index.items():
            if column.field == name:
                return self.headers[index]
        return next((column.header for column in columns() if column.field == name), "")


def map_headers(sheet: Sheet) -> ColumnMap:
    known = {alias: column for column in columns() for alias in column.aliases}
    mapping = ColumnMap(sheet.headers)
    seen: dict[str, str] = {}
    for index, header in enumerate(sheet.headers):
        if not header:
            mapping.unheaded.add(index)
            continue
        column = known.get(_key(header))
        if column is None:
            mapping.errors.append(
                RowError(
                    sheet.header_line,
                    header,
                    _("Unknown column. Use the headers of the template, or delete the column."),
                )
            )
        elif column.field in seen:
            mapping.errors.append(
                RowError(
                    sheet.header_line,
                    header,
                    _("This column repeats the column “%(other)s”.")
                    % {"other": seen[column.field]},
                )
            )
        else:
            seen[column.field] = header
            mapping.by_index[index] = column
    if not mapping.has_given_name:
        mapping.errors.append(
            RowError(
                sheet.header_line,
                columns()[0].header,
                _("The header row has no column for the given name, which every case needs."),
            )
        )
    return mapping


def _row_input(
    cells: list[str], mapping: ColumnMap, fields: dict, choice_codes: dict
) -> dict[str, Any]:
    """A row as the API would receive it; an empty cell is a value not recorded."""
    data: dict[str, Any] = {}
    for index, column in mapping.by_index.items():
        text = cells[index] if index < len(cells) else ""
        if not text:
            continue
        input_field = fields[column.field]
        if isinstance(input_field, serializers.ListField):
            items = [item.strip() for item in LIST_SEPARATORS.split(text) if item.strip()]
            if column.field == "languages":
                items = [item.lower() for item in items]  # ISO 639 codes are written in any case
            codes = choice_codes.get(column.field, {})
            data[column.field] = [codes.get(_key(item), item) for item in items]
        else:
            data[column.field] = choice_codes.get(column.field, {}).get(_key(text), text)
    return data


@dataclass
class CheckedRow:
    line: int
    data: dict[str, Any]


def _check_rows(
    actor: Actor, sheet: Sheet, mapping: ColumnMap, report: ImportReport, *, count_duplicates: bool
) -> list[CheckedRow]:
    # One serializer for every row: what `is_valid` runs, without building its fields 5,000 times.
    rules = SurvivorInput()
    fields = rules.fields
    choice_codes = {name: _choice_codes(chooser) for name, chooser in _coded_fields(fields).items()}
    checked = []
    for line, cells in sheet.rows:
        for index in sorted(mapping.unheaded):
            if index < len(cells) and cells[index]:
                report.errors.append(
                    RowError(
                        line,
                        get_column_letter(index + 1),
                        _("This column has no header, so its value cannot be imported."),
                    )
                )
        try:
            data = dict(rules.run_validation(_row_input(cells, mapping, fields, choice_codes)))
        except serializers.ValidationError as exc:
            for name, detail in serializers.as_serializer_error(exc).items():
                column = (
                    "" if name == api_settings.NON_FIELD_ERRORS_KEY else mapping.header_for(name)
                )
                report.errors.extend(
                    RowError(line, column, message) for message in error_messages(detail)
                )
            continue
        try:
            services.check_minor(data)
        except DomainError as exc:
            report.errors.append(RowError(line, mapping.header_for(exc.field or ""), exc.message))
            continue
        checked.append(CheckedRow(line, data))
    if count_duplicates:
        people = [
            (row.data["given_name"], row.data.get("family_name", ""), row.data.get("year_of_birth"))
            for row in checked
        ]
        # A dry run tells nothing of other organisations: only matches in the caller's own (and
        # among
        # the rows), never "known elsewhere in the network" for a list of names (intake alone says
        # that).
        report.possible_duplicates = sum(
            found.in_own_organisation
            for found in duplicates.check_many(actor.organisation_id, people)
        )
    return checked


def _prepare(
    actor: Actor, content: bytes, kind: str, *, count_duplicates: bool
) -> tuple[ImportReport, list[CheckedRow]]:
    require(actor, Action.CREATE_CASE)
    sheet = read_sheet(content, kind)
    report = ImportReport(rows=len(sheet.rows), header_line=sheet.header_line)
    mapping = map_headers(sheet)
    report.errors.extend(mapping.errors)
    if not mapping.has_given_name:
        return report, []  # every row would fail alike: the header error says it once
    return report, _check_rows(actor, sheet, mapping, report, count_duplicates=count_duplicates)


def check(actor: Actor, content: bytes, kind: str) -> ImportReport:
    """A dry run: the report of what a commit would do. Writes nothing, not even to the audit
    trail."""
    report, _rows = _prepare(actor, content, kind, count_duplicates=True)
    return report


def commit(actor: Actor, content: bytes, kind: str) -> ImportReport:
    """Open a case for every row, or for none if any row has an error."""
    report, rows = _prepare(actor, content, kind, count_duplicates=False)
    if not report.ok:
        return report
    with transaction.atomic():
        for row in rows:
            try:
                _survivor, possible = services.intake_survivor(actor, row.data)
            except DomainError as exc:  # a rule only intake checks: keep nothing of the file
                transaction.set_rollback(True)
                report.errors.append(RowError(row.line, "", exc.message))
                report.possible_duplicates = 0
                return report
            report.possible_duplicates += int(possible.found)
        # The import itself, by its size only: a file's name can be a survivor's name.
        record(
            actor,
            AuditAction.CREATE,
            object_type="cases.import",
            label=f"spreadsheet import of {report.rows} rows",
            fields=sorted({name for row in rows for name in row.data}),
            reason="import from a spreadsheet",
        )
    report.committed = True
    return report


# The template ---------------------------------------------------------------------------

EXAMPLE = {
    "given_name": "Asha",
    "family_name": "Example",
    "phone": "+254 700 000 000",
    "address": "",
    "date_of_birth": "",
    "id_number": "",
    "year_of_birth": 1998,
    "gender": "Woman",
    "nationality": "KE",
    "region": "",
    "exploitation_types": "Forced labour; Domestic servitude",
    "means_of_control": "debt_bondage; withholds_documents",
    "recruiter_relation": "Employer or recruiter",
    "country_of_exploitation": "SA",
    "identified_by": "NGO",
    "languages": "sw; en",
    "guardian_name": "",
    "guardian_phone": "",
    "guardian_relation": "",
}


def template_workbook() -> bytes:
    """The headers, one invented example row, and a sheet of the codes each coded column takes."""
    workbook = spreadsheets.new_workbook()
    sheet = workbook.create_sheet("Cases")
    sheet.append([column.header for column in columns()])
    sheet.append([EXAMPLE.get(column.field, "") for column in columns()])
    for index, column in enumerate(columns(), start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.header) + 2)
    sheet.freeze_panes = "A2"
    codes = workbook.create_sheet("Codes")
    codes.append(["Column", "Code", "Label"])
    for cell in codes[1]:
        cell.font = Font(bold=True)
    coded = _coded_fields(_input_fields())
    with translation.override("en"):
        for column in columns():
            for code, label in getattr(coded.get(column.field), "choices", {}).items():
                codes.append([column.header, code, str(label)])
        codes.append(
            [
                "Nationality, Country of exploitation",
                "ISO 3166 code, e.g. ZA, IN, KE",
                "or the country's name",
            ]
        )
        codes.append(["Languages", "ISO 639 codes, e.g. en, hi, sw", "several separated by ; or ,"])
        codes.append(
            ["Year of birth", f"1900 to {timezone.now().year}", "a minor needs the guardian's name"]
        )
        codes.append(["Date of birth", "YYYY-MM-DD, or a date cell", ""])
    for letter, width in (("A", 36), ("B", 30), ("C", 34)):
        codes.column_dimensions[letter].width = width
    return spreadsheets.save(workbook)
