"""The one reading of a request's cookies, used by everything that looks at them.

Every `Cookie` header counts (an HTTP/2 proxy may split the cookies over several), in
order, joined as one list; a later cookie of the same name wins. Values are taken as
sent, with surrounding double quotes removed: no backslash unquoting, so reading costs
time linear in the header's length (CPython's `http.cookies` unquoting, which Starlette's
`request.cookies` uses, is quadratic before 3.11.10: CVE-2024-7592). The session id is
URL-safe base64 and never needs unquoting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def parse_cookies(header: str) -> dict[str, str]:
    """`name=value; name=value` as a dict; pieces without a name are skipped."""
    cookies: dict[str, str] = {}
    for piece in header.split(";"):
        name, equals, value = piece.partition("=")
        name = name.strip()
        if not equals or not name:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        cookies[name] = value
    return cookies


def request_cookies(scope: Mapping[str, Any]) -> dict[str, str]:
    """The cookies of an HTTP or WebSocket scope, from all of its `Cookie` headers."""
    header = "; ".join(
        value.decode("latin-1") for name, value in scope["headers"] if name == b"cookie"
    )
    return parse_cookies(header)
