"""Structured logs: one JSON object a line, carrying the request id of the request being served.

A log collector (journald, Loki, CloudWatch...) can then find every line of one request, and
the id matches the `X-Request-ID` response header a user can quote. Written here rather than
taken from python-json-logger because it is a few lines and Aftercare needs only these fields.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

from aftercare.core.middleware import current_request_meta

# The attributes every LogRecord has; anything else was passed with `extra=` and is kept if
# it is a plain value. Objects are dropped: Django passes the request, whose text holds the
# query string, and a search by name must not end up in a log.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
_PLAIN = (str, int, float, bool, type(None))


# Paths that carry a secret in the URL itself: the OpenRosa key an ODK Collect server URL holds
# (ODK cannot send a header) and a one-time report download link. Logged with the secret masked.
SECRET_IN_PATH = re.compile(r"(/openrosa/key/|/reports/download/)[^/\s?#\"']+")
MASK = "***"


def mask_secrets(text: str) -> str:
    return SECRET_IN_PATH.sub(lambda match: match.group(1) + MASK, text)


class MaskSecrets(logging.Filter):
    """On a handler: no line it writes holds a secret from a URL, whichever logger wrote it
    (the request log, Django's "Not Found: <path>", the development server's access log)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


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
