"""Reading one HTCDS case (a spreadsheet row with its support-plan and event rows, a form
submission, a JSON record) into what Aftercare's operations take, with every value that
cannot be mapped reported against the column it came from.

The profile is checked with the API's own input rules
(`cases.serializers.survivors.SurvivorInput`) and intake's minor-needs-a-guardian rule,
exactly as the spreadsheet import of cases does; the rest (status, closure, consent,
objectives, events) with the rules of `mapping`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers
from rest_framework.settings import api_settings

from aftercare.cases import services
from aftercare.cases.models import (
    CaseStatus,
    ClosureReason,
    ConsentPurpose,
    GoalStatus,
    TraffickingEventType,
)
from aftercare.cases.serializers.survivors import SurvivorInput
from aftercare.core.errors import DomainError
from aftercare.core.sheet_import import error_messages
from aftercare.interop import mapping
from aftercare.interop.mapping import Field, Picklist

LIST_SPLIT = re.compile(r"[;,\n]")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$")
CONSENT_PURPOSES = {
    "con_Consent": ConsentPurpose.SERVICE_DELIVERY,
    "aft_ConsentReferral": ConsentPurpose.REFERRAL,
    "aft_ConsentAnonymisedReporting": ConsentPurpose.ANONYMISED_REPORTING,
    "aft_ConsentContact": ConsentPurpose.CONTACT,
}
ADDRESS_PARTS = (
    "prs_MailingStreet",
    "prs_MailingCity",
    "prs_MailingState",
    "prs_MailingPostalCode",
    "prs_MailingCountry",
)


@dataclass(frozen=True)
class Cell:
    """A value as found: the column (or key) it was under and where it was."""

    column: str
    value: Any
    line: int


@dataclass
class Problem:
    line: int
    column: str
    message: str


@dataclass(frozen=True)
class Folded:
    """A value read as another of the standard's values: an export gives back `written`."""

    column: str
    value: str
    written: str

    def __str__(self) -> str:
        return f"{self.column}: {self.value} → {self.written}"


@dataclass
class CaseData:
    line: int
    profile: dict[str, Any] = field(default_factory=dict)
    status: str = CaseStatus.INTAKE
    closure_reason: str = ""
    consents: dict[str, bool] = field(default_factory=dict)
    goals: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(
        default_factory=dict
    )  # interop.models.HtcdsDetails: what the case has no field for
    folded: list[Folded] = field(default_factory=list)


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return f"{mapping.SEPARATOR} ".join(str(v) for v in value)
    return str(value).strip()


