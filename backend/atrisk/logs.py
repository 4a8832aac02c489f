"""Log lines: one JSON object per line in production, with the request id of the request
that caused them, and nothing secret in them.

What is logged is decided where the line is made: the access line carries the method, the
path without its query string, the status and the duration, never headers, cookies or
bodies. As a last guard the formatter masks passwords in URLs (`scheme://user:***@host`).

A line is one record. The JSON format escapes control characters and the Unicode line
separators (which JSON may carry raw); the text format escapes them in the message (a
`%0a` in a request's path is decoded to a newline, which would otherwise start a forged
line) and indents every line of a traceback.
"""

from __future__ import annotations

import logging
import re
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

from atrisk.settings import Settings

request_id: ContextVar[str | None] = ContextVar("atrisk_request_id", default=None)

_URL_PASSWORD = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/?#@\s]*:)[^@\s/]+@")
_STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "color_message",
    "request_id",
}


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_JSON_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def escape_controls(text: str) -> str:
    """`text` on one line: control characters as escapes (\\n, \\x1b, \\u2028)."""
    return _CONTROL.sub(
        lambda m: _ESCAPES.get(m[0]) or m[0].encode("unicode_escape").decode(), text
    )


def scrub(text: str) -> str:
    """Mask the password of every URL in `text`."""
    return _URL_PASSWORD.sub(r"\1***@", text)


class RequestIdFilter(logging.Filter):
    """Stamps every record with the id of the request being handled (or None)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                line[key] = value
        if record.exc_info and record.exc_info[1] is not None:
            line["exception"] = scrub("".join(traceback.format_exception(record.exc_info[1])))
        if record.stack_info:
            line["stack"] = scrub(record.stack_info)
        text = orjson.dumps(line, default=str).decode()
        # JSON may carry these raw, but they end a line for many readers (Python's too).
        return text.translate(_JSON_LINE_BREAKS)


class TextFormatter(logging.Formatter):
    """The human-readable format for development, scrubbed like the JSON one."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None) is None:
            record.request_id = "-"
        return scrub(super().format(record))

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = escape_controls(record.message)
        return super().formatMessage(record)

    def formatException(self, ei: Any) -> str:
        return _indented(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return _indented(super().formatStack(stack_info))


def _indented(text: str) -> str:
    """Every line of a traceback indented, with its own control characters escaped:
    no line of it can pass for a record of its own."""
    return "\n".join("    " + escape_controls(line) for line in text.splitlines())


def logging_config(settings: Settings) -> dict[str, Any]:
    """A `logging.config.dictConfig` for our loggers and uvicorn's (uvicorn's `log_config`)."""
    formatter = JsonFormatter if settings.log_format == "json" else TextFormatter
    level = settings.log_level
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": RequestIdFilter},
        },
        "formatters": {"default": {"()": formatter}},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            # uvicorn's access log repeats the query string: ours (atrisk.access) does not.
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "alembic": {"level": "WARNING"},
        },
    }
