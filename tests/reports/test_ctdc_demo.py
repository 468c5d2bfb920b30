"""The CTDC export of the demo network, read as a researcher and as an adversary read it:
loaded with pandas, k holds over every column (any column can narrow a group), the file
publishes more than the file-wide generalisation did (of 196 consenting survivors it
suppressed 106 rows and every published row had ageBroad, citizenship and country of
exploitation at -99), and the workbook keeps each column one type."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from aftercare.accounts.models import User
from aftercare.accounts.services import actor_for
from aftercare.cases.counting import NETWORK, scope_for
from aftercare.demo import network as demo
from aftercare.reports import builders, ctdc

pytestmark = pytest.mark.django_db
K = 10
# The file-wide generalisation this export replaced suppressed 106 rows of the demo network's
# consenting survivors; the demo now places each case in a district its organisation serves
# (issue 17), which leaves 188 consenting (196 before).
BEFORE_CONSENTING, BEFORE_SUPPRESSED = 188, 106


@pytest.fixture(scope="module")
def demo_export(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            demo.load()
            actor = actor_for(User.objects.get(username="coord.lerato"), None)
            export = ctdc.build(scope_for(actor, NETWORK), k=K)
            workbook = builders.ctdc_file(actor, {"scope": NETWORK}, "xlsx")
            transaction.set_rollback(True)
    return export, workbook


def frame(export) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(ctdc.to_csv(export)), dtype=str, keep_default_na=False)


def test_k_holds_over_every_column(demo_export):
    export, _ = demo_export
    data = frame(export)
    assert list(data.columns) == ctdc.COLUMNS and len(data.columns) == 63
    sizes = data.groupby(list(data.columns)).size()
    assert sizes.min() >= K
    # and so over any subset of them, e.g. the six of CTDC's own list with majorityStatus
    narrowing = [
        "gender",
        "ageBroad",
        "majorityStatus",
        "citizenship",
        "CountryOfExploitation",
        "yearOfRegistration",
        "Datasource",
        "typeOfExploitConcatenated",
        "meansOfControlConcatenated",
        "typeOfLabourConcatenated",
        "typeOfSexConcatenated",
    ]
    assert data.groupby(narrowing).size().min() >= K


def test_more_rows_and_detail_than_the_file_wide_generalisation(demo_export):
    export, _ = demo_export
    data = frame(export)
    assert export.consenting == BEFORE_CONSENTING
    assert len(data) + export.suppressed == export.consenting
    assert export.suppressed < BEFORE_SUPPRESSED
    assert len(data) > BEFORE_CONSENTING - BEFORE_SUPPRESSED
    for column in ("ageBroad", "citizenship", "CountryOfExploitation"):
        assert (data[column] != "-99").any(), column


def test_the_note_counts_what_was_generalised_and_suppressed(demo_export):
    export, _ = demo_export
    note = export.note()
    assert (
        f"Rows suppressed: {export.suppressed}" in note
        and f"({export.cells_generalised} cells)" in note
    )
    assert export.generalised <= len(export.rows) and export.cells_generalised >= export.generalised


def test_the_workbook_keeps_each_column_one_type(demo_export):
    _, built = demo_export
    sheet = load_workbook(io.BytesIO(built.as_bytes()), read_only=True)[
        "CTDC"
    ]  # streamed: no content
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert body
    for i, column in enumerate(header):
        types = {type(row[i]) for row in body if row[i] is not None}
        assert len(types) <= 1, (column, types)
    by_name = dict(zip(header, body[0], strict=True))
    assert isinstance(by_name["meansOfControlDebtBondage"], int) and isinstance(
        by_name["gender"], str
    )
