"""What Aftercare exports in HTCDS, imported again, gives back the same cases, for every value
mapped."""

from __future__ import annotations

import json

import pytest

from aftercare.accounts.roles import Role
from aftercare.cases.models import Survivor
from aftercare.interop import exporter, mapping
from aftercare.interop import htcds_import as importer
from tests.conftest import actor, member
from tests.interop.cases import CASES, generate, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(org_a):
    return generate(org_a)


def _codes_used(survivors):
    used: dict[str, set] = {
        name: set()
        for name in (
            "gender",
            "exploitation_types",
            "means_of_control",
            "status",
            "closure_reason",
            "identified_by",
            "recruiter_relation",
            "goal_status",
            "goal_domain",
            "event_kind",
            "consent",
        )
    }
    for s in survivors:
        used["gender"].add(s.gender)
        used["exploitation_types"].update(s.exploitation_types)
        used["means_of_control"].update(s.means_of_control)
        used["status"].add(s.status)
        used["closure_reason"].add(s.closure_reason)
        used["identified_by"].add(s.identified_by)
        used["recruiter_relation"].add(s.recruiter_relation)
        used["goal_status"].update(g.status for g in s.goals.all())
        used["goal_domain"].update(g.domain for g in s.goals.all())
        used["event_kind"].update(e.kind for e in s.trafficking_events.all())
        used["consent"].update(str(c.granted).lower() for c in s.consents.all())
    return used


def test_the_generated_cases_take_every_value_the_mapping_maps(generated):
    used = _codes_used(generated)
    expected = {
        "gender": mapping.GENDER,
        "exploitation_types": mapping.EXPLOITATION,
        "means_of_control": mapping.METHODS_OF_CONTROL,
        "status": mapping.CASE_STATUS,
        "closure_reason": mapping.CLOSURE_REASON,
        "identified_by": mapping.IDENTIFIED_BY,
        "recruiter_relation": mapping.RECRUITER_RELATION,
        "goal_status": mapping.GOAL_STATUS,
        "goal_domain": mapping.SUPPORT_PLAN_TYPE,
        "event_kind": mapping.EVENT_TYPE,
        "consent": mapping.CONSENT,
    }
    never_exported = {
        "closure_reason": {"duplicate"}
    }  # merged into the case kept; never leaves Aftercare
    for name, picklist in expected.items():
        missing = (
            {code for code, _value in picklist.pairs} - used[name] - never_exported.get(name, set())
        )
        assert not missing, f"{name}: no generated case has {missing}"
    assert len(generated) == CASES


def _import_into(org, content: bytes, kind: str = "xlsx") -> importer.HtcdsReport:
    worker = member(org, Role.CASE_WORKER)
    report = importer.commit_file(actor(worker), content, kind)
    assert report.ok, [str(e) for e in report.errors[:10]]
    assert report.committed
    return report


def _compare(originals, org_b):
    imported = {s.given_name: s for s in Survivor.objects.filter(organisation=org_b)}
    assert len(imported) == len(originals)
    for original in originals:
        assert snapshot(imported[original.given_name]) == snapshot(original), original.given_name


def test_an_exported_workbook_imported_again_gives_back_the_same_cases(generated, org_a, org_b):
    supervisor = member(org_a, Role.SUPERVISOR)
    export = exporter.export_cases(actor(supervisor))
    assert len(export.records) == CASES
    _import_into(org_b, exporter.to_xlsx(export))
    _compare(generated, org_b)


def test_an_exported_json_document_read_as_records_gives_back_the_same_cases(
    generated, org_a, org_b
):
    supervisor = member(org_a, Role.SUPERVISOR)
    document = json.loads(
        exporter.to_json(exporter.export_cases(actor(supervisor), file_format="json"))
    )
    worker = actor(member(org_b, Role.CASE_WORKER))
    report, cases = importer.read_records(worker, document["cases"])
    assert report.ok, [str(e) for e in report.errors[:10]]
    importer.commit(worker, report, cases, source="test")
    _compare(generated, org_b)


def test_the_workbook_keeps_the_standards_layout(generated, org_a):
    import io

    import openpyxl
    from openpyxl.utils import get_column_letter

    supervisor = member(org_a, Role.SUPERVISOR)
    workbook = openpyxl.load_workbook(
        io.BytesIO(exporter.to_xlsx(exporter.export_cases(actor(supervisor))))
    )
    assert workbook.sheetnames == ["Cases", "SupportPlan", "TraffickingEvents", "validation"]
    cases = workbook["Cases"]
    names = [cell.value for cell in cases[1]]
    assert names[:5] == [
        "org_Name",
        "org_Type",
        "org_ShippingCountry",
        "org_Phone",
        "prs_FirstName",
    ]
    assert cases.row_dimensions[1].hidden
    assert [cell.value for cell in cases[2]][4] == "First Name"
    assert cases.max_row == CASES + 2
    assert "prs_Gender" in [cell.value for cell in workbook["validation"][1]]
    gender = get_column_letter(names.index("prs_Gender") + 1)
    assert any(
        str(v.sqref).startswith(f"{gender}3:") for v in cases.data_validations.dataValidation
    )