def items_of(value: Any) -> list[str]:
    """A multi-valued cell: a JSON list, or values separated by ; , or line breaks (a form's by
    spaces)."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [item.strip() for item in LIST_SPLIT.split(str(value or "")) if item.strip()]


def _choices(picklist: Picklist) -> str:
    return ", ".join(picklist.htcds_values)


class Reading:
    """The problems found so far, with helpers that convert a cell or record why they cannot."""

    def __init__(self, folded: list[Folded] | None = None):
        self.problems: list[Problem] = []
        self.folded: list[Folded] = folded if folded is not None else []

    def fail(self, cell: Cell, message: str) -> None:
        self.problems.append(Problem(cell.line, cell.column, message))

    def fold(self, cell: Cell, value: str, code: str, picklist: Picklist) -> None:
        """Note a value read as another one of the standard's: what an export would give back."""
        written = picklist.to_htcds(code)
        if picklist is mapping.CONSENT or mapping.norm(value) in {
            mapping.norm(written),
            mapping.norm(picklist.labels.get(written, "")),
        }:
            return
        if picklist is mapping.GENDER and mapping.norm(value) in {
            mapping.norm(v) for v in mapping.TRANSGENDER_VALUES
        }:
            return  # held as given (HtcdsDetails.gender)
        self.folded.append(Folded(cell.column, value, written))

    def choice(self, cell: Cell, picklist: Picklist) -> str | None:
        value = text_of(cell.value)
        code = picklist.from_htcds(value)
        if code is None:
            self.fail(
                cell,
                _("“%(value)s” is not a value this column takes. Use one of: %(values)s.")
                % {"value": value, "values": _choices(picklist)},
            )
        else:
            self.fold(cell, value, code, picklist)
        return code

    def choices(self, cell: Cell, picklist: Picklist) -> list[str]:
        codes: list[str] = []
        items = items_of(cell.value)
        start = 0
        while start < len(items):
            # The longest run of items that is one value: the standard's labels hold commas and
            # semicolons ("Agriculture, forestry and fishing").
            end, code = next(
                (
                    (end, found)
                    for end in range(len(items), start, -1)
                    if (found := picklist.from_htcds(" ".join(items[start:end]))) is not None
                ),
                (start + 1, None),
            )
            item = items[start] if code is None else ", ".join(items[start:end])
            start = end
            if (
                code is None and " " in item
            ):  # an XLSForm select_multiple: values separated by spaces
                parts = [picklist.from_htcds(part) for part in item.split()]
                if all(parts):
                    codes.extend(parts)
                    for part, part_code in zip(item.split(), parts, strict=True):
                        self.fold(cell, part, part_code, picklist)
                    continue
            if code is None:
                self.fail(
                    cell,
                    _("“%(value)s” is not a value this column takes. Use one of: %(values)s.")
                    % {"value": item, "values": _choices(picklist)},
                )
            else:
                self.fold(cell, item, code, picklist)
                codes.append(code)
        return sorted(set(codes))

    def flag(self, cell: Cell) -> bool | None:
        code = self.choice(cell, mapping.CONSENT)
        return None if code is None else code == "true"

    def country(self, cell: Cell, *, quiet: bool = False) -> str | None:
        try:
            return CountryField().run_validation(text_of(cell.value))
        except serializers.ValidationError:
            if not quiet:
                self.fail(
                    cell,
                    _(
                        "“%(value)s” is not a country: use its ISO "
                        "3166 code (e.g. KE) or its English name."
                    )
                    % {"value": text_of(cell.value)},
                )
            return None

    def date(self, cell: Cell):
        text = text_of(cell.value)
        try:
            return serializers.DateField().run_validation(text)
        except serializers.ValidationError:
            pass
        moment = parse_datetime(text.replace(" ", "T", 1)) if DATETIME.match(text) else None
        if moment is not None:  # a date cell saved as CSV: 1999-04-17 00:00:00
            return moment.date()
        self.fail(cell, _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": text})
        return None


def read_case(
    cells: dict[str, Cell],
    plan: list[dict[str, Cell]],
    events: list[dict[str, Cell]],
    line: int,
    rules: SurvivorInput | None = None,
    *,
    require_consent: bool = False,
) -> tuple[CaseData, list[Problem]]:
    """One case from its cells (by HTCDS field name), its support-plan rows and its event rows.

    `require_consent`: a form's answers must say she agreed (con_Consent); blank is refused as FALSE
    is.
    """
    reading = Reading()
    data = CaseData(line)
    fields = {item.name: item for item in mapping.CASE_FIELDS}
    origin: dict[
        str, Cell
    ] = {}  # profile field -> the cell it came from, for the input rules' errors
    raw: dict[str, Any] = {}
    for name, cell in cells.items():
        item = fields[name]
        if item.held and item.direction != "export":
            data.details[item.held] = _held(reading, item, cell)
            continue
        if not item.attr or item.direction == "export":
            continue
        origin[item.attr] = cell
        if item.kind == "multi":
            raw[item.attr] = reading.choices(cell, item.picklist)
        elif item.kind == "picklist":
            raw[item.attr] = reading.choice(cell, item.picklist) or ""
        elif item.kind == "languages":
            raw[item.attr] = [code.lower() for code in items_of(cell.value)]
        elif item.kind == "date":  # the input rules take any text for a date of birth: checked here
            raw[item.attr] = reading.date(cell)
        else:
            raw[item.attr] = text_of(cell.value)
    address = ", ".join(text_of(cells[name].value) for name in ADDRESS_PARTS if name in cells)
    if address:
        raw["address"], origin["address"] = (
            address,
            next(cells[name] for name in ADDRESS_PARTS if name in cells),
        )
    if (gender := cells.get("prs_Gender")) is not None:
        exact = {mapping.norm(value): value for value in mapping.TRANSGENDER_VALUES}.get(
            mapping.norm(text_of(gender.value))
        )
        if exact:
            data.details["gender"] = exact
    _refine_exploitation(reading, cells, raw, origin)
    _place_of_exploitation(reading, cells, raw, origin, data)
    _status(reading, cells, data)
    _consents(reading, cells, data, require_consent)
    data.goals = [goal for row in plan if (goal := _goal(reading, row)) is not None]
    data.events += [event for row in events if (event := _event(reading, row)) is not None]
    _place_of_recruitment(reading, cells, data)
    data.profile = _checked_profile(reading, raw, origin, line, rules or SurvivorInput())
    data.folded = reading.folded
    return data, reading.problems


def _held(reading: Reading, item: Field, cell: Cell) -> Any:
    if item.kind == "multi":
        return reading.choices(cell, item.picklist)
    if item.kind == "date":
        return reading.date(cell)
    return text_of(cell.value)


def _refine_exploitation(reading: Reading, cells: dict[str, Cell], raw: dict, origin: dict) -> None:
    """aft_ExploitationTypes gives the exact codes, provided they agree with
    vic_TypeOfExploitation."""
    cell = cells.get("aft_ExploitationTypes")
    if cell is None or not items_of(cell.value):
        return
    exact = reading.choices(cell, mapping.EXPLOITATION_EXACT)
    stated = raw.get("exploitation_types")
    if stated and {mapping.EXPLOITATION.to_htcds(c) for c in exact} != {
        mapping.EXPLOITATION.to_htcds(c) for c in stated
    }:
        reading.fail(
            cell,
            _(
                "These types do not agree with vic_TypeOfExploitation: "
                "correct one, or empty this cell."
            ),
        )
        return
    raw["exploitation_types"], origin["exploitation_types"] = exact, cell


def _place_of_exploitation(
    reading: Reading, cells: dict[str, Cell], raw: dict, origin: dict, data: CaseData
) -> None:
    cell = cells.get("vic_LocationOfExploitation")
    if cell is None or not text_of(cell.value):
        return
    country = reading.country(cell, quiet=True)
    if country:
        raw["country_of_exploitation"], origin["country_of_exploitation"] = country, cell
    else:  # a town, a district: kept as the place of an exploitation event
        data.events.append(
            {"kind": TraffickingEventType.EXPLOITATION, "place": text_of(cell.value)[:120]}
        )


def _place_of_recruitment(reading: Reading, cells: dict[str, Cell], data: CaseData) -> None:
    cell = cells.get("vic_LocationOfRecruitment")
    if cell is None or not text_of(cell.value):
        return
    if any(event["kind"] == TraffickingEventType.RECRUITMENT for event in data.events):
        return  # the events sheet already says where
    country = reading.country(cell, quiet=True)
    place = {"country": country} if country else {"place": text_of(cell.value)[:120]}
    data.events.append({"kind": TraffickingEventType.RECRUITMENT, **place})


def _status(reading: Reading, cells: dict[str, Cell], data: CaseData) -> None:
    status_cell, exact_cell = cells.get("cas_Status"), cells.get("aft_Status")
    reason_cell, deceased_cell = cells.get("cas_ReasonForCaseClosure"), cells.get("prs_Deceased")
    stated = text_of(status_cell.value) if status_cell else ""
    status = reading.choice(status_cell, mapping.CASE_STATUS) if stated else None
    if exact_cell is not None and text_of(exact_cell.value):
        exact = reading.choice(exact_cell, mapping.CASE_STATUS_EXACT)
        if (
            exact
            and status
            and mapping.CASE_STATUS.to_htcds(exact) != mapping.CASE_STATUS.to_htcds(status)
        ):
            reading.fail(
                exact_cell,
                _("This status does not agree with cas_Status: correct one, or empty this cell."),
            )
        status = exact or status
    data.status = status or CaseStatus.INTAKE
    words = text_of(reason_cell.value) if reason_cell else ""
    reason = mapping.CLOSURE_REASON.from_htcds(words) if words else None
    if (
        words and reason is None
    ):  # the standard leaves the reason free text: closed as Other, the words held
        reason = ClosureReason.OTHER
        data.details["closure_reason_text"] = words
    deceased = (
        reading.flag(deceased_cell) if deceased_cell and text_of(deceased_cell.value) else None
    )
    if data.status != CaseStatus.CLOSED:
        if reason:
            reading.fail(
                reason_cell, _("A reason for closure, but the case is not closed (cas_Status).")
            )
        if deceased:
            reading.fail(
                deceased_cell,
                _("The case of someone who died is closed: set cas_Status to Closed."),
            )
        return
    if reason is None and deceased:
        reason = ClosureReason.DECEASED
    if reason is None and mapping.norm(stated) == mapping.norm("ClosedReferred"):
        reason = ClosureReason.TRANSFERRED
    if deceased and reason != ClosureReason.DECEASED:
        reading.fail(deceased_cell, _("Deceased, but the case was closed for another reason."))
    if reason is None and not (reason_cell and text_of(reason_cell.value)):
        reading.fail(
            status_cell or exact_cell,
            _("A closed case needs its reason (cas_ReasonForCaseClosure): one of %(values)s.")
            % {"values": _choices(mapping.CLOSURE_REASON)},
        )
    data.closure_reason = reason or ""


def _consents(reading: Reading, cells: dict[str, Cell], data: CaseData, required: bool) -> None:
    if required and not text_of(cells["con_Consent"].value if "con_Consent" in cells else ""):
        reading.problems.append(
            Problem(
                data.line,
                "con_Consent",
                _(
                    "She was not asked, or did not answer, whether her data may be "
                    "kept (con_Consent): Aftercare opens no case without her agreement."
                ),
            )
        )
    for name, purpose in CONSENT_PURPOSES.items():
        cell = cells.get(name)
        if cell is None or not text_of(cell.value):
            continue
        granted = reading.flag(cell)
        if granted is None:
            continue
        if purpose == ConsentPurpose.SERVICE_DELIVERY and not granted:
            reading.fail(
                cell,
                _("She did not agree to her data being kept: Aftercare opens no case without it."),
            )
        data.consents[purpose] = granted
    if data.consents and not any(data.consents.values()):
        cell = next(cells[name] for name in CONSENT_PURPOSES if name in cells)
        reading.fail(
            cell,
            _(
                "Every consent is refused: Aftercare would anonymise "
                "the case at once. Leave unasked ones empty."
            ),
        )


def _goal(reading: Reading, row: dict[str, Cell]) -> dict[str, Any] | None:
    goal: dict[str, Any] = {}
    before = len(reading.problems)
    kind, objectives = row.get("spl_Type"), row.get("spl_Objectives")
    if kind is None or not text_of(kind.value):
        reading.problems.append(
            Problem(_line(row), "spl_Type", _("Say which service domain the objective is in."))
        )
    else:
        goal["domain"] = reading.choice(kind, mapping.SUPPORT_PLAN_TYPE)
    if objectives is None or not text_of(objectives.value):
        reading.problems.append(
            Problem(_line(row), "spl_Objectives", _("The objective itself is missing."))
        )
    else:
        goal["description"] = text_of(objectives.value)
    if (actions := row.get("spl_ActionPlan")) is not None:
        goal["actions"] = text_of(actions.value)
    if (planned := row.get("spl_PlannedEndDate")) is not None and text_of(planned.value):
        goal["target_date"] = reading.date(planned)
    ended = row.get("spl_ActualEndDate")
    status = row.get("aft_GoalStatus")
    if status is not None and text_of(status.value):
        goal["status"] = reading.choice(status, mapping.GOAL_STATUS)
    else:
        goal["status"] = (
            GoalStatus.ACHIEVED
            if ended is not None and text_of(ended.value)
            else GoalStatus.NOT_STARTED
        )
    return goal if len(reading.problems) == before else None


def _event(reading: Reading, row: dict[str, Cell]) -> dict[str, Any] | None:
    event: dict[str, Any] = {}
    before = len(reading.problems)
    kind = row.get("hte_Type")
    if kind is None or not text_of(kind.value):
        reading.problems.append(
            Problem(
                _line(row),
                "hte_Type",
                _("Say whether it was recruitment, transit or exploitation."),
            )
        )
    else:
        event["kind"] = reading.choice(kind, mapping.EVENT_TYPE)
    if (when := row.get("hte_Date")) is not None and text_of(when.value):
        event["date"] = reading.date(when)
    if (country := row.get("hte_Country")) is not None and text_of(country.value):
        event["country"] = reading.country(country)
    if (place := row.get("hte_City")) is not None:
        event["place"] = text_of(place.value)[:120]
    if (description := row.get("hte_Description")) is not None:
        event["description"] = text_of(description.value)
    return event if len(reading.problems) == before else None


def _line(row: dict[str, Cell]) -> int:
    return next(iter(row.values())).line if row else 0


def _checked_profile(
    reading: Reading, raw: dict, origin: dict[str, Cell], line: int, rules: SurvivorInput
) -> dict:
    """The profile through the API's input rules, then the birth year from the birth date."""

    def column(name: str) -> str:
        return origin[name].column if name in origin else "prs_FirstName"

    if not raw.get("given_name"):
        reading.problems.append(
            Problem(
                line, column("given_name"), _("Every case needs the name she uses (prs_FirstName).")
            )
        )
        return {}
    born = raw.pop("date_of_birth", None)
    try:
        profile = dict(rules.run_validation(raw))
    except serializers.ValidationError as exc:
        for name, detail in serializers.as_serializer_error(exc).items():
            where = "" if name == api_settings.NON_FIELD_ERRORS_KEY else column(name)
            reading.problems.extend(
                Problem(line, where, message) for message in error_messages(detail)
            )
        return {}
    if born is not None:
        profile["date_of_birth"] = born
        if profile.get("year_of_birth") is None:
            profile["year_of_birth"] = born.year
        elif profile["year_of_birth"] != born.year:
            reading.problems.append(
                Problem(
                    line,
                    column("year_of_birth"),
                    _("The year of birth does not agree with prs_Birthdate."),
                )
            )
    try:
        services.check_minor(profile)
    except DomainError as exc:
        where = "aft_GuardianName" if exc.field == "guardian_name" else column(exc.field or "")
        reading.problems.append(Problem(line, where, exc.message))
    return profile


@dataclass
class Columns:
    """Keys or headers matched to fields."""

    matched: dict[str, str] = field(default_factory=dict)  # field name -> the key as written
    not_held: list[str] = field(default_factory=list)  # HTCDS fields Aftercare does not hold
    unknown: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)
    meta: list[str] = field(
        default_factory=list
    )  # a form's own bookkeeping (start, end, instanceID)


def resolve(keys: list[str], fields: tuple[Field, ...]) -> Columns:
    known = mapping.known_names(fields)
    columns = Columns()
    for key in keys:
        if not str(key).strip():
            continue  # a column without a header: the import says so if it holds anything
        short = key.rsplit("/", 1)[-1]  # Kobo writes a question in a group as group/name
        if (
            key.startswith("_") and key != "__version__"
        ):  # Kobo's own keys (_id, _status, _uuid ...)
            columns.meta.append(key)
            continue
        item = known.get(mapping.norm(key)) or known.get(mapping.norm(short))
        if item is not None:
            if item.name in columns.matched:
                columns.repeated.append(key)
            else:
                columns.matched[item.name] = key
        elif {mapping.norm(key), mapping.norm(short)} & mapping.NOT_HELD_NAMES.keys():
            columns.not_held.append(key)
        elif {mapping.norm(key), mapping.norm(short)} & mapping.FORM_META:
            columns.meta.append(key)
        else:
            columns.unknown.append(key)
    return columns
