"""The CTDC export groups a whole network's profiles in a transaction with room to sort in
memory (`routers.room_to_sort`, issue 18: at 1,000,000 survivors the server's default 4 MB sent
the join and the sort to disk, 7.4 s against 3.8 s)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.cases.counting import NETWORK, scope_for
from aftercare.core.routers import room_to_sort
from aftercare.reports import ctdc
from tests.reports.test_ctdc_equivalence import actor_for, population

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="work_mem is PostgreSQL's (CI sets DATABASE_URL)"
)


def work_mem() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        return cursor.fetchone()[0]


@ON_POSTGRESQL
def test_inside_the_block_the_transaction_has_the_setting_and_after_it_the_server_s(settings):
    settings.AFTERCARE_REPORT_WORK_MEM = "48MB"
    before = work_mem()
    with room_to_sort("default"):
        assert work_mem() == "48MB"
    assert work_mem() == before != "48MB"


@ON_POSTGRESQL
def test_an_empty_setting_keeps_the_server_s(settings):
    settings.AFTERCARE_REPORT_WORK_MEM = ""
    before = work_mem()
    with room_to_sort("default"):
        assert work_mem() == before


def test_the_export_reads_its_profiles_inside_the_block(coordinator, org_a, settings):
    settings.AFTERCARE_REPORT_WORK_MEM = "48MB"
    population(org_a, 40, seed=3)
    with CaptureQueriesContext(connection) as queries:
        ctdc.build(scope_for(actor_for(coordinator, None), NETWORK), k=2)
    sql = [q["sql"] for q in queries]
    profiles = next(i for i, s in enumerate(sql) if "GROUP BY" in s and "cases_survivor" in s)
    if connection.vendor == "postgresql":
        setting = next(i for i, s in enumerate(sql) if "set_config('work_mem'" in s)
        assert setting < profiles
    else:  # SQLite has no such setting: nothing is sent
        assert not [s for s in sql if "work_mem" in s]


@ON_POSTGRESQL
def test_after_an_error_inside_the_block_the_setting_is_the_server_s_again(settings):
    settings.AFTERCARE_REPORT_WORK_MEM = "48MB"
    before = work_mem()
    with pytest.raises(ZeroDivisionError), room_to_sort("default"):
        1 / 0  # noqa: B018
    assert work_mem() == before
