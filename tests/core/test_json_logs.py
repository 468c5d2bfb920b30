"""Production logs are JSON lines that carry the request id."""

import io
import json
import logging

from aftercare.core.logs import JsonFormatter, MaskSecrets


def capture(logger_name: str) -> tuple[logging.Logger, io.StringIO, logging.Handler]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger, stream, handler


def test_a_line_logged_during_a_request_carries_its_request_id(client, settings, monkeypatch):
    logger, stream, handler = capture("aftercare.request")
    try:
        response = client.get("/health", HTTP_X_REQUEST_ID="req-12345678")
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert response["X-Request-ID"] == "req-12345678"
    assert lines and lines[-1]["request_id"] == "req-12345678"
    assert (
        lines[-1]["route"] == "core:health"
        and lines[-1]["status"] == 200
        and lines[-1]["level"] == "INFO"
    )


def test_the_request_log_leaves_out_the_query_string(client):
    logger, stream, handler = capture("aftercare.request")
    try:
        client.get("/health?q=Amara+Okafor")
    finally:
        logger.removeHandler(handler)
    assert "Amara" not in stream.getvalue()


def test_objects_passed_by_django_are_left_out():
    record = logging.makeLogRecord(
        {
            "msg": "Not Found: %s",
            "args": ("/cases/x/",),
            "levelname": "WARNING",
            "request": object(),
            "status_code": 404,
        }
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "Not Found: /cases/x/"
    assert entry["status_code"] == 404 and "request" not in entry and "request_id" not in entry


def test_a_secret_in_the_url_is_logged_masked(client, db):
    """ODK Collect carries its OpenRosa key in the server URL; no log line may hold it."""
    logger, stream, handler = capture("aftercare.request")
    handler.addFilter(MaskSecrets())
    secret = "k3y-0f-the-phone-abcdef123456"
    try:
        client.post(f"/api/v1/openrosa/key/{secret}/submission")
        client.get(f"/reports/download/{secret}/")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert secret not in text
    assert "/api/v1/openrosa/key/***/submission" in text and "/reports/download/***/" in text


def test_the_masking_filter_covers_djangos_own_not_found_line():
    record = logging.makeLogRecord(
        {"msg": "Not Found: %s", "args": ("/api/v1/openrosa/key/s3cret/submission",)}
    )
    MaskSecrets().filter(record)
    assert record.getMessage() == "Not Found: /api/v1/openrosa/key/***/submission"
