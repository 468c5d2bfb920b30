"""The benchmark's do-nothing view exists only when AFTERCARE_BENCH_FLOOR is on."""


def test_the_floor_is_not_found_unless_enabled(client, settings):
    settings.AFTERCARE_BENCH_FLOOR = False
    assert client.get("/bench/floor").status_code == 404


def test_the_floor_answers_when_enabled(client, settings):
    settings.AFTERCARE_BENCH_FLOOR = True
    response = client.get("/bench/floor")
    assert response.status_code == 200 and response.content == b"ok\n"
