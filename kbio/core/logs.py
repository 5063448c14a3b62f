"""Logs a collector can parse: one JSON object per line, each line of a request carrying that
request's id (the X-Request-ID header, see RequestIdMiddleware); and the error mail to ADMINS,
which names the id so the report and the log lines of the failed request can be found together.

gunicorn's access log goes through the same formatter (gunicorn.conf.py), with the id the
response carried.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from django.utils.log import AdminEmailHandler

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy or a client may hand us (UUIDs, hex, trace ids); anything else is replaced.
_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def request_id_for(header: str | None) -> str:
    """The id of a request: the one it came with when well formed, else a new one."""
    if header and _WELL_FORMED.fullmatch(header):
        return header
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return _request_id.get()


def set_request_id(request_id: str | None) -> contextvars.Token:
    return _request_id.set(request_id)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Put the current request's id on every record ("-" outside a request). Django logs an
    answer of 4xx or 5xx after the middleware is done, with the request on the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current_request_id() or "-"
        return True


# gunicorn's access-log atoms, by the names a collector reads.
_ACCESS_FIELDS = {
    "h": "remote_addr",
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "B": "bytes",
    "M": "duration_ms",
    "a": "user_agent",
    "{x-request-id}o": "request_id",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, and what the
    record knows of its request (Django's request logs, gunicorn's access log)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id and request_id != "-":
            entry["request_id"] = request_id
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            for atom, name in _ACCESS_FIELDS.items():
                value = record.args.get(atom)
                if value not in (None, "", "-"):
                    entry[name] = int(value) if name == "status" and value.isdigit() else value
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            entry["method"] = request.method
            entry["path"] = request.path
        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            entry["status"] = status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # ASCII only: every line break inside a value is escaped, so one record is one line.
        return json.dumps(entry, default=str)


class AdminEmailWithRequestId(AdminEmailHandler):
    """Django's error mail to ADMINS (the traceback and the request), headed by the request id."""

    def emit(self, record: logging.LogRecord) -> None:
        # The record's id (RequestIdFilter): Django logs a 500 it did not raise after the
        # request's middleware is done.
        record_id = getattr(record, "request_id", None)
        token = set_request_id(record_id if record_id and record_id != "-" else None)
        try:
            super().emit(record)
        finally:
            reset_request_id(token)

    def send_mail(self, subject, message, *args, **kwargs):
        request_id = current_request_id()
        if request_id:
            subject = f"{subject} [request {request_id}]"
            message = f"{REQUEST_ID_HEADER}: {request_id}\n\n{message}"
        super().send_mail(subject, message, *args, **kwargs)
