"""Structured logs: one JSON object a line, carrying the request id of the request being served.

A log collector (journald, Loki, CloudWatch...) can then find every line of one request, and
the id matches the `X-Request-ID` response header a user can quote. Written here rather than
taken from python-json-logger because it is a few lines and Aftercare needs only these fields.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from aftercare.core.middleware import current_request_meta

# The attributes every LogRecord has; anything else was passed with `extra=` and is kept if
# it is a plain value. Objects are dropped: Django passes the request, whose text holds the
# query string, and a search by name must not end up in a log.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
_PLAIN = (str, int, float, bool, type(None))


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", "request_id", ...extra}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_meta().get("request_id")
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and isinstance(value, _PLAIN):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
