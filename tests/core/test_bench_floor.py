"""The benchmark's do-nothing view exists only when AFTERCARE_BENCH_FLOOR is on."""


def test_the_floor_is_not_found_unless_enabled(client, settings):
    settings.AFTERCARE_BENCH_FLOOR = False
    assert client.get("/bench/floor").status_code == 404


def test_the_floor_answers_when_enabled(client, settings):
    settings.AFTERCARE_BENCH_FLOOR = True
    response = client.get("/bench/floor")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_the_caseload_bench_counts_queries_after_djangos_query_log_is_full(db):
    import importlib.util
    from pathlib import Path

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = Path(__file__).resolve().parents[2] / "bench" / "caseload.py"
    spec = importlib.util.spec_from_file_location("bench_caseload", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with CaptureQueriesContext(connection):  # as the bench runs: queries logged
        with connection.cursor() as cursor:
            for _ in range(connection.queries_limit + 10):
                cursor.execute("SELECT 1")
        with CaptureQueriesContext(connection) as captured:
            counter = module.QueryCounter()
            with connection.execute_wrapper(counter), connection.cursor() as cursor:
                for _ in range(3):
                    cursor.execute("SELECT 1")
    assert len(captured) == 0  # the old way: the full log hides them
    assert counter.count == 3
